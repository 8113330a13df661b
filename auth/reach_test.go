package auth

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/profiles"
)

// An Entra that resets every connection is reported as unreachable with that cause, whether
// azcore's retries outlast the caller's deadline (the deadline used to hide the cause behind
// "no token before the deadline") or give up first.
func TestEntraOutageNamesTheReset(t *testing.T) {
	for _, c := range []struct {
		name    string
		retry   *policy.RetryOptions
		timeout time.Duration
	}{
		{"deadline-during-retries", nil, 3 * time.Second},
		{"no-retries", &policy.RetryOptions{MaxRetries: -1}, 20 * time.Second},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := startEntra(t, emulator.EntraOptions{})
			a := spAuth(t, e)
			a.Authority = e.AuthorityHost()
			o := emuOptions(t, e)
			o.Retry = c.retry
			e.SetDown(true)
			s, err := NewSource(profiles.Profile{Name: "emu", Auth: a}, o)
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.Token(ctxT(t, c.timeout))
			got := asError(t, err)
			if got.Step != StepReach || got.Summary != "Entra unreachable (connection reset)" {
				t.Errorf("step %q, summary %q, want reaching the endpoint, Entra unreachable (connection reset)\n%s", got.Step, got.Summary, got.Explain())
			}
		})
	}
}

// An authority whose certificate no trusted CA signed is reported as such, with a deadline
// shorter than azcore's retries or without one.
func TestUntrustedAuthorityCANamed(t *testing.T) {
	for _, c := range []struct {
		name    string
		timeout time.Duration
	}{{"short-deadline", 2 * time.Second}, {"long-deadline", 60 * time.Second}} {
		t.Run(c.name, func(t *testing.T) {
			e := startEntra(t, emulator.EntraOptions{})
			a := spAuth(t, e)
			a.Authority = e.AuthorityHost()
			// System roots only: the emulator's CA is not among them.
			o := Options{WrapTransport: func(rt http.RoundTripper) http.RoundTripper { return loopbackOnly(t, rt) }}
			s, err := NewSource(profiles.Profile{Name: "emu", Auth: a}, o)
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.Token(ctxT(t, c.timeout))
			got := asError(t, err)
			if got.Step != StepReach || !strings.Contains(got.Summary, "TLS certificate is not trusted") {
				t.Errorf("step %q, summary %q\n%s", got.Step, got.Summary, got.Explain())
			}
		})
	}
}
