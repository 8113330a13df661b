package session

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// role is what a connection is used for; each role has its own go-redis client and pool.
type role uint8

const (
	rolePool role = iota
	roleConsole
	rolePubSub
)

// registry knows every live connection the session's clients opened and which token each one
// last sent in AUTH or HELLO … AUTH. go-redis exposes neither its pool's connections nor
// their credentials, so the session's dialer wraps each net.Conn and recognises those two
// commands as they are written; this is how a re-AUTH round knows when every connection —
// idle ones included — holds the new token, and how tests check it.
type registry struct {
	mu     sync.Mutex
	conns  map[*trackedConn]struct{}
	tokens map[string]uint64 // recent token values → generation
	order  []string
}

const rememberedTokens = 4

func newRegistry() *registry {
	return &registry{conns: make(map[*trackedConn]struct{}), tokens: make(map[string]uint64)}
}

// remember records a token value under its generation (the oldest beyond a few is forgotten).
func (r *registry) remember(value string, gen uint64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.tokens[value]; !ok {
		r.order = append(r.order, value)
	}
	r.tokens[value] = gen
	for len(r.order) > rememberedTokens {
		delete(r.tokens, r.order[0])
		r.order = r.order[1:]
	}
}

func (r *registry) genOf(password []byte) uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.tokens[string(password)]
}

func (r *registry) add(c *trackedConn) {
	r.mu.Lock()
	r.conns[c] = struct{}{}
	r.mu.Unlock()
}

func (r *registry) remove(c *trackedConn) {
	r.mu.Lock()
	delete(r.conns, c)
	r.mu.Unlock()
}

// stale counts live connections of a role (and address, if not empty) whose last AUTH used
// a token older than gen.
func (r *registry) stale(ro role, addr string, gen uint64) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for c := range r.conns {
		if c.role == ro && (addr == "" || c.addr == addr) && c.gen.Load() < gen {
			n++
		}
	}
	return n
}

// describeStale says, for diagnostics, how long ago the stale connections were dialled
// and last used.
func (r *registry) describeStale(ro role, addr string, gen uint64) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := time.Now()
	var parts []string
	for c := range r.conns {
		if c.role == ro && (addr == "" || c.addr == addr) && c.gen.Load() < gen {
			parts = append(parts, fmt.Sprintf("dialled %v ago, last write %v ago, last read %v ago",
				now.Sub(c.dialed).Round(time.Millisecond),
				now.Sub(time.Unix(0, c.writes.Load())).Round(time.Millisecond),
				now.Sub(time.Unix(0, c.reads.Load())).Round(time.Millisecond)))
		}
	}
	return strings.Join(parts, "; ")
}

// evictStale closes the quiet stale connections of a role and address (see evictIfQuiet)
// and returns how many it closed.
func (r *registry) evictStale(ro role, addr string, gen uint64, quiet time.Duration) int {
	r.mu.Lock()
	var stale []*trackedConn
	for c := range r.conns {
		if c.role == ro && (addr == "" || c.addr == addr) && c.gen.Load() < gen {
			stale = append(stale, c)
		}
	}
	r.mu.Unlock()
	n := 0
	for _, c := range stale {
		if c.evictIfQuiet(quiet) {
			n++
		}
	}
	return n
}

func (r *registry) counts(gen uint64) Connections {
	r.mu.Lock()
	defer r.mu.Unlock()
	var n Connections
	for c := range r.conns {
		switch c.role {
		case rolePool:
			n.Pool++
		case roleConsole:
			n.Console++
		case rolePubSub:
			n.PubSub++
		}
		if c.gen.Load() < gen {
			n.Stale++
		}
	}
	return n
}

// dialer returns a go-redis Dialer for one role: TCP (and TLS when configured), each
// connection wrapped for the registry.
func (r *registry) dialer(ro role, timeout time.Duration, tlsCfg *tls.Config) func(context.Context, string, string) (net.Conn, error) {
	if timeout == 0 {
		timeout = 5 * time.Second
	}
	nd := &net.Dialer{Timeout: timeout, KeepAlive: 5 * time.Minute}
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		var (
			c   net.Conn
			err error
		)
		if tlsCfg != nil {
			td := &tls.Dialer{NetDialer: nd, Config: tlsCfg}
			c, err = td.DialContext(ctx, network, addr)
		} else {
			c, err = nd.DialContext(ctx, network, addr)
		}
		if err != nil {
			return nil, err
		}
		tc := &trackedConn{Conn: c, reg: r, role: ro, addr: addr, dialed: time.Now()}
		r.add(tc)
		if _, ok := c.(syscall.Conn); ok {
			// Plain TCP: keep go-redis's idle-connection health check (it peeks the socket
			// through syscall.Conn), which notices connections the server closed.
			return &trackedSysConn{tc}, nil
		}
		return tc, nil
	}
}

// trackedConn is a net.Conn that records which token it last authenticated with.
type trackedConn struct {
	net.Conn
	reg    *registry
	role   role
	addr   string
	gen    atomic.Uint64
	closed atomic.Bool
	dialed time.Time
	reads  atomic.Int64 // unix nanoseconds of the last read (after data) and write (before)
	writes atomic.Int64

	wmu     sync.Mutex // serialises writes with evictIfQuiet
	evicted bool
}

