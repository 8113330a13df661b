package ui

import (
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"

	"strings"
	"testing"
	"time"
)

// A cluster session shows its clustering policy and shard count where a standalone one shows
// its database, and keeps it at every width the database would be kept.
func TestHeaderShowsClusterPolicyAndShards(t *testing.T) {
	st := common.SessionState{Profile: "big", Addr: "big.westeurope.redis.azure.net:10000", Cluster: true, Shards: 3,
		Expires: true, ExpiresAt: uitest.T0.Add(3 * time.Minute)}
	c := &common.Common{Styles: common.NewStyles(true, true), Now: func() time.Time { return uitest.T0 }}
	for _, w := range []int{160, 70} {
		got := stripANSI(headerView(c, st, true, w))
		if !strings.Contains(got, "OSS cluster · 3 shards") || strings.Contains(got, "db 0") {
			t.Fatalf("w=%d: %q", w, got)
		}
	}
	for shards, want := range map[int]string{0: "OSS cluster  ", 1: "OSS cluster · 1 shard "} {
		st.Shards = shards
		if got := stripANSI(headerView(c, st, true, 160)); !strings.Contains(got, want) {
			t.Fatalf("%d shards: %q", shards, got)
		}
	}
}
