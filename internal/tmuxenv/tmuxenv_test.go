package tmuxenv

import (
	"os"
	"os/exec"
	"testing"
)

// TestRestoreGivesBackWhatInitHid runs the test binary again with $TMUX set: in the child,
// init must have hidden it, and Restore must give back the same value.
func TestRestoreGivesBackWhatInitHid(t *testing.T) {
	if os.Getenv("TMUXENV_CHILD") == "1" {
		if _, now := os.LookupEnv("TMUX"); now {
			t.Fatal("TMUX visible before Restore")
		}
		if v, ok := Value(); !ok || v != "/tmp/tmux-0/default,1,0" {
			t.Fatalf("Value() = %q, %v", v, ok)
		}
		Restore()
		Restore()
		if got := os.Getenv("TMUX"); got != "/tmp/tmux-0/default,1,0" {
			t.Fatalf("after Restore TMUX = %q", got)
		}
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestRestoreGivesBackWhatInitHid$", "-test.count=1")
	cmd.Env = append(os.Environ(), "TMUXENV_CHILD=1", "TMUX=/tmp/tmux-0/default,1,0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
}
