package ui

import (
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/infopanel"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"

	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"
)

// Golden screens: each runs the real tea.Program through teatest (Init, resize, key presses,
// background Cmds) with a fixed clock, waits for a marker in the output, quits, and compares
// the final model's View().Content with testdata/<Test>/<Subtest>.golden. Regenerate with
// `go test ./ui -run TestGolden -update`.
// demoStore is a small keyspace with every type.
func demoStore() *uitest.FakeStore {
	f := uitest.NewFakeStore()
	for i := range 12 {
		f.Set("user:"+strconv.Itoa(i)+":profile", map[string]string{"name": "user " + strconv.Itoa(i), "plan": "pro"})
	}
	f.Set("session:abc", `{"user":7,"roles":["admin","dev"],"active":true,"ttl":3600,"meta":null}`)
	f.Ttls["session:abc"] = 25 * time.Minute
	f.Set("queue:jobs", []string{"job-1", "job-2", "job-3"})
	f.Set("tags", uitest.SetVal{"red", "green", "blue"})
	f.Set("leaderboard", []uitest.Zmember{{Member: "alice", Score: 42}, {Member: "bob", Score: 17.5}})
	f.Set("events", []common.StreamEntry{{ID: "1700000000000-0", Fields: []string{"type", "login", "user", "7"}}, {ID: "1700000000001-0", Fields: []string{"type", "logout"}}})
	f.Set("blob", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	return f
}

func prodSession() *uitest.FakeSession {
	return uitest.NewFakeSession(common.SessionState{
		Profile: "prod-weu", Color: "red", Addr: "contoso.westeurope.redis.azure.net:10000",
		Identity: "alice@contoso.com", ObjectID: "6f1c2d3e-0000-4000-8000-00000000a11c",
		ReadOnly: true, Expires: true, ExpiresAt: uitest.T0.Add(4*time.Minute + 5*time.Second),
	})
}

type screenStep func(tm *teatest.TestModel, w *watcher)

func keys(ks ...string) screenStep {
	return func(tm *teatest.TestModel, _ *watcher) {
		for _, k := range ks {
			tm.Send(keyMsg(k))
		}
	}
}

func text(s string) screenStep { return func(tm *teatest.TestModel, _ *watcher) { tm.Type(s) } }

// until waits until cond holds on the model and no request is outstanding. Output-stream
// markers are unreliable (the renderer writes cell diffs), so the model itself is watched:
// a tea.WithFilter hook sees it on the event loop before every message, and a fast tick keeps
// messages coming.
func until(t *testing.T, what string, cond func(*App) bool) screenStep {
	return func(_ *teatest.TestModel, w *watcher) {
		t.Helper()
		ch := w.Set(func(a *App) bool { return cond(a) && a.idle() })
		select {
		case <-ch:
		case <-time.After(5 * time.Second):
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// settled waits until every request has been answered.
func settled(t *testing.T) screenStep {
	return until(t, "idle", func(*App) bool { return true })
}

// watcher evaluates one condition at a time on the event loop.
type watcher struct {
	mu   sync.Mutex
	cond func(*App) bool
	done chan struct{}
}

func (w *watcher) Set(cond func(*App) bool) <-chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.cond, w.done = cond, make(chan struct{})
	return w.done
}

func (w *watcher) filter(m tea.Model, msg tea.Msg) tea.Msg {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cond != nil && w.cond(m.(*App)) {
		close(w.done)
		w.cond = nil
	}
	return msg
}

// runScreen drives a program and returns the final View().Content.
func runScreen(t *testing.T, o Options, width, height int, steps ...screenStep) string {
	t.Helper()
	clk := &clock{now: uitest.T0}
	o.Now = clk.Now
	o.TickInterval = 5 * time.Millisecond // the clock is fixed: ticks only wake the watcher
	o.noScanAhead = true
	a := New(o)
	w := &watcher{}
	tm := teatest.NewTestModel(t, a, teatest.WithInitialTermSize(width, height),
		teatest.WithProgramOptions(tea.WithEnvironment([]string{"TERM=xterm-256color"}), tea.WithFilter(w.filter)))
	for _, s := range steps {
		s(tm, w)
	}
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*App)
	return fm.View().Content
}

func valueShown(k string) func(*App) bool {
	return func(a *App) bool { return a.screen == screenValue && a.viewer.Key == k && !a.viewer.Loading }
}

func TestGolden(t *testing.T) {
	plain := func() Options { return Options{Store: demoStore(), Session: prodSession(), NoColor: true} }
	writable := func() Options {
		sess := prodSession()
		sess.St.ReadOnly = false
		return Options{Store: demoStore(), Session: sess, NoColor: true}
	}
	cases := []struct {
		name  string
		opts  func() Options
		w, h  int
		steps func(t *testing.T) []screenStep
	}{
		{"KeyList", plain, 100, 24, func(t *testing.T) []screenStep {
			return []screenStep{settled(t), keys("j", "j"), until(t, "cursor 2", func(a *App) bool { return a.browser.Cursor == 2 })}
		}},
		{"KeyListDark", func() Options { o := plain(); o.NoColor = false; return o }, 100, 24, func(t *testing.T) []screenStep {
			return []screenStep{settled(t)}
		}},
		{"KeyListLight", func() Options { o := plain(); o.NoColor = false; o.Light = true; return o }, 100, 24, func(t *testing.T) []screenStep {
			return []screenStep{settled(t)}
		}},
		{"Filter", plain, 100, 24, func(t *testing.T) []screenStep {
			return []screenStep{settled(t), keys("/"), text("user:1"), keys("enter"), until(t, "filter", func(a *App) bool { return a.browser.Input == nil && a.browser.Filter.Query == "user:1" })}
		}},
		{"FilterTyping", plain, 100, 24, func(t *testing.T) []screenStep {
			return []screenStep{settled(t), keys("/"), text("sess"), until(t, "typed", func(a *App) bool { return a.browser.Filter.Query == "sess" })}
		}},
		{"JSONValue", plain, 100, 24, func(t *testing.T) []screenStep {
			return []screenStep{settled(t), keys(":"), text("open session:abc"), keys("enter"), until(t, "value", valueShown("session:abc"))}
		}},
		{"HexValue", plain, 100, 24, func(t *testing.T) []screenStep {
			return []screenStep{settled(t), keys(":"), text("open blob"), keys("enter"), until(t, "value", valueShown("blob"))}
		}},
		{"HashValue", plain, 100, 24, func(t *testing.T) []screenStep {
			return []screenStep{settled(t), keys(":"), text("open user:3:profile"), keys("enter"), until(t, "value", valueShown("user:3:profile"))}
		}},
		{"StreamValue", plain, 100, 24, func(t *testing.T) []screenStep {
			return []screenStep{settled(t), keys(":"), text("open events"), keys("enter"), until(t, "value", valueShown("events"))}
		}},
		{"Tree", plain, 100, 24, func(t *testing.T) []screenStep {
			return []screenStep{settled(t), keys("t"), until(t, "tree", func(a *App) bool {
				return a.browser.Tree != nil && a.browser.Tree.Complete(a.browser) && !a.browser.Tree.Busy()
			})}
		}},
		{"FullHelp", plain, 100, 24, func(t *testing.T) []screenStep {
			return []screenStep{settled(t), keys("?"), until(t, "help", func(a *App) bool { return a.helpView != nil })}
		}},
		{"ReadOnlyRefusal", plain, 100, 24, func(t *testing.T) []screenStep {
			return []screenStep{settled(t), keys("d"), until(t, "flash", func(a *App) bool { return a.c.FlashMsg.Text != "" })}
		}},
		{"CommandPrompt", plain, 100, 24, func(t *testing.T) []screenStep {
			return []screenStep{settled(t), keys(":"), text("keys user:*"), until(t, "typed", func(a *App) bool { return a.prompt != nil && a.prompt.Value() == "keys user:*" })}
		}},
		{"Session", plain, 100, 16, func(t *testing.T) []screenStep {
			return []screenStep{settled(t), keys(":"), text("session"), keys("enter"), until(t, "session", func(a *App) bool { return a.screen == screenSession })}
		}},
		{"Info", plain, 100, 16, func(t *testing.T) []screenStep {
			return []screenStep{settled(t), keys(":"), text("info"), keys("enter"), until(t, "info", func(a *App) bool { return a.screen == screenInfo })}
		}},
		{"UnknownCommand", plain, 100, 10, func(t *testing.T) []screenStep {
			return []screenStep{settled(t), keys(":"), text("nosuch"), keys("enter"), until(t, "flash", func(a *App) bool { return a.c.FlashMsg.Text != "" })}
		}},
		{"TreeReadOnlyRefusal", plain, 100, 24, func(t *testing.T) []screenStep {
			return []screenStep{settled(t), keys("t"), until(t, "tree", treeDone), keys("G", "d"), until(t, "flash", func(a *App) bool { return a.c.FlashMsg.Text != "" })}
		}},
		{"TreeDeleteConfirm", writable, 100, 24, func(t *testing.T) []screenStep {
			return []screenStep{settled(t), keys("t"), until(t, "tree", treeDone), keys("G", "d"), until(t, "confirm", func(a *App) bool { return a.browser.Confirm != nil })}
		}},
		{"InfoClients", plain, 120, 16, func(t *testing.T) []screenStep {
			return []screenStep{settled(t), keys(":"), text("info"), keys("enter"), until(t, "info", onInfoTab(infopanel.TabInfo)), keys("tab"), until(t, "clients", onInfoTab(infopanel.TabClients))}
		}},
		{"InfoSlowlogNotPermitted", func() Options {
			o := plain()
			o.Store.(*uitest.FakeStore).SlowErr = errors.New("NOPERM User alice has no permissions to run the 'slowlog|get' command")
			return o
		}, 120, 12, func(t *testing.T) []screenStep {
			return []screenStep{settled(t), keys(":"), text("info"), keys("enter"), until(t, "info", onInfoTab(infopanel.TabInfo)), keys("3"), until(t, "slowlog", onInfoTab(infopanel.TabSlowlog))}
		}},
		{"ListAppendPrompt", writable, 100, 14, func(t *testing.T) []screenStep {
			return []screenStep{settled(t), keys(":"), text("open queue:jobs"), keys("enter"), until(t, "value", valueShown("queue:jobs")),
				keys("a"), text("job-4"), until(t, "typed", func(a *App) bool { return a.viewer.Input != nil && a.viewer.Input.Value() == "job-4" })}
		}},
		{"ListDeleteConfirm", writable, 100, 14, func(t *testing.T) []screenStep {
			return []screenStep{settled(t), keys(":"), text("open queue:jobs"), keys("enter"), until(t, "value", valueShown("queue:jobs")),
				keys("j", "d"), until(t, "confirm", func(a *App) bool { return a.viewer.Confirm != nil })}
		}},
		{"StreamAddPrompt", writable, 100, 14, func(t *testing.T) []screenStep {
			return []screenStep{settled(t), keys(":"), text("open events"), keys("enter"), until(t, "value", valueShown("events")),
				keys("a"), text(`type "log out"`), until(t, "typed", func(a *App) bool { return a.viewer.Input != nil && a.viewer.Input.Value() == `type "log out"` })}
		}},
		{"DBSwitch", func() Options {
			o := plain()
			two, _ := o.Store.(*uitest.FakeStore).SelectDB(context.Background(), 2)
			two.(*uitest.FakeStore).Set("cache:2:a", "x")
			two.(*uitest.FakeStore).Set("cache:2:b", []string{"y"})
			return o
		}, 100, 10, func(t *testing.T) []screenStep {
			return []screenStep{settled(t), keys(":"), text("db 2"), keys("enter"), until(t, "db 2", func(a *App) bool { return a.state.DB == 2 && a.browser.Scan.Done })}
		}},
		{"Wide", plain, 180, 16, func(t *testing.T) []screenStep {
			return []screenStep{settled(t)}
		}},
		{"Narrow", plain, 60, 12, func(t *testing.T) []screenStep {
			return []screenStep{settled(t)}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := runScreen(t, c.opts(), c.w, c.h, c.steps(t)...)
			golden.RequireEqual(t, []byte(out))
		})
	}
}

func treeDone(a *App) bool {
	return a.browser.Tree != nil && a.browser.Tree.Complete(a.browser) && !a.browser.Tree.Busy()
}

func onInfoTab(t infopanel.Tab) func(*App) bool {
	return func(a *App) bool { return a.screen == screenInfo && a.info.Tab == t && !a.info.Loading }
}
