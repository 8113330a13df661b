package ui

import (
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"

	"errors"
	"slices"
	"strings"
	"testing"
)

func TestDBSwitch(t *testing.T) {
	f := uitest.NewFakeStore()
	f.AddStrings("zero:", 3)
	other, _ := f.SelectDB(t.Context(), 2)
	other.(*uitest.FakeStore).AddStrings("two:", 2)
	f.Calls = nil
	a, _ := testApp(t, f, uitest.NewFakeSession(common.SessionState{Profile: "p"}), 100, 20)
	start(t, a)

	drain(t, a, a.runCommand("db 2"))
	if a.c.Store != other || a.state.DB != 2 {
		t.Fatalf("store or header not on database 2 (DB %d)", a.state.DB)
	}
	if got := keysOf(a.browser); !slices.Equal(got, []string{"two:0", "two:1"}) || a.browser.DBSize != 2 {
		t.Fatalf("after :db 2: keys %v, DBSIZE %d", got, a.browser.DBSize)
	}
	v := a.Render()
	if !strings.Contains(v, "db 2") || !strings.Contains(v, "database 2 selected") || !strings.Contains(v, "of 2 (DBSIZE)") {
		t.Fatalf("screen after :db 2:\n%s", v)
	}
	// A session update from an adapter that does not know about the switch keeps db 2.
	a.Update(sessionMsg{u: common.SessionUpdate{State: common.SessionState{Profile: "p"}}, ok: true})
	if a.state.DB != 2 {
		t.Fatalf("header went back to db %d", a.state.DB)
	}

	// :select is an alias; bad numbers are refused before any call.
	for _, bad := range []string{"select x", "db", "db -1", "db 1 2"} {
		drain(t, a, a.runCommand(bad))
		if !strings.Contains(a.c.FlashMsg.Text, ":db") {
			t.Fatalf(":%s flashed %q", bad, a.c.FlashMsg.Text)
		}
	}
	if n := len(f.CallsOf("SELECT")); n != 1 {
		t.Fatalf("SELECT calls %v", f.CallsOf("SELECT"))
	}
	// The server's refusal is shown and nothing changes.
	drain(t, a, a.runCommand("select 40"))
	if a.c.Store != other || a.state.DB != 2 || !strings.Contains(a.c.FlashMsg.Text, "database 40 not selected: ERR DB index is out of range") {
		t.Fatalf("refused SELECT: DB %d, flash %q", a.state.DB, a.c.FlashMsg.Text)
	}
	drain(t, a, a.runCommand("db 0"))
	if a.c.Store != f || !slices.Equal(keysOf(a.browser), []string{"zero:0", "zero:1", "zero:2"}) {
		t.Fatalf("back on database 0: %v", keysOf(a.browser))
	}
}

func TestDBSwitchRefused(t *testing.T) {
	f := uitest.NewFakeStore()
	f.SelectErr = errors.New("ERR unknown command 'SELECT' (this server does not support SELECT: Azure Managed Redis and clustered servers have only database 0)")
	a, _ := testApp(t, f, nil, 100, 20)
	start(t, a)
	drain(t, a, a.runCommand("db 1"))
	if a.c.Store != f || !strings.Contains(a.c.FlashMsg.Text, "only database 0") {
		t.Fatalf("flash %q", a.c.FlashMsg.Text)
	}

	// A store without the capability says so.
	b, _ := testApp(t, plainStore{f}, nil, 100, 20)
	start(t, b)
	drain(t, b, b.runCommand("db 1"))
	if !strings.Contains(b.c.FlashMsg.Text, "cannot switch databases") {
		t.Fatalf("flash %q", b.c.FlashMsg.Text)
	}
}

// plainStore hides every optional capability of a store.
type plainStore struct{ common.Store }

// A second :db while one is switching is refused: the session moves its one command client,
// so two switches in flight would race and the last to finish would win, whatever the header
// said.
func TestDBSwitchOneAtATime(t *testing.T) {
	f := uitest.NewFakeStore()
	a, _ := testApp(t, f, uitest.NewFakeSession(common.SessionState{Profile: "p"}), 100, 20)
	start(t, a)
	first := a.runCommand("db 2")
	if first == nil {
		t.Fatal(":db 2 started nothing")
	}
	if cmd := a.runCommand("db 3"); cmd != nil || !strings.Contains(a.c.FlashMsg.Text, "still running") {
		t.Fatalf(":db 3 during :db 2: cmd %v, flash %q", cmd != nil, a.c.FlashMsg.Text)
	}
	drain(t, a, first)
	if a.state.DB != 2 {
		t.Fatalf("after :db 2: DB %d", a.state.DB)
	}
	drain(t, a, a.runCommand("db 3"))
	if a.state.DB != 3 || !strings.Contains(a.c.FlashMsg.Text, "database 3 selected") {
		t.Fatalf("after :db 3: DB %d, flash %q", a.state.DB, a.c.FlashMsg.Text)
	}
	if n := len(f.CallsOf("SELECT")); n != 1 {
		t.Fatalf("SELECT calls on the first store %v", f.CallsOf("SELECT"))
	}
}

// After :db the session dials new connections on the selected database, the console's too:
// when the console's connection is replaced, its prompt shows that database, not the
// profile's.
func TestConsoleReconnectsOnTheSelectedDB(t *testing.T) {
	a, _ := consoleApp(t, devSession())
	if p := a.console.PromptText(); strings.Contains(p, "[") {
		t.Fatalf("prompt before :db: %q", p)
	}
	drain(t, a, a.runCommand("db 2"))
	if a.state.DB != 2 {
		t.Fatalf(":db 2 not applied: DB %d", a.state.DB)
	}
	// The console's own connection stays where it was until it is replaced.
	if p := a.console.PromptText(); strings.Contains(p, "[") {
		t.Fatalf("prompt right after :db: %q", p)
	}
	a.console.LostConnection()
	if p := a.console.PromptText(); !strings.Contains(p, "[2]") {
		t.Fatalf("prompt after the console reconnects: %q, want database 2", p)
	}
}

// A write that finishes after :db reports its outcome but leaves the new database's list
// alone: a key of the same name there is another key.
func TestActionReplyAfterDBSwitchChangesNothing(t *testing.T) {
	f := uitest.NewFakeStore()
	f.AddStrings("k", 1) // "k0"
	other, _ := f.SelectDB(t.Context(), 2)
	other.(*uitest.FakeStore).AddStrings("k", 1)
	f.Calls = nil
	a, _ := testApp(t, f, uitest.NewFakeSession(common.SessionState{Profile: "p"}), 100, 20)
	start(t, a)
	press(t, a, "d")
	_, del := a.Update(keyMsg("y"))
	if del == nil {
		t.Fatal("y started no delete")
	}
	drain(t, a, a.runCommand("db 2"))
	drain(t, a, del)
	if got := keysOf(a.browser); !slices.Equal(got, []string{"k0"}) {
		t.Fatalf("database 2's list after db 0's delete: %v", got)
	}
	if !strings.Contains(a.c.FlashMsg.Text, "deleted k0") {
		t.Fatalf("flash %q", a.c.FlashMsg.Text)
	}
}
