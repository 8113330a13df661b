package ui

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/internal/redistest"
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/sessionstore"
	"github.com/amr-tui/amr-tui/ui/viewer"
)

// pieces are the bytes that broke names and values before: line breaks, ESC, NUL, invalid
// UTF-8, a right-to-left override, emoji, spaces, backslashes.
var pieces = []string{"\n", "\r", "\t", "\x1b", "\x00", "\xff", "\xc3", "🎉", "\u202e", " ", "\\", `\n`, "a", "b", "é", "中", ":", "x"}

func genBytes(r *rand.Rand, max int) string {
	var b strings.Builder
	for n := 1 + r.IntN(max); n > 0; n-- {
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	if r.IntN(12) == 0 {
		b.WriteString(strings.Repeat("\xfe64K", 64<<10/4)) // 64 KiB
	}
	return b.String()
}

// dumpAll is DUMP and PTTL of every key: what "nothing else changed" is checked against.
func dumpAll(t *testing.T, c *redis.Client) map[string]string {
	t.Helper()
	ctx := context.Background()
	out := map[string]string{}
	keys, err := c.Keys(ctx, "*").Result() // test-side, on a small database
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		d, err := c.Dump(ctx, k).Result()
		if err != nil {
			t.Fatal(err)
		}
		ttl := c.PTTL(ctx, k).Val()
		out[k] = d + "|ttl>0=" + strconv.FormatBool(ttl > 0)
	}
	return out
}

// sameExcept fails unless before and after hold the same keys with the same DUMP, except the
// keys named in changed (checked by the caller).
func sameExcept(t *testing.T, step string, before, after map[string]string, changed ...string) {
	t.Helper()
	skip := map[string]bool{}
	for _, k := range changed {
		skip[k] = true
	}
	for k, v := range before {
		if !skip[k] && after[k] != v {
			t.Fatalf("%s: key %q changed or vanished", step, k)
		}
	}
	for k := range after {
		if !skip[k] && before[k] == "" {
			t.Fatalf("%s: key %q appeared", step, k)
		}
	}
}

// paste gives text to the open prompt as a bracketed paste: the escaped form of bytes, as a
// user would type it (a 64 KiB value is not typed key by key).
func paste(t *testing.T, a *App, text string) {
	t.Helper()
	press(t, a, "ctrl+u")
	_, cmd := a.Update(tea.PasteMsg{Content: text})
	drain(t, a, cmd)
}

// selectKey rescans and puts the browser's cursor on k.
func selectKey(t *testing.T, a *App, k string) {
	t.Helper()
	a.screen = screenKeys
	drain(t, a, a.browser.Start("", ""))
	for i := 0; i < a.browser.Count(); i++ {
		if a.browser.KeyAt(i) == k {
			a.browser.Move(i, a.c.BodyHeight())
			return
		}
	}
	t.Fatalf("key %q not listed", k)
}

func openKey(t *testing.T, a *App, k string) {
	t.Helper()
	_, cmd := a.Update(common.OpenKeyMsg{Key: k})
	drain(t, a, cmd)
}

// selectRow puts the viewer's cursor on the row whose column col is want.
func selectRow(t *testing.T, a *App, col int, want string) {
	t.Helper()
	for i, r := range a.viewer.Page.Rows {
		if r[col] == want {
			a.viewer.Sel = i
			return
		}
	}
	t.Fatalf("row %q not shown", want)
}

