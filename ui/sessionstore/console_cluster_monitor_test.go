package sessionstore

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
	"github.com/amr-tui/amr-tui/ui/common"
)

// monLine is a tagged MONITOR line of the publisher's SET m:N N.
var monLine = regexp.MustCompile(`^\[([^\]]+)\] [0-9.]+ \[[^\]]*\] "set" "m:(\d+)" "(\d+)"$`)

// TestConsoleMonitorOnClusterEveryPrimary: on the emulated OSS cluster behind its gates, with
// 3 s tokens, the console's MONITOR streams every primary, each line tagged with its node, and
// across three token rotations every SET of a counting writer (its keys spread over all
// slots) shows exactly once.
func TestConsoleMonitorOnClusterEveryPrimary(t *testing.T) {
	emutest.GuardDefaultTransport(t)
	d, err := emulator.StartDemo(ctxT(t), emulator.DemoOptions{Dir: t.TempDir(), TokenLifetime: 3 * time.Second, Cluster: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	s, adapter, con := shortTokenConsole(t, d)
	ctx := ctxT(t)
	stream, err := con.Stream(ctx, []string{"MONITOR"})
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Close()
	tc := streamCase{"MONITOR", nil, func(ctx context.Context, c redis.UniversalClient, n int) error {
		return c.Set(ctx, "m:"+strconv.Itoa(n), strconv.Itoa(n), 0).Err()
	}}
	last := publishThrough(t, ctx, tc, s.Client(), func() {
		for range 3 {
			waitUpdate(t, adapter.Updates(), 30*time.Second, func(u common.SessionUpdate) bool {
				return strings.HasPrefix(u.Flash, "token refreshed, ")
			})
		}
	})
	seen := map[int64]int{}
	nodes := map[string]int{}
	deadline := time.Now().Add(10 * time.Second)
	for int64(len(seen)) < last && time.Now().Before(deadline) {
		nctx, cancel := context.WithDeadline(ctx, deadline)
		rs, err := stream.Next(nctx, 256)
		cancel()
		if err != nil {
			break
		}
		for _, r := range rs {
			m := monLine.FindStringSubmatch(r.Str)
			if m == nil {
				if strings.Contains(r.Str, `"m:`) {
					t.Fatalf("an untagged or unexpected MONITOR line: %q", r.Str)
				}
				continue
			}
			n, _ := strconv.ParseInt(m[2], 10, 64)
			seen[n]++
			nodes[m[1]]++
		}
	}
	for n := int64(1); n <= last; n++ {
		if seen[n] != 1 {
			t.Fatalf("SET m:%d seen %d times (of %d SETs)", n, seen[n], last)
		}
	}
	if len(nodes) != len(d.Cluster.Gates) {
		t.Fatalf("lines came from %d nodes %v; the cluster has %d primaries", len(nodes), nodes, len(d.Cluster.Gates))
	}
	t.Logf("%d SETs across 3 rotations, each seen once; per node %v", last, nodes)
}
