package session

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/amr-tui/amr-tui/rediscli"
)

// Stream is a SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE or MONITOR running on a console's connection,
// kept alive until Close across token rotations and dropped connections:
//
//   - a new token is sent in place (AUTH on the streaming connection) whenever the protocol
//     allows it: in RESP3 (pushes and the AUTH reply are told apart by type) and during
//     MONITOR (the +OK is not a timestamped line). A RESP2 subscription is therefore run in
//     RESP3 on the wire (HELLO 3 before SUBSCRIBE) and its pushes given back as the arrays
//     RESP2 would have sent: the output is the same, and the connection never has to be
//     replaced for a token, so no message is lost or repeated at a rotation;
//   - a connection that breaks anyway (a server restart, a network failure) is replaced: the
//     stream dials again with the current token, resends the command and hides the repeated
//     confirmations. Messages published while no connection was subscribed are lost; the
//     OnReconnect callback says when that happened.
//
// MONITOR lines of the stream's own AUTH (Redis shows them redacted) are not given back.
type Stream struct {
	c         *Console
	args      []string
	monitor   bool
	upgraded  bool // HELLO 3 was sent for the stream: pushes go back as arrays
	prevProto int  // the console's protocol before the upgrade
	inPlace   bool // AUTH can be sent on the streaming connection
	limit     time.Duration
	onRecon   func(error)

	out    chan streamItem
	done   chan struct{}
	wg     sync.WaitGroup
	wmu    sync.Mutex // serialises writes on the connection (AUTH) with reconnects
	mu     sync.Mutex
	closed bool
	auths  []chan error     // AUTHs sent whose replies have not arrived, oldest first
	early  []rediscli.Reply // messages read by redial among the confirmations
}

type streamItem struct {
	r   rediscli.Reply
	err error
}

// StreamOptions adapt a stream to its caller.
type StreamOptions struct {
	// ReconnectLimit bounds the attempts to replace a broken connection; 0: the token's
	// lifetime (at least a minute).
	ReconnectLimit time.Duration
	// OnReconnect, if set, is told (from the stream's goroutine) that the connection broke with
	// err and a new one now carries the stream.
	OnReconnect func(err error)
}

// IsStreaming reports whether the server goes on sending after the reply to args, as after
// SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE and MONITOR.
func IsStreaming(args []string) bool {
	if len(args) == 0 {
		return false
	}
	switch strings.ToLower(args[0]) {
	case "subscribe", "psubscribe", "ssubscribe", "monitor":
		return true
	}
	return false
}

// ErrStreaming refuses a console command while the console carries a stream.
var ErrStreaming = errors.New("session: the console's connection is streaming (SUBSCRIBE or MONITOR) until the stream is closed")

// Stream sends a streaming command and returns the stream that reads what follows, with the
// pushes that came before the command's first reply and that reply. An error reply (or a
// non-streaming command) returns no stream. While the stream runs, the console takes no other
// command; closing the stream closes the console's connection (the next command dials anew).
func (c *Console) Stream(ctx context.Context, args []string, o StreamOptions) (*Stream, []rediscli.Reply, rediscli.Reply, error) {
	if !IsStreaming(args) {
		return nil, nil, rediscli.Reply{}, fmt.Errorf("session: %s does not stream", args[0])
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil, nil, rediscli.Reply{}, ErrClosed
	}
	if c.stream != nil {
		return nil, nil, rediscli.Reply{}, ErrStreaming
	}
	st := &Stream{c: c, args: args, monitor: strings.EqualFold(args[0], "monitor"), limit: o.ReconnectLimit,
		onRecon: o.OnReconnect, out: make(chan streamItem, 256), done: make(chan struct{})}
	if err := c.reauthIfStale(ctx); err != nil {
		return nil, nil, rediscli.Reply{}, err
	}
	st.inPlace = st.monitor || c.resp3()
	if !st.inPlace && !c.inTx {
		// RESP3 on the wire, so the token can be renewed in place; the caller still sees RESP2.
		prevProto := c.proto
		st.prevProto = prevProto
		c.proto = 3
		if c.conn != nil {
			_, r, err := c.send(ctx, []string{"HELLO", "3"}, nil)
			if err != nil {
				c.proto = prevProto
				c.drop()
				return nil, nil, rediscli.Reply{}, err
			}
			if r.IsError() { // a server without RESP3: the stream reconnects at expiry instead
				c.proto = prevProto
			}
		}
		st.upgraded, st.inPlace = c.proto == 3, c.proto == 3
	}
	pushes, reply, err := c.exchangeLocked(ctx, args)
	if err != nil || reply.IsError() {
		return nil, st.downgrade(pushes), st.convert(reply), err
	}
	c.stream = st
	st.wg.Add(1)
	go st.run()
	return st, st.downgrade(pushes), st.convert(reply), nil
}

