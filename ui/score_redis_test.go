package ui

import (
	"context"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/internal/redistest"
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"
)

// The sorted-set view prints each score exactly as the server's own ZSCORE reply spells it.
func TestZSetScoresAsRedisPrintsThemRealRedis(t *testing.T) {
	srv := redistest.StartRedisServer(t)
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr, Protocol: 2}) // RESP2: ZSCORE as the server spells it
	t.Cleanup(func() { _ = rdb.Close() })
	ctx := context.Background()
	scores := []float64{12345678.9, 1e20, 123456789012345678, -0.5, 3, 0.25, 1e-300}
	for i, s := range scores {
		if err := rdb.ZAdd(ctx, "z", redis.Z{Score: s, Member: string(rune('a' + i))}).Err(); err != nil {
			t.Fatal(err)
		}
	}
	a, _ := testApp(t, goRedisStore{rdb}, uitest.NewFakeSession(common.SessionState{Profile: "local"}), 140, 24)
	start(t, a)
	drain(t, a, a.runCommand("open z"))
	if len(a.viewer.Page.Rows) != len(scores) {
		t.Fatalf("rows %v", a.viewer.Page.Rows)
	}
	for _, row := range a.viewer.Page.Rows {
		want, err := rdb.Do(ctx, "ZSCORE", "z", row[1]).Text()
		if err != nil {
			t.Fatal(err)
		}
		if row[0] != want {
			t.Errorf("member %s: shown %q, redis-server prints %q", row[1], row[0], want)
		}
	}
}
