package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestConsoleEndToEnd runs `amr-tui demo` in tmux and uses :console through the emulator's
// AMR gate (token AUTH, TLS): a write and a read print as redis-cli prints them, a SUBSCRIBE
// streams until ctrl+c, which returns to the prompt without quitting, and esc goes back to the
// key list.
func TestConsoleEndToEnd(t *testing.T) {
	tmuxPath(t)
	bin := buildTUIBinary(t)
	r := startTmux(t, []string{"AMR_TUI_CONFIG=" + filepath.Join(t.TempDir(), "unused.toml")}, bin, "demo", "--keys", "200")
	r.waitFor("the key list", 90*time.Second, func(s string) bool { return strings.Contains(s, "loaded 200") })
	r.send(false, ":console")
	r.send(true, "Enter")
	header := r.waitFor("the console prompt", 30*time.Second, func(s string) bool {
		return gateAddr.MatchString(s) && strings.Contains(s, "\n"+gateAddr.FindString(s)+">\n") // tmux trims the space
	})
	prompt := gateAddr.FindString(header) + "> "
	r.send(false, "SET console:e2e hello")
	r.send(true, "Enter")
	r.waitFor("SET's reply", 30*time.Second, func(s string) bool { return strings.Contains(s, prompt+"SET console:e2e hello\nOK\n") })
	r.send(false, "GET console:e2e")
	r.send(true, "Enter")
	r.waitFor("GET's reply", 30*time.Second, func(s string) bool { return strings.Contains(s, prompt+"GET console:e2e\n\"hello\"\n") })
	r.send(false, "SUBSCRIBE news")
	r.send(true, "Enter")
	r.waitFor("the subscription", 30*time.Second, func(s string) bool {
		return strings.Contains(s, "3) (integer) 1") && strings.Contains(s, "SUBSCRIBE is streaming")
	})
	r.send(true, "C-c")
	r.send(false, "PING")
	r.send(true, "Enter")
	r.waitFor("the prompt after ctrl+c", 30*time.Second, func(s string) bool { return strings.Contains(s, prompt+"PING\nPONG\n") })
	r.send(true, "Escape")
	r.waitFor("the key list again", 30*time.Second, func(s string) bool { return strings.Contains(s, "loaded 2") && strings.Contains(s, "KEY") })
	r.quit()
	if rc := r.exitStatus(30 * time.Second); rc != 0 {
		errOut, _ := os.ReadFile(r.errFile)
		t.Fatalf("amr-tui demo exited with %d\n%s", rc, errOut)
	}
}
