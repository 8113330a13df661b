package cli

import (
	"github.com/spf13/cobra"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/bulk/bulkcli"
)

// newCopyCmd is `amr-tui copy` (bulk/bulkcli has its flags, preview, confirmation and report).
func newCopyCmd() *cobra.Command { return newCopyCmdWith(auth.Options{}) }

// newCopyCmdWith is newCopyCmd with the auth options tests need (a loopback guard).
func newCopyCmdWith(opts auth.Options) *cobra.Command { return bulkCmd(bulkcli.CopyCmd, opts) }
