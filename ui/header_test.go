package ui

import (
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"

	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

func TestCountdown(t *testing.T) {
	s := common.NewStyles(true, true)
	base := common.SessionState{Expires: true, ExpiresAt: uitest.T0.Add(10 * time.Minute)}
	cases := []struct {
		name string
		st   func(common.SessionState) common.SessionState
		now  time.Time
		want string
	}{
		{"normal", nil, uitest.T0, "token 10:00"},
		{"recomputed from expiry", nil, uitest.T0.Add(7*time.Minute + 30*time.Second + 900*time.Millisecond), "token 02:29"},
		{"hours", func(s common.SessionState) common.SessionState {
			s.ExpiresAt = uitest.T0.Add(75 * time.Minute)
			return s
		}, uitest.T0, "token 1:15:00"},
		{"refreshing", func(s common.SessionState) common.SessionState { s.Refreshing = true; return s }, uitest.T0.Add(6 * time.Minute), "token 04:00 · refreshing…"},
		{"retrying", func(s common.SessionState) common.SessionState { s.RetryAt = uitest.T0.Add(8 * time.Second); return s }, uitest.T0, "token 10:00 · retrying in 8s"},
		{"retry passed", func(s common.SessionState) common.SessionState { s.RetryAt = uitest.T0.Add(-time.Second); return s }, uitest.T0, "token 10:00"},
		{"expired flag", func(s common.SessionState) common.SessionState { s.Expired = true; return s }, uitest.T0, "token expired"},
		{"expired by clock", nil, uitest.T0.Add(11 * time.Minute), "token expired"},
		{"no expiry", func(s common.SessionState) common.SessionState { s.Expires = false; return s }, uitest.T0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := base
			if c.st != nil {
				st = c.st(st)
			}
			got := stripANSI(common.CountdownView(s, st, c.now))
			if got != c.want {
				t.Fatalf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestCountdownColours(t *testing.T) {
	s := common.NewStyles(true, false)
	st := common.SessionState{Expires: true, ExpiresAt: uitest.T0.Add(10 * time.Minute)}
	at := func(left time.Duration) string { return common.CountdownView(s, st, st.ExpiresAt.Add(-left)) }
	ok, warn, danger := at(6*time.Minute), at(4*time.Minute), at(30*time.Second)
	if ok != s.CountOK.Render("token 06:00") || warn != s.CountWarn.Render("token 04:00") || danger != s.CountDanger.Render("token 00:30") {
		t.Fatalf("thresholds: %q %q %q", ok, warn, danger)
	}
}

func TestTickLoopIDs(t *testing.T) {
	sess := uitest.NewFakeSession(common.SessionState{Profile: "p", Expires: true, ExpiresAt: uitest.T0.Add(time.Hour)})
	a, _ := testApp(t, uitest.NewFakeStore(), sess, 80, 20)
	a.startTick()
	old := a.tickID
	a.startTick() // e.g. a restart: the old loop must die
	if _, cmd := a.Update(tickMsg{id: old}); cmd != nil {
		t.Fatal("a tick from an old loop scheduled another tick")
	}
	if _, cmd := a.Update(tickMsg{id: a.tickID}); cmd == nil {
		t.Fatal("the current loop stopped")
	}
}

func TestSessionUpdatesReachHeaderAndFooter(t *testing.T) {
	st := common.SessionState{Profile: "prod", Color: "red", Addr: "h:10000", Identity: "alice@contoso.com", ObjectID: "oid-1", Expires: true, ExpiresAt: uitest.T0.Add(2 * time.Minute)}
	sess := uitest.NewFakeSession(st)
	a, clk := testApp(t, uitest.NewFakeStore(), sess, 120, 20)
	start(t, a)
	if v := a.Render(); !strings.Contains(v, "token 02:00") {
		t.Fatalf("header:\n%s", v)
	}
	st.ExpiresAt = uitest.T0.Add(time.Hour)
	st.ReadOnly = true
	sess.Ch <- common.SessionUpdate{State: st, Flash: "token refreshed, 4 connections re-authenticated"}
	deliver(t, a)
	v := a.Render()
	for _, want := range []string{"token 1:00:00", "READ-ONLY", "token refreshed, 4 connections re-authenticated"} {
		if !strings.Contains(v, want) {
			t.Fatalf("missing %q:\n%s", want, v)
		}
	}
	if !a.c.ReadOnly {
		t.Fatal("read-only flag from the session not applied")
	}
	clk.advance(common.FlashTTL + time.Second)
	if strings.Contains(a.Render(), "token refreshed") {
		t.Fatal("flash did not expire")
	}
	// A closed channel ends listening without a new Cmd.
	close(sess.Ch)
	if _, cmd := a.Update(sessionMsg{ok: false}); cmd != nil {
		t.Fatal("listening continued after the channel closed")
	}
}

func TestHeaderNarrowKeepsEssentials(t *testing.T) {
	st := common.SessionState{Profile: "prod", Addr: "contoso.westeurope.redis.azure.net:10000", Identity: "alice@contoso.com", ObjectID: "00000000-1111-2222-3333-444444444444", ReadOnly: true, TLS: common.TLSOff, Expires: true, ExpiresAt: uitest.T0.Add(time.Minute * 3)}
	c := &common.Common{Styles: common.NewStyles(true, true), Now: func() time.Time { return uitest.T0 }}
	for _, w := range []int{160, 100, 70, 50} {
		got := stripANSI(headerView(c, st, true, w))
		if common.WidthOf(got) > w {
			t.Fatalf("w=%d: header is %d wide: %q", w, common.WidthOf(got), got)
		}
		for _, want := range []string{"prod", "READ-ONLY", "TLS OFF", "token 03:00"} {
			if w >= 70 && !strings.Contains(got, want) {
				t.Fatalf("w=%d: %q missing in %q", w, want, got)
			}
		}
		if !strings.HasSuffix(got, "token 03:00") {
			t.Fatalf("w=%d: countdown not kept: %q", w, got)
		}
	}
}

func TestResizeAndMouse(t *testing.T) {
	f := uitest.NewFakeStore()
	f.AddStrings("k", 200)
	a, _ := testApp(t, f, nil, 80, 20)
	start(t, a)
	a.Update(tea.WindowSizeMsg{Width: 60, Height: 10})
	for i, line := range strings.Split(a.Render(), "\n") {
		if common.WidthOf(line) > 60 {
			t.Fatalf("line %d wider than the terminal: %q", i, line)
		}
	}
	if n := strings.Count(a.Render(), "\n") + 1; n != 10 {
		t.Fatalf("%d lines for a 10-line terminal", n)
	}
	_, cmd := a.Update(tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	drain(t, a, cmd)
	if a.browser.Offset != 3 || a.browser.Cursor != 3 {
		t.Fatalf("wheel: offset %d cursor %d", a.browser.Offset, a.browser.Cursor)
	}
	// Row 2 of the list is at screen line 1 (header) + 2 (status, columns) + 2.
	_, cmd = a.Update(tea.MouseClickMsg{Button: tea.MouseLeft, Y: 5})
	drain(t, a, cmd)
	if a.browser.Cursor != 5 {
		t.Fatalf("click selected %d, want 5", a.browser.Cursor)
	}
	_, cmd = a.Update(tea.MouseClickMsg{Button: tea.MouseLeft, Y: 5})
	drain(t, a, cmd)
	if a.screen != screenValue || a.viewer.Key != "k5" {
		t.Fatalf("second click did not open k5 (screen %v, key %q)", a.screen, a.viewer.Key)
	}
}

func stripANSI(s string) string { return common.AnsiStrip(s) }
