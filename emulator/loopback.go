package emulator

import (
	"fmt"
	"net"
	"net/http"
	"strings"
)

// LoopbackGuard is an http.RoundTripper that refuses any request whose host is not a loopback
// address (127.0.0.0/8, ::1, localhost), so that a test or the demo can never reach Azure or the
// instance metadata service (169.254.169.254) by accident.
type LoopbackGuard struct {
	// Next carries allowed requests; http.DefaultTransport when nil.
	Next http.RoundTripper
	// OnBlocked, when set, is told about every refused request (tests fail through it).
	OnBlocked func(*http.Request)
}

// BlockedRequestError is returned for a refused request. It is non-retriable, so azcore's retry
// policy gives up at once instead of retrying a request that can never be allowed.
type BlockedRequestError struct{ Host string }

func (e *BlockedRequestError) Error() string {
	return fmt.Sprintf("blocked non-loopback request to %s (tests and the emulator talk to loopback only)", e.Host)
}

// NonRetriable marks the error as final for azcore's retry policy.
func (e *BlockedRequestError) NonRetriable() {}

// RoundTrip implements http.RoundTripper.
func (g LoopbackGuard) RoundTrip(req *http.Request) (*http.Response, error) {
	if !IsLoopbackHost(req.URL.Hostname()) {
		if g.OnBlocked != nil {
			g.OnBlocked(req)
		}
		return nil, &BlockedRequestError{Host: req.URL.Host}
	}
	next := g.Next
	if next == nil {
		next = http.DefaultTransport
	}
	return next.RoundTrip(req)
}

// Do lets a LoopbackGuard serve as an azcore policy.Transporter.
func (g LoopbackGuard) Do(req *http.Request) (*http.Response, error) { return g.RoundTrip(req) }

// IsLoopbackHost reports whether host (no port) names a loopback address.
func IsLoopbackHost(host string) bool {
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
