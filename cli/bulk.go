package cli

import (
	"context"
	"fmt"

	"github.com/redis/go-redis/v9"
	"github.com/spf13/cobra"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/bulk"
	"github.com/amr-tui/amr-tui/bulk/bulkcli"
)

// bulkOpener opens saved profiles for the bulk commands (delete, expire, export, import,
// copy): it signs in with the profile's credential, opens a session (TLS, AUTH, re-AUTH while
// a long job runs) and hands its pooled client over. cmd is the command being run, for the
// --config flag.
func bulkOpener(cmd func() *cobra.Command, opts auth.Options) bulkcli.Opener {
	return func(ctx context.Context, name string) (*bulkcli.Target, error) {
		c := cmd()
		p, err := execProfile(c, name)
		if err != nil {
			return nil, err
		}
		t := &bulkcli.Target{Name: p.Name, ReadOnly: p.ReadOnly}
		t.Connect = func(ctx context.Context) (redis.UniversalClient, func(), error) {
			s, adapter, err := openSession(ctx, p, opts, 0, func(dp auth.DeviceCodePrompt) {
				fmt.Fprintln(c.ErrOrStderr(), dp.Message)
			})
			if err != nil {
				return nil, nil, err
			}
			// An import's native writes go on connections of their own (session.Pipe): on a
			// cluster Pipe refuses and the import keeps the pooled client's routing by slot.
			t.Pipe = func() (bulk.Pipe, error) {
				p, err := s.Pipe()
				if err != nil {
					return nil, err
				}
				return p, nil
			}
			return s.Client(), func() {
				adapter.Close()
				_ = s.Close()
			}, nil
		}
		return t, nil
	}
}

// bulkCmd builds one of bulkcli's commands over the profiles file.
func bulkCmd(build func(bulkcli.Opener, func() bulkcli.Env) *cobra.Command, opts auth.Options) *cobra.Command {
	var cmd *cobra.Command
	cmd = build(bulkOpener(func() *cobra.Command { return cmd }, opts), func() bulkcli.Env { return bulkcli.EnvOf(cmd) })
	return cmd
}
