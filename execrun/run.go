package execrun

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/rediscli"
	"github.com/amr-tui/amr-tui/session"
)

// Runner runs commands on a Conn and prints the replies as redis-cli does.
type Runner struct {
	Conn   *Conn
	Mode   rediscli.Mode
	Out    io.Writer
	ErrOut io.Writer
	// FromStdin is set when commands come from standard input (redis-cli's interactive mode).
	FromStdin bool
	// ShowPushes prints RESP3 pushes that arrive before a reply (redis-cli --show-pushes).
	ShowPushes bool
	// Terminal is set when Out is a terminal: control characters are then escaped.
	Terminal bool
	// cli is what redis-cli-like behaviour needs of the script (compat.go).
	cli cliState
	// failed is set by an error reply, an invalid line or a reply JSON cannot carry: exec
	// then exits with status 1 after running everything.
	failed bool
	// hinted holds the error codes already explained on stderr, so a script that meets the
	// same refusal many times explains it once.
	hinted map[string]bool
	// txLost: a MULTI was lost with its connection; its commands up to EXEC or DISCARD are
	// not sent (see skipLostTx).
	txLost bool
}

// Failed reports whether a reply was an error, a line was invalid, a command was refused or
// a reply could not be printed: exec then exits with status 1.
func (r *Runner) Failed() bool { return r.failed }

// Run runs one command and prints its reply (and, for a streaming command, every message
// after it until the connection ends or the context is cancelled).
func (r *Runner) Run(ctx context.Context, args []string) error {
	if r.skipLostTx(args) {
		return nil
	}
	if why := r.Conn.refusal(ctx, args); why != "" {
		r.failed = true
		fmt.Fprintf(discardIfNil(r.ErrOut), "amr-tui: profile %q: not sent: %s\n", r.Conn.p.Name, why)
		return nil
	}
	if isSubscribe(args) && r.Mode != rediscli.ModeRaw {
		// redis-cli announces subscribe mode before any reply, in every mode but --raw.
		if _, err := io.WriteString(r.Out, "Reading messages... (press Ctrl-C to quit)\n"); err != nil {
			return err
		}
	}
	var werr error
	r.Conn.redirected = func(to rediscli.Redirect) {
		if r.FromStdin && werr == nil {
			// redis-cli -c says so when it reads commands, whatever the output mode.
			_, werr = fmt.Fprintf(r.Out, "-> Redirected to slot [%s] located at %s:%d\n", to.Slot, to.Host, to.Port)
		}
	}
	r.Conn.resumed = r.sayResumed
	if isStreaming(args) {
		return r.stream(ctx, args, &werr)
	}
	for {
		pushes, reply, err := r.Conn.do(ctx, args)
		if werr != nil {
			return werr
		}
		if werr := r.printPushes(pushes); werr != nil {
			return werr
		}
		if err == nil {
			return r.print(args, reply)
		}
		retry, err := r.lost(ctx, args, err)
		if !retry {
			return err
		}
	}
}

// stream runs SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE or MONITOR on session's Stream, which renews
// the token in place and replaces a broken connection, and prints every message until Ctrl-C.
func (r *Runner) stream(ctx context.Context, args []string, werr *error) error {
	st, pushes, reply, err := r.Conn.c.Stream(ctx, args, session.StreamOptions{
		ReconnectLimit: r.Conn.timeout,
		OnReconnect: func(cause error) {
			fmt.Fprintf(discardIfNil(r.ErrOut), "amr-tui: %s: connection lost (%v); resumed on a new connection (messages sent meanwhile were not received)\n",
				strings.ToUpper(args[0]), cause)
		},
	})
	if *werr != nil {
		return *werr
	}
	if e := r.printPushes(pushes); e != nil {
		return e
	}
	if err != nil {
		return r.connError(ctx, args, err)
	}
	if e := r.print(args, reply); e != nil || st == nil {
		return e
	}
	defer st.Close()
	for {
		msg, err := st.Next(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil // Ctrl-C is how a stream ends
			}
			return r.connError(ctx, args, err)
		}
		if err := r.print(nil, msg); err != nil {
			return err
		}
	}
}

// connError says which command lost the connection, or that the user interrupted it.
func (r *Runner) connError(ctx context.Context, args []string, err error) error {
	name := "command"
	if len(args) > 0 {
		name = strings.ToUpper(args[0])
	}
	if ctx.Err() != nil {
		return fmt.Errorf("%s interrupted: %w", name, ctx.Err())
	}
	addr := r.Conn.c.Addr()
	var ne interface{ Timeout() bool }
	if errors.As(err, &ne) && ne.Timeout() {
		return fmt.Errorf("%s: no reply from %s within --timeout %s", name, addr, r.Conn.timeout)
	}
	if errors.Is(err, session.ErrConsoleReconnect) {
		return fmt.Errorf("%s: connection to %s lost between two commands; not sent", name, addr)
	}
	return fmt.Errorf("%s: connection to %s lost: %w", name, addr, err)
}

