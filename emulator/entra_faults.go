package emulator

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Endpoint names a group of fake Entra routes for fault injection and counters.
type Endpoint string

// The fake Entra's endpoints.
const (
	EndpointDiscovery  Endpoint = "discovery"  // GET /{tenant}/v2.0/.well-known/openid-configuration
	EndpointToken      Endpoint = "token"      // POST /{tenant}/oauth2/v2.0/token
	EndpointDeviceCode Endpoint = "devicecode" // POST /{tenant}/oauth2/v2.0/devicecode, GET /devicelogin
	EndpointMSI        Endpoint = "msi"        // GET /msi/token (App Service)
	EndpointJWKS       Endpoint = "jwks"       // GET /{tenant}/discovery/v2.0/keys
	EndpointCLI        Endpoint = "cli"        // the fake az and azd
	EndpointUnknown    Endpoint = "unknown"    // any other route (answered 404)
)

// injectedFailure is a pending FailNext.
type injectedFailure struct {
	remaining int
	status    int
	code      string
	desc      string
}

// faults is the fault-injection state; Entra.mu guards it.
type faults struct {
	counts      map[Endpoint]int64
	latency     map[Endpoint]time.Duration
	failures    map[Endpoint]*injectedFailure
	downUntil   time.Time
	downForever bool
}

func newFaults() faults {
	return faults{
		counts:   map[Endpoint]int64{},
		latency:  map[Endpoint]time.Duration{},
		failures: map[Endpoint]*injectedFailure{},
	}
}

// FailNext makes the next n requests to ep fail with status and an error body shaped like
// real Entra's: code is an AADSTS code such as "AADSTS7000215" (or a bare OAuth error name),
// description its text. The MSI endpoint answers in the App Service shape; the fake CLIs
// print the error to stderr and exit 1. A later call replaces a pending one; n <= 0 clears it.
func (e *Entra) FailNext(ep Endpoint, n int, status int, code, description string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if n <= 0 {
		delete(e.faults.failures, ep)
		return
	}
	e.faults.failures[ep] = &injectedFailure{remaining: n, status: status, code: code, desc: description}
}

// SetLatency delays every answer of ep by d (0 removes the delay). A client that gives up
// first sees its own timeout.
func (e *Entra) SetLatency(ep Endpoint, d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if d <= 0 {
		delete(e.faults.latency, ep)
		return
	}
	e.faults.latency[ep] = d
}

// GoDown makes every endpoint reset its connections for d from now, as an unreachable Entra
// would. GoDown(0) brings it back at once.
func (e *Entra) GoDown(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.faults.downForever = false
	e.faults.downUntil = time.Now().Add(d)
}

// SetDown takes every endpoint down (true) until SetDown(false) or GoDown(0).
func (e *Entra) SetDown(down bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.faults.downForever = down
	e.faults.downUntil = time.Time{}
}

// Requests is how many requests ep has received, failed ones included.
func (e *Entra) Requests(ep Endpoint) int64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.faults.counts[ep]
}

// admission is what the fault layer decided for one request.
type admission struct {
	down    bool
	latency time.Duration
	fail    *injectedFailure // a copy, nil when the request proceeds
	closed  <-chan struct{}  // the Entra's shutdown signal
}

// admit counts the request and consumes any injected failure.
func (e *Entra) admit(ep Endpoint) admission {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.faults.counts[ep]++
	a := admission{
		down:    e.faults.downForever || time.Now().Before(e.faults.downUntil),
		latency: e.faults.latency[ep],
		closed:  e.closed,
	}
	if a.down {
		return a
	}
	if f := e.faults.failures[ep]; f != nil {
		cp := *f
		a.fail = &cp
		if f.remaining--; f.remaining <= 0 {
			delete(e.faults.failures, ep)
		}
	}
	return a
}

