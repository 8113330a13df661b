package ui

import (
	"testing"

	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/charmbracelet/x/exp/golden"
)

// Golden screens of issue 14's prompts, the per-type help and the expanded member view
// (testdata/TestGoldenEdits/<Case>.golden; regenerate with
// `go test ./ui -run TestGoldenEdits -update`).
func TestGoldenEdits(t *testing.T) {
	plain := func() Options { return Options{Store: demoStore(), Session: prodSession(), NoColor: true} }
	writable := func() Options {
		sess := prodSession()
		sess.St.ReadOnly = false
		return Options{Store: demoStore(), Session: sess, NoColor: true}
	}
	open := func(t *testing.T, k string) []screenStep {
		return []screenStep{settled(t), keys(":"), text("open " + k), keys("enter"), until(t, "value", valueShown(k))}
	}
	help := func(k string) func(t *testing.T) []screenStep {
		return func(t *testing.T) []screenStep {
			return append(open(t, k), keys("?"), until(t, "help", func(a *App) bool { return a.helpView != nil }))
		}
	}
	inputOf := func(kind common.InputKind) func(*App) bool {
		return func(a *App) bool { return a.browser.Input != nil && a.browser.Input.Kind == kind }
	}
	cases := []struct {
		name  string
		opts  func() Options
		w, h  int
		steps func(t *testing.T) []screenStep
	}{
		{"RenameOverwriteQuestion", writable, 110, 12, func(t *testing.T) []screenStep {
			return []screenStep{settled(t), keys("/"), text("session"), keys("enter"), until(t, "filtered", func(a *App) bool { return a.browser.Filter.Query == "session" && !a.browser.Filter.Pending }),
				keys("R", "ctrl+u"), text("tags"), keys("enter"), until(t, "question", inputOf(common.InputOverwrite))}
		}},
		{"AddKeyTypeQuestion", writable, 110, 12, func(t *testing.T) []screenStep {
			return []screenStep{settled(t), keys("a"), text("new:key"), keys("enter"), until(t, "type question", inputOf(common.InputAddType))}
		}},
		{"AddExistingFieldQuestion", writable, 110, 12, func(t *testing.T) []screenStep {
			return append(open(t, "user:3:profile"), keys("a"), text("plan"), keys("enter"),
				until(t, "question", func(a *App) bool { return a.viewer.Confirm != nil }))
		}},
		{"AddExistingMemberQuestion", writable, 110, 12, func(t *testing.T) []screenStep {
			return append(open(t, "leaderboard"), keys("a"), text("alice"), keys("enter"),
				until(t, "question", func(a *App) bool { return a.viewer.Confirm != nil }))
		}},
		{"HelpString", writable, 110, 16, help("session:abc")},
		{"HelpHash", writable, 110, 18, help("user:3:profile")},
		{"HelpList", writable, 110, 16, help("queue:jobs")},
		{"HelpSet", writable, 110, 16, help("tags")},
		{"HelpZSet", writable, 110, 16, help("leaderboard")},
		{"HelpStream", writable, 110, 16, help("events")},
		{"HelpListReadOnly", plain, 110, 16, help("queue:jobs")},
		{"ExpandedMember", writable, 100, 14, func(t *testing.T) []screenStep {
			return append(open(t, "session:abc"), keys("esc"), keys(":"), text("open events"), keys("enter"), until(t, "value", valueShown("events")),
				keys("enter"), until(t, "expanded", func(a *App) bool { return a.viewer.Expanded() }))
		}},
		{"ExpandedMemberHex", writable, 100, 14, func(t *testing.T) []screenStep {
			return append(open(t, "tags"), keys("enter"), until(t, "expanded", func(a *App) bool { return a.viewer.Expanded() }),
				keys("v", "v", "v"), until(t, "hex", func(a *App) bool { return a.viewer.Expanded() }))
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := runScreen(t, c.opts(), c.w, c.h, c.steps(t)...)
			golden.RequireEqual(t, []byte(out))
		})
	}
}
