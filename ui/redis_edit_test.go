package ui

import (
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"

	"context"
	"slices"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/internal/redistest"
)

// The new actions end to end against a real redis-server: :db, list delete by index and
// push, XADD/XDEL, and the server panel as an ACL user denied CLIENT and SLOWLOG.
func TestEditingAndServerPanelRealRedis(t *testing.T) {
	srv := redistest.StartRedisServer(t)
	admin := redis.NewClient(&redis.Options{Addr: srv.Addr})
	t.Cleanup(func() { _ = admin.Close() })
	ctx := context.Background()
	if err := admin.Do(ctx, "ACL", "SETUSER", "reader", "on", ">pw", "~*", "+@all", "-client", "-slowlog").Err(); err != nil {
		t.Fatal(err)
	}
	admin.RPush(ctx, "l", "a", "b", "a", "c")
	admin.XAdd(ctx, &redis.XAddArgs{Stream: "s", ID: "1-0", Values: []string{"k", "v"}})
	db3 := redis.NewClient(&redis.Options{Addr: srv.Addr, DB: 3})
	t.Cleanup(func() { _ = db3.Close() })
	db3.Set(ctx, "three:1", "x", 0)
	db3.Set(ctx, "three:2", "y", 0)

	c := redis.NewClient(&redis.Options{Addr: srv.Addr, Username: "reader", Password: "pw"})
	t.Cleanup(func() { _ = c.Close() })
	a, _ := testApp(t, goRedisStore{c}, uitest.NewFakeSession(common.SessionState{Profile: "local"}), 140, 24)
	start(t, a)

	// Delete element 2 (the second "a") by index, then append and prepend.
	drain(t, a, a.runCommand("open l"))
	press(t, a, "j", "j", "d", "y")
	if got := admin.LRange(ctx, "l", 0, -1).Val(); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Fatalf("after delete by index: %v", got)
	}
	press(t, a, "a")
	typeText(t, a, "d")
	press(t, a, "enter", "i")
	typeText(t, a, "z")
	press(t, a, "enter")
	if got := admin.LRange(ctx, "l", 0, -1).Val(); !slices.Equal(got, []string{"z", "a", "b", "c", "d"}) {
		t.Fatalf("after RPUSH/LPUSH: %v", got)
	}
	if rows := a.viewer.Page.Rows; len(rows) != 5 || rows[0][1] != "z" {
		t.Fatalf("viewer not re-read: %v", rows)
	}

	// XADD with a quoted value, then XDEL the first entry.
	drain(t, a, a.runCommand("open s"))
	press(t, a, "a")
	typeText(t, a, `note "two words"`)
	press(t, a, "enter")
	es := admin.XRange(ctx, "s", "-", "+").Val()
	if len(es) != 2 || es[1].Values["note"] != "two words" {
		t.Fatalf("after XADD: %+v", es)
	}
	press(t, a, "g", "d", "y")
	if es := admin.XRange(ctx, "s", "-", "+").Val(); len(es) != 1 || es[0].ID == "1-0" {
		t.Fatalf("after XDEL: %+v", es)
	}

	// The server panel: INFO works, CLIENT and SLOWLOG are not permitted for this user.
	drain(t, a, a.runCommand("info"))
	if v := stripANSI(a.Render()); !strings.Contains(v, "redis_version") || !strings.Contains(v, "[all] server") {
		t.Fatalf("INFO tab:\n%s", v)
	}
	press(t, a, "2")
	if v := stripANSI(a.Render()); !strings.Contains(v, "not permitted: NOPERM") {
		t.Fatalf("CLIENTS tab:\n%s", v)
	}
	press(t, a, "3")
	if v := stripANSI(a.Render()); !strings.Contains(v, "not permitted: NOPERM") {
		t.Fatalf("SLOWLOG tab:\n%s", v)
	}
	press(t, a, "1")
	if v := stripANSI(a.Render()); !strings.Contains(v, "redis_version") {
		t.Fatalf("INFO after denied tabs:\n%s", v)
	}
	press(t, a, "esc")

	// :db 3 shows database 3's keys and DBSIZE; an out-of-range database changes nothing.
	drain(t, a, a.runCommand("db 3"))
	if got := keysOf(a.browser); len(got) != 2 || a.browser.DBSize != 2 || a.state.DB != 3 {
		t.Fatalf("after :db 3: keys %v DBSIZE %d header db %d", got, a.browser.DBSize, a.state.DB)
	}
	if v := stripANSI(a.Render()); !strings.Contains(v, "db 3") {
		t.Fatalf("header:\n%s", v)
	}
	drain(t, a, a.runCommand("db 99"))
	if a.state.DB != 3 || !strings.Contains(a.c.FlashMsg.Text, "out of range") {
		t.Fatalf(":db 99: header db %d, flash %q", a.state.DB, a.c.FlashMsg.Text)
	}
	if n, _ := a.c.Store.DBSize(ctx); n != 2 {
		t.Fatal("a refused :db moved the store")
	}
}
