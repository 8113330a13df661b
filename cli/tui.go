package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/spf13/cobra"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/decode"
	"github.com/amr-tui/amr-tui/profiles"
	"github.com/amr-tui/amr-tui/rediscli"
	"github.com/amr-tui/amr-tui/ui"
	"github.com/amr-tui/amr-tui/ui/sessionstore"
)

// defaultOpenTimeout bounds getting the first token and connecting. A device code or browser
// login waits for a person, so those get longer.
const (
	defaultOpenTimeout     = 30 * time.Second
	interactiveOpenTimeout = 5 * time.Minute
)

// tuiRun is one run of the TUI against one profile.
type tuiRun struct {
	Profile profiles.Profile
	// ConfigPath is the profiles file in which the profile is remembered as the last used;
	// empty: not remembered.
	ConfigPath string
	// RememberedAs is the last used profile as the file said when it was loaded; when it is
	// already this profile, the file is not rewritten.
	RememberedAs string
	Auth         auth.Options
	Settings     string               // config.toml; "" keeps the UI's defaults
	OpenTimeout  time.Duration        // 0: by auth kind
	Decoders     []decode.UserDecoder // config.toml's [decoders.NAME]
	Notices      <-chan ui.Notice     // news shown in the footer (the demo's seeding); nil: none
	Stdin        io.Reader            // nil: the terminal
	Stdout       io.Writer            // nil: the terminal
	Stderr       io.Writer            // messages before and after the TUI, never while it runs
}

// runRoot is `amr-tui` without a subcommand: open the TUI on --profile, else on the last used
// profile.
func runRoot(cmd *cobra.Command, name string) error {
	var early *ui.Splash
	if isTerminal(cmd.InOrStdin()) {
		// The first frame before the files are read: on a slow disk or a network home
		// directory those reads would otherwise be a blank screen.
		early = ui.ShowSplash(cmd.OutOrStdout(), name)
	}
	fail := func(err error) error {
		early.Undo() // the error is printed on the screen the user had
		return err
	}
	path, err := profilesPath(cmd)
	if err != nil {
		return fail(err)
	}
	file, err := profiles.Load(path)
	if err != nil {
		return fail(err)
	}
	if name == "" {
		name = file.LastUsed()
	}
	var p profiles.Profile
	if name != "" {
		var ok bool
		if p, ok = file.Get(name); !ok {
			return fail(noProfileError(file, fmt.Sprintf("no profile named %q", name)))
		}
	}
	settings, err := settingsPath(cmd)
	if err != nil {
		return fail(err)
	}
	users, err := userDecoders(settings)
	if err != nil {
		return fail(err)
	}
	if isTerminal(cmd.InOrStdin()) {
		// On a terminal the UI starts at once: it opens the profile in the background, or
		// shows the profile picker when there is none to open.
		return runTUI(cmd.Context(), &tuiOpener{path: path, settings: settings, decoders: users}, name, tuiExtras{splash: early},
			cmd.InOrStdin(), cmd.OutOrStdout())
	}
	if name == "" {
		return noProfileError(file, "no profile given and none used before")
	}
	return openTUI(cmd.Context(), tuiRun{Profile: p, ConfigPath: path, RememberedAs: file.LastUsed(), Settings: settings, Decoders: users,
		Stdin: cmd.InOrStdin(), Stdout: cmd.OutOrStdout(), Stderr: cmd.ErrOrStderr()})
}

// noProfileError says which profiles exist and how to open or add one.
func noProfileError(file *profiles.File, why string) error {
	names := file.Names()
	if len(names) == 0 {
		return fmt.Errorf("%s: %s holds no profiles.\n"+
			"Add one with `amr-tui profiles add NAME` (or `amr-tui profiles import-env NAME`),\n"+
			"or try amr-tui with no Azure account: `amr-tui demo`", why, file.Path())
	}
	return fmt.Errorf("%s.\nSaved profiles in %s:\n  %s\nOpen one with `amr-tui -p NAME`, or add one with `amr-tui profiles add NAME`",
		why, file.Path(), strings.Join(names, "\n  "))
}

// openTUI opens the session for the profile and runs the UI on it until the user quits.
func openTUI(ctx context.Context, r tuiRun) error {
	// go-redis logs to stderr by default (reconnects, refused re-auth): under a full-screen UI
	// that would scribble over it. The session reports what matters as events instead.
	redis.SetLogger(quietLogger{})
	stderr := r.Stderr
	if stderr == nil {
		stderr = io.Discard
	}
	p := r.Profile
	// Before the UI runs, a device code prompt can only go to the terminal; once it runs, the
	// adapter shows prompts in the footer.
	s, adapter, err := openSession(ctx, p, r.Auth, r.OpenTimeout, func(dp auth.DeviceCodePrompt) {
		msg := dp.Message
		if msg == "" {
			msg = fmt.Sprintf("To sign in, open %s and enter the code %s", dp.VerificationURL, dp.UserCode)
		}
		fmt.Fprintf(stderr, "amr-tui: profile %q: %s\n", p.Name, msg)
	})
	if err != nil {
		return err
	}
	defer s.Close()
	defer adapter.Close()

	var remembered error
	if r.ConfigPath != "" && r.RememberedAs != p.Name {
		remembered = profiles.Update(r.ConfigPath, func(f *profiles.File) error { return f.SetLastUsed(p.Name) })
	}
	err = ui.Run(ctx, ui.Options{Store: sessionstore.New(s), Session: adapter, NoColor: ui.NoColorFromEnv(),
		Decode: decode.Options{Users: r.Decoders}, HistoryPath: rediscli.HistoryPath(r.ConfigPath, p.Name), ConfigPath: r.Settings,
		Notices: r.Notices}, r.Stdin, r.Stdout)
	if remembered != nil {
		fmt.Fprintf(stderr, "amr-tui: could not remember %q as the last used profile: %v\n", p.Name, remembered)
	}
	return err
}

// tuiExtras are what some callers of runTUI add: a splash painted before their set-up, news for
// the footer (the demo's seeding).
type tuiExtras struct {
	splash  *ui.Splash
	notices <-chan ui.Notice
}

// runTUI starts the UI before any session exists: it opens the profile name in the background
// (a device code prompt shows in the UI), or shows the profile picker when name is empty. The
// UI owns the sessions it opens and closes them when it ends.
func runTUI(ctx context.Context, o *tuiOpener, name string, x tuiExtras, stdin io.Reader, stdout io.Writer) error {
	redis.SetLogger(quietLogger{})
	return ui.Run(ctx, ui.Options{Opener: o, OpenProfile: name, NoColor: ui.NoColorFromEnv(), ConfigPath: o.settings,
		Decode: decode.Options{Users: o.decoders}, Notices: x.notices, Splash: x.splash}, stdin, stdout)
}

// explainOpen gives an auth failure in full (which credential, which step, the likely fix).
func explainOpen(p profiles.Profile, err error) error {
	var ae *auth.Error
	if errors.As(err, &ae) {
		return fmt.Errorf("profile %q: %s", p.Name, ae.Explain())
	}
	return fmt.Errorf("profile %q: %w", p.Name, err)
}

// quietLogger drops go-redis's log lines.
type quietLogger struct{}

func (quietLogger) Printf(context.Context, string, ...any) {}
