package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/execrun"
	"github.com/amr-tui/amr-tui/profiles"
	"github.com/amr-tui/amr-tui/rediscli"
	"github.com/amr-tui/amr-tui/session"
)

// execFlags are the knobs of `amr-tui exec`.
type execFlags struct {
	profile string
	raw     bool
	noRaw   bool
	json    bool
	pushes  string // --show-pushes y|n; "": on a terminal only
	resp2   bool
	resp3   bool
	db      int
	timeout time.Duration
}

// newExecCmd is `amr-tui exec`, logging in as a real run does.
func newExecCmd() *cobra.Command { return newExecCmdWith(auth.Options{}) }

// newExecCmdWith is newExecCmd with the auth options tests need (a loopback guard).
func newExecCmdWith(opts auth.Options) *cobra.Command {
	var f execFlags
	cmd := &cobra.Command{
		Use:   "exec [-p PROFILE] [--raw | --no-raw | --json] [-2 | -3] [--show-pushes y|n] [-n DB] [--timeout D] [-- CMD ARG…]",
		Short: "Run Redis commands through a profile's login and print replies as redis-cli does",
		Long: "exec logs in with a profile (Microsoft Entra ID, access key or none), runs one command and\n" +
			"prints the reply as redis-cli does: on a terminal as `redis-cli --no-raw`, in a pipe or a\n" +
			"file raw as `redis-cli --raw` (--no-raw and --raw choose either way), --json as\n" +
			"`redis-cli --json`, over RESP3 unless -2 is given. RESP3 pushes (client tracking\n" +
			"invalidations) are printed on a terminal and hidden elsewhere unless --show-pushes y.\n" +
			"Control characters written to a terminal are escaped (\\x1b), where redis-cli writes them.\n" +
			"Flags end at the command's name, and its arguments are sent as they are (a -- before\n" +
			"the command is optional). -n DB selects the database before anything runs: a database\n" +
			"the server does not have fails the connection (exit 1), where redis-cli warns and runs\n" +
			"on database 0.\n\n" +
			"With no command, exec reads commands from standard input, one per line, quoted as in\n" +
			"redis-cli (\"double quotes\" with \\n and \\xHH escapes, 'single quotes'); a line redis-cli\n" +
			"cannot split prints \"Invalid argument(s)\" and the rest still run. redis-cli's own\n" +
			"commands are handled as it handles them, not sent: HELP and ? (after -- too), :set\n" +
			"hints|nohints, clear, restart; connect HOST PORT is refused (the profile decides the\n" +
			"server). A line taking 0.5s or more is followed by its time, \"(0.61s)\", in the --no-raw\n" +
			"format.\n\n" +
			"On a cluster (profile cluster = auto or on) exec follows MOVED and ASK redirections as\n" +
			"`redis-cli -c` does, printing \"-> Redirected to slot …\" when reading standard input.\n\n" +
			"A read_only profile is default-deny: a command (or subcommand) is sent only when the\n" +
			"server's COMMAND table (the one built into amr-tui when the server refuses COMMAND) flags\n" +
			"it readonly and not admin or @dangerous, or when it is on a short allow-list of\n" +
			"connection, introspection and pub/sub commands (PING, HELLO without AUTH, SELECT, MULTI,\n" +
			"INFO, CONFIG GET, CLIENT LIST, SLOWLOG GET, COMMAND …, SUBSCRIBE, MONITOR, EVAL_RO,\n" +
			"FCALL_RO …); anything else, unknown names included, is refused with the reason.\n" +
			"CLIENT REPLY OFF and SKIP are refused on every profile: exec waits for every reply.\n" +
			"A profile that skips TLS verification gets a one-line warning on stderr.\n\n" +
			"Exit status: 0 when every reply succeeded; 1 when a reply was an error (the rest still\n" +
			"ran), a line was invalid, a read-only profile refused a command, --json met a reply that\n" +
			"is not UTF-8, or the login or the connection failed (the reason on stderr). redis-cli\n" +
			"exits 0 after error replies and invalid lines; exec's 1 lets a script notice them.\n\n" +
			"--timeout bounds the login and connection and then each reply; without it, the login\n" +
			"and connection get 30s (5m for a device code or browser login) and replies wait as long\n" +
			"as they take, as with redis-cli (blocking commands, MONITOR, SUBSCRIBE until Ctrl-C).",
		Example: "  amr-tui exec -p prod -- GET user:42\n" +
			"  amr-tui exec -p prod --raw -- HGETALL session:1\n" +
			"  printf 'SET k \"a b\"\\nGET k\\n' | amr-tui exec -p prod",
		DisableFlagsInUseLine: true,
		RunE:                  func(cmd *cobra.Command, args []string) error { return runExec(cmd, f, opts, args) },
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.profile, "profile", "p", "", "profile to use (default: the last used)")
	fl.BoolVar(&f.raw, "raw", false, "print replies as redis-cli --raw does")
	fl.BoolVar(&f.noRaw, "no-raw", false, "print replies as redis-cli --no-raw does (the default on a terminal)")
	fl.StringVar(&f.pushes, "show-pushes", "", "y or n: print RESP3 push messages (default: y on a terminal, n otherwise, as redis-cli)")
	fl.BoolVar(&f.json, "json", false, "print replies as JSON (an error reply as {\"error\":…})")
	fl.BoolVarP(&f.resp2, "resp2", "2", false, "speak RESP2, as redis-cli does by default (the default)")
	fl.BoolVarP(&f.resp3, "resp3", "3", false, "speak RESP3 (HELLO 3), as redis-cli -3 does")
	fl.IntVarP(&f.db, "db", "n", 0, "database number to SELECT instead of the profile's db")
	fl.DurationVar(&f.timeout, "timeout", 0, "give up on the login and connection, and on each reply, after this long (0: see above)")
	cmd.MarkFlagsMutuallyExclusive("raw", "no-raw", "json")
	cmd.MarkFlagsMutuallyExclusive("resp2", "resp3")
	// Flags end at the command: `exec -p p INCRBY k -5` sends -5 rather than reading a flag.
	fl.SetInterspersed(false)
	return cmd
}

