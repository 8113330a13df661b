// Package cli is amr-tui's command line: one file per subcommand (root/TUI, demo, doctor, exec,
// profiles, completion, man), each only flag wiring over the package that owns the logic.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/amr-tui/amr-tui/config"
	"github.com/amr-tui/amr-tui/internal/tmuxenv"
)

// Build describes the binary; release builds stamp it (goreleaser: -ldflags "-X main.version=…").
type Build struct {
	Version, Commit, Date string
}

// version is the release named in the man pages' footer; Main sets it from Build.
var version = "dev"

// exitError carries a process exit status out of a command without printing anything more.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// Main runs amr-tui with args (without the program name) and returns the process exit
// status: Ctrl-C and SIGTERM cancel the command's context, and an error is printed on stderr
// as "amr-tui: …" unless the command already said everything (an exit status alone).
func Main(args []string, b Build, stderr io.Writer) int {
	// $TMUX was hidden from package initializers (see internal/tmuxenv); from here on the
	// program and its children see it.
	tmuxenv.Restore()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := NewRootCmd(b)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	var ee exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	fmt.Fprintln(stderr, "amr-tui:", err)
	return 1
}

// NewRootCmd is `amr-tui`: the TUI, with every subcommand under it.
func NewRootCmd(b Build) *cobra.Command {
	if b.Version != "" {
		version = b.Version
	}
	var profile string
	root := &cobra.Command{
		Use:   "amr-tui [-p PROFILE]",
		Short: "Browse Azure Managed Redis and Azure Cache for Redis with Entra ID login",
		Long: "amr-tui is a terminal UI for Redis, built for Azure Managed Redis and Azure Cache for Redis:\n" +
			"Microsoft Entra ID login that works in a terminal, a token kept fresh and re-sent on every\n" +
			"live connection, and a key browser that stays fast with millions of keys.\n\n" +
			"Without a subcommand it opens the TUI on --profile, or on the profile used last.\n\n" +
			"Try it with no Azure account: amr-tui demo",
		Args:          cobra.NoArgs,
		RunE:          func(cmd *cobra.Command, _ []string) error { return runRoot(cmd, profile) },
		Version:       fmt.Sprintf("%s (commit %s, built %s)", version, or(b.Commit, "none"), or(b.Date, "unknown")),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetVersionTemplate("amr-tui {{.Version}}\n")
	root.PersistentFlags().String("config", "", "path of the profiles file (default $AMR_TUI_CONFIG, else profiles.toml in the user config dir)")
	root.PersistentFlags().String("config-dir", "", "directory of config.toml, and of profiles.toml unless --config or $AMR_TUI_CONFIG names it (default $"+config.EnvDir+")")
	root.Flags().StringVarP(&profile, "profile", "p", "", "profile to open (default: the last used)")
	root.AddCommand(newDemoCmd())
	root.AddCommand(newDiscoverCmd())
	root.AddCommand(newDoctorCmd())
	root.AddCommand(newExecCmd())
	root.AddCommand(newAnalyzeCmd())
	root.AddCommand(newGetCmd())
	root.AddCommand(newProfilesCmd())
	root.AddCommand(newConfigCmd())
	root.AddCommand(newDeleteCmd(), newExpireCmd(), newExportCmd(), newImportCmd(), newCopyCmd())
	return root
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// newRootCmd is the root command of a dev build, for tests.
func newRootCmd() *cobra.Command { return NewRootCmd(Build{}) }
