package emulator

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// GateOptions configure an AMR gate.
type GateOptions struct {
	// Backend is the address of the backend Redis (embedded miniredis or a real redis-server).
	// The backend needs no authentication: the gate is the only way in.
	Backend string
	// Verifier checks Entra access tokens; nil means every token is refused.
	Verifier TokenVerifier
	// AccessKeys are optional static users (username → password), like an access key or an ACL
	// password. "default" is the user for one-argument AUTH. Such connections never expire.
	AccessKeys map[string]string
	// TLS serves the gate over TLS when set; nil means plaintext.
	TLS *tls.Config
	// Addr is the listen address; "127.0.0.1:0" when empty.
	Addr string
	// Topology, for a gate in front of a cluster node, maps the nodes' own addresses to their
	// gates': the gate rewrites CLUSTER SLOTS, SHARDS, NODES and REPLICAS replies and MOVED and
	// ASK errors with it, so that clients only ever see gates, as with AMR's proxies.
	Topology *ClusterAddrs
	// Latency delays every batch of requests a client sends by this much before it is
	// forwarded: a network round trip to the cache, for benchmarks (0: none).
	Latency time.Duration
}

// GateStats is a snapshot of a gate's counters and live connections.
type GateStats struct {
	AuthOK          int64 // successful AUTH / HELLO AUTH, first or re-authentication
	AuthFailed      int64 // AUTH / HELLO AUTH answered with WRONGPASS
	ClosedForExpiry int64 // connections closed because their token expired
	Accepted        int64 // client connections accepted
	Live            []LiveConn
}

// LiveConn describes one open client connection.
type LiveConn struct {
	ID         int64
	User       string    // "" until authenticated
	RemoteAddr string    // the client's address
	ExpiresAt  time.Time // when the connection is closed unless re-authenticated; zero = never
	Protocol   int       // 2 or 3, as negotiated with HELLO
}

// Gate is a RESP proxy that behaves like Azure Managed Redis with Microsoft Entra ID: clients
// must AUTH with an object ID and a valid access token (or an access key), and a connection
// whose token expires without a newer AUTH is closed. Each client connection gets its own
// backend connection; everything the gate does not need to interpret passes through unchanged.
//
// What the gate answers itself, with Redis's exact texts:
//   - before authentication, everything but AUTH, HELLO … AUTH, QUIT and RESET gets NOAUTH
//     (HELLO without AUTH gets Redis's HELLO-specific NOAUTH);
//   - AUTH [user] token and HELLO proto AUTH user token succeed when the verifier accepts the
//     token and user is its oid, or the pair is an access key; otherwise WRONGPASS. AUTH is
//     answered +OK by the gate; HELLO reaches the backend without its AUTH part, so the client
//     gets the backend's own HELLO reply and protocol switch;
//   - a re-AUTH replaces the connection's token and expiry; a failed one leaves both as they
//     were; in RESP2 subscribe mode AUTH is refused as Redis refuses it. RESET makes the
//     connection unauthenticated again; QUIT is answered +OK and the connection closed after
//     every earlier reply, and so is a malformed request, with Redis's protocol error. Unlike
//     redis-server, the gate closes the connection then even under CLIENT REPLY OFF or SKIP
//     (without sending the suppressed reply).
//
// Deviations worth knowing: AUTH inside MULTI is refused (Redis would queue it) and aborts the
// transaction; inline requests reach the backend re-encoded as multibulk; and the gate's own
// replies are ordered by PING sentinels it sends the backend (see gateConn), and a connection
// that ends by QUIT or a protocol error sends the backend a RESET; MONITOR and INFO
// commandstats on the backend show both.
type Gate struct {
	opts GateOptions
	ln   net.Listener

	nextID          atomic.Int64
	authOK          atomic.Int64
	authFailed      atomic.Int64
	closedForExpiry atomic.Int64
	accepted        atomic.Int64
	latency         atomic.Int64 // GateOptions.Latency, changeable with SetLatency

	mu     sync.Mutex
	conns  map[int64]*gateConn
	closed bool
	wg     sync.WaitGroup
}

// backendDialTimeout bounds how long a new client waits for the backend before it is dropped.
const backendDialTimeout = 5 * time.Second

// StartGate listens on opts.Addr and serves until Close.
func StartGate(opts GateOptions) (*Gate, error) {
	if opts.Backend == "" {
		return nil, errors.New("emulator gate: no backend address")
	}
	if opts.Addr == "" {
		opts.Addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("emulator gate: listening on %s: %w", opts.Addr, err)
	}
	g := &Gate{opts: opts, ln: ln, conns: make(map[int64]*gateConn)}
	g.latency.Store(int64(opts.Latency))
	g.wg.Add(1)
	go g.acceptLoop()
	return g, nil
}

// SetLatency changes GateOptions.Latency for every connection, from its next request on.
func (g *Gate) SetLatency(d time.Duration) { g.latency.Store(int64(d)) }

// Addr returns the address the gate listens on (host:port).
func (g *Gate) Addr() string { return g.ln.Addr().String() }

// Close stops accepting, drops every client connection and waits until all of the gate's
// goroutines have finished.
func (g *Gate) Close() error {
	g.mu.Lock()
	already := g.closed
	g.closed = true
	g.mu.Unlock()
	var err error
	if !already {
		err = g.ln.Close()
	}
	g.CloseAll()
	g.wg.Wait()
	return err
}

// CloseAll drops every client connection at once, as a network blip or a failover would. The
// gate keeps accepting new connections.
func (g *Gate) CloseAll() {
	g.mu.Lock()
	conns := make([]*gateConn, 0, len(g.conns))
	for _, c := range g.conns {
		conns = append(conns, c)
	}
	g.mu.Unlock()
	for _, c := range conns {
		c.teardown()
	}
}

// Stats returns the gate's counters and its live connections, ordered by ID.
func (g *Gate) Stats() GateStats {
	s := GateStats{
		AuthOK:          g.authOK.Load(),
		AuthFailed:      g.authFailed.Load(),
		ClosedForExpiry: g.closedForExpiry.Load(),
		Accepted:        g.accepted.Load(),
	}
	g.mu.Lock()
	for _, c := range g.conns {
		s.Live = append(s.Live, c.info())
	}
	g.mu.Unlock()
	sort.Slice(s.Live, func(i, j int) bool { return s.Live[i].ID < s.Live[j].ID })
	return s
}

func (g *Gate) acceptLoop() {
	defer g.wg.Done()
	for {
		raw, err := g.ln.Accept()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return // listener closed
		}
		g.accepted.Add(1)
		c := newGateConn(g, raw)
		if !g.register(c) {
			_ = raw.Close()
			return
		}
		g.wg.Add(1)
		go c.serve()
	}
}

// register adds c to the live set; false once the gate is closed.
func (g *Gate) register(c *gateConn) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return false
	}
	g.conns[c.id] = c
	return true
}

func (g *Gate) unregister(c *gateConn) {
	g.mu.Lock()
	delete(g.conns, c.id)
	g.mu.Unlock()
}
