package emulator

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"net"
	"strconv"
	"sync"
	"time"
)

const (
	tlsHandshakeTimeout = 10 * time.Second
	ioBufferSize        = 32 << 10
)

// gateConn is one proxied client connection and its backend connection.
//
// Two goroutines serve it: pumpCommands reads client requests and is the only writer to the
// backend; pumpReplies reads backend replies and is the only writer to the client. The gate's own
// replies (NOAUTH, AUTH's +OK, WRONGPASS…) must come out in request order, after the replies to
// everything pipelined before them. Rather than predict how many replies each forwarded command
// produces — impossible under RESP2 pub/sub, MONITOR or CLIENT REPLY OFF — the gate sends the
// backend a sentinel (PING <nonce>) in place of the request it answers itself. The backend
// answers in order, so when the sentinel's echo comes back pumpReplies swaps in the gate's reply.
// The echo's shape also tells whether the backend connection is in RESP2 subscribe mode, where
// Redis refuses AUTH.
type gateConn struct {
	g      *Gate
	id     int64
	raw    net.Conn // the TCP connection; closing it ends everything on this connection
	client net.Conn // raw, or the TLS layer over it
	remote string
	nonce  string

	// Used only by pumpCommands.
	cr      commandReader
	bw      *bufio.Writer
	scratch []byte
	inMulti bool
	seq     uint64

	mu         sync.Mutex
	cancelDial context.CancelFunc
	backend    net.Conn
	authed     bool
	user       string
	expiresAt  time.Time
	protocol   int
	epoch      uint64 // bumped by RESET: AUTHs still in flight must not re-authenticate after it
	timer      *time.Timer
	timerGen   uint64
	pending    []*sentinel
	closed     bool

	// Used only by pumpReplies: the next backend frame answers a topology request (see
	// markTopology).
	rewriteNext topologyKind
}

// sentinel is a gate reply waiting for its place in the backend's reply stream.
type sentinel struct {
	id         string
	inMulti    bool   // sent as an unknown command, answered with an error naming it
	bulk       []byte // echo of PING <id> outside RESP2 subscribe mode
	subscribed []byte // echo of PING <id> in RESP2 subscribe mode
	frame      []byte // when set, the exact reply this entry stands for (a RESET's +RESET)
	// act runs in reply order; subscribed2 says the connection is in RESP2 subscribe mode. It
	// returns the reply to send, or nil for none.
	act        func(subscribed2 bool) []byte
	closeAfter bool
	// topology marks the sentinel sent just before a topology request (see markTopology).
	topology topologyKind
}

func newGateConn(g *Gate, raw net.Conn) *gateConn {
	var n [8]byte
	_, _ = rand.Read(n[:])
	return &gateConn{
		g:        g,
		id:       g.nextID.Add(1),
		raw:      raw,
		client:   raw,
		remote:   raw.RemoteAddr().String(),
		nonce:    "amr-gate-" + hex.EncodeToString(n[:]),
		protocol: 2,
	}
}

func (c *gateConn) serve() {
	defer c.g.wg.Done()
	defer c.g.unregister(c)
	defer c.teardown()

	if cfg := c.g.opts.TLS; cfg != nil {
		tc := tls.Server(c.raw, cfg)
		_ = c.raw.SetDeadline(time.Now().Add(tlsHandshakeTimeout))
		if err := tc.Handshake(); err != nil {
			return
		}
		_ = c.raw.SetDeadline(time.Time{})
		c.client = tc
	}
	// The dial is cancelled by teardown, so Close never waits out a slow backend.
	ctx, cancel := context.WithTimeout(context.Background(), backendDialTimeout)
	c.mu.Lock()
	c.cancelDial = cancel
	closed := c.closed
	c.mu.Unlock()
	if closed {
		cancel()
	}
	var d net.Dialer
	backend, err := d.DialContext(ctx, "tcp", c.g.opts.Backend)
	cancel()
	if err != nil {
		return // a proxy that cannot reach its backend drops the client
	}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		_ = backend.Close()
		return
	}
	c.backend = backend
	c.mu.Unlock()

	c.cr.r = bufio.NewReaderSize(c.client, ioBufferSize)
	c.bw = bufio.NewWriterSize(backend, ioBufferSize)
	replies := make(chan struct{})
	go func() {
		defer close(replies)
		c.pumpReplies(backend)
	}()
	if !c.pumpCommands() {
		c.teardown()
	}
	<-replies
}

// pumpCommands reads and dispatches client requests. It returns true when the connection is
// ending by itself (QUIT or a protocol error): pumpReplies then closes it once the last reply is
// out (see finish).
func (c *gateConn) pumpCommands() (ending bool) {
	for {
		if d := time.Duration(c.g.latency.Load()); d > 0 && c.cr.r.Buffered() == 0 {
			if _, err := c.cr.r.Peek(1); err == nil {
				time.Sleep(d) // the batch that just arrived has been on the wire this long
			}
		}
		cmd, err := c.cr.read(c.isAuthed())
		if err != nil {
			var pe *ProtocolError
			if errors.As(err, &pe) {
				c.finish(errorReply("ERR " + pe.Error()))
				_ = c.bw.Flush()
				return true
			}
			return false
		}
		if !c.dispatch(cmd) {
			_ = c.bw.Flush()
			return true
		}
		if c.cr.r.Buffered() == 0 {
			if err := c.bw.Flush(); err != nil {
				return false
			}
		}
	}
}

