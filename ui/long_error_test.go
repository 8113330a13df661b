package ui

import (
	"errors"
	"strings"
	"testing"

	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"
)

// A long error wraps in the footer (over the help line while it shows) instead of being cut at
// the edge; the screen keeps its height and width.
func TestLongErrorsWrap(t *testing.T) {
	f := uitest.NewFakeStore()
	f.AddStrings("k", 3)
	a, _ := testApp(t, f, nil, 60, 12)
	start(t, a)
	f.Err = errors.New("NOPERM User alice has no permissions to run the 'del' command (ACL: +@read only)")
	press(t, a, "d", "y")
	view := common.AnsiStrip(a.Render())
	lines := strings.Split(view, "\n")
	if len(lines) != 12 {
		t.Fatalf("%d lines, want 12:\n%s", len(lines), view)
	}
	joined := strings.Join(strings.Fields(strings.Join(lines[len(lines)-2:], " ")), " ")
	if !strings.Contains(joined, "NOPERM User alice has no permissions to run the 'del' command (ACL: +@read only)") {
		t.Fatalf("the error is cut:\n%s", view)
	}
	for _, l := range lines {
		if common.WidthOf(l) > 60 {
			t.Fatalf("line wider than the screen: %q", l)
		}
	}
}

// A value that cannot be read shows its whole error in the body, wrapped.
func TestViewerErrorWraps(t *testing.T) {
	f := uitest.NewFakeStore()
	f.Set("k", "v")
	a, _ := testApp(t, f, nil, 50, 12)
	start(t, a)
	f.Err = errors.New("NOPERM User alice has no permissions to run the 'strlen' command on key k")
	drain(t, a, a.runCommand("open k"))
	view := common.AnsiStrip(a.Render())
	if !strings.Contains(strings.Join(strings.Fields(view), " "), "error: NOPERM User alice has no permissions to run the 'strlen' command on key k") {
		t.Fatalf("the error is cut:\n%s", view)
	}
}