// mode is the output format the flags ask for; without one, redis-cli's rule: --no-raw
// formatting on a terminal, raw in a pipe or file.
func (f execFlags) mode(tty bool) rediscli.Mode {
	switch {
	case f.raw:
		return rediscli.ModeRaw
	case f.json:
		return rediscli.ModeJSON
	case f.noRaw || tty:
		return rediscli.ModeTTY
	}
	return rediscli.ModeRaw
}

// showPushes reads --show-pushes as redis-cli does, by its first letter (y…, n…, any case);
// unset: on a terminal only. Where redis-cli warns about another value and goes on, exec
// refuses it before connecting.
func (f execFlags) showPushes(tty bool) (bool, error) {
	if f.pushes == "" {
		return tty, nil
	}
	switch strings.ToLower(f.pushes[:1]) {
	case "y":
		return true, nil
	case "n":
		return false, nil
	}
	return false, fmt.Errorf("--show-pushes %q: give y[es] or n[o]", f.pushes)
}

func runExec(cmd *cobra.Command, f execFlags, opts auth.Options, args []string) error {
	p, err := execProfile(cmd, f.profile)
	if err != nil {
		return err
	}
	db := p.DB
	if cmd.Flags().Changed("db") {
		if f.db < 0 {
			return fmt.Errorf("-n %d: a database number is 0 or more", f.db)
		}
		db = f.db
	}
	proto := 2
	if f.resp3 || f.json && !f.resp2 {
		proto = 3 // redis-cli --json speaks RESP3 (maps as objects, doubles as numbers) unless -2
	}
	tty := isTerminalWriter(cmd.OutOrStdout())
	show, err := f.showPushes(tty)
	if err != nil {
		return err
	}
	stderr := cmd.ErrOrStderr()
	if opts.DeviceCodePrompt == nil {
		opts.DeviceCodePrompt = func(_ context.Context, dp auth.DeviceCodePrompt) error {
			msg := dp.Message
			if msg == "" {
				msg = fmt.Sprintf("To sign in, open %s and enter the code %s", dp.VerificationURL, dp.UserCode)
			}
			fmt.Fprintf(stderr, "amr-tui: profile %q: %s\n", p.Name, msg)
			return nil
		}
	}
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	if w := session.TLSWarning(p); w != "" {
		fmt.Fprintln(stderr, "amr-tui: "+w)
	}
	c, err := execrun.Open(ctx, p, opts, execrun.Dial{Proto: proto, DB: db, Timeout: f.timeout})
	if err != nil {
		return err
	}
	defer c.Close()

	r := execrun.Runner{Conn: c, Mode: f.mode(tty), Out: cmd.OutOrStdout(), ErrOut: stderr, FromStdin: len(args) == 0,
		ShowPushes: show, Terminal: tty}
	if len(args) > 0 {
		err = r.One(ctx, args)
	} else {
		if isTerminal(cmd.InOrStdin()) {
			fmt.Fprintln(stderr, "amr-tui: reading commands, one per line, until Ctrl-D (or give one after --)")
		}
		err = r.Script(ctx, cmd.InOrStdin())
	}
	if err != nil {
		return err
	}
	if r.Failed() {
		return exitError{code: 1}
	}
	return nil
}

// execProfile loads the named profile, or the last used one when no name is given.
func execProfile(cmd *cobra.Command, name string) (profiles.Profile, error) {
	file, err := loadProfiles(cmd)
	if err != nil {
		return profiles.Profile{}, err
	}
	if name == "" {
		name = file.LastUsed()
	}
	if name == "" {
		return profiles.Profile{}, fmt.Errorf("no profile given (-p NAME) and none used before; profiles in %s: %v", file.Path(), file.Names())
	}
	p, ok := file.Get(name)
	if !ok {
		return profiles.Profile{}, fmt.Errorf("no profile named %q in %s; saved profiles: %v", name, file.Path(), file.Names())
	}
	return p, nil
}
