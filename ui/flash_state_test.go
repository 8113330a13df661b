package ui

import (
	"errors"
	"strings"
	"testing"

	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"
)

// A flash that reports a state goes when the state ends: "scan paused" on resume, "SCAN
// failed" after a good page; and while SCAN fails the body says so, not "scanning…".
func TestFlashesEndWithTheirState(t *testing.T) {
	f := uitest.NewFakeStore()
	f.AddStrings("k", 500)
	a, _ := testApp(t, f, nil, 120, 20)
	a.browser.Batch = 50
	f.Err = errors.New("EOF")
	start(t, a)
	view := common.AnsiStrip(a.Render())
	if strings.Contains(view, "scanning…") || !strings.Contains(view, "SCAN failed: EOF (p retries from here, r restarts)") {
		t.Fatalf("a failed scan shown as running:\n%s", view)
	}
	f.Err = nil
	press(t, a, "r")
	if view := common.AnsiStrip(a.Render()); strings.Contains(view, "SCAN failed") {
		t.Fatalf("the old failure stays after a good scan:\n%s", view)
	}
	press(t, a, "M") // lift the load target so p has a running scan to pause
	a.browser.Scan.Done = false
	press(t, a, "p")
	if a.c.FlashMsg.Text != "scan paused (p resumes)" {
		t.Fatalf("flash %q", a.c.FlashMsg.Text)
	}
	press(t, a, "p")
	if strings.Contains(common.AnsiStrip(a.Render()), "scan paused") {
		t.Fatalf("\"scan paused\" stays after resuming:\n%s", a.Render())
	}
}
