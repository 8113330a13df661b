package cli

import (
	"github.com/spf13/cobra"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/bulk/bulkcli"
)

// newExportCmd is `amr-tui export` (bulk/bulkcli has its flags, preview, confirmation and report).
func newExportCmd() *cobra.Command { return newExportCmdWith(auth.Options{}) }

// newExportCmdWith is newExportCmd with the auth options tests need (a loopback guard).
func newExportCmdWith(opts auth.Options) *cobra.Command { return bulkCmd(bulkcli.ExportCmd, opts) }
