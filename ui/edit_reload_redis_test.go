package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/internal/redistest"
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"
)

// After an $EDITOR save the header's MEMORY and size are re-read (they used to keep the values
// of before the edit), and a save refused because the value changed on the server shows what
// the server holds now.
func TestEditRefreshesHeaderAndRefusedSaveReloadsRealRedis(t *testing.T) {
	srv := redistest.StartRedisServer(t)
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr})
	t.Cleanup(func() { _ = rdb.Close() })
	ctx := context.Background()
	rdb.Set(ctx, "s", "small", 0)
	rdb.HSet(ctx, "h", "f", "a\nb")
	a, _ := testApp(t, goRedisStore{rdb}, uitest.NewFakeSession(common.SessionState{Profile: "local"}), 140, 20)
	start(t, a)
	header := func() string { return strings.SplitN(common.AnsiStrip(a.Render()), "\n", 4)[2] }

	drain(t, a, a.runCommand("open s"))
	before := header()
	fakeEditor(t, a, `head -c 20000 /dev/zero | tr '\0' x > "$1"`, nil)
	press(t, a, "e")
	after := header()
	mem := rdb.MemoryUsage(ctx, "s").Val()
	if !strings.Contains(after, "STRLEN 20,000 bytes") || !strings.Contains(after, "MEMORY "+common.Bytesize(mem)) || after == before {
		t.Fatalf("header not refreshed after the edit:\nbefore %q\nafter  %q (MEMORY USAGE %d)", before, after, mem)
	}
	if m := a.browser.Meta["s"]; m.Memory != mem {
		t.Fatalf("the list's MEM for s is %d, the server says %d", m.Memory, mem)
	}

	// A string changed on the server while the editor was open: not saved, and shown.
	fakeEditor(t, a, `printf 'mine' > "$1"`, func() { rdb.Set(ctx, "s", "theirs, longer than before", 0) })
	press(t, a, "e")
	view := common.AnsiStrip(a.Render())
	if rdb.Get(ctx, "s").Val() != "theirs, longer than before" || !strings.Contains(view, "changed on the server") ||
		!strings.Contains(view, "theirs, longer than before") || !strings.Contains(view, "STRLEN 26 bytes") {
		t.Fatalf("the refused save did not show the server's value:\n%s", view)
	}

	// The same for a hash field (WATCH-checked).
	drain(t, a, a.runCommand("open h"))
	fakeEditor(t, a, `printf 'mine\nmine' > "$1"`, func() { rdb.HSet(ctx, "h", "f", "their value") })
	press(t, a, "e")
	view = common.AnsiStrip(a.Render())
	if rdb.HGet(ctx, "h", "f").Val() != "their value" || !strings.Contains(view, "their value") {
		t.Fatalf("the refused field save did not show the server's value:\n%s", view)
	}
}
