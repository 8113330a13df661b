package ui

import (
	"strings"
	"testing"

	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"
)

// s shows the current pattern selected: typing replaces it (it used to be appended to, giving
// "*user:*"), a cursor key keeps it to edit, backspace clears it.
func TestPatternPromptPrefillIsSelected(t *testing.T) {
	f := uitest.NewFakeStore()
	f.AddStrings("user:", 3)
	f.AddStrings("order:", 3)
	a, _ := testApp(t, f, nil, 120, 20)
	start(t, a)
	press(t, a, "s")
	if a.browser.Input == nil || a.browser.Input.Value() != "*" || !a.browser.Input.Selected() {
		t.Fatal("the prefill is not shown selected")
	}
	if !strings.Contains(common.AnsiStrip(a.Render()), "SCAN MATCH *") {
		t.Fatalf("prompt:\n%s", a.Render())
	}
	typeText(t, a, "user:*")
	press(t, a, "enter")
	if a.browser.Scan.Match != "user:*" {
		t.Fatalf("pattern %q, want user:* (typing must replace the selected prefill)", a.browser.Scan.Match)
	}
	press(t, a, "s", "end")
	typeText(t, a, "1")
	if got := a.browser.Input.Value(); got != "user:*1" {
		t.Fatalf("after end: %q", got)
	}
	press(t, a, "esc", "s", "backspace")
	if got := a.browser.Input.Value(); got != "" {
		t.Fatalf("backspace on the selection left %q", got)
	}
}
