package cli

import (
	"github.com/spf13/cobra"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/bulk/bulkcli"
)

// newExpireCmd is `amr-tui expire` (bulk/bulkcli has its flags, preview, confirmation and report).
func newExpireCmd() *cobra.Command { return newExpireCmdWith(auth.Options{}) }

// newExpireCmdWith is newExpireCmd with the auth options tests need (a loopback guard).
func newExpireCmdWith(opts auth.Options) *cobra.Command { return bulkCmd(bulkcli.ExpireCmd, opts) }