// Every write path of the UI against a real redis-server, with generated names and values:
// after each action the server holds exactly the intended bytes and no other key changed; a
// refused or cancelled action changes nothing.
func TestWritePathsPropertyRealRedis(t *testing.T) {
	srv := redistest.StartRedisServer(t)
	admin := redis.NewClient(&redis.Options{Addr: srv.Addr})
	t.Cleanup(func() { _ = admin.Close() })
	uiClient := redis.NewClient(&redis.Options{Addr: srv.Addr})
	t.Cleanup(func() { _ = uiClient.Close() })
	ctx := context.Background()
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("AMR_PROP_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	t.Logf("seed %d (AMR_PROP_SEED=%d reruns it)", seed, seed)
	r := rand.New(rand.NewPCG(seed, 1))
	a, _ := testApp(t, sessionstore.NewClient(uiClient), nil, 160, 40)
	start(t, a)
	edFile := filepath.Join(t.TempDir(), "next")
	fakeEditor(t, a, `cat "`+edFile+`" > "$1"`, nil)
	fresh := func() string { // a name not in use
		for {
			if k := genBytes(r, 8); admin.Exists(ctx, k).Val() == 0 && len(k) < 1024 {
				return k
			}
		}
	}
	iterations := 8
	if testing.Short() {
		iterations = 2
	}
	for it := 0; it < iterations; it++ {
		step := func(s string) string { return fmt.Sprintf("iteration %d: %s", it, s) }
		typs := []string{"string", "hash", "list", "set", "zset", "stream"}
		names := map[string]string{}
		for _, typ := range typs {
			name, first, second := fresh(), genBytes(r, 6), genBytes(r, 6)
			before := dumpAll(t, admin)
			a.screen = screenKeys
			press(t, a, "a")
			paste(t, a, common.Escape(name))
			press(t, a, "enter")
			paste(t, a, typ)
			press(t, a, "enter")
			switch typ {
			case "zset":
				paste(t, a, common.Escape(first))
				press(t, a, "enter")
				paste(t, a, "12345678.9")
			case "hash":
				paste(t, a, common.Escape(first))
				press(t, a, "enter")
				paste(t, a, common.Escape(second))
			case "stream":
				paste(t, a, `"`+common.Escape(first)+`" "`+common.Escape(second)+`"`)
			default:
				paste(t, a, common.Escape(first))
			}
			press(t, a, "enter")
			ok := false
			switch typ {
			case "string":
				ok = admin.Get(ctx, name).Val() == first
			case "hash":
				ok = admin.HGet(ctx, name, first).Val() == second && admin.HLen(ctx, name).Val() == 1
			case "list":
				ok = admin.LIndex(ctx, name, 0).Val() == first && admin.LLen(ctx, name).Val() == 1
			case "set":
				ok = admin.SIsMember(ctx, name, first).Val() && admin.SCard(ctx, name).Val() == 1
			case "zset":
				ok = admin.ZScore(ctx, name, first).Val() == 12345678.9
			case "stream":
				es := admin.XRange(ctx, name, "-", "+").Val()
				ok = len(es) == 1 && es[0].Values[first] == second
			}
			if !ok {
				t.Fatalf("%s: add %s %q: server does not hold the intended value (flash %q)", step("add"), typ, name, a.c.FlashMsg.Text)
			}
			sameExcept(t, step("add "+typ), before, dumpAll(t, admin), name)
			names[typ] = name
		}

		// Rename onto an existing key, cancelled: nothing changes. Then a real rename.
		before := dumpAll(t, admin)
		selectKey(t, a, names["string"])
		press(t, a, "R")
		paste(t, a, common.Escape(names["stream"]))
		press(t, a, "enter")
		paste(t, a, "not the name")
		press(t, a, "enter")
		sameExcept(t, step("cancelled overwrite"), before, dumpAll(t, admin))
		to := fresh()
		press(t, a, "R")
		paste(t, a, common.Escape(to))
		press(t, a, "enter")
		after := dumpAll(t, admin)
		if after[to] != before[names["string"]] || after[names["string"]] != "" {
			t.Fatalf("%s: rename %q → %q did not move the value exactly (flash %q)", step("rename"), names["string"], to, a.c.FlashMsg.Text)
		}
		sameExcept(t, step("rename"), before, after, to, names["string"])
		names["string"] = to

		// TTL set, then persist.
		before = dumpAll(t, admin)
		selectKey(t, a, names["hash"])
		press(t, a, "x")
		paste(t, a, "1h30m")
		press(t, a, "enter")
		if d := admin.PTTL(ctx, names["hash"]).Val(); d < 89*time.Minute || d > 90*time.Minute {
			t.Fatalf("%s: TTL %v (flash %q)", step("ttl"), d, a.c.FlashMsg.Text)
		}
		press(t, a, "X")
		if d := admin.PTTL(ctx, names["hash"]).Val(); d != -1 {
			t.Fatalf("%s: persist left %v", step("persist"), d)
		}
		sameExcept(t, step("ttl/persist"), before, dumpAll(t, admin))

		// $EDITOR string edit (the file holds the value as is, or escaped when binary).
		before = dumpAll(t, admin)
		newVal := genBytes(r, 10) + "."
		openKey(t, a, names["string"])
		orig := admin.Get(ctx, names["string"]).Val()
		content := newVal
		if !viewer.EditorSafe(orig) {
			content = common.Escape(newVal)
		}
		if err := os.WriteFile(edFile, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		press(t, a, "e")
		if got := admin.Get(ctx, names["string"]).Val(); got != newVal {
			t.Fatalf("%s: $EDITOR stored %q, want %q (flash %q)", step("editor"), got, newVal, a.c.FlashMsg.Text)
		}
		sameExcept(t, step("editor"), before, dumpAll(t, admin), names["string"])

		// Hash field edit: one-line when it can be shown exactly, $EDITOR otherwise.
		field := admin.HKeys(ctx, names["hash"]).Val()[0]
		editMember := func(key string, col int, want, newVal string, read func() string) {
			t.Helper()
			before := dumpAll(t, admin)
			openKey(t, a, key)
			selectRow(t, a, col, want)
			orig := a.viewer.Page.Rows[a.viewer.Sel][1]
			content := newVal
			if !viewer.EditorSafe(orig) {
				content = common.Escape(newVal)
			}
			if err := os.WriteFile(edFile, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			press(t, a, "e")
			if a.viewer.Input != nil {
				paste(t, a, common.Escape(newVal))
				press(t, a, "enter")
			}
			if got := read(); got != newVal {
				t.Fatalf("%s: stored %q, want %q (flash %q)", step("edit member of "+key), got, newVal, a.c.FlashMsg.Text)
			}
			sameExcept(t, step("edit member"), before, dumpAll(t, admin), key)
		}
		hv := genBytes(r, 6) + "."
		editMember(names["hash"], 0, field, hv, func() string { return admin.HGet(ctx, names["hash"], field).Val() })
		lv := genBytes(r, 6) + "."
		editMember(names["list"], 0, "0", lv, func() string { return admin.LIndex(ctx, names["list"], 0).Val() })

		// Sorted-set score edit.
		before = dumpAll(t, admin)
		openKey(t, a, names["zset"])
		a.viewer.Sel = 0
		press(t, a, "e")
		paste(t, a, "-0.5")
		press(t, a, "enter")
		m := a.viewer.Page.Rows[0][1]
		if s := admin.ZScore(ctx, names["zset"], m).Val(); s != -0.5 {
			t.Fatalf("%s: score %v (flash %q)", step("zscore"), s, a.c.FlashMsg.Text)
		}
		sameExcept(t, step("zscore"), before, dumpAll(t, admin), names["zset"])

		// Member add (set; an existing hash field asked and declined) and delete; stream add.
		before = dumpAll(t, admin)
		openKey(t, a, names["set"])
		sm := genBytes(r, 6)
		press(t, a, "a")
		paste(t, a, common.Escape(sm))
		press(t, a, "enter")
		if !admin.SIsMember(ctx, names["set"], sm).Val() {
			t.Fatalf("%s: SADD %q missing (flash %q)", step("sadd"), sm, a.c.FlashMsg.Text)
		}
		selectRow(t, a, 0, sm)
		press(t, a, "d", "y")
		if admin.SIsMember(ctx, names["set"], sm).Val() {
			t.Fatalf("%s: SREM %q", step("srem"), sm)
		}
		sameExcept(t, step("sadd/srem"), before, dumpAll(t, admin))

		before = dumpAll(t, admin)
		openKey(t, a, names["hash"])
		press(t, a, "a")
		paste(t, a, common.Escape(field))
		press(t, a, "enter", "n")
		sameExcept(t, step("declined field overwrite"), before, dumpAll(t, admin))

		openKey(t, a, names["stream"])
		f1, v1 := genBytes(r, 5), genBytes(r, 5)
		press(t, a, "a")
		paste(t, a, `"`+common.Escape(f1)+`" "`+common.Escape(v1)+`"`)
		press(t, a, "enter")
		es := admin.XRange(ctx, names["stream"], "-", "+").Val()
		if len(es) != 2 || es[1].Values[f1] != v1 {
			t.Fatalf("%s: XADD %q=%q: %v (flash %q)", step("xadd"), f1, v1, es, a.c.FlashMsg.Text)
		}
		sameExcept(t, step("xadd"), before, dumpAll(t, admin), names["stream"])
	}
}
