// Command amr-tui is a terminal UI for browsing Redis — above all Azure Managed Redis and Azure
// Cache for Redis — with Microsoft Entra ID login. This file wires the CLI only.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

// Stamped at release time by goreleaser (-ldflags "-X main.version=…").
var (
	version = "dev"
	commit  = "none"
	date    = "unknown"
)

// exitError carries a process exit status out of a command without printing anything more.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

func newRootCmd() *cobra.Command {
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
		Version:       fmt.Sprintf("%s (commit %s, built %s)", version, commit, date),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetVersionTemplate("amr-tui {{.Version}}\n")
	root.PersistentFlags().String("config", "", "path of the profiles file (default $AMR_TUI_CONFIG, else profiles.toml in the user config dir)")
	root.Flags().StringVarP(&profile, "profile", "p", "", "profile to open (default: the last used)")
	root.AddCommand(newDemoCmd())
	root.AddCommand(newDiscoverCmd())
	root.AddCommand(newDoctorCmd())
	root.AddCommand(newExecCmd())
	root.AddCommand(newProfilesCmd())
	root.AddCommand(newManCmd())
	return root
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := newRootCmd().ExecuteContext(ctx)
	stop()
	if err != nil {
		var ee exitError
		if errors.As(err, &ee) {
			os.Exit(ee.code)
		}
		fmt.Fprintln(os.Stderr, "amr-tui:", err)
		os.Exit(1)
	}
}
