package emutest

import (
	"net/http"
	"testing"

	"github.com/amr-tui/amr-tui/emulator"
)

// GuardDefaultTransport replaces http.DefaultTransport for the duration of a test with an
// emulator.LoopbackGuard that fails the test on any request to a non-loopback host. Code that
// builds its own transport must wrap it in emulator.LoopbackGuard itself.
func GuardDefaultTransport(t testing.TB) {
	t.Helper()
	prev := http.DefaultTransport
	http.DefaultTransport = emulator.LoopbackGuard{
		Next: prev,
		OnBlocked: func(r *http.Request) {
			t.Errorf("test made an HTTP request to non-loopback host %s (%s %s)", r.URL.Host, r.Method, r.URL.Redacted())
		},
	}
	t.Cleanup(func() { http.DefaultTransport = prev })
}
