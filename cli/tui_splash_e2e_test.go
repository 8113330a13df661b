package cli

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestFirstFrameBeforeTheProfilesFileInTmux: the first frame comes before the profiles file is
// read (a slow disk or a network home directory is not a blank screen). The file is a FIFO
// that nobody writes until the splash is on screen; then a file without the profile makes the
// program fail as before, its error on stderr and the terminal's own screen given back.
func TestFirstFrameBeforeTheProfilesFileInTmux(t *testing.T) {
	tmuxPath(t)
	bin := buildTUIBinary(t)
	fifo := filepath.Join(t.TempDir(), "profiles.toml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFO here: %v", err)
	}
	r := startTmux(t, nil, bin, "--config", fifo, "-p", "prod")
	r.waitFor("the splash while the profiles file is unread", 60*time.Second, func(s string) bool {
		return strings.Contains(s, "amr-tui · opening prod…")
	})
	w, err := os.OpenFile(fifo, os.O_WRONLY, 0) // the program is blocked opening it to read
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.WriteString("version = 1\n"); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if rc := r.exitStatus(30 * time.Second); rc != 1 {
		t.Fatalf("exited with %d", rc)
	}
	errOut, _ := os.ReadFile(r.errFile)
	if !strings.Contains(string(errOut), `no profile named "prod"`) {
		t.Fatalf("stderr: %q", errOut)
	}
}
