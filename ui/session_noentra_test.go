package ui

import (
	"strings"
	"testing"

	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"
)

// :session on a profile without Entra ID (access key, none) shows no token, no countdown and
// no "still on an older token"; an Entra profile still shows them.
func TestSessionPanelWithoutEntra(t *testing.T) {
	for _, c := range []struct {
		name      string
		st        common.SessionState
		want, not []string
	}{
		{"access key", common.SessionState{Profile: "key", Addr: "127.0.0.1:6379", Credential: "access key", Stale: 2},
			[]string{"credential", "access key", "connections"}, []string{"token", "expires", "older", "object ID", "identity"}},
		{"none", common.SessionState{Profile: "none", Addr: "127.0.0.1:6379"},
			[]string{"access key or none (no Entra ID sign-in)"}, []string{"token", "expires", "older", "object ID", "identity"}},
		{"entra", common.SessionState{Profile: "entra", Addr: "h:10000", Expires: true, ExpiresAt: uitest.T0.Add(3600e9), Identity: "alice", ObjectID: "oid", Stale: 1},
			[]string{"token", "expires", "1 still on an older token", "object ID"}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			a, _ := testApp(t, uitest.NewFakeStore(), uitest.NewFakeSession(c.st), 100, 30)
			start(t, a)
			drain(t, a, a.runCommand("session"))
			view := common.AnsiStrip(a.Render())
			body := view[strings.Index(view, "SESSION"):]
			body = body[:strings.Index(body, "HISTORY")]
			for _, w := range c.want {
				if !strings.Contains(body, w) {
					t.Errorf("%q missing:\n%s", w, body)
				}
			}
			for _, n := range c.not {
				if strings.Contains(body, n) {
					t.Errorf("%q shown:\n%s", n, body)
				}
			}
		})
	}
}