// finish queues the connection's last reply and makes sure the connection closes after it. The
// reply's sentinel echo closes it; but under CLIENT REPLY OFF or SKIP the backend echoes nothing
// (and redis-server itself would then never close the connection after QUIT). So the gate also
// sends RESET, which turns replies back on and always answers +RESET: that answer, which the
// client never sees, closes the connection when the echo did not come.
func (c *gateConn) finish(last []byte) {
	c.reply(last, true)
	c.expectReset(nil, true)
	c.forwardArgs([]byte("RESET"))
}

// dispatch handles one request; false means stop reading (QUIT).
func (c *gateConn) dispatch(cmd *command) bool {
	name := cmd.name()
	switch name {
	case "":
		// Redis ignores empty inline lines.
	case "AUTH":
		c.handleAuth(cmd.args[1:])
	case "HELLO":
		c.handleHello(cmd)
	case "QUIT":
		c.finish([]byte("+OK\r\n"))
		return false
	case "RESET":
		c.expectReset([]byte(resetReply), false) // the client's own RESET: passed through
		c.forward(cmd)
		c.inMulti = false
		c.reset()
	default:
		if !c.isAuthed() {
			c.reply(errorReply(msgNoAuth), false)
			return true
		}
		if c.g.opts.Topology != nil && !c.inMulti {
			if kind := topologyCommand(cmd); kind != topoNone {
				c.markTopology(kind)
			}
		}
		c.forward(cmd)
		switch name {
		case "MULTI":
			c.inMulti = true
		case "EXEC", "DISCARD":
			c.inMulti = false
		}
	}
	return true
}

// forward sends a request to the backend as the client sent it. Inline requests are re-encoded
// as multibulk (same arguments), because miniredis understands only multibulk.
func (c *gateConn) forward(cmd *command) {
	if cmd.inline {
		c.forwardArgs(cmd.args...)
		return
	}
	_, _ = c.bw.Write(cmd.raw)
}

// forwardArgs sends a request the gate rewrote.
func (c *gateConn) forwardArgs(args ...[]byte) {
	c.scratch = appendCommand(c.scratch[:0], args...)
	_, _ = c.bw.Write(c.scratch)
}

// reply queues a fixed gate reply in request order.
func (c *gateConn) reply(r []byte, closeAfter bool) {
	c.enqueue(func(bool) []byte { return r }, closeAfter)
}

// resetReply is Redis's answer to RESET, which it sends even under CLIENT REPLY OFF.
const resetReply = "+RESET\r\n"

// expectReset records, in reply order, a RESET about to be forwarded: its +RESET is replaced by
// out (nil: nothing). Every RESET gets one, so that the client's RESETs and the gate's own (see
// finish) are told apart by their place in the reply stream.
func (c *gateConn) expectReset(out []byte, closeAfter bool) {
	s := &sentinel{frame: []byte(resetReply), act: func(bool) []byte { return out }, closeAfter: closeAfter}
	c.mu.Lock()
	c.pending = append(c.pending, s)
	c.mu.Unlock()
}

// enqueue sends a sentinel whose act runs when its echo comes back from the backend.
func (c *gateConn) enqueue(act func(subscribed2 bool) []byte, closeAfter bool) {
	c.seq++
	id := c.nonce + "-" + strconv.FormatUint(c.seq, 10)
	s := &sentinel{id: id, inMulti: c.inMulti, act: act, closeAfter: closeAfter}
	if s.inMulti {
		// Inside MULTI a PING would only be QUEUED. An unknown command is refused at once, with
		// its name in the error, and — as Redis does with any command refused inside MULTI —
		// makes EXEC abort.
		c.scratch = appendCommand(c.scratch[:0], []byte(id))
	} else {
		s.bulk = appendBulk(nil, []byte(id))
		s.subscribed = append([]byte("*2\r\n$4\r\npong\r\n"), s.bulk...)
		c.scratch = appendCommand(c.scratch[:0], []byte("PING"), []byte(id))
	}
	c.mu.Lock()
	c.pending = append(c.pending, s)
	c.mu.Unlock()
	_, _ = c.bw.Write(c.scratch)
}

// pumpReplies copies backend replies to the client, substituting the gate's own replies for
// sentinel echoes.
func (c *gateConn) pumpReplies(backend net.Conn) {
	defer c.teardown()
	br := bufio.NewReaderSize(backend, ioBufferSize)
	cw := bufio.NewWriterSize(c.client, ioBufferSize)
	var frame []byte
	for {
		if cap(frame) > shrinkBufferAbove {
			frame = nil
		}
		frame = frame[:0]
		if err := readReply(br, &frame); err != nil {
			return // backend gone: drop the client, as a proxy does
		}
		out, closeAfter, backendFrame := c.resolve(frame)
		if backendFrame && c.g.opts.Topology != nil {
			out = c.rewriteFrame(out)
		}
		if _, err := cw.Write(out); err != nil {
			return
		}
		if closeAfter {
			_ = cw.Flush()
			return
		}
		if br.Buffered() == 0 {
			if err := cw.Flush(); err != nil {
				return
			}
		}
	}
}

