package session

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/amr-tui/amr-tui/rediscli"
)

// rawConn is a dedicated connection that speaks RESP itself, shared by Scanner and Console:
// dialled with the session's tracked dialer and TLS settings (counted under
// Connections.Console), authenticated with the current token, moved to the session's
// current database, and re-AUTHed between two commands. Its owner serialises every use.
type rawConn struct {
	s    *Session
	what string // named in connection errors: "SCAN", "the console"
	addr string // the node to dial; "" for the profile's endpoint
	// proto 3 sends HELLO 3 (with the AUTH) on every connection dialled; else RESP2 and AUTH.
	proto int
	gen   uint64 // the generation of the token the connection last authenticated with

	conn net.Conn // nil until the first command and after a broken connection
	r    *bufio.Reader
	wbuf []byte // the command being written
}

// replyError is an error reply from Redis (-ERR …, -NOPERM …). It satisfies go-redis's
// redis.Error, so the session's error explanations and checks treat it like go-redis's own.
type replyError string

func (e replyError) Error() string { return string(e) }

// RedisError marks the error as a reply from the server, not a connection failure.
func (replyError) RedisError() {}

// roundTrip writes wbuf and reads the reply with read. bounded adds the session's read and
// write timeouts to ctx's deadline (a console command is bounded by its ctx alone: BLPOP 0
// waits as long as it must). A connection failure (or ctx ending) closes the connection; an
// error reply (replyError) leaves it usable.
func (rc *rawConn) roundTrip(ctx context.Context, bounded bool, read func() error) error {
	c := rc.s.cfg
	var deadline time.Time // zero: none
	if bounded && c.ReadTimeout >= 0 && c.WriteTimeout >= 0 {
		deadline = time.Now().Add(timeoutOr(c.WriteTimeout) + timeoutOr(c.ReadTimeout))
	}
	if dl, ok := ctx.Deadline(); ok && (deadline.IsZero() || dl.Before(deadline)) {
		deadline = dl
	}
	conn := rc.conn
	_ = conn.SetDeadline(deadline)
	// Cancellation interrupts a blocked read or write by moving the deadline to the past.
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	var err error
	if len(rc.wbuf) > 0 { // empty: only the next reply is read (Console.Next)
		_, err = conn.Write(rc.wbuf)
	}
	if err == nil {
		err = read()
	}
	cancelled := !stop() // AfterFunc ran (or is running): the deadline may be in the past
	if err == nil && !cancelled {
		return nil
	}
	var re replyError
	if errors.As(err, &re) && !cancelled {
		return explain(err)
	}
	rc.drop()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return fmt.Errorf("session: %s on %s: %w", rc.what, rc.target(), err)
}

// target is the address dial connects to.
func (rc *rawConn) target() string {
	if rc.addr != "" {
		return rc.addr
	}
	return rc.s.cfg.Addr()
}

// timeoutOr is go-redis's reading of a read or write timeout: 0 means its default, 3 s.
func timeoutOr(d time.Duration) time.Duration {
	if d == 0 {
		return 3 * time.Second
	}
	return d
}

// dial opens the connection to target and authenticates it with the current token (and
// selects the session's current database), as go-redis does for a pooled connection. TLS
// verifies the profile's host name whichever node is dialled, as the cluster client does.
func (rc *rawConn) dial(ctx context.Context) error {
	c := rc.s.cfg
	user, pass, err := rc.s.provider.credentials(ctx)
	if err != nil {
		return err
	}
	addr := rc.target()
	conn, err := rc.s.reg.dialer(roleConsole, c.DialTimeout, c.TLSConfig())(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("session: connecting to %s: %w", addr, err)
	}
	rc.conn, rc.r = conn, bufio.NewReaderSize(conn, 64<<10)
	if rc.proto == 3 {
		err = rc.hello3(ctx, user, pass)
	} else if pass != "" || user != "" {
		err = rc.auth(ctx, user, pass)
	}
	if err != nil {
		rc.drop()
		var re replyError
		if errors.As(err, &re) {
			return loginError{err: err, reply: re}
		}
		return err
	}
	rc.gen = rc.genOf(pass)
	// The session's database, not the configured one: SelectDB may have moved it.
	if db := rc.s.DB(); db != 0 {
		rc.wbuf = appendCommand(rc.wbuf[:0], "SELECT", strconv.Itoa(db))
		if err := rc.roundTrip(ctx, true, rc.readOK); err != nil {
			rc.drop()
			return fmt.Errorf("SELECT %d: %w", db, err)
		}
	}
	return nil
}