// resp3 reports whether the console's connection speaks RESP3 (-3, or the user's HELLO 3).
func (c *Console) resp3() bool { return c.proto == 3 || c.userResp3 }

// Next returns the next message, or the error that ended the stream; it waits until one
// comes or ctx ends (which leaves the stream running).
func (st *Stream) Next(ctx context.Context) (rediscli.Reply, error) {
	select {
	case it, ok := <-st.out:
		if !ok {
			return rediscli.Reply{}, ErrClosed
		}
		return it.r, it.err
	case <-st.done:
		return rediscli.Reply{}, ErrClosed
	case <-ctx.Done():
		return rediscli.Reply{}, ctx.Err()
	}
}

// Close ends the stream and closes its connection.
func (st *Stream) Close() error {
	st.mu.Lock()
	if st.closed {
		st.mu.Unlock()
		return nil
	}
	st.closed = true
	close(st.done)
	st.mu.Unlock()
	st.wmu.Lock()
	c := st.c
	c.mu.Lock()
	c.drop()
	c.stream = nil
	if st.upgraded {
		c.proto = st.prevProto
	}
	c.mu.Unlock()
	st.wmu.Unlock()
	st.wg.Wait()
	return nil
}

func (st *Stream) isClosed() bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.closed
}

// run reads the connection and hands every message to Next; a broken connection is replaced.
func (st *Stream) run() {
	defer st.wg.Done()
	c := st.c
	for {
		st.wmu.Lock()
		conn, rd := c.conn, c.rd
		st.wmu.Unlock()
		if conn == nil {
			if !st.reconnect(errors.New("not connected")) {
				return
			}
			continue
		}
		_ = conn.SetReadDeadline(time.Time{})
		r, err := rd.ReadReply()
		if err != nil {
			if st.isClosed() {
				return
			}
			if !st.reconnect(err) {
				return
			}
			for _, r := range st.early {
				if !st.emit(streamItem{r: st.convert(r)}) {
					return
				}
			}
			continue
		}
		if st.authReply(r) || (st.monitor && st.ownAuthLine(r, conn.LocalAddr().String())) {
			continue
		}
		if !st.emit(streamItem{r: st.convert(r)}) {
			return
		}
	}
}

func (st *Stream) emit(it streamItem) bool {
	select {
	case st.out <- it:
		return true
	case <-st.done:
		return false
	}
}

// authReply takes the reply to an AUTH the stream sent: in RESP3 the one reply that is not a
// push; during MONITOR +OK or an error (every MONITOR line is a status with a timestamp).
func (st *Stream) authReply(r rediscli.Reply) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	if len(st.auths) == 0 {
		return false
	}
	if st.monitor && !(r.Kind == rediscli.KindError || r.Kind == rediscli.KindStatus && r.Str == "OK") {
		return false
	}
	if !st.monitor && r.Kind == rediscli.KindPush {
		return false
	}
	ch := st.auths[0]
	st.auths = st.auths[1:]
	if r.IsError() {
		ch <- replyError(r.Str)
	} else {
		ch <- nil
	}
	return true
}

// ownAuthLine is a MONITOR line showing the stream's own AUTH (sent from local).
func (st *Stream) ownAuthLine(r rediscli.Reply, local string) bool {
	if r.Kind != rediscli.KindStatus {
		return false
	}
	_, rest, ok := strings.Cut(r.Str, " [")
	if !ok {
		return false
	}
	who, cmd, ok := strings.Cut(rest, "] ")
	if !ok || !strings.HasPrefix(cmd, `"AUTH"`) && !strings.HasPrefix(cmd, `"auth"`) {
		return false
	}
	_, addr, _ := strings.Cut(who, " ")
	return addr == local
}

// convert gives a push back as the array RESP2 would have sent when the stream chose RESP3.
func (st *Stream) convert(r rediscli.Reply) rediscli.Reply {
	if st.upgraded && r.Kind == rediscli.KindPush {
		r.Kind = rediscli.KindArray
	}
	return r
}

func (st *Stream) downgrade(rs []rediscli.Reply) []rediscli.Reply {
	for i := range rs {
		rs[i] = st.convert(rs[i])
	}
	return rs
}

// failAuths answers every AUTH in flight when its connection is gone.
func (st *Stream) failAuths(err error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	for _, ch := range st.auths {
		ch <- err
	}
	st.auths = nil
}

