package emulator

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// FaultKind names a fault a running demo can be given from outside its process.
type FaultKind string

// The faults a demo accepts (see Demo.Inject).
const (
	FaultEntraDown        FaultKind = "entra-down"        // every Entra endpoint resets its connections
	FaultEntraSlow        FaultKind = "entra-slow"        // every Entra answer is delayed by Latency
	FaultEntraFail        FaultKind = "entra-fail"        // token requests fail with an AADSTS code
	FaultEntraUp          FaultKind = "entra-up"          // Entra back: no outage, delay or failure
	FaultCloseConnections FaultKind = "close-connections" // every gate drops every client connection
	FaultBackendRestart   FaultKind = "backend-restart"   // the Redis behind the gate restarts
)

// FaultKinds lists every FaultKind, in the order help shows them.
var FaultKinds = []FaultKind{FaultEntraDown, FaultEntraSlow, FaultEntraFail, FaultEntraUp,
	FaultCloseConnections, FaultBackendRestart}

// Fault is one fault to inject. Durations are Go duration strings ("30s") so the JSON reads
// as typed.
type Fault struct {
	Kind FaultKind `json:"kind"`
	// For bounds entra-down, entra-slow and entra-fail ("" or "0s": until entra-up), and is how
	// long backend-restart keeps the backend down ("": 1s).
	For string `json:"for,omitempty"`
	// Latency is entra-slow's delay.
	Latency string `json:"latency,omitempty"`
	// Code is entra-fail's AADSTS code ("AADSTS7000215") or OAuth error name, Status its HTTP
	// status (400 when 0) and Description its text.
	Code        string `json:"code,omitempty"`
	Status      int    `json:"status,omitempty"`
	Description string `json:"description,omitempty"`
}

// entraFaultEndpoints are the endpoints a client asks for tokens at: entra-fail and entra-slow
// apply to these (entra-slow to discovery and keys too).
var entraFaultEndpoints = []Endpoint{EndpointToken, EndpointMSI, EndpointCLI, EndpointDeviceCode}

// allEndpoints are every fake Entra endpoint.
var allEndpoints = []Endpoint{EndpointDiscovery, EndpointToken, EndpointDeviceCode, EndpointMSI,
	EndpointJWKS, EndpointCLI}

// parseFaultDuration reads one of Fault's durations; empty is def.
func parseFaultDuration(field, s string, def time.Duration) (time.Duration, error) {
	if s == "" {
		return def, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%s %q: want a duration such as 30s or 2m", field, s)
	}
	return d, nil
}

// Inject applies f to the running demo and says what it did, in a sentence. A fault with a
// For ends by itself; entra-up ends every Entra fault at once.
func (d *Demo) Inject(f Fault) (string, error) {
	span, err := parseFaultDuration("for", f.For, 0)
	if err != nil {
		return "", err
	}
	until := "until entra-up"
	if span > 0 {
		until = "for " + span.String()
	}
	switch f.Kind {
	case FaultEntraDown:
		if span > 0 {
			d.Entra.GoDown(span)
		} else {
			d.Entra.SetDown(true)
		}
		return "Entra is down (every request's connection is reset) " + until, nil
	case FaultEntraSlow:
		lat, err := parseFaultDuration("latency", f.Latency, 0)
		if err != nil {
			return "", err
		}
		if lat <= 0 {
			return "", errors.New("entra-slow needs a latency, e.g. --latency 5s")
		}
		for _, ep := range allEndpoints {
			d.Entra.SetLatency(ep, lat)
		}
		d.endEntraFault(span, func() {
			for _, ep := range allEndpoints {
				d.Entra.SetLatency(ep, 0)
			}
		})
		return fmt.Sprintf("every Entra answer is delayed by %s %s", lat, until), nil
	case FaultEntraFail:
		code := f.Code
		if code == "" {
			return "", errors.New("entra-fail needs an AADSTS code, e.g. AADSTS7000215")
		}
		status := f.Status
		if status == 0 {
			status = http.StatusBadRequest
		}
		if status < 400 || status > 599 {
			return "", fmt.Errorf("entra-fail status %d: want an HTTP error status (400-599)", status)
		}
		desc := f.Description
		if desc == "" {
			desc = "Injected by amr-tui demo fault."
		}
		for _, ep := range entraFaultEndpoints {
			d.Entra.FailNext(ep, math.MaxInt32, status, code, desc)
		}
		d.endEntraFault(span, func() {
			for _, ep := range entraFaultEndpoints {
				d.Entra.FailNext(ep, 0, 0, "", "")
			}
		})
		return fmt.Sprintf("every token request fails with %s (HTTP %d) %s", code, status, until), nil
	case FaultEntraUp:
		d.Entra.SetDown(false)
		for _, ep := range allEndpoints {
			d.Entra.SetLatency(ep, 0)
			d.Entra.FailNext(ep, 0, 0, "", "")
		}
		return "Entra is back: no outage, delay or injected failure", nil
	case FaultCloseConnections:
		n := d.closeAllConnections()
		return fmt.Sprintf("closed %d client connection(s) at the gate", n), nil
	case FaultBackendRestart:
		down, err := parseFaultDuration("for", f.For, time.Second)
		if err != nil {
			return "", err
		}
		switch {
		case d.miniredis != nil:
			if err := RestartEmbeddedBackend(d.miniredis, down); err != nil {
				return "", err
			}
		case d.redisServer != nil:
			if err := d.redisServer.Restart(context.Background(), down); err != nil {
				return "", err
			}
		default:
			return "", errors.New("backend-restart restarts the Redis the demo started; this demo fronts " +
				d.backendKind() + ", which it does not own: restart that yourself")
		}
		return fmt.Sprintf("the Redis behind the gate restarted (down %s, data kept)", down), nil
	}
	return "", fmt.Errorf("unknown fault %q: want one of %s", f.Kind, faultKindList())
}

