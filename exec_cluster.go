package main

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/amr-tui/amr-tui/profiles"
	"github.com/amr-tui/amr-tui/rediscli"
)

// execMaxRedirects bounds how many MOVED/ASK redirections one command follows.
const execMaxRedirects = 16

// execRedirect is a cluster's MOVED or ASK error reply, parsed.
type execRedirect struct {
	ask  bool
	slot string
	host string
	port int
}

// parseRedirect reads "MOVED 3999 127.0.0.1:6381" or "ASK …"; an empty host (":6381") means
// the host of the current connection, as Redis documents.
func parseRedirect(r rediscli.Reply, current string) (execRedirect, bool) {
	if !r.IsError() {
		return execRedirect{}, false
	}
	f := strings.Fields(r.Str)
	if len(f) != 3 || (f[0] != "MOVED" && f[0] != "ASK") {
		return execRedirect{}, false
	}
	i := strings.LastIndexByte(f[2], ':')
	if i < 0 {
		return execRedirect{}, false
	}
	port, err := strconv.Atoi(f[2][i+1:])
	if err != nil || port <= 0 || port > 65535 {
		return execRedirect{}, false
	}
	host := f[2][:i]
	if host == "" {
		host, _, _ = net.SplitHostPort(current)
	}
	return execRedirect{ask: f[0] == "ASK", slot: f[1], host: host, port: port}, true
}

// followsRedirects reports whether exec follows MOVED and ASK for this profile, as
// redis-cli -c does: unless the profile's cluster mode is off.
func (c *execConn) followsRedirects() bool { return c.p.Cluster != profiles.ClusterOff }

// redirect moves to the node a MOVED or ASK reply names, as redis-cli -c does (it stays
// there for the next commands), and sends ASKING first for an ASK.
func (c *execConn) redirect(ctx context.Context, to execRedirect) error {
	timeout := c.timeout
	if timeout <= 0 {
		timeout = execOpenTimeout
	}
	octx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	addr := net.JoinHostPort(to.host, strconv.Itoa(to.port))
	if err := c.connect(octx, addr); err != nil {
		return explainExec(c.p, fmt.Errorf("following the cluster's redirection to %s: %w", addr, err))
	}
	if to.ask {
		if _, r, err := c.do([]string{"ASKING"}, c.timeout); err != nil || r.IsError() {
			return fmt.Errorf("ASKING on %s: %v%s", addr, err, r.Str)
		}
	}
	return nil
}
