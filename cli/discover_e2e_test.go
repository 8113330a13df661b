package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/emulator"
)

// TestDiscoverInDemoTUIEndToEnd runs the real binary's `amr-tui demo` in tmux: `:discover` lists
// the demo's caches (and the subscription it may not read), tab shows who may use one with the
// signed-in identity marked, and enter writes a profile for it and opens it: the header then
// names the new profile and the signed-in identity (the app's ID at this width) with its token
// countdown, and its keys load.
func TestDiscoverInDemoTUIEndToEnd(t *testing.T) {
	tmuxPath(t)
	bin := buildTUIBinary(t)
	r := startTmux(t, []string{"AMR_TUI_CONFIG=" + filepath.Join(t.TempDir(), "unused.toml")}, bin, "demo", "--keys", "300")
	r.waitFor("the key list", 90*time.Second, func(s string) bool {
		return strings.Contains(s, "demo-sp") && strings.Contains(s, "loaded 300")
	})

	r.send(false, ":discover")
	r.send(true, "Enter")
	r.waitFor("the demo's caches", 60*time.Second, func(s string) bool {
		return strings.Contains(s, "demo-amr/default") && strings.Contains(s, "demo-acr") &&
			strings.Contains(s, "EnterpriseCluster") && strings.Contains(s, "403 AuthorizationFailed") &&
			strings.Contains(s, "3 subscriptions, 2 caches · signed in as app "+emulator.DemoAppClientID)
	})

	r.send(false, "demo-amr")
	r.waitFor("the filter", 10*time.Second, func(s string) bool {
		return strings.Contains(s, "filter: demo-amr") && !strings.Contains(s, "demo-acr ")
	})
	r.send(true, "Tab")
	r.waitFor("who may use demo-amr", 30*time.Second, func(s string) bool {
		return strings.Contains(s, "Who can use demo-amr/default") && strings.Contains(s, "← you") &&
			strings.Contains(s, "you ("+emulator.DemoAppObjectID+") have the access policy \"default\"")
	})
	r.send(true, "Escape")
	r.waitFor("the list again", 10*time.Second, func(s string) bool { return strings.Contains(s, "filter: demo-amr") })

	r.send(true, "Enter")
	s := r.waitFor("the new profile open", 60*time.Second, func(s string) bool {
		header := strings.SplitN(s, "\n", 2)[0]
		return strings.Contains(header, "● demo-amr ") && strings.Contains(s, "loaded 300")
	})
	header := strings.SplitN(s, "\n", 2)[0]
	if !strings.Contains(header, emulator.DemoAppClientID) || !countdown.MatchString(header) {
		t.Errorf("the header does not show the signed-in identity and its token: %q", header)
	}
	r.quit()
	if rc := r.exitStatus(30 * time.Second); rc != 0 {
		errOut, _ := os.ReadFile(r.errFile)
		t.Fatalf("amr-tui demo exited with %d\n%s", rc, errOut)
	}
}