// errEvicted fails a write on a connection the session closed because it still held an
// expiring token; nothing was sent, so go-redis retries the command on another connection
// (it retries io.EOF).
var errEvicted = fmt.Errorf("session: connection closed before its token expired: %w", io.EOF)

func (c *trackedConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.reads.Store(time.Now().UnixNano())
	}
	return n, err
}

// evictIfQuiet closes the connection if no command is in flight on it — its last read came
// after its last write, at least quiet ago — and reports whether it did. It is the last
// resort for a connection the re-AUTH sweep cannot reach before its token expires, when the
// server would close it anyway.
func (c *trackedConn) evictIfQuiet(quiet time.Duration) bool {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.evicted {
		return true
	}
	lr, lw := c.reads.Load(), c.writes.Load()
	if lr < lw || time.Since(time.Unix(0, lr)) < quiet {
		return false
	}
	c.evicted = true
	c.reg.remove(c)
	_ = c.Conn.Close()
	return true
}

func (c *trackedConn) Write(p []byte) (int, error) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.evicted {
		return 0, errEvicted
	}
	c.writes.Store(time.Now().UnixNano())
	if pw := authPassword(p); pw != nil {
		c.gen.Store(c.reg.genOf(pw))
	}
	return c.Conn.Write(p)
}

// SetDeadline, SetReadDeadline and SetWriteDeadline fail on an evicted connection with
// errEvicted too: go-redis sets a deadline before it writes a command, and the net package's
// own "use of closed network connection" is an error go-redis does not retry.
func (c *trackedConn) SetDeadline(t time.Time) error { return c.deadline(t, c.Conn.SetDeadline) }

// SetReadDeadline: see SetDeadline.
func (c *trackedConn) SetReadDeadline(t time.Time) error {
	return c.deadline(t, c.Conn.SetReadDeadline)
}

// SetWriteDeadline: see SetDeadline.
func (c *trackedConn) SetWriteDeadline(t time.Time) error {
	return c.deadline(t, c.Conn.SetWriteDeadline)
}

func (c *trackedConn) deadline(t time.Time, set func(time.Time) error) error {
	err := set(t)
	if err != nil && errors.Is(err, net.ErrClosed) {
		c.wmu.Lock()
		evicted := c.evicted
		c.wmu.Unlock()
		if evicted {
			return errEvicted
		}
	}
	return err
}

func (c *trackedConn) Close() error {
	if c.closed.CompareAndSwap(false, true) {
		c.reg.remove(c)
	}
	return c.Conn.Close()
}

type trackedSysConn struct{ *trackedConn }

// SyscallConn exposes the TCP socket for go-redis's health check.
func (c *trackedSysConn) SyscallConn() (syscall.RawConn, error) {
	return c.Conn.(syscall.Conn).SyscallConn()
}

// authPassword returns the password argument when p starts with an AUTH or HELLO … AUTH
// command in RESP (as go-redis writes every command: an array of bulk strings), else nil.
func authPassword(p []byte) []byte {
	if len(p) < 12 || p[0] != '*' {
		return nil
	}
	// Cheap test first: every command write passes through here.
	i := bytes.IndexByte(p[:min(len(p), 8)], '\n')
	if i < 0 {
		return nil
	}
	q := p[i+1:]
	if !hasPrefixFold(q, "$4\r\nauth\r\n") && !hasPrefixFold(q, "$5\r\nhello\r\n") {
		return nil
	}
	args, ok := parseArgs(p, 8)
	if !ok || len(args) < 2 {
		return nil
	}
	switch {
	case bytes.EqualFold(args[0], []byte("auth")):
		return args[len(args)-1]
	case bytes.EqualFold(args[0], []byte("hello")):
		for i := 1; i+2 < len(args); i++ {
			if bytes.EqualFold(args[i], []byte("auth")) {
				return args[i+2]
			}
		}
	}
	return nil
}

// parseArgs parses the first RESP array of bulk strings in p, up to limit elements.
func parseArgs(p []byte, limit int) ([][]byte, bool) {
	n, rest, ok := readLen(p[1:])
	if !ok || n < 1 || n > limit {
		return nil, false
	}
	args := make([][]byte, 0, n)
	for range n {
		if len(rest) == 0 || rest[0] != '$' {
			return nil, false
		}
		var l int
		l, rest, ok = readLen(rest[1:])
		if !ok || l < 0 || len(rest) < l+2 {
			return nil, false
		}
		args = append(args, rest[:l])
		rest = rest[l+2:]
	}
	return args, true
}

func readLen(p []byte) (int, []byte, bool) {
	i := bytes.Index(p, []byte("\r\n"))
	if i <= 0 || i > 10 {
		return 0, nil, false
	}
	n, err := strconv.Atoi(string(p[:i]))
	if err != nil {
		return 0, nil, false
	}
	return n, p[i+2:], true
}

func hasPrefixFold(p []byte, prefix string) bool {
	return len(p) >= len(prefix) && bytes.EqualFold(p[:len(prefix)], []byte(prefix))
}
