package execrun

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/amr-tui/amr-tui/rediscli"
	"github.com/amr-tui/amr-tui/session"
)

// A lost connection does not end a script: the console (session.ConsoleOptions.Resume)
// sends each command not yet sent on a new connection with SELECT, CLIENT SETNAME and HELLO 3
// restored. What it cannot decide is left here: a command whose reply was lost is sent again
// only when it is read-only, and the commands of a transaction lost with its connection are
// never sent one by one.

// where names the command being run for a message: "line 214: SET" in a script.
func (r *Runner) where(args []string) string {
	name := strings.ToUpper(args[0])
	if r.cli.line > 0 {
		return fmt.Sprintf("line %d: %s", r.cli.line, name)
	}
	return name
}

// skipLostTx refuses a command that belongs to a transaction the server discarded when its
// connection was lost; EXEC or DISCARD ends the skipping. It reports whether args were skipped.
func (r *Runner) skipLostTx(args []string) bool {
	if !r.txLost {
		return false
	}
	r.failed = true
	switch strings.ToLower(args[0]) {
	case "exec", "discard":
		r.txLost = false
		fmt.Fprintf(discardIfNil(r.ErrOut), "amr-tui: %s: not sent: the transaction it ends was discarded when the connection was lost; none of its commands ran\n", r.where(args))
	default:
		fmt.Fprintf(discardIfNil(r.ErrOut), "amr-tui: %s: not sent: it belongs to a transaction discarded when the connection was lost (sending it now would run it outside the transaction)\n", r.where(args))
	}
	return true
}

// lost handles a command the console could not complete because the connection was lost:
// retry tells the caller to send it again (a read-only command whose reply was lost); done
// means it is reported and the script goes on; otherwise err ends the run.
func (r *Runner) lost(ctx context.Context, args []string, err error) (retry bool, rerr error) {
	switch {
	case errors.Is(err, session.ErrTxAborted):
		r.failed = true
		name := strings.ToLower(args[0])
		if name != "exec" && name != "discard" {
			r.txLost = true
		}
		fmt.Fprintf(discardIfNil(r.ErrOut), "amr-tui: %s: not sent: %v; the lines up to its EXEC or DISCARD are not sent either\n", r.where(args), err)
		return false, nil
	case errors.Is(err, session.ErrReplyLost):
		if r.resendable(args) {
			fmt.Fprintf(discardIfNil(r.ErrOut), "amr-tui: %s: the connection was lost before the reply; sent again on a new connection (it only reads)\n", r.where(args))
			return true, nil
		}
		r.failed = true
		fmt.Fprintf(discardIfNil(r.ErrOut), "amr-tui: %s: %v; not sent again (only read-only commands are)\n", r.where(args), unwrapCause(err))
		return false, nil
	}
	e := r.connError(ctx, args, err)
	if r.cli.line > 0 && ctx.Err() == nil {
		e = fmt.Errorf("line %d: %w", r.cli.line, e)
	}
	return false, e
}

// resendable reports whether args only read, by the read-only rule's table, so sending them
// twice changes nothing. EXEC is not: the transaction it ran may have written.
func (r *Runner) resendable(args []string) bool {
	if strings.EqualFold(args[0], "exec") || strings.EqualFold(args[0], "quit") {
		return false
	}
	t := r.Conn.table
	if t == nil {
		t = rediscli.EmbeddedTable()
	}
	return rediscli.ReadOnlyRefusal(args, t) == ""
}

// unwrapCause drops the "session: " prefixes of a wrapped connection error for a message.
func unwrapCause(err error) string {
	return strings.ReplaceAll(err.Error(), "session: ", "")
}

// sayResumed tells stderr which connection was replaced, and what state was sent again.
func (r *Runner) sayResumed(res session.Resumed) {
	at := ""
	if r.cli.line > 0 {
		at = fmt.Sprintf(" before line %d", r.cli.line)
	}
	restored := ""
	if len(res.Restored) > 0 {
		restored = " (restored: " + strings.Join(res.Restored, ", ") + ")"
	}
	cause := "it was closed"
	if res.Cause != nil {
		cause = unwrapCause(res.Cause)
	}
	fmt.Fprintf(discardIfNil(r.ErrOut), "amr-tui: connection lost (%s); resumed%s on a new connection to %s%s\n", cause, at, res.Addr, restored)
}
