package execrun

import (
	"context"

	"github.com/amr-tui/amr-tui/rediscli"
)

// refusal says why args must not be sent, or "": rediscli.Refusal, the rule the console and
// the key browser share, over the server's COMMAND table (the embedded one when the server
// refuses COMMAND). The table is read once, before the first command, so it is never asked
// for inside a MULTI, where the question would be queued instead of answered.
func (c *Conn) refusal(ctx context.Context, args []string) string {
	if c.p.ReadOnly && c.table == nil {
		c.table = rediscli.ServerTable(func(a []string) (rediscli.Reply, error) {
			_, r, err := c.do(ctx, a)
			return r, err
		})
	}
	return rediscli.Refusal(args, c.table, c.p.ReadOnly)
}
