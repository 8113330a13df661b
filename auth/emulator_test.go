package auth

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
	"github.com/amr-tui/amr-tui/profiles"
)

// Fixed identities, so goldens can name them.
const (
	appClientID = "11111111-aaaa-4aaa-8aaa-111111111111"
	appObjectID = "22222222-bbbb-4bbb-8bbb-222222222222"
	userOID     = "33333333-cccc-4ccc-8ccc-333333333333"
	userUPN     = "dev@contoso.example"
)

// idNames gives the fixed IDs readable names in goldens.
func idNames(e *emulator.Entra) map[string]string {
	m := map[string]string{appClientID: "APP-CLIENT-ID", appObjectID: "APP-OBJECT-ID", userOID: "USER-OID"}
	if e != nil {
		m[e.TenantID()] = "TENANT"
	}
	return m
}

// startEntra starts a fake Entra for one test with the test rules applied.
func startEntra(t *testing.T, opts emulator.EntraOptions) *emulator.Entra {
	t.Helper()
	setup(t)
	return emutest.StartEntra(t, opts)
}

// emuOptions aims a Source at e: its CA-trusting transport behind a loopback guard that fails
// the test on any request to a non-loopback host (see loopbackOnly), and no retries.
func emuOptions(t testing.TB, e *emulator.Entra) Options {
	return Options{Transport: loopbackOnly(t, transporter{e.Transport()}), Retry: &policy.RetryOptions{MaxRetries: -1}}
}

// loopbackOnly wraps next in an emulator.LoopbackGuard that fails t on a request to any
// non-loopback host. Without OnBlocked a refused request is only an error, which a test that
// expects a failure would accept.
func loopbackOnly(t testing.TB, next http.RoundTripper) emulator.LoopbackGuard {
	return emulator.LoopbackGuard{Next: next, OnBlocked: func(r *http.Request) {
		t.Errorf("non-loopback request to %s", r.URL.Host)
	}}
}

// expectBlocked is for the tests of how a refused request is classified: o's transport expects
// requests to host and refuses them, still fails t on any other non-loopback host, and fails t
// if host was never asked for.
func expectBlocked(t *testing.T, e *emulator.Entra, o *Options, host string) {
	var blocked atomic.Int32
	o.Transport = emulator.LoopbackGuard{Next: transporter{e.Transport()}, OnBlocked: func(r *http.Request) {
		if r.URL.Hostname() != host {
			t.Errorf("non-loopback request to %s (expected only %s)", r.URL.Host, host)
			return
		}
		blocked.Add(1)
	}}
	t.Cleanup(func() {
		if blocked.Load() == 0 {
			t.Errorf("no request to %s was made and refused", host)
		}
	})
}

// transporter lets an azcore policy.Transporter serve as an http.RoundTripper.
type transporter struct{ policy.Transporter }

func (tr transporter) RoundTrip(r *http.Request) (*http.Response, error) { return tr.Do(r) }

func emuProfile(e *emulator.Entra, a profiles.Auth) profiles.Profile {
	if a.Authority == "" && a.Kind != profiles.AuthManagedIdentity && !(a.Kind == profiles.AuthDeveloper && (a.Method == profiles.DeveloperAzureCLI || a.Method == profiles.DeveloperAzd)) {
		a.Authority = e.AuthorityHost()
	}
	return profiles.Profile{Name: "emu", Host: "127.0.0.1", Auth: a}
}

func ctxT(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// getToken builds a Source and gets a token, recording it as a secret for the scans.
func getToken(t *testing.T, p profiles.Profile, opts Options) (Source, Token, error) {
	t.Helper()
	s, err := NewSource(p, opts)
	if err != nil {
		return nil, Token{}, err
	}
	tok, err := s.Token(ctxT(t, 20*time.Second))
	trackSecret(tok.Value)
	return s, tok, err
}

// startGate starts an AMR gate that verifies tokens with e and knows accessKeys.
func startGate(t *testing.T, e *emulator.Entra, accessKeys map[string]string) *emulator.Gate {
	t.Helper()
	// A real redis-server as the backend (emutest skips without one, fails under CI).
	be := emutest.StartRedisServer(t)
	opts := emulator.GateOptions{Backend: be.Addr, AccessKeys: accessKeys}
	if e != nil {
		opts.Verifier = e
	}
	g, err := emulator.StartGate(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = g.Close() })
	return g
}

// redisAUTH sends AUTH (or nothing when tok is empty) and then PING to the gate, returning the
// first error reply as an error.
func redisAUTH(t *testing.T, addr string, tok Token) error {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReader(c)
	send := func(args ...string) (string, error) {
		var b strings.Builder
		fmt.Fprintf(&b, "*%d\r\n", len(args))
		for _, a := range args {
			fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
		}
		if _, err := c.Write([]byte(b.String())); err != nil {
			return "", err
		}
		line, err := r.ReadString('\n')
		if err != nil {
			return "", err
		}
		line = strings.TrimRight(line, "\r\n")
		if strings.HasPrefix(line, "-") {
			return "", errors.New(line[1:])
		}
		return line, nil
	}
	if tok.Value != "" {
		args := []string{"AUTH", tok.Value}
		if tok.Username != "" {
			args = []string{"AUTH", tok.Username, tok.Value}
		}
		if _, err := send(args...); err != nil {
			return err
		}
	}
	reply, err := send("PING")
	if err != nil {
		return err
	}
	if reply != "+PONG" {
		t.Fatalf("PING answered %q", reply)
	}
	return nil
}

// checkEntraToken asserts the common "must show" facts: a token, username = oid, the gate
// accepts it.
func checkEntraToken(t *testing.T, e *emulator.Entra, tok Token, wantOID string) {
	t.Helper()
	if tok.Value == "" {
		t.Fatal("empty token")
	}
	if tok.Username != wantOID {
		t.Errorf("Username = %q, want the oid %q", tok.Username, wantOID)
	}
	if tok.Claims.ObjectID != wantOID {
		t.Errorf("Claims.ObjectID = %q, want %q", tok.Claims.ObjectID, wantOID)
	}
	if tok.ExpiresOn.Before(time.Now()) || tok.ReceivedAt.IsZero() {
		t.Errorf("ExpiresOn %v / ReceivedAt %v not sensible", tok.ExpiresOn, tok.ReceivedAt)
	}
	if _, err := e.VerifyToken(tok.Value); err != nil {
		t.Errorf("the fake Entra does not verify its own token: %v", err)
	}
	g := startGate(t, e, nil)
	if err := redisAUTH(t, g.Addr(), tok); err != nil {
		t.Errorf("gate refused the token: %v", err)
	}
}

// guardWrap is an Options.WrapTransport that keeps a transport auth builds itself on loopback,
// failing t on any other host.
func guardWrap(t testing.TB) func(http.RoundTripper) http.RoundTripper {
	return func(rt http.RoundTripper) http.RoundTripper { return loopbackOnly(t, rt) }
}
