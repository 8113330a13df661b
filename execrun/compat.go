package execrun

import (
	"fmt"
	"strings"
	"time"

	"github.com/amr-tui/amr-tui/rediscli"
)

// slowCommand is how long a script line must take for redis-cli to print its time.
const slowCommand = 500 * time.Millisecond

// cliState is what exec keeps of a script, beyond the connection, to behave as redis-cli does
// around it and to say whose doing a login error is.
type cliState struct {
	// line is the standard input line being run, from 1 (0 for a single command).
	line int
	// ownLogin is the line of the script's last AUTH, HELLO … AUTH or RESET that succeeded
	// (ownName its command): from then on the connection is no longer logged in as the
	// profile, and a login error is the script's doing.
	ownLogin int
	ownName  string
}

// say writes one line on stderr about args, naming the script line when there is one.
func (r *Runner) say(args []string, format string, a ...any) {
	where := ""
	if r.cli.line > 0 {
		where = fmt.Sprintf("line %d: ", r.cli.line)
	}
	fmt.Fprintf(discardIfNil(r.ErrOut), "amr-tui: %s%s: %s\n", where, strings.ToUpper(args[0]), fmt.Sprintf(format, a...))
}

// printPushes prints the RESP3 pushes (client tracking invalidations) that arrived before a
// reply, when ShowPushes asks for them, as redis-cli --show-pushes does.
func (r *Runner) printPushes(pushes []rediscli.Reply) error {
	if !r.ShowPushes {
		return nil
	}
	for _, p := range pushes {
		if err := r.print(nil, p); err != nil {
			return err
		}
	}
	return nil
}

// write puts b on Out; on a terminal, control characters are escaped first.
func (r *Runner) write(b []byte) error {
	if r.Terminal {
		b = rediscli.EscapeControls(b)
	}
	_, err := r.Out.Write(b)
	return err
}

// loginReply notes a successful AUTH, HELLO … AUTH or RESET of the script: the connection's
// login is then the script's, not the profile's.
func (r *Runner) loginReply(args []string, reply rediscli.Reply) {
	if len(args) > 0 && !reply.IsError() && changesLogin(args) {
		r.cli.ownLogin, r.cli.ownName = max(r.cli.line, 1), strings.ToUpper(args[0])
	}
}

// ownLoginHint explains a NOAUTH, NOPERM or WRONGPASS that the script caused (its own AUTH
// refused, or any command after it changed the login) and reports whether it did; the
// profile's login is then not blamed.
func (r *Runner) ownLoginHint(args []string, code string) bool {
	switch {
	case len(args) == 0:
		return false
	case changesLogin(args):
		r.say(args, "the script's own %s was refused; the profile's login is not involved", strings.ToUpper(args[0]))
	case r.cli.ownLogin != 0:
		if r.hinted["own "+code] {
			return true // said once: a long script refused line after line says it once
		}
		if r.hinted == nil {
			r.hinted = map[string]bool{}
		}
		r.hinted["own "+code] = true
		r.say(args, "%s after the script's own %s on line %d, which changed the connection's login; the profile's login is not involved", code, r.cli.ownName, r.cli.ownLogin)
	default:
		return false
	}
	return true
}

// slowLine prints redis-cli's "(0.61s)" after a script line (all its repeats) that took
// 0.5 s or more, which redis-cli prints in its --no-raw format only.
func (r *Runner) slowLine(start time.Time) error {
	el := time.Since(start)
	if el < slowCommand || r.Mode != rediscli.ModeTTY {
		return nil
	}
	_, err := fmt.Fprintf(r.Out, "(%.2fs)\n", float64(el.Milliseconds())/1000)
	return err
}

// changesLogin reports whether args change who the connection is logged in as: AUTH, HELLO
// with AUTH, RESET (which logs the connection back in as the default user).
func changesLogin(args []string) bool {
	switch strings.ToLower(args[0]) {
	case "auth", "reset":
		return true
	case "hello":
		for _, a := range args[1:] {
			if strings.EqualFold(a, "auth") {
				return true
			}
		}
	}
	return false
}
