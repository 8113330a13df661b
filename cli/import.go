package cli

import (
	"github.com/spf13/cobra"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/bulk/bulkcli"
)

// newImportCmd is `amr-tui import` (bulk/bulkcli has its flags, preview, confirmation and report).
func newImportCmd() *cobra.Command { return newImportCmdWith(auth.Options{}) }

// newImportCmdWith is newImportCmd with the auth options tests need (a loopback guard).
func newImportCmdWith(opts auth.Options) *cobra.Command { return bulkCmd(bulkcli.ImportCmd, opts) }
