package ui

import (
	"github.com/amr-tui/amr-tui/ui/infopanel"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"

	"context"
	"errors"
	"strings"
	"testing"
)

func TestInfoPanelTabs(t *testing.T) {
	f := uitest.NewFakeStore()
	f.AddStrings("k", 2)
	a, clk := testApp(t, f, nil, 120, 20)
	start(t, a)
	drain(t, a, a.runCommand("info"))
	if got := f.CallsOf("INFO"); len(got) != 1 || got[0] != "INFO all" {
		t.Fatalf("INFO calls %v", got)
	}
	v := stripANSI(a.Render())
	for _, want := range []string{"1 INFO", "2 CLIENTS", "3 SLOWLOG", "[all] server memory keyspace", "redis_version"} {
		if !strings.Contains(v, want) {
			t.Fatalf("INFO tab lacks %q:\n%s", want, v)
		}
	}
	press(t, a, "]")
	if got := f.CallsOf("INFO"); got[len(got)-1] != "INFO server" || !strings.Contains(stripANSI(a.Render()), "all [server]") {
		t.Fatalf("section picker: %v\n%s", got, stripANSI(a.Render()))
	}

	press(t, a, "tab")
	v = stripANSI(a.Render())
	for _, want := range []string{"ADDR", "USER", "127.0.0.1:50100", "amr-tui", "alice", "client|list", "1h00m", "2 rows"} {
		if !strings.Contains(v, want) {
			t.Fatalf("CLIENTS tab lacks %q:\n%s", want, v)
		}
	}
	press(t, a, "3")
	v = stripANSI(a.Render())
	for _, want := range []string{"DURATION", "12.3ms", "850µs", "KEYS *", "HGETALL user:1:profile", "127.0.0.1:50100 (amr-tui)", "2026-11-22 11:58:30"} {
		if !strings.Contains(v, want) {
			t.Fatalf("SLOWLOG tab lacks %q:\n%s", want, v)
		}
	}

	// Refreshed by the clock loop while shown, not before the interval, not when paused.
	n := len(f.CallsOf("SLOWLOG"))
	tickNow := func() {
		_, cmd := a.Update(tickMsg{id: a.tickID})
		drain(t, a, cmd)
	}
	tickNow()
	if len(f.CallsOf("SLOWLOG")) != n {
		t.Fatal("refreshed before the interval")
	}
	clk.advance(infopanel.RefreshEvery)
	tickNow()
	if len(f.CallsOf("SLOWLOG")) != n+1 {
		t.Fatal("not refreshed after the interval")
	}
	press(t, a, "p")
	clk.advance(infopanel.RefreshEvery)
	tickNow()
	if len(f.CallsOf("SLOWLOG")) != n+1 || !strings.Contains(a.Render(), "paused") {
		t.Fatal("refreshed while paused")
	}
	press(t, a, "p")
	if len(f.CallsOf("SLOWLOG")) != n+2 {
		t.Fatal("resume does not read at once")
	}
	press(t, a, "esc")
	clk.advance(infopanel.RefreshEvery)
	tickNow()
	if len(f.CallsOf("SLOWLOG")) != n+2 {
		t.Fatal("refreshed while hidden")
	}
}

// A tab the identity may not read says so; the other tabs still work.
func TestInfoPanelNotPermitted(t *testing.T) {
	f := uitest.NewFakeStore()
	f.SlowErr = errors.New("NOPERM User reader has no permissions to run the 'slowlog|get' command")
	f.ClientErr = errors.New("ERR unknown command 'CLIENT', with args beginning with: 'LIST'")
	a, _ := testApp(t, f, nil, 140, 20)
	start(t, a)
	drain(t, a, a.runCommand("info"))
	press(t, a, "2")
	if v := stripANSI(a.Render()); !strings.Contains(v, "not permitted: ERR unknown command 'CLIENT'") {
		t.Fatalf("CLIENTS:\n%s", v)
	}
	press(t, a, "3")
	if v := stripANSI(a.Render()); !strings.Contains(v, "not permitted: NOPERM User reader") {
		t.Fatalf("SLOWLOG:\n%s", v)
	}
	press(t, a, "1")
	if v := stripANSI(a.Render()); !strings.Contains(v, "redis_version") || strings.Contains(v, "not permitted") {
		t.Fatalf("INFO after denied tabs:\n%s", v)
	}
	f.InfoErr = errors.New("connection reset by peer")
	press(t, a, "r")
	if v := stripANSI(a.Render()); !strings.Contains(v, "failed: connection reset") {
		t.Fatalf("INFO failure:\n%s", v)
	}
}

func TestInfoPanelShards(t *testing.T) {
	f := uitest.NewFakeStore()
	a, _ := testApp(t, uitest.ShardedFake{FakeStore: f}, nil, 120, 20)
	start(t, a)
	drain(t, a, a.runCommand("info"))
	press(t, a, "4")
	v := stripANSI(a.Render())
	for _, want := range []string{"4 SHARDS", "10.0.0.1:7000", "master", "1.50M", "120", "10.0.0.2:7000", "not permitted: NOPERM"} {
		if !strings.Contains(v, want) {
			t.Fatalf("SHARDS tab lacks %q:\n%s", want, v)
		}
	}
}

// allDenied refuses INFO all (as some managed services do) but answers plain INFO.
type allDenied struct{ *uitest.FakeStore }

func (s allDenied) Info(ctx context.Context, section string) (string, error) {
	if section == "all" {
		return "", errors.New("ERR syntax error")
	}
	return s.FakeStore.Info(ctx, section)
}

func TestInfoAllFallsBackToDefault(t *testing.T) {
	f := uitest.NewFakeStore()
	a, _ := testApp(t, allDenied{f}, nil, 120, 20)
	start(t, a)
	drain(t, a, a.runCommand("info"))
	if v := stripANSI(a.Render()); !strings.Contains(v, "redis_version") || strings.Contains(v, "failed") {
		t.Fatalf("INFO all refused, INFO default not shown:\n%s", v)
	}
	if got := f.CallsOf("INFO"); len(got) != 1 || got[0] != "INFO default" {
		t.Fatalf("INFO calls %v", got)
	}
}

func TestInfoPanelWithoutCapabilities(t *testing.T) {
	f := uitest.NewFakeStore()
	a, _ := testApp(t, plainStore{f}, nil, 120, 20)
	start(t, a)
	drain(t, a, a.runCommand("info"))
	if v := stripANSI(a.Render()); !strings.Contains(v, "this connection cannot run INFO") || strings.Contains(v, "failed:") {
		t.Fatalf("INFO without InfoReader:\n%s", v)
	}
	press(t, a, "2")
	if v := stripANSI(a.Render()); !strings.Contains(v, "cannot list clients") || strings.Contains(v, "4 SHARDS") {
		t.Fatalf("CLIENTS without ServerReader:\n%s", v)
	}
	if n := len(f.CallsOf("INFO")) + len(f.CallsOf("CLIENT")); n != 0 {
		t.Fatalf("%d calls without the capabilities", n)
	}
}
