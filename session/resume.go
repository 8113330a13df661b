package session

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/amr-tui/amr-tui/rediscli"
)

// ErrReplyLost is returned (wrapped with the cause) by a resuming console when the
// connection failed after the command was written: the server may or may not have run it,
// so the console does not send it again; the caller decides (a read-only command is safe to
// resend). The next command runs on a new connection.
var ErrReplyLost = errors.New("the connection was lost after the command was sent, so its reply is lost and it may have run")

// ErrTxAborted is returned by a resuming console for the command that finds the connection
// lost inside a MULTI (that command is not sent): closing a connection makes the server
// discard its transaction, so nothing queued ran. The commands that follow, up to EXEC or
// DISCARD, belong to the lost transaction; sending them on the new connection would run
// them one by one, outside any transaction, so the caller must not.
var ErrTxAborted = errors.New("the connection was lost inside MULTI: the server discarded the transaction, nothing queued ran")

// Resumed describes a connection a resuming console replaced before sending a command.
type Resumed struct {
	Cause    error    // why the old connection was given up
	Addr     string   // the node the new connection went to
	Restored []string // the connection state sent again, as commands ("SELECT 2")
}

// resumeState is the connection state a resuming console carries over to a new connection:
// what the user's own commands set on the old one.
type resumeState struct {
	on      bool
	limit   time.Duration // bounds the reconnect attempts; 0: the token's lifetime
	notify  func(Resumed)
	db      int  // the database the user's SELECT moved to
	dbSet   bool // a SELECT (or RESET) of the user's was answered
	name    string
	wasConn bool  // a connection was open once: a later dial is a reconnect
	cause   error // why the last connection was dropped, for Resumed
	txLost  bool  // the connection was lost inside MULTI (see ErrTxAborted)
}

// trackResume follows the commands whose effect a new connection must repeat.
func (c *Console) trackResume(args []string, reply rediscli.Reply) {
	if !c.res.on || reply.IsError() {
		return
	}
	switch strings.ToLower(args[0]) {
	case "select":
		if len(args) == 2 {
			if n, err := strconv.Atoi(args[1]); err == nil {
				c.res.db, c.res.dbSet = n, true
			}
		}
	case "reset":
		c.res.db, c.res.dbSet, c.res.name = 0, true, ""
	case "client":
		if len(args) == 3 && strings.EqualFold(args[1], "setname") {
			c.res.name = args[2]
		}
	case "hello":
		for i := 2; i+1 < len(args); i++ {
			if strings.EqualFold(args[i], "setname") {
				c.res.name = args[i+1]
			}
		}
	}
}

// loseConn gives up the connection with cause, remembering whether a transaction went with it.
func (c *Console) loseConn(cause error) {
	if c.conn != nil {
		c.drop()
	}
	c.res.txLost = c.res.txLost || c.inTx
	c.res.cause = cause
	c.addr, c.inTx = "", false
}

// resumeBeforeSend prepares a resuming console to send: a connection the server closed while
// idle is dropped (the check reads nothing), and a dropped one is replaced, with the user's
// connection state restored. It returns ErrTxAborted once for a transaction lost with the
// connection.
func (c *Console) resumeBeforeSend(ctx context.Context) error {
	if c.conn != nil {
		if err := c.rawConn.peerClosed(); err != nil {
			c.loseConn(err)
		}
	}
	if c.lost {
		c.lost = false
		c.res.txLost = c.res.txLost || c.inTx
		if c.res.cause == nil {
			c.res.cause = errors.New("a re-AUTH found the connection closed")
		}
	}
	if c.res.txLost {
		c.res.txLost = false
		return ErrTxAborted
	}
	if c.conn != nil || !c.res.wasConn {
		return nil
	}
	return c.reconnect(ctx)
}

