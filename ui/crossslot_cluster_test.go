package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/sessionstore"
)

// TestCrossSlotRenameExplainedOnCluster: on a real redis-server cluster, renaming a key to a
// name in another hash slot is refused by the server (CROSSSLOT), and the browser says which
// name is in which slot, names escaped byte for byte, and that nothing changed.
func TestCrossSlotRenameExplainedOnCluster(t *testing.T) {
	emutest.RedisServerPath(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	rc, err := emulator.StartRedisCluster(ctx, emulator.RedisClusterOptions{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rc.Close)
	cc := redis.NewClusterClient(&redis.ClusterOptions{Addrs: []string{rc.Nodes[0].Addr}})
	t.Cleanup(func() { _ = cc.Close() })
	const from, to = "we\x01ird\nkey", "other\tname"
	if common.KeySlot(from) == common.KeySlot(to) {
		t.Fatal("the test's names share a slot")
	}
	if err := cc.Set(ctx, from, "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	a, _ := testApp(t, sessionstore.NewClient(cc), nil, 200, 20)
	start(t, a)
	if k, ok := a.browser.Selected(); !ok || k != from {
		t.Fatalf("selected %q", k)
	}
	press(t, a, "R", "ctrl+u")
	typeText(t, a, `other\tname`)
	press(t, a, "enter")
	flash := a.c.FlashMsg.Text
	want := common.CrossSlotMessage(from, to)
	if !strings.Contains(flash, want) || !strings.Contains(flash, `we\x01ird\nkey`) {
		t.Fatalf("flash %q\nwant it to contain %q", flash, want)
	}
	if n, _ := cc.Exists(ctx, from).Result(); n != 1 {
		t.Fatal("the key is gone after a refused rename")
	}
	if k, ok := a.browser.Selected(); !ok || k != from {
		t.Fatalf("the list changed after a refused rename: %q", k)
	}
}
