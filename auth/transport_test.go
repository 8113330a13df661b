package auth

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/amr-tui/amr-tui/emulator"
)

// errRecorder is a testing.TB that records Errorf calls instead of failing.
type errRecorder struct {
	testing.TB
	errs []string
}

func (r *errRecorder) Helper()                   {}
func (r *errRecorder) Errorf(f string, a ...any) { r.errs = append(r.errs, fmt.Sprintf(f, a...)) }

// TestGuardsFailTheTest: the transports the tests give auth fail the test on a request that
// leaves loopback, rather than turning it into an error a failure test would accept.
func TestGuardsFailTheTest(t *testing.T) {
	e := startEntra(t, emulator.EntraOptions{})
	for name, rt := range map[string]func(testing.TB) policy.Transporter{
		"emuOptions": func(tb testing.TB) policy.Transporter { return emuOptions(tb, e).Transport },
		"guardWrap": func(tb testing.TB) policy.Transporter {
			return guardWrap(tb)(http.DefaultTransport).(emulator.LoopbackGuard)
		},
	} {
		rec := &errRecorder{TB: t}
		req, _ := http.NewRequest(http.MethodGet, "https://192.0.2.1/token", nil) // TEST-NET-1: never reached
		_, err := rt(rec).Do(req)
		var blocked *emulator.BlockedRequestError
		if !errors.As(err, &blocked) {
			t.Errorf("%s: request not refused: %v", name, err)
		}
		if len(rec.errs) != 1 {
			t.Errorf("%s: the test was told %d times about the refused request, want once: %q", name, len(rec.errs), rec.errs)
		}
	}
}

// TestBaseTransportKeepsGuard: when http.DefaultTransport is a loopback guard (as in tests and
// the demo), the transport auth builds for authority_ca_file keeps that guard, with the TLS
// configuration applied to the transport inside it.
func TestBaseTransportKeepsGuard(t *testing.T) {
	setup(t)
	var blocked []string
	guard := emulator.LoopbackGuard{Next: http.DefaultTransport, OnBlocked: func(r *http.Request) { blocked = append(blocked, r.URL.Host) }}
	prev := http.DefaultTransport
	http.DefaultTransport = guard
	t.Cleanup(func() { http.DefaultTransport = prev })

	tc := &tls.Config{MinVersion: tls.VersionTLS13, ServerName: "marker"}
	rt := baseTransport(tc)
	g, ok := rt.(emulator.LoopbackGuard)
	if !ok {
		t.Fatalf("baseTransport dropped the guard: %T", rt)
	}
	inner := g.Next
	for {
		ig, ok := inner.(emulator.LoopbackGuard) // setup's guard, under ours
		if !ok {
			break
		}
		inner = ig.Next
	}
	if ht, ok := inner.(*http.Transport); !ok || ht.TLSClientConfig != tc {
		t.Errorf("innermost transport %T does not carry the TLS configuration", inner)
	}
	req, _ := http.NewRequest(http.MethodGet, "https://192.0.2.1/", nil)
	if _, err := rt.RoundTrip(req); err == nil || len(blocked) != 1 {
		t.Errorf("request to a non-loopback host: %v, guard told %d times", err, len(blocked))
	}

	// Without a guard it is a plain clone.
	http.DefaultTransport = &http.Transport{}
	if ht, ok := baseTransport(tc).(*http.Transport); !ok || ht.TLSClientConfig != tc {
		t.Errorf("plain default: %T", baseTransport(tc))
	}
}
