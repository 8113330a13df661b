package ui

import (
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/console"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"

	"testing"

	"github.com/amr-tui/amr-tui/rediscli"
)

// A profile switch replaces the console: the old stream and connection are closed, late
// replies of the old console are dropped, and the next :console opens on the new store.
func TestProfileSwitchReplacesTheConsole(t *testing.T) {
	a, oldConn := consoleApp(t, devSession())
	oldConn.NextStream = []rediscli.Reply{rediscli.Array(rediscli.Bulk("message"), rediscli.Bulk("ch"), rediscli.Bulk("hi"))}
	runLine(t, a, "SUBSCRIBE ch")
	if a.console.Stream == nil {
		t.Fatal("SUBSCRIBE did not start a stream")
	}
	old := a.console

	newConn := uitest.DemoConsole()
	newConn.Replies["PING"] = rediscli.Status("PONG")
	sess := uitest.NewFakeSession(common.SessionState{Profile: "prod", Addr: "10.0.0.1:10000"})
	drain(t, a, a.swap("prod", common.Opened{Store: uitest.ConsoleStore{FakeStore: demoStore(), Con: newConn}, Session: sess}))

	if a.console == old || a.console.Conn != nil {
		t.Fatal("the console of the old profile was kept")
	}
	if !oldConn.Streams[0].Closed() || oldConn.CloseCount() != 1 {
		t.Fatalf("old stream closed %v, old connection closed %d times; want both closed once",
			oldConn.Streams[0].Closed(), oldConn.CloseCount())
	}
	// The old console's open reply arriving late does not attach its connection.
	a.Update(console.OpenedMsg{Owner: old, Conn: oldConn})
	if a.console.Conn != nil {
		t.Fatal("a late reply of the replaced console was applied")
	}

	press(t, a, ":")
	typeText(t, a, "console")
	press(t, a, "enter")
	runLine(t, a, "PING")
	if got := newConn.SentLines(); len(got) != 1 || got[0] != "PING" {
		t.Fatalf("sent on the new connection: %q", got)
	}
	if a.console.Addr != "10.0.0.1:10000" {
		t.Fatalf("prompt address %q, want the new profile's", a.console.Addr)
	}
}