// resolve returns what the client should get for a backend reply; backendFrame says it is the
// backend's own reply rather than the gate's.
func (c *gateConn) resolve(frame []byte) (out []byte, closeAfter, backendFrame bool) {
	c.mu.Lock()
	if len(c.pending) == 0 {
		c.mu.Unlock()
		return frame, false, true
	}
	idx, subscribedEcho := -1, false
	for i, s := range c.pending {
		if ok, sub := s.matches(frame); ok {
			idx, subscribedEcho = i, sub
			break
		}
	}
	if idx < 0 {
		c.mu.Unlock()
		return frame, false, true
	}
	done := append([]*sentinel(nil), c.pending[:idx+1]...)
	c.pending = append(c.pending[:0], c.pending[idx+1:]...)
	c.mu.Unlock()

	// Earlier sentinels whose echoes never came had their replies suppressed (CLIENT REPLY
	// OFF/SKIP); Redis suppresses the real reply the same way but still runs the command.
	for i, s := range done {
		if s.topology != topoNone {
			if i == idx { // a swallowed echo must not mark whatever comes next
				c.rewriteNext = s.topology
			}
			continue
		}
		r := s.act(i == idx && subscribedEcho && c.currentProtocol() == 2)
		if i == idx {
			out = r
		}
		closeAfter = closeAfter || s.closeAfter
	}
	return out, closeAfter, false
}

// matches reports whether frame is s's echo and, if so, whether it is the RESP2 subscribe-mode
// form. (miniredis answers PING with that form in RESP3 too, hence the protocol check in resolve.)
func (s *sentinel) matches(frame []byte) (ok, subscribed bool) {
	if s.frame != nil {
		return bytes.Equal(frame, s.frame), false
	}
	if s.inMulti {
		return len(frame) < 1024 && frame[0] == '-' && bytes.Contains(frame, []byte(s.id)), false
	}
	switch {
	case bytes.Equal(frame, s.bulk):
		return true, false
	case bytes.Equal(frame, s.subscribed):
		return true, true
	}
	return false, false
}

// teardown closes both connections; it reports whether this call did it.
func (c *gateConn) teardown() bool { return c.closeIf(nil) }

// closeIf closes both connections unless they are closed already or cond (called with c.mu
// held) says no; it reports whether it closed them.
func (c *gateConn) closeIf(cond func() bool) bool {
	c.mu.Lock()
	if c.closed || (cond != nil && !cond()) {
		c.mu.Unlock()
		return false
	}
	c.closed = true
	c.stopTimerLocked()
	backend := c.backend
	if c.cancelDial != nil {
		c.cancelDial()
	}
	c.mu.Unlock()
	// Closing the TCP connection (not the TLS layer) never blocks on a peer that stopped
	// reading; the client sees EOF, as when AMR drops an expired connection.
	_ = c.raw.Close()
	if backend != nil {
		_ = backend.Close()
	}
	return true
}

func (c *gateConn) isAuthed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.authed
}

func (c *gateConn) currentProtocol() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.protocol
}

func (c *gateConn) currentEpoch() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.epoch
}

func (c *gateConn) setProtocol(epoch uint64, proto int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if proto != 0 && epoch == c.epoch {
		c.protocol = proto
	}
}

// authenticate makes user the connection's identity until expiresAt (zero: no expiry),
// replacing any earlier identity and expiry timer. It does nothing if a RESET came in between.
func (c *gateConn) authenticate(epoch uint64, user string, expiresAt time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed || epoch != c.epoch {
		return
	}
	c.authed, c.user, c.expiresAt = true, user, expiresAt
	c.stopTimerLocked()
	if !expiresAt.IsZero() {
		gen := c.timerGen
		c.timer = time.AfterFunc(time.Until(expiresAt), func() { c.expire(gen) })
	}
}

// reset is RESET: the connection is back to unauthenticated RESP2, as on a server where the
// default user needs a password.
func (c *gateConn) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epoch++
	c.authed, c.user, c.expiresAt, c.protocol = false, "", time.Time{}, 2
	c.stopTimerLocked()
}

func (c *gateConn) stopTimerLocked() {
	c.timerGen++
	if c.timer != nil {
		c.timer.Stop()
		c.timer = nil
	}
}

// expire closes the connection when the token it authenticated with runs out, unless a newer
// AUTH replaced that token's timer in the meantime.
func (c *gateConn) expire(gen uint64) {
	if c.closeIf(func() bool { return gen == c.timerGen }) {
		c.g.closedForExpiry.Add(1)
	}
}

func (c *gateConn) info() LiveConn {
	c.mu.Lock()
	defer c.mu.Unlock()
	return LiveConn{ID: c.id, User: c.user, RemoteAddr: c.remote, ExpiresAt: c.expiresAt, Protocol: c.protocol}
}