// reauth sends AUTH with the current token on the streaming connection and waits for its
// reply (or ctx). A stream that cannot be re-AUTHed in place counts as failed: its server
// closes it at expiry and the stream reconnects.
func (st *Stream) reauth(ctx context.Context) (done, failed int, err error) {
	if !st.inPlace {
		return 0, 1, errors.New("a RESP2 subscription on a server without RESP3 cannot take a new token; it reconnects when the server closes it")
	}
	user, pass, err := st.c.s.provider.credentials(ctx)
	if err != nil {
		return 0, 1, err
	}
	ch := make(chan error, 1)
	st.wmu.Lock()
	c := st.c
	conn := c.conn
	if conn == nil || st.isClosed() {
		st.wmu.Unlock()
		return 0, 0, nil // the reconnect dials with the current token
	}
	args := []string{"AUTH", pass}
	if user != "" {
		args = []string{"AUTH", user, pass}
	}
	buf := appendCommand(nil, args...)
	st.mu.Lock()
	st.auths = append(st.auths, ch)
	st.mu.Unlock()
	_ = conn.SetWriteDeadline(time.Now().Add(timeoutOr(c.s.cfg.WriteTimeout)))
	_, werr := conn.Write(buf)
	clear(buf)
	st.wmu.Unlock()
	if werr != nil {
		_ = conn.Close() // the reader reconnects
		return 0, 0, nil
	}
	select {
	case err := <-ch:
		if err != nil {
			var re replyError
			if errors.As(err, &re) {
				return 0, 1, explain(err)
			}
			return 0, 0, nil // the connection broke: the reconnect uses the new token
		}
		st.wmu.Lock()
		c.gen = c.genOf(pass)
		st.wmu.Unlock()
		return 1, 0, nil
	case <-ctx.Done():
		return 0, 1, ctx.Err()
	case <-st.done:
		return 0, 0, nil
	}
}

// fastReconnect is how long a stream retries a lost connection at short intervals before
// backing off.
const fastReconnect = 5 * time.Second

// reconnect replaces a broken connection: it dials with the current token, resends the
// command and hides its confirmations, backing off between attempts until the limit.
func (st *Stream) reconnect(cause error) bool {
	st.failAuths(cause)
	c := st.c
	limit := st.limit
	if limit <= 0 {
		tok, _ := c.s.tm.current()
		limit = max(time.Minute, time.Until(tok.ExpiresOn))
	}
	start := time.Now()
	deadline := start.Add(limit)
	wait := 50 * time.Millisecond
	for attempt := 1; ; attempt++ {
		// A dial that fails for want of a token is tried again the moment one arrives, not
		// after the backoff: every message published until then is lost.
		newTok := c.s.tm.installed()
		err := st.redial()
		if err == nil {
			if st.onRecon != nil {
				st.onRecon(cause)
			}
			return true
		}
		if st.isClosed() {
			return false
		}
		if time.Now().Add(wait).After(deadline) {
			st.emit(streamItem{err: fmt.Errorf("session: %s on %s: connection lost (%v); gave up reconnecting after %d attempts in %s: %w",
				strings.ToUpper(st.args[0]), c.target(), cause, attempt, limit.Round(time.Second), err)})
			return false
		}
		select {
		case <-time.After(wait):
			// A restart or failover is usually over within seconds, and every message
			// published between its end and the resubscription is lost: retry every
			// 100 ms during the first seconds, then back off.
			if time.Since(start) < fastReconnect {
				wait = 100 * time.Millisecond
			} else {
				wait = min(2*wait, 5*time.Second)
			}
		case <-newTok:
			wait = 50 * time.Millisecond
		case <-st.done:
			return false
		}
	}
}

// redial opens the replacement connection and resends the stream's command.
func (st *Stream) redial() error {
	c := st.c
	st.wmu.Lock()
	defer st.wmu.Unlock()
	if st.isClosed() {
		return ErrClosed
	}
	c.drop()
	ctx, cancel := context.WithTimeout(context.Background(), timeoutOr(c.s.cfg.DialTimeout)+timeoutOr(c.s.cfg.ReadTimeout))
	defer cancel()
	if err := c.dial(ctx); err != nil {
		return err
	}
	c.rd = rediscli.NewReader(c.r)
	want := 1 // MONITOR's +OK
	if !st.monitor {
		want = len(st.args) - 1 // one confirmation per channel or pattern
	}
	c.wbuf = rediscli.AppendCommand(c.wbuf[:0], st.args)
	st.early = st.early[:0]
	return c.roundTrip(ctx, true, func() error {
		for got := 0; got < want; {
			r, err := c.rd.ReadReply()
			if err != nil {
				return err
			}
			switch {
			case r.IsError():
				return replyError(r.Str)
			case st.monitor || rediscli.IsReplyTo(st.args, r) && r.Kind != rediscli.KindPush ||
				len(r.Elems) > 0 && strings.EqualFold(r.Elems[0].Str, st.args[0]):
				got++ // a confirmation the caller saw already
			default:
				st.early = append(st.early, r) // a message on a channel confirmed first
			}
		}
		return nil
	})
}
