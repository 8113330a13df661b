package ui

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/bulk"
	"github.com/amr-tui/amr-tui/internal/redistest"
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"
)

// goRedisStore runs the bulk actions on its client, as ui/sessionstore does.
func (s goRedisStore) BulkPreview(ctx context.Context, sel bulk.Selection, o bulk.PreviewOptions, ctl *bulk.Control) (bulk.PreviewResult, error) {
	return bulk.Preview(ctx, s.c, sel, o, ctl)
}
func (s goRedisStore) BulkDelete(ctx context.Context, sel bulk.Selection, o bulk.MutateOptions) (bulk.Report, error) {
	return bulk.Delete(ctx, s.c, sel, o)
}
func (s goRedisStore) BulkExpire(ctx context.Context, sel bulk.Selection, spec bulk.ExpireSpec, o bulk.MutateOptions) (bulk.Report, error) {
	return bulk.Expire(ctx, s.c, sel, spec, o)
}
func (s goRedisStore) BulkExport(ctx context.Context, sel bulk.Selection, w io.Writer, o bulk.ExportOptions) (bulk.Report, error) {
	return bulk.Export(ctx, s.c, sel, w, o)
}

var _ common.BulkRunner = goRedisStore{}

func space() tea.KeyPressMsg { return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "} }
func ctrlA() tea.KeyPressMsg { return tea.KeyPressMsg{Code: 'a', Mod: tea.ModCtrl} }

func send(t *testing.T, a *App, msgs ...tea.KeyPressMsg) {
	t.Helper()
	for _, m := range msgs {
		_, cmd := a.Update(m)
		drain(t, a, cmd)
	}
}

// Marks in the key list, a mark-all of the pattern counted on the server, and the bulk
// actions on them with a preview and the typed profile name, against a real redis-server.
func TestMarksAndBulkActionsRealRedis(t *testing.T) {
	srv := redistest.StartRedisServer(t)
	c := redis.NewClient(&redis.Options{Addr: srv.Addr})
	t.Cleanup(func() { _ = c.Close() })
	ctx := context.Background()
	for i := range 30 {
		c.Set(ctx, "tmp:"+string(rune('a'+i%26))+strings.Repeat("z", i/26)+"\x1b", "v", 0)
	}
	for i := range 5 {
		c.Set(ctx, "keep:"+string(rune('a'+i)), "v", 0)
	}
	a, _ := testApp(t, goRedisStore{c}, uitest.NewFakeSession(common.SessionState{Profile: "local"}), 140, 24)
	start(t, a)

	// Two keys marked with space; delete asks for the profile name; a wrong one changes nothing.
	first, second := a.browser.KeyAt(0), a.browser.KeyAt(1)
	send(t, a, space(), space())
	if n := a.browser.Marks.Count(); n != 2 || !strings.Contains(stripANSI(a.Render()), "2 marked") {
		t.Fatalf("marks: %d\n%s", n, stripANSI(a.Render()))
	}
	press(t, a, "d")
	if v := stripANSI(a.Render()); !strings.Contains(v, "delete 2 keys") || !strings.Contains(v, "type local to confirm") || strings.Contains(v, "\x1b[31") {
		t.Fatalf("no preview/confirmation:\n%s", v)
	}
	typeText(t, a, "prod")
	press(t, a, "enter")
	if c.DBSize(ctx).Val() != 35 {
		t.Fatal("deleted without the right profile name")
	}
	press(t, a, "d")
	typeText(t, a, "local")
	press(t, a, "enter")
	if c.DBSize(ctx).Val() != 33 || c.Exists(ctx, first, second).Val() != 0 {
		t.Fatalf("delete of the 2 marks: %d keys left", c.DBSize(ctx).Val())
	}

	// Mark all matching tmp:* (counted on the server), then set a TTL on them.
	press(t, a, "s")
	for range 10 {
		press(t, a, "backspace")
	}
	typeText(t, a, "tmp:*")
	press(t, a, "enter")
	tmps := int64(len(c.Keys(ctx, "tmp:*").Val())) // the two deleted were any two keys
	send(t, a, ctrlA())
	waitFor(t, a, func() bool { return a.browser.Marks.Count() == tmps })
	if v := stripANSI(a.Render()); !strings.Contains(v, "all matching marked: "+strconv.FormatInt(tmps, 10)) {
		t.Fatalf("mark-all status:\n%s", v)
	}
	press(t, a, "x")
	typeText(t, a, "1h")
	press(t, a, "enter")
	typeText(t, a, "local")
	press(t, a, "enter")
	waitFor(t, a, func() bool { return a.browser.BulkActive() == false })
	var withTTL int
	for _, k := range c.Keys(ctx, "*").Val() {
		if c.TTL(ctx, k).Val() > 0 {
			withTTL++
			if !strings.HasPrefix(k, "tmp:") {
				t.Fatalf("%q got a TTL", k)
			}
		}
	}
	if int64(withTTL) != tmps {
		t.Fatalf("%d keys with a TTL, want %d", withTTL, tmps)
	}

	// Export the marked keys (no confirmation: reading).
	send(t, a, ctrlA())
	waitFor(t, a, func() bool { return a.browser.Marks.Count() == tmps })
	path := filepath.Join(t.TempDir(), "tmp.jsonl")
	press(t, a, "E")
	typeText(t, a, path)
	press(t, a, "enter")
	waitFor(t, a, func() bool { return !a.browser.BulkActive() })
	b, err := os.ReadFile(path)
	if err != nil || int64(strings.Count(string(b), "\n")) != tmps+1 {
		t.Fatalf("export: %v, %d lines", err, strings.Count(string(b), "\n"))
	}

	// Read-only: refused before anything is sent.
	a.c.ReadOnly = true
	press(t, a, "d")
	if c.DBSize(ctx).Val() != 33 || !strings.Contains(stripANSI(a.Render()), "read-only") {
		t.Fatalf("read-only delete:\n%s", stripANSI(a.Render()))
	}
}

// waitFor drains ticks until cond holds (bulk jobs run in their own goroutines).
func waitFor(t *testing.T, a *App, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out:\n%s", stripANSI(a.Render()))
		}
		time.Sleep(20 * time.Millisecond)
	}
}