// print writes one reply as redis-cli would in r.Mode; an error reply marks the run failed.
func (r *Runner) print(args []string, reply rediscli.Reply) error {
	if reply.IsError() {
		r.failed = true
		r.hint(args, reply)
	}
	r.loginReply(args, reply)
	b, err := rediscli.Output(r.Mode, args, reply)
	if err != nil {
		r.failed = true
		name := "reply"
		if len(args) > 0 {
			name = strings.ToUpper(args[0]) + " reply"
		}
		fmt.Fprintf(discardIfNil(r.ErrOut), "amr-tui: %s: %v\n", name, err)
		return nil
	}
	return r.write(b)
}

// hint explains on stderr, once per code, an error reply that is about the login (NOAUTH,
// NOPERM, WRONGPASS): which identity was used and the likely fix. Standard output keeps
// redis-cli's exact text.
func (r *Runner) hint(args []string, reply rediscli.Reply) {
	code, _, _ := strings.Cut(reply.Str, " ")
	if code != "NOAUTH" && code != "NOPERM" && code != "WRONGPASS" || r.ownLoginHint(args, code) || r.hinted[code] {
		return
	}
	var ae *auth.Error
	if !errors.As(r.Conn.s.ExplainReply(reply.Str), &ae) {
		return
	}
	if r.hinted == nil {
		r.hinted = map[string]bool{}
	}
	r.hinted[code] = true
	fmt.Fprintf(discardIfNil(r.ErrOut), "amr-tui: profile %q: %s\n", r.Conn.p.Name, ae.Explain())
}

// Script runs the commands on in, one per line, as redis-cli does with a script on its
// standard input: each line split with redis-cli's quoting; a line that cannot be split prints
// "Invalid argument(s)" and the next line runs; a blank line is skipped; a leading count
// repeats the command ("3 INCR n"); quit or exit ends the script.
func (r *Runner) Script(ctx context.Context, in io.Reader) error {
	br := bufio.NewReader(in)
	for {
		line, rerr := br.ReadString('\n')
		if rerr != nil && !errors.Is(rerr, io.EOF) {
			return fmt.Errorf("reading commands from standard input: %w", rerr)
		}
		if line != "" {
			done, err := r.line(ctx, strings.TrimSuffix(line, "\n"))
			if err != nil || done {
				return err
			}
		}
		if rerr != nil {
			return nil
		}
	}
}

// line runs one line of a script; done is true after quit or exit.
func (r *Runner) line(ctx context.Context, line string) (done bool, err error) {
	r.cli.line++
	args, err := rediscli.SplitArgs(line)
	if err != nil {
		r.failed = true
		_, werr := fmt.Fprintln(r.Out, err.Error())
		return false, werr
	}
	if len(args) == 0 {
		return false, nil
	}
	if handled, err := r.builtin(args); handled {
		return false, err
	}
	if strings.ToLower(args[0]) == "quit" || strings.ToLower(args[0]) == "exit" {
		return true, nil
	}
	repeat, args, ok := repeatCount(args)
	if !ok {
		r.failed = true
		_, werr := fmt.Fprintln(r.Out, "Invalid redis-cli repeat command option value.")
		return false, werr
	}
	start := time.Now()
	for range repeat {
		if err := r.Run(ctx, args); err != nil {
			return false, err
		}
	}
	return false, r.slowLine(start)
}

// repeatCount reads redis-cli's repeat prefix: when there is more than one argument and the
// first is a number as C's strtol reads all of it, it is the count and must be positive.
func repeatCount(args []string) (n int64, rest []string, ok bool) {
	if len(args) < 2 || !strtolWhole(args[0]) {
		return 1, args, true
	}
	n, err := strconv.ParseInt(strings.TrimLeft(args[0], " \t\n\v\f\r"), 10, 64)
	if err != nil || n <= 0 {
		return 0, nil, false
	}
	return n, args[1:], true
}

// strtolWhole reports whether strtol leaves nothing unread in s: s is empty (no conversion
// happens, and the end pointer is at the terminating NUL) or is white space, an optional sign
// and digits.
func strtolWhole(s string) bool {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	if s == "" {
		return true
	}
	if s[0] == '+' || s[0] == '-' {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isStreaming reports whether the server goes on sending after the reply to args, as it does
// after SUBSCRIBE and MONITOR; redis-cli then prints every message until Ctrl-C.
func isStreaming(args []string) bool {
	return isSubscribe(args) || strings.EqualFold(args[0], "monitor")
}

// isSubscribe reports whether args put the connection in subscribe mode.
func isSubscribe(args []string) bool {
	switch strings.ToLower(args[0]) {
	case "subscribe", "psubscribe", "ssubscribe":
		return true
	}
	return false
}
