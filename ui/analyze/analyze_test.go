package analyze

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/redis/go-redis/v9"

	engine "github.com/amr-tui/amr-tui/analyze"
	"github.com/amr-tui/amr-tui/internal/golden"
	"github.com/amr-tui/amr-tui/internal/redistest"
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"
)

func newTestModel(store common.Store) *Model {
	c := &common.Common{Width: 100, Height: 30, Body: 28, Styles: common.NewStyles(true, true), Keys: common.DefaultKeyMap(),
		Now: func() time.Time { return uitest.T0 }, Store: store, Ctx: context.Background(), Timeout: 10 * time.Second}
	return New(c)
}

func press(m *Model, keys ...string) tea.Cmd {
	var cmd tea.Cmd
	for _, k := range keys {
		var msg tea.KeyPressMsg
		switch k {
		case "enter":
			msg = tea.KeyPressMsg{Code: tea.KeyEnter}
		case "right":
			msg = tea.KeyPressMsg{Code: tea.KeyRight}
		case "left":
			msg = tea.KeyPressMsg{Code: tea.KeyLeft}
		case "down":
			msg = tea.KeyPressMsg{Code: tea.KeyDown}
		case "tab":
			msg = tea.KeyPressMsg{Code: tea.KeyTab}
		default:
			msg = tea.KeyPressMsg{Code: rune(k[0]), Text: k}
		}
		cmd = m.Update(msg)
	}
	return cmd
}

// Goldens of every tab with an injected report (a sample of a two-shard cluster with a
// binary key name), and of the progress line of a paused run.
func TestGolden(t *testing.T) {
	view := func(m *Model) []byte { return []byte(ansi.Strip(m.View(100, 28)) + "\n") }
	t.Run("overview", func(t *testing.T) {
		m := newTestModel(nil)
		m.SetReport(fixedReport())
		golden.Assert(t, "", view(m))
	})
	t.Run("namespaces", func(t *testing.T) {
		m := newTestModel(nil)
		m.SetReport(fixedReport())
		press(m, "2", "right") // expand user:
		golden.Assert(t, "", view(m))
	})
	t.Run("keys", func(t *testing.T) {
		m := newTestModel(nil)
		m.SetReport(fixedReport())
		press(m, "3", "down")
		golden.Assert(t, "", view(m))
	})
	t.Run("shards", func(t *testing.T) {
		m := newTestModel(nil)
		m.SetReport(fixedReport())
		press(m, "4")
		golden.Assert(t, "", view(m))
	})
	t.Run("paused", func(t *testing.T) {
		m := newTestModel(nil)
		m.run = &stubRun{}
		m.Progress = engine.Progress{Done: 45000, Total: 100000, Examined: 45000, Analyzed: 45000, KeysPerSec: 15000, ETA: 4 * time.Second, Paused: true}
		m.SetReport(fixedReport())
		golden.Assert(t, "", view(m))
	})
}

// Enter on a namespace asks App for the key list of its pattern; enter on a key asks for
// its value; ← collapses, → expands.
func TestDrillDown(t *testing.T) {
	m := newTestModel(nil)
	m.SetReport(fixedReport())
	press(m, "2")
	msg := press(m, "enter")()
	if got, ok := msg.(common.ShowKeysMsg); !ok || got.Pattern != "user:*" {
		t.Fatalf("enter on user: sent %#v", msg)
	}
	press(m, "right", "down")
	msg = press(m, "enter")()
	if got, ok := msg.(common.ShowKeysMsg); !ok || got.Pattern != "user:*:*" {
		t.Fatalf("enter on user:*: sent %#v", msg)
	}
	if !m.Captures(tea.KeyPressMsg{Code: tea.KeyLeft}) {
		t.Error("← is not the tree's on the namespaces tab")
	}
	press(m, "left") // to the parent
	if r, _ := m.current(); r.ns == nil || r.ns.Prefix != "user:" {
		t.Errorf("← from a child went to %+v", r)
	}
	press(m, "left")        // collapse
	if len(m.rows()) != 3 { // user:, img:, (no namespace)
		t.Errorf("collapsed tree has %d rows", len(m.rows()))
	}
	press(m, "3", "down")
	msg = press(m, "enter")()
	if got, ok := msg.(common.OpenKeyMsg); !ok || got.Key != "user:1:sessions" {
		t.Fatalf("enter on a key sent %#v", msg)
	}
	press(m, "down")
	if got, ok := press(m, "enter")().(common.OpenKeyMsg); !ok || got.Key != "img:\xff\x00raw\n" {
		t.Fatalf("enter on the binary key sent %#v", got)
	}
}

// realStore runs the real analysis engine over a go-redis client, as ui/sessionstore does.
type realStore struct {
	common.Store
	c *redis.Client
}

func (s realStore) StartAnalysis(ctx context.Context, o engine.Options) (common.AnalysisRun, error) {
	return engine.Start(ctx, s.c, o)
}

// The screen drives a real analysis on a real server: progress ticks until the end, p pauses
// and resumes, the results appear, r runs it again, and a store without the capability says so.
func TestRunsRealAnalysis(t *testing.T) {
	srv := redistest.StartRedisServer(t)
	c := redis.NewClient(&redis.Options{Addr: srv.Addr, DisableIdentity: true})
	defer c.Close()
	ctx := context.Background()
	for i := range 3000 {
		if err := c.Set(ctx, fmt.Sprintf("app:%d:v", i), strings.Repeat("x", i%300), 0).Err(); err != nil {
			t.Fatal(err)
		}
	}
	old := TickEvery
	TickEvery = time.Millisecond
	defer func() { TickEvery = old }()
	m := newTestModel(realStore{c: c})
	cmd := m.Start(engine.Options{Mode: engine.Full, Rate: 4000})
	if !m.Running() {
		t.Fatal("not running after Start")
	}
	cmd = m.OnStarted(cmd().(StartedMsg))
	cmd = m.OnTick(cmd().(TickMsg))
	press(m, "p")
	if !m.Progress.Paused {
		t.Error("p did not pause")
	}
	if !strings.Contains(ansi.Strip(m.View(100, 10)), "paused") {
		t.Errorf("paused run's view:\n%s", m.View(100, 10))
	}
	press(m, "p")
	for i := 0; cmd != nil && i < 100000; i++ {
		cmd = m.OnTick(cmd().(TickMsg))
	}
	if m.Running() || m.Report == nil || !m.Report.Complete || m.Report.Keys.Value != 3000 {
		t.Fatalf("after the run: running %v, report %+v", m.Running(), m.Report)
	}
	if v := ansi.Strip(m.View(100, 28)); !strings.Contains(v, "app:*:") && !strings.Contains(v, "string") {
		t.Errorf("results not shown:\n%s", v)
	}
	if cmd := press(m, "r"); cmd == nil || m.Report != nil || !m.Running() {
		t.Error("r did not start again")
	}
	m.Stop()

	bare := newTestModel(uitest.NewFakeStore())
	if bare.Start(engine.Options{}) != nil || !strings.Contains(ansi.Strip(bare.View(100, 5)), "cannot run an analysis") {
		t.Errorf("a store without Analyzer: %s", bare.View(100, 5))
	}
}

type stubRun struct{}

func (stubRun) Progress() engine.Progress       { return engine.Progress{} }
func (stubRun) Snapshot() *engine.Report        { return nil }
func (stubRun) Pause()                          {}
func (stubRun) Resume()                         {}
func (stubRun) Cancel()                         {}
func (stubRun) Done() <-chan struct{}           { return nil }
func (stubRun) Result() (*engine.Report, error) { return nil, nil }
