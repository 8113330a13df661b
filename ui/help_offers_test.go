package ui

import (
	"strings"
	"testing"

	"github.com/amr-tui/amr-tui/ui/common"
)

// Every key the value screen's help offers for a type is accepted for that type: pressing it
// never answers "not supported", "cannot be edited" or "refused" (sets offered "e edit member"
// and then refused it; read-only profiles offered writes). Checked for each type, writable
// and read-only.
func TestHelpOffersOnlyAcceptedKeys(t *testing.T) {
	for _, ro := range []bool{false, true} {
		sess := prodSession()
		sess.St.ReadOnly = ro
		a, _ := testApp(t, demoStore(), sess, 120, 24)
		start(t, a)
		for _, k := range []string{"session:abc", "user:3:profile", "queue:jobs", "tags", "leaderboard", "events", "blob"} {
			drain(t, a, a.runCommand("open "+k))
			for _, b := range a.viewer.Help().Short {
				name := b.Keys()[0]
				switch name {
				case "esc", "q", ":", "?", "e": // leave, quit, prompt, help; e opens $EDITOR for strings
					if !(name == "e" && k != "session:abc" && k != "blob") {
						continue
					}
				}
				a.c.FlashMsg = common.Flash{}
				press(t, a, name)
				flash := a.c.FlashMsg.Text
				for _, bad := range []string{"not supported", "cannot be edited", "refused", "only string values"} {
					if strings.Contains(flash, bad) {
						t.Errorf("read-only %v, %s: help offers %q (%s), which answers %q", ro, k, name, b.Help().Desc, flash)
					}
				}
				a.viewer.Input, a.viewer.Confirm = nil, nil
				if a.viewer.Expanded() {
					press(t, a, "esc")
				}
				if a.screen != screenValue || a.viewer.Key != k {
					drain(t, a, a.runCommand("open "+k))
				}
			}
		}
	}
}
