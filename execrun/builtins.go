package execrun

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/amr-tui/amr-tui/rediscli"
)

// scriptHelp is what HELP (or ?) alone prints: redis-cli's text, naming exec and leaving out
// what exec does not have (help @group, tab completion, ~/.redisclirc).
const scriptHelp = `amr-tui exec (redis-cli compatible)
To get help about Redis commands type:
      "help <command>" for help on <command>
      "quit" to exit

To set redis-cli preferences:
      ":set hints" enable online hints
      ":set nohints" disable online hints
(accepted and ignored: exec shows no hints)
`

// clearScreen is what redis-cli's clear writes (linenoiseClearScreen), to a terminal or not.
const clearScreen = "\x1b[H\x1b[2J"

// builtin runs one of the commands redis-cli handles itself when it reads standard input,
// with redis-cli's argument counts: HELP and ?, :set and any other :name, clear, connect HOST
// PORT and restart. handled is false for anything else, which is sent to the server as
// redis-cli sends it (connect with another count of arguments, for one).
func (r *Runner) builtin(args []string) (handled bool, err error) {
	name := strings.ToLower(args[0])
	switch {
	case name == "help" || name == "?":
		if len(args) == 1 {
			_, err = io.WriteString(r.Out, scriptHelp)
			return true, err
		}
		_, err = io.WriteString(r.Out, commandHelp(args[1:]))
		return true, err
	case strings.HasPrefix(name, ":"):
		// redis-cli's cliSetPreferences: the message goes to standard output, the script goes on
		// and the exit status is not affected.
		switch {
		case name != ":set" || len(args) < 2:
			_, err = fmt.Fprintf(r.Out, "unknown redis-cli internal command '%s'\n", args[0])
		case !strings.EqualFold(args[1], "hints") && !strings.EqualFold(args[1], "nohints"):
			_, err = fmt.Fprintf(r.Out, "unknown redis-cli preference '%s'\n", args[1])
		}
		return true, err // hints are for a line editor; exec has none
	case name == "clear" && len(args) == 1:
		_, err = io.WriteString(r.Out, clearScreen)
		return true, err
	case name == "connect" && len(args) == 3:
		r.failed = true
		r.say(args, "not run: exec's connection comes from the profile (its login, TLS and address); run exec with another -p to reach another server")
		return true, nil
	case name == "restart":
		_, err = io.WriteString(r.Out, "Use 'restart' only in Lua debugging mode.\n")
		return true, err
	}
	return false, nil
}

// One runs a command given on the command line: HELP and ? print help, as redis-cli answers
// them itself there too; anything else is Run.
func (r *Runner) One(ctx context.Context, args []string) error {
	if name := strings.ToLower(args[0]); name == "help" || name == "?" {
		_, err := r.builtin(args)
		return err
	}
	return r.Run(ctx, args)
}

// commandHelp is HELP <command>: its argument synopsis and summary from the command table
// built into amr-tui, laid out as redis-cli lays out its own table's (without its colours
// and carriage returns).
func commandHelp(args []string) string {
	spec, ok := rediscli.EmbeddedTable().Lookup(args)
	if !ok {
		return fmt.Sprintf("\n  no help for %s\n\n", rediscli.Repr(strings.Join(args, " ")))
	}
	name := strings.ToUpper(strings.ReplaceAll(spec.Name, "|", " "))
	return fmt.Sprintf("\n  %s %s\n  summary: %s\n\n", name, spec.Hint, spec.Summary)
}
