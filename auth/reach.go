package auth

import (
	"errors"
	"net/http"
	"strings"
	"sync"
	"syscall"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// netFailures remembers the last transport failure of a credential's HTTP requests. azcore's
// retry policy returns only the caller's context error when the deadline passes between two
// attempts, so without it an Entra that resets every connection would be reported as "no
// token before the deadline".
type netFailures struct {
	mu   sync.Mutex
	seq  uint64 // bumped by every mark
	at   uint64 // seq when err was recorded
	last error
}

// mark starts a token request: failures recorded from now on belong to it. A nil
// netFailures records nothing.
func (n *netFailures) mark() uint64 {
	if n == nil {
		return 0 // a credential without HTTP (the CLIs) or built without a recorder
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	n.seq++
	return n.seq
}

func (n *netFailures) record(err error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.at, n.last = n.seq, err
}

// since returns the last transport failure recorded since mark, or nil.
func (n *netFailures) since(mark uint64) error {
	if n == nil {
		return nil
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.last == nil || n.at < mark {
		return nil
	}
	return n.last
}

// recordingTransport is a policy.Transporter that records failures to reach the server (not
// the caller giving up) in rec.
type recordingTransport struct {
	next policy.Transporter
	rec  *netFailures
}

func (t recordingTransport) Do(req *http.Request) (*http.Response, error) {
	resp, err := t.next.Do(req)
	if err != nil && req.Context().Err() == nil {
		t.rec.record(err)
	}
	return resp, err
}

// reachSummary names why an endpoint could not be reached from a transport error's text:
// "Entra unreachable (connection reset)", an untrusted certificate, a name that does not
// resolve. who is "Entra" or "the managed identity endpoint".
func reachSummary(err error, who string) (summary, fix string) {
	lower := strings.ToLower(err.Error())
	netFix := "check the network, proxy (HTTPS_PROXY) and firewall, and auth.authority"
	switch {
	case strings.Contains(lower, "x509:") || strings.Contains(lower, "certificate signed by unknown authority") || strings.Contains(lower, "tls:"):
		return "the identity endpoint's TLS certificate is not trusted",
			"set auth.authority_ca_file to the CA that signed the authority host's certificate (or fix the proxy that intercepts TLS)"
	case strings.Contains(lower, "no such host"):
		return "the identity endpoint's host name does not resolve", "check auth.authority and the machine's DNS"
	case strings.Contains(lower, "blocked non-loopback"):
		return "the request left loopback and was blocked", "point auth.authority (and IDENTITY_ENDPOINT) at the emulator"
	case errors.Is(err, syscall.ECONNRESET) || strings.Contains(lower, "connection reset"):
		return who + " unreachable (connection reset)", netFix
	case errors.Is(err, syscall.ECONNREFUSED) || strings.Contains(lower, "connection refused"):
		return who + " unreachable (connection refused)", netFix
	case strings.Contains(lower, "no route to host") || strings.Contains(lower, "network is unreachable"):
		return who + " unreachable (no route to the host)", netFix
	case strings.Contains(lower, "eof"):
		return who + " unreachable (the connection closed before an answer)", netFix
	case strings.Contains(lower, "timeout"):
		return who + " unreachable (no answer in time)", netFix
	}
	return "cannot reach the identity endpoint", netFix
}
