package cli

import (
	"github.com/spf13/cobra"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/bulk/bulkcli"
)

// newDeleteCmd is `amr-tui delete` (bulk/bulkcli has its flags, preview, confirmation and report).
func newDeleteCmd() *cobra.Command { return newDeleteCmdWith(auth.Options{}) }

// newDeleteCmdWith is newDeleteCmd with the auth options tests need (a loopback guard).
func newDeleteCmdWith(opts auth.Options) *cobra.Command { return bulkCmd(bulkcli.DeleteCmd, opts) }