// hello3 switches the connection to RESP3, authenticating in the same command when there
// are credentials (HELLO 3 AUTH user pass, "default" for a token without a username).
func (rc *rawConn) hello3(ctx context.Context, user, pass string) error {
	args := []string{"HELLO", "3"}
	if pass != "" || user != "" {
		if user == "" {
			user = "default"
		}
		args = append(args, "AUTH", user, pass)
	}
	rc.wbuf = appendCommand(rc.wbuf[:0], args...)
	err := rc.roundTrip(ctx, true, func() error {
		r, err := rediscli.NewReader(rc.r).ReadReply()
		if err == nil && r.IsError() {
			return replyError(r.Str)
		}
		return err
	})
	rc.wbuf = rc.wbuf[:0] // the token does not linger in the buffer
	return err
}

// authCurrent sends AUTH with the session's current token, between two commands.
func (rc *rawConn) authCurrent(ctx context.Context) error {
	user, pass, err := rc.s.provider.credentials(ctx)
	if err != nil {
		return err
	}
	if err := rc.auth(ctx, user, pass); err != nil {
		return err
	}
	rc.gen = rc.genOf(pass)
	return nil
}

// genOf is the generation of the token pass was taken from. The token manager counts a new
// token before the provider hands it out, so a password that is not the newest token's is
// from an older generation: the connection is then stale and the next command re-AUTHs it.
func (rc *rawConn) genOf(pass string) uint64 {
	tok, gen := rc.s.tm.current()
	if tok.Value != pass {
		return gen - 1
	}
	return gen
}

// stale reports whether the session has a newer token than the connection sent.
func (rc *rawConn) stale() bool {
	_, gen := rc.s.tm.current()
	return rc.conn != nil && gen > rc.gen
}

func (rc *rawConn) auth(ctx context.Context, user, pass string) error {
	if user != "" {
		rc.wbuf = appendCommand(rc.wbuf[:0], "AUTH", user, pass)
	} else {
		rc.wbuf = appendCommand(rc.wbuf[:0], "AUTH", pass)
	}
	err := rc.roundTrip(ctx, true, rc.readOK)
	rc.wbuf = rc.wbuf[:0] // the token does not linger in the buffer
	return err
}

// reauth sends AUTH with the session's current token between two commands. An error reply (Redis refused the token) is
// counted as failed and leaves the connection in place; a broken connection is dropped and
// reported as lost, for the next command to dial with the new token.
func (rc *rawConn) reauth(ctx context.Context) (done, failed int, lost bool, err error) {
	if rc.conn == nil {
		return 0, 0, false, nil
	}
	if err := rc.authCurrent(ctx); err != nil {
		if rc.conn != nil {
			return 0, 1, false, err
		}
		return 0, 0, true, nil
	}
	return 1, 0, false, nil
}

func (rc *rawConn) drop() {
	if rc.conn != nil {
		_ = rc.conn.Close()
		rc.conn, rc.r = nil, nil
	}
}

// appendCommand appends args as a RESP array of bulk strings.
func appendCommand(b []byte, args ...string) []byte {
	b = append(b, '*')
	b = strconv.AppendInt(b, int64(len(args)), 10)
	b = append(b, '\r', '\n')
	for _, a := range args {
		b = appendBulk(b, a)
	}
	return b
}

func appendBulk(b []byte, a string) []byte {
	b = append(b, '$')
	b = strconv.AppendInt(b, int64(len(a)), 10)
	b = append(b, '\r', '\n')
	b = append(b, a...)
	return append(b, '\r', '\n')
}

var errProtocol = errors.New("unexpected reply")

// line reads one reply line, without its CRLF. The slice is valid until the next read.
func (rc *rawConn) line() ([]byte, error) {
	l, err := rc.r.ReadSlice('\n')
	if err != nil {
		if errors.Is(err, bufio.ErrBufferFull) {
			return nil, errProtocol
		}
		return nil, err
	}
	if len(l) < 3 || l[len(l)-2] != '\r' {
		return nil, errProtocol
	}
	return l[:len(l)-2], nil
}

// readOK reads a +status reply; an error reply is returned as replyError.
func (rc *rawConn) readOK() error {
	l, err := rc.line()
	if err != nil {
		return err
	}
	switch l[0] {
	case '+':
		return nil
	case '-':
		return replyError(l[1:])
	}
	return fmt.Errorf("%w %q", errProtocol, l)
}
