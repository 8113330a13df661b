package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/execrun"
	"github.com/amr-tui/amr-tui/profiles"
	"github.com/amr-tui/amr-tui/rediscli"
)

// execFlags are the knobs of `amr-tui exec`.
type execFlags struct {
	profile string
	raw     bool
	json    bool
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
		Use:   "exec [-p PROFILE] [--raw | --json] [-2 | -3] [-n DB] [--timeout D] [-- CMD ARG…]",
		Short: "Run Redis commands through a profile's login and print replies as redis-cli does",
		Long: "exec logs in with a profile (Microsoft Entra ID, access key or none), runs one command and\n" +
			"prints the reply exactly as `redis-cli --no-raw` prints it; --raw prints it as\n" +
			"`redis-cli --raw` does, --json as JSON. Flags end at the command's name, and its\n" +
			"arguments are sent as they are (a -- before the command is optional).\n\n" +
			"With no command, exec reads commands from standard input, one per line, quoted as in\n" +
			"redis-cli (\"double quotes\" with \\n and \\xHH escapes, 'single quotes'); a line redis-cli\n" +
			"cannot split prints \"Invalid argument(s)\" and the rest still run.\n\n" +
			"On a cluster (profile cluster = auto or on) exec follows MOVED and ASK redirections as\n" +
			"`redis-cli -c` does, printing \"-> Redirected to slot …\" when reading standard input.\n\n" +
			"A read_only profile refuses, without sending it, a command the server's COMMAND INFO flags\n" +
			"write or may_replicate (or puts in @write), and EVAL, EVALSHA, FCALL, SCRIPT FLUSH,\n" +
			"CONFIG SET, SHUTDOWN, DEBUG and CLIENT KILL; use EVAL_RO and FCALL_RO there.\n\n" +
			"Exit status: 0 when every reply succeeded; 1 when a reply was an error (the rest still\n" +
			"ran), a line was invalid, a read-only profile refused a command, --json met a reply that\n" +
			"is not UTF-8, or the login or the connection failed (the reason on stderr).\n\n" +
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
	fl.BoolVar(&f.json, "json", false, "print replies as JSON (an error reply as {\"error\":…})")
	fl.BoolVarP(&f.resp2, "resp2", "2", false, "speak RESP2, as redis-cli does by default (the default)")
	fl.BoolVarP(&f.resp3, "resp3", "3", false, "speak RESP3 (HELLO 3), as redis-cli -3 does")
	fl.IntVarP(&f.db, "db", "n", 0, "database number to SELECT instead of the profile's db")
	fl.DurationVar(&f.timeout, "timeout", 0, "give up on the login and connection, and on each reply, after this long (0: see above)")
	cmd.MarkFlagsMutuallyExclusive("raw", "json")
	cmd.MarkFlagsMutuallyExclusive("resp2", "resp3")
	// Flags end at the command: `exec -p p INCRBY k -5` sends -5 rather than reading a flag.
	fl.SetInterspersed(false)
	return cmd
}

// mode is the output format the flags ask for.
func (f execFlags) mode() rediscli.Mode {
	switch {
	case f.raw:
		return rediscli.ModeRaw
	case f.json:
		return rediscli.ModeJSON
	}
	return rediscli.ModeTTY
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
	if f.resp3 {
		proto = 3
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
	c, err := execrun.Open(ctx, p, opts, execrun.Dial{Proto: proto, DB: db, Timeout: f.timeout})
	if err != nil {
		return err
	}
	defer c.Close()

	r := execrun.Runner{Conn: c, Mode: f.mode(), Out: cmd.OutOrStdout(), ErrOut: stderr, FromStdin: len(args) == 0}
	if len(args) > 0 {
		err = r.Run(ctx, args)
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
