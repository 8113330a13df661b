package cli

import (
	"context"
	"fmt"

	"github.com/amr-tui/amr-tui/profiles"
	"github.com/amr-tui/amr-tui/rediscli"
)

// followsRedirects reports whether exec follows MOVED and ASK for this profile, as
// redis-cli -c does: unless the profile's cluster mode is off.
func (c *execConn) followsRedirects() bool { return c.p.Cluster != profiles.ClusterOff }

// redirect moves to the node a MOVED or ASK reply names, as redis-cli -c does (it stays
// there for the next commands), and sends ASKING first for an ASK.
func (c *execConn) redirect(ctx context.Context, to rediscli.Redirect) error {
	timeout := c.timeout
	if timeout <= 0 {
		timeout = execOpenTimeout
	}
	octx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	addr := to.Addr()
	if err := c.connect(octx, addr); err != nil {
		return explainExec(c.p, fmt.Errorf("following the cluster's redirection to %s: %w", addr, err))
	}
	if to.Ask {
		if _, r, err := c.do([]string{"ASKING"}, c.timeout); err != nil || r.IsError() {
			return fmt.Errorf("ASKING on %s: %v%s", addr, err, r.Str)
		}
	}
	return nil
}