// admitRequest runs a request to ep through the fault layer: it is counted, then dropped while
// Entra is down, delayed by any latency, or answered with an injected failure. It reports
// whether the request may go on to its handler; when false, the answer (if any) is written.
func (e *Entra) admitRequest(w http.ResponseWriter, r *http.Request, ep Endpoint) bool {
	adm := e.admit(ep)
	if adm.down {
		resetConnection(w)
		return false
	}
	if !adm.wait(r) {
		return false
	}
	if adm.fail != nil {
		e.writeInjected(w, ep, adm.fail)
		return false
	}
	return true
}

// wait sleeps for the injected latency; false means the client went away.
func (a admission) wait(r *http.Request) bool {
	if a.latency <= 0 {
		return true
	}
	t := time.NewTimer(a.latency)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	case <-a.closed:
		return false
	}
}

// resetConnection drops the client's TCP connection with a RST, the way an unreachable or
// crashing server looks to a client.
func resetConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		http.Error(w, "service unavailable", http.StatusServiceUnavailable)
		return
	}
	c, _, err := hj.Hijack()
	if err != nil {
		return
	}
	raw := c
	if tc, ok := c.(*tls.Conn); ok {
		raw = tc.NetConn() // skip close_notify: an abrupt reset, not a clean TLS shutdown
	}
	if tcp, ok := raw.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = raw.Close()
}

// aadstsNumber turns "AADSTS7000215" into 7000215 (0 when code is not an AADSTS code).
func aadstsNumber(code string) int {
	n, err := strconv.Atoi(strings.TrimPrefix(strings.ToUpper(code), "AADSTS"))
	if err != nil || !strings.HasPrefix(strings.ToUpper(code), "AADSTS") {
		return 0
	}
	return n
}

// oauthErrorFor picks the OAuth error name real Entra pairs with an AADSTS code.
func oauthErrorFor(code string, status int) string {
	if aadstsNumber(code) == 0 && code != "" {
		return code // a bare OAuth error such as "temporarily_unavailable"
	}
	switch aadstsNumber(code) {
	case 7000215, 7000218, 700027, 700024, 700021, 7000222:
		return "invalid_client"
	case 700016:
		return "unauthorized_client"
	case 90002:
		return "invalid_tenant"
	case 500011:
		return "invalid_resource"
	case 70000, 70008, 700082:
		return "invalid_grant"
	case 1002012, 70011:
		return "invalid_scope"
	}
	switch {
	case status == http.StatusUnauthorized:
		return "invalid_client"
	case status == http.StatusTooManyRequests || status >= 500:
		return "temporarily_unavailable"
	}
	return "invalid_request"
}

// writeInjected answers with an injected failure in the shape of ep.
func (e *Entra) writeInjected(w http.ResponseWriter, ep Endpoint, f *injectedFailure) {
	msg := f.desc
	if f.code != "" {
		msg = f.code + ": " + f.desc
	}
	switch ep {
	case EndpointMSI:
		writeMSIError(w, f.status, msg)
	case EndpointCLI:
		writeCLIFailure(w, 1, "ERROR: "+msg)
	default:
		e.writeAADError(w, f.status, oauthErrorFor(f.code, f.status), aadstsNumber(f.code), f.desc)
	}
}

// writeAADError writes an error the way login.microsoftonline.com does, description prefixed
// with the AADSTS code and followed by trace and correlation IDs.
func (e *Entra) writeAADError(w http.ResponseWriter, status int, oauthErr string, code int, desc string) {
	now := time.Now().UTC()
	trace, corr := newGUID(), newGUID()
	full := desc
	if code != 0 {
		full = fmt.Sprintf("AADSTS%d: %s", code, desc)
	}
	full += fmt.Sprintf(" Trace ID: %s Correlation ID: %s Timestamp: %s", trace, corr, now.Format("2006-01-02 15:04:05Z"))
	body := map[string]any{
		"error":             oauthErr,
		"error_description": full,
		"error_codes":       []int{},
		"timestamp":         now.Format("2006-01-02 15:04:05Z"),
		"trace_id":          trace,
		"correlation_id":    corr,
	}
	if code != 0 {
		body["error_codes"] = []int{code}
		body["error_uri"] = fmt.Sprintf("%serror?code=%d", e.AuthorityHost(), code)
	}
	writeJSON(w, status, body)
}