func faultKindList() string {
	names := make([]string, len(FaultKinds))
	for i, k := range FaultKinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// endEntraFault runs undo after span (never when span is 0: the fault lasts until entra-up).
func (d *Demo) endEntraFault(span time.Duration, undo func()) {
	if span > 0 {
		time.AfterFunc(span, undo)
	}
}

func (d *Demo) backendKind() string {
	if d.Cluster != nil {
		return "a redis-server cluster"
	}
	return "the redis-server at " + d.Backend
}

// closeAllConnections drops every client connection of every gate and says how many there were.
func (d *Demo) closeAllConnections() int {
	gates := []*Gate{d.Gate}
	if d.Cluster != nil {
		gates = d.Cluster.Gates
	}
	n := 0
	for _, g := range gates {
		n += len(g.Stats().Live)
		g.CloseAll()
	}
	return n
}

// DemoStatus is what a demo's control endpoint reports: how many requests each Entra endpoint
// got (tokens issued and refused alike) and the gates' counters.
type DemoStatus struct {
	EntraRequests   map[Endpoint]int64 `json:"entra_requests"`
	AuthOK          int64              `json:"auth_ok"`
	AuthFailed      int64              `json:"auth_failed"`
	ClosedForExpiry int64              `json:"closed_for_expiry"`
	Accepted        int64              `json:"accepted"`
	Live            int                `json:"live"`
}

// Status returns the demo's counters.
func (d *Demo) Status() DemoStatus {
	s := DemoStatus{EntraRequests: map[Endpoint]int64{}}
	for _, ep := range allEndpoints {
		s.EntraRequests[ep] = d.Entra.Requests(ep)
	}
	var g GateStats
	if d.Cluster != nil {
		g = d.Cluster.Stats()
	} else {
		g = d.Gate.Stats()
	}
	s.AuthOK, s.AuthFailed, s.ClosedForExpiry, s.Accepted, s.Live = g.AuthOK, g.AuthFailed, g.ClosedForExpiry, g.Accepted, len(g.Live)
	return s
}

// Control is a demo's loopback control endpoint: POST {URL}fault with a Fault as JSON injects
// it, GET {URL}status returns DemoStatus. The URL carries a random secret, so only whoever read
// the demo's output can reach it.
type Control struct {
	URL string
	srv *http.Server
	wg  sync.WaitGroup
}

// ServeControl starts d's control endpoint on 127.0.0.1.
func (d *Demo) ServeControl() (*Control, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("emulator demo: control endpoint: %w", err)
	}
	secret := make([]byte, 16)
	if _, err := rand.Read(secret); err != nil {
		_ = ln.Close()
		return nil, err
	}
	prefix := "/" + hex.EncodeToString(secret) + "/"
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+prefix+"fault", func(w http.ResponseWriter, r *http.Request) {
		var f Fault
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&f); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "fault: " + err.Error()})
			return
		}
		did, err := d.Inject(f)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"done": did})
	})
	mux.HandleFunc("GET "+prefix+"status", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, d.Status())
	})
	c := &Control{URL: "http://" + ln.Addr().String() + prefix,
		srv: &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		_ = c.srv.Serve(ln)
	}()
	return c, nil
}

// Close stops the control endpoint.
func (c *Control) Close() {
	_ = c.srv.Close()
	c.wg.Wait()
}

// controlClient reaches a control endpoint; loopback only.
var controlClient = &http.Client{Transport: LoopbackGuard{}, Timeout: 30 * time.Second}

// InjectFault asks the demo whose control endpoint is url to apply f, and returns its answer.
func InjectFault(ctx context.Context, url string, f Fault) (string, error) {
	body, err := json.Marshal(f)
	if err != nil {
		return "", err
	}
	var ans struct{ Done, Error string }
	if err := controlCall(ctx, http.MethodPost, url, "fault", string(body), &ans); err != nil {
		return "", err
	}
	if ans.Error != "" {
		return "", errors.New(ans.Error)
	}
	return ans.Done, nil
}

// FetchStatus reads the counters of the demo whose control endpoint is url.
func FetchStatus(ctx context.Context, url string) (DemoStatus, error) {
	var s DemoStatus
	err := controlCall(ctx, http.MethodGet, url, "status", "", &s)
	return s, err
}

func controlCall(ctx context.Context, method, url, path, body string, out any) error {
	if !strings.HasSuffix(url, "/") {
		url += "/"
	}
	req, err := http.NewRequestWithContext(ctx, method, url+path, strings.NewReader(body))
	if err != nil {
		return fmt.Errorf("demo control endpoint %q: %w", url, err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := controlClient.Do(req)
	if err != nil {
		return fmt.Errorf("reaching the demo's control endpoint (is `amr-tui demo --serve` running, and is this its control URL?): %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return fmt.Errorf("the demo's control endpoint answered 404: the URL is not this demo's (copy \"control\" from its JSON line)")
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("the demo's control endpoint answered %s with no JSON: %w", resp.Status, err)
	}
	return nil
}
