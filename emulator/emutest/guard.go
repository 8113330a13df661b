package emutest

import (
	"net/http"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/amr-tui/amr-tui/emulator"
)

// Guard wraps next (http.DefaultTransport when nil) in an emulator.LoopbackGuard that fails the
// test, naming the host, on any request to a non-loopback host. The request itself fails too,
// with a non-retriable *emulator.BlockedRequestError. Use it wherever a test builds or wraps a
// transport, such as auth.Options.WrapTransport.
func Guard(t testing.TB, next http.RoundTripper) emulator.LoopbackGuard {
	return emulator.LoopbackGuard{Next: next, OnBlocked: failTest(t)}
}

func failTest(t testing.TB) func(*http.Request) {
	return func(r *http.Request) {
		t.Errorf("test made an HTTP request to non-loopback host %s (%s %s)", r.URL.Host, r.Method, r.URL.Redacted())
	}
}

// Transport is e.Transport() — it trusts e's CA and refuses non-loopback hosts — with a refused
// request also failing the test. Use it as azcore.ClientOptions.Transport.
func Transport(t testing.TB, e *emulator.Entra) policy.Transporter {
	return e.GuardedTransport(failTest(t))
}

// ClientOptions are e.ClientOptions() with Transport(t, e), so that a credential built from them
// fails the test if it ever reaches a non-loopback host.
func ClientOptions(t testing.TB, e *emulator.Entra) azcore.ClientOptions {
	o := e.ClientOptions()
	o.Transport = Transport(t, e)
	return o
}

// GuardDefaultTransport replaces http.DefaultTransport for the duration of a test with Guard,
// for code that sends requests through it (http.Get, a zero http.Client). azidentity never
// does: it has its own transport, so credentials in tests take ClientOptions or Transport.
func GuardDefaultTransport(t testing.TB) {
	t.Helper()
	prev := http.DefaultTransport
	http.DefaultTransport = Guard(t, prev)
	t.Cleanup(func() { http.DefaultTransport = prev })
}
