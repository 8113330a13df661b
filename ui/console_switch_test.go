package ui

import (
	"testing"

	"github.com/amr-tui/amr-tui/rediscli"
)

// A profile switch replaces the console: the old stream and connection are closed, late
// replies of the old console are dropped, and the next :console opens on the new store.
func TestProfileSwitchReplacesTheConsole(t *testing.T) {
	a, oldConn := consoleApp(t, devSession())
	oldConn.stream = []rediscli.Reply{rediscli.Array(rediscli.Bulk("message"), rediscli.Bulk("ch"), rediscli.Bulk("hi"))}
	runLine(t, a, "SUBSCRIBE ch")
	if a.console.stream == nil {
		t.Fatal("SUBSCRIBE did not start a stream")
	}
	old := a.console

	newConn := demoConsole()
	newConn.replies["PING"] = rediscli.Status("PONG")
	sess := newFakeSession(SessionState{Profile: "prod", Addr: "10.0.0.1:10000"})
	drain(t, a, a.swap("prod", Opened{Store: consoleStore{fakeStore: demoStore(), con: newConn}, Session: sess}))

	if a.console == old || a.console.conn != nil {
		t.Fatal("the console of the old profile was kept")
	}
	if !oldConn.streams[0].closed() || oldConn.closeCount() != 1 {
		t.Fatalf("old stream closed %v, old connection closed %d times; want both closed once",
			oldConn.streams[0].closed(), oldConn.closeCount())
	}
	// The old console's open reply arriving late does not attach its connection.
	a.Update(consoleOpenedMsg{owner: old, conn: oldConn})
	if a.console.conn != nil {
		t.Fatal("a late reply of the replaced console was applied")
	}

	press(t, a, ":")
	typeText(t, a, "console")
	press(t, a, "enter")
	runLine(t, a, "PING")
	if got := newConn.sentLines(); len(got) != 1 || got[0] != "PING" {
		t.Fatalf("sent on the new connection: %q", got)
	}
	if a.console.addr != "10.0.0.1:10000" {
		t.Fatalf("prompt address %q, want the new profile's", a.console.addr)
	}
}
