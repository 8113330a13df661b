package ui

import (
	"github.com/amr-tui/amr-tui/ui/internal/uitest"

	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/amr-tui/amr-tui/rediscli"
)

// TestConsoleGolden: console screens through the real program (see TestGolden), compared with
// testdata/TestConsoleGolden/<Case>.golden. Regenerate with
// `go test ./ui -run TestConsoleGolden -update`.
func TestConsoleGolden(t *testing.T) {
	opts := func(sess *uitest.FakeSession, fc *uitest.FakeConsole) Options {
		return Options{Store: uitest.ConsoleStore{FakeStore: demoStore(), Con: fc}, Session: sess, NoColor: true}
	}
	open := func(t *testing.T) []screenStep {
		return []screenStep{settled(t), keys(":"), text("console"), keys("enter"),
			until(t, "console", func(a *App) bool { return a.screen == screenConsole && a.console.Conn != nil })}
	}
	// run types a line, presses enter and waits until the scrollback ends with last.
	run := func(t *testing.T, line, last string) []screenStep {
		return []screenStep{text(line), keys("enter"), until(t, line, func(a *App) bool {
			n := len(a.console.Lines)
			return n > 0 && a.console.Lines[n-1].Text == last
		})}
	}
	steps := func(parts ...[]screenStep) []screenStep {
		var out []screenStep
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	subscribed := func() *uitest.FakeConsole {
		fc := uitest.DemoConsole()
		fc.NextStream = []rediscli.Reply{
			rediscli.Array(rediscli.Bulk("subscribe"), rediscli.Bulk("news"), rediscli.Integer(1)),
			rediscli.Array(rediscli.Bulk("message"), rediscli.Bulk("news"), rediscli.Bulk("hello")),
			rediscli.Array(rediscli.Bulk("message"), rediscli.Bulk("news"), rediscli.Bulk("second\nline")),
		}
		return fc
	}
	cases := []struct {
		name  string
		o     Options
		w, h  int
		steps func(t *testing.T) []screenStep
	}{
		{"Replies", opts(devSession(), uitest.DemoConsole()), 100, 30, func(t *testing.T) []screenStep {
			return steps(open(t),
				run(t, "GET user:1:name", `"Ada Lovelace"`),
				run(t, "HGETALL user:1:profile", `4) "pro"`),
				run(t, "GET missing", "(nil)"),
				run(t, "INCR visits", "(integer) 42"),
				run(t, "ZRANGE leaderboard 0 -1 WITHSCORES", `4) "42"`),
				run(t, "BOGUS", "(error) ERR unknown command 'BOGUS', with args beginning with: "),
				run(t, "SELECT 2", "OK"),
				[]screenStep{text("SET greeting "), until(t, "typed", func(a *App) bool { return a.console.In.Value() == "SET greeting " })})
		}},
		{"Subscribe", opts(devSession(), subscribed()), 100, 24, func(t *testing.T) []screenStep {
			return steps(open(t), []screenStep{text("SUBSCRIBE news"), keys("enter"), until(t, "messages", func(a *App) bool {
				n := len(a.console.Lines)
				return a.console.Stream != nil && n > 0 && a.console.Lines[n-1].Text == `3) "second\nline"`
			})})
		}},
		{"ReadOnlyRefusal", opts(prodSession(), uitest.DemoConsole()), 100, 16, func(t *testing.T) []screenStep {
			return steps(open(t), []screenStep{text("SET greeting hello"), keys("enter"), until(t, "refusal", func(a *App) bool {
				n := len(a.console.Lines)
				return n > 0 && strings.HasPrefix(a.console.Lines[n-1].Text, "not sent")
			})})
		}},
		{"Confirm", opts(devSession(), uitest.DemoConsole()), 100, 16, func(t *testing.T) []screenStep {
			return steps(open(t), []screenStep{text("FLUSHDB"), keys("enter"), until(t, "question", func(a *App) bool { return a.console.Confirm != nil }),
				text("de"), until(t, "typed", func(a *App) bool { return a.console.In.Value() == "de" })})
		}},
		{"ReadlineCtrlW", opts(devSession(), uitest.DemoConsole()), 100, 12, func(t *testing.T) []screenStep {
			return steps(open(t), []screenStep{text("SET greeting hello"), keys("ctrl+w"), keys("ctrl+a"),
				until(t, "edited", func(a *App) bool { return a.console.In.Value() == "SET greeting " && a.console.In.Position() == 0 })})
		}},
		{"CtrlCOnEmptyLine", opts(devSession(), uitest.DemoConsole()), 100, 12, func(t *testing.T) []screenStep {
			return steps(open(t), run(t, "GET user:1:name", `"Ada Lovelace"`), []screenStep{keys("ctrl+c"),
				until(t, "flash", func(a *App) bool { return strings.Contains(a.c.FlashMsg.Text, ":q leaves") })})
		}},
		{"PasteBlock", opts(devSession(), uitest.DemoConsole()), 100, 16, func(t *testing.T) []screenStep {
			return steps(open(t), run(t, "GET user:1:name", `"Ada Lovelace"`), []screenStep{
				func(tm *teatest.TestModel, _ *watcher) {
					tm.Send(tea.PasteMsg{Content: "SET greeting hello\nAUTH default s3cret\nINCR visits\nGET missing\n"})
				},
				until(t, "question", func(a *App) bool { return a.console.PasteAsk != nil })})
		}},
		{"ConfirmNamesDB", opts(devSession(), uitest.DemoConsole()), 100, 12, func(t *testing.T) []screenStep {
			return steps(open(t), run(t, "SELECT 2", "OK"), []screenStep{text("FLUSHDB"), keys("enter"),
				until(t, "question", func(a *App) bool { return a.console.Confirm != nil })})
		}},
		{"ConfirmMismatch", opts(devSession(), uitest.DemoConsole()), 100, 12, func(t *testing.T) []screenStep {
			return steps(open(t), []screenStep{text("FLUSHDB"), keys("enter"),
				until(t, "question", func(a *App) bool { return a.console.Confirm != nil })},
				run(t, "hunter2", "cancelled: the name did not match; FLUSHDB was not sent"))
		}},
		{"ReverseSearch", opts(devSession(), uitest.DemoConsole()), 100, 16, func(t *testing.T) []screenStep {
			return steps(open(t),
				run(t, "GET user:1:name", `"Ada Lovelace"`),
				run(t, "INCR visits", "(integer) 42"),
				run(t, "GET missing", "(nil)"),
				[]screenStep{keys("ctrl+r"), text("user"), until(t, "search", func(a *App) bool { return a.console.Search != nil && a.console.Search.Query == "user" })})
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := runScreen(t, c.o, c.w, c.h, c.steps(t)...)
			golden.RequireEqual(t, []byte(out))
		})
	}
}
