package emulator

import "net/http"

// Unwrap returns the transport the guard passes allowed requests to.
func (g LoopbackGuard) Unwrap() http.RoundTripper { return g.Next }

// Rewrap returns a copy of the guard (same OnBlocked) around another transport, so code that
// rebuilds a transport (auth adding a CA for a custom authority) keeps the guard in place.
func (g LoopbackGuard) Rewrap(next http.RoundTripper) http.RoundTripper {
	g.Next = next
	return g
}
