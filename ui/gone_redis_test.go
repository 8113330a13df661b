package ui

import (
	"context"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/internal/redistest"
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"
)

// A key deleted after the list read it says "this key no longer exists" when opened (it used
// to show as an empty string that e could edit, and save recreated it), and leaves the list.
func TestKeyGoneWhileOpeningRealRedis(t *testing.T) {
	srv := redistest.StartRedisServer(t)
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr})
	t.Cleanup(func() { _ = rdb.Close() })
	ctx := context.Background()
	rdb.Set(ctx, "soon-gone", "v", 0)
	rdb.HSet(ctx, "hash-gone", "f", "v")
	rdb.Set(ctx, "empty", "", 0)
	a, _ := testApp(t, goRedisStore{rdb}, uitest.NewFakeSession(common.SessionState{Profile: "local"}), 120, 20)
	start(t, a)
	for _, k := range []string{"soon-gone", "hash-gone"} {
		if !a.browser.Keys.Has(k) {
			t.Fatalf("%s not listed", k)
		}
		rdb.Del(ctx, k) // after the list read its type
		drain(t, a, func() tea.Msg { return common.OpenKeyMsg{Key: k, Meta: a.browser.Meta[k], Has: true} })
		view := common.AnsiStrip(a.Render())
		if !strings.Contains(view, "this key no longer exists (deleted or expired)") {
			t.Fatalf("%s: not said gone:\n%s", k, view)
		}
		if a.browser.Keys.Has(k) {
			t.Fatalf("%s still in the list", k)
		}
		press(t, a, "e")
		if !strings.Contains(common.AnsiStrip(a.Render()), "nothing to edit") || rdb.Exists(ctx, k).Val() != 0 {
			t.Fatalf("%s: e offered an edit or recreated the key:\n%s", k, a.Render())
		}
		press(t, a, "esc")
	}
	// An empty string exists: it opens as one.
	drain(t, a, a.runCommand("open empty"))
	if view := common.AnsiStrip(a.Render()); !strings.Contains(view, "string · TTL - · MEMORY") || !strings.Contains(view, "STRLEN 0 bytes") || !a.browser.Keys.Has("empty") {
		t.Fatalf("the empty string was taken for a gone key:\n%s", view)
	}
}
