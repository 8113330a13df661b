package ui

import (
	"strings"
	"testing"

	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"
)

// A notice from the program that runs the UI shows in the footer, escaped like any text from
// outside, and the UI stops listening when the channel is closed.
func TestNoticesShowInTheFooter(t *testing.T) {
	f := uitest.NewFakeStore()
	f.AddStrings("k", 5)
	ch := make(chan Notice, 2)
	a, _ := testApp(t, f, nil, 120, 20, func(o *Options) { o.Notices = ch })
	ch <- Notice{Text: "demo: all 1,000,000 sample keys are seeded \x1b[2J— r rescans to list them"}
	close(ch)
	start(t, a) // drains the listener: the notice, then the closed channel
	if a.c.FlashMsg.Level != common.FlashInfo || !strings.Contains(a.c.FlashMsg.Text, "r rescans to list them") {
		t.Fatalf("flash %+v", a.c.FlashMsg)
	}
	view := a.Render()
	if strings.Contains(view, "\x1b[2J") {
		t.Fatal("the notice's escape sequence reached the terminal raw")
	}
	if !strings.Contains(common.AnsiStrip(view), `seeded \x1b[2J— r rescans`) {
		t.Fatalf("the notice is not in the footer, escaped:\n%s", common.AnsiStrip(view))
	}
	if a.notices != nil {
		t.Fatal("the UI still listens on a closed channel")
	}
}

// A notice of a problem is shown as a warning.
func TestWarningNotice(t *testing.T) {
	ch := make(chan Notice, 1)
	a, _ := testApp(t, uitest.NewFakeStore(), nil, 120, 20, func(o *Options) { o.Notices = ch })
	ch <- Notice{Text: "demo: seeding stopped after 10,000 of 50,000 keys: EOF", Warn: true}
	close(ch)
	start(t, a)
	if a.c.FlashMsg.Level != common.FlashWarn || a.c.FlashMsg.Text != "demo: seeding stopped after 10,000 of 50,000 keys: EOF" {
		t.Fatalf("flash %+v", a.c.FlashMsg)
	}
}