// reconnect dials until a connection is up (backing off from 50 ms to 5 s between attempts,
// for at most the limit: the option, else the token's lifetime and at least a minute) and
// restores the user's SELECT, CLIENT SETNAME and HELLO 3 on it.
func (c *Console) reconnect(ctx context.Context) error {
	limit := c.res.limit
	if limit <= 0 {
		tok, _ := c.s.tm.current()
		limit = max(time.Minute, time.Until(tok.ExpiresOn))
	}
	deadline := time.Now().Add(limit)
	wait := 50 * time.Millisecond
	cause := c.res.cause
	for attempt := 1; ; attempt++ {
		restored, err := c.redialRestoring(ctx)
		if err == nil {
			c.res.cause = nil
			if c.res.notify != nil {
				c.res.notify(Resumed{Cause: cause, Addr: c.target(), Restored: restored})
			}
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var re replyError
		if errors.As(err, &re) && !errors.As(err, new(loginError)) {
			// The server refused to restore the state (SELECT out of range on a new node…):
			// running the script elsewhere than it asked would be worse than stopping.
			return fmt.Errorf("session: %s on %s: reconnected, but could not restore the connection's state: %w", c.what, c.target(), err)
		}
		if time.Now().Add(wait).After(deadline) {
			return fmt.Errorf("session: %s on %s: connection lost (%v); gave up reconnecting after %d attempts in %s: %w",
				c.what, c.target(), cause, attempt, limit.Round(time.Second), err)
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return ctx.Err()
		}
		wait = min(2*wait, 5*time.Second)
	}
}

// redialRestoring dials and sends the state commands; it returns them as shown to the user.
func (c *Console) redialRestoring(ctx context.Context) ([]string, error) {
	dctx, cancel := context.WithTimeout(ctx, timeoutOr(c.s.cfg.DialTimeout)+timeoutOr(c.s.cfg.ReadTimeout))
	defer cancel()
	if err := c.dial(dctx); err != nil {
		return nil, err
	}
	c.rd, c.inTx = rediscli.NewReader(c.r), false
	var cmds [][]string
	if c.userResp3 && c.proto != 3 {
		cmds = append(cmds, []string{"HELLO", "3"})
	}
	if c.res.dbSet && c.res.db != c.s.DB() {
		cmds = append(cmds, []string{"SELECT", strconv.Itoa(c.res.db)})
	}
	if c.res.name != "" {
		cmds = append(cmds, []string{"CLIENT", "SETNAME", c.res.name})
	}
	shown := make([]string, 0, len(cmds))
	for _, args := range cmds {
		c.wbuf = rediscli.AppendCommand(c.wbuf[:0], args)
		var reply rediscli.Reply
		err := c.roundTrip(dctx, true, func() error {
			var err error
			reply, err = c.rd.ReadReply()
			return err
		})
		if err == nil && reply.IsError() {
			err = replyError(reply.Str)
			c.drop()
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", strings.Join(args, " "), err)
		}
		shown = append(shown, rediscli.JoinArgs(args))
	}
	return shown, nil
}

// exchangeResuming is Exchange on a resuming console: a command that could not be sent
// because the connection was gone is sent on a new one; one written before the connection
// failed is not sent again (ErrReplyLost), nor is one of a lost transaction (ErrTxAborted).
func (c *Console) exchangeResuming(ctx context.Context, args []string) (pushes []rediscli.Reply, reply rediscli.Reply, err error) {
	for attempt := 1; ; attempt++ {
		if err := c.resumeBeforeSend(ctx); err != nil {
			return nil, rediscli.Reply{}, err
		}
		if err := c.reauthIfStale(ctx); err != nil {
			if c.conn != nil || attempt == 3 || ctx.Err() != nil {
				return nil, rediscli.Reply{}, err
			}
			c.loseConn(err) // the AUTH found the connection broken: the command was not sent
			continue
		}
		inTx := c.inTx
		pushes, reply, err = c.exchangeLocked(ctx, args)
		if err == nil || ctx.Err() != nil || deadlinePassed(ctx, err) {
			// A reply that did not come within the caller's deadline is the caller's
			// timeout, not a lost connection (the read deadline can fire a moment before
			// ctx reports it).
			return pushes, reply, err
		}
		c.res.txLost = false
		switch {
		case inTx && !strings.EqualFold(args[0], "exec"):
			// Queued or not, the command dies with the transaction the server discards.
			return pushes, rediscli.Reply{}, fmt.Errorf("%w (%v)", ErrTxAborted, err)
		case c.cmdWrote:
			return pushes, rediscli.Reply{}, fmt.Errorf("%w: %w", ErrReplyLost, err)
		case attempt == 3:
			return pushes, rediscli.Reply{}, err
		}
		// Not written: resumeBeforeSend replaces the connection and the command goes there.
	}
}

// deadlinePassed reports whether err is a read or write timeout of a command whose ctx has a
// deadline, now past.
func deadlinePassed(ctx context.Context, err error) bool {
	var ne interface{ Timeout() bool }
	d, ok := ctx.Deadline()
	return ok && errors.As(err, &ne) && ne.Timeout() && !time.Now().Before(d)
}
