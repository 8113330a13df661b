package ui

import (
	"github.com/amr-tui/amr-tui/ui/common"

	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// TestTinyTerminals renders every screen at sizes down to 1×1: nothing may panic and no line
// may be wider than the terminal.
func TestTinyTerminals(t *testing.T) {
	f := demoStore()
	a, _ := testApp(t, f, prodSession(), 80, 24)
	start(t, a)
	screens := []func(){
		func() {},
		func() { press(t, a, "/"); typeText(t, a, "user") },
		func() { press(t, a, "esc", "t") },
		func() { press(t, a, "t"); drain(t, a, a.runCommand("open user:1:profile")) },
		func() { drain(t, a, a.runCommand("open session:abc")) },
		func() { drain(t, a, a.runCommand("session")) },
		func() { press(t, a, ":") },
	}
	for i, setup := range screens {
		setup()
		for _, sz := range [][2]int{{1, 1}, {5, 2}, {12, 3}, {20, 5}, {40, 8}} {
			a.Update(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
			for _, line := range strings.Split(a.Render(), "\n") {
				if common.WidthOf(line) > sz[0] && sz[0] >= 12 {
					t.Fatalf("screen %d at %dx%d: line %q is %d wide", i, sz[0], sz[1], common.AnsiStrip(line), common.WidthOf(line))
				}
			}
			press(t, a, "j", "k")
		}
		a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		if a.prompt != nil {
			press(t, a, "esc")
		}
	}
}
