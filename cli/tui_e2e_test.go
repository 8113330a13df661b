package cli

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/emulator/emutest"
	"github.com/amr-tui/amr-tui/profiles"
)

// tmuxPath finds tmux; without it the end-to-end tests skip, except under CI=true where .ci/run
// installs it and its absence is a broken setup.
func tmuxPath(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("tmux")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("tmux not on PATH under CI (.ci/run installs it)")
		}
		t.Skip("tmux not installed; apt-get install tmux to run the end-to-end tests")
	}
	return p
}

// buildTUIBinary builds the real amr-tui binary into a temp dir.
func buildTUIBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "amr-tui")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = moduleRoot // package main
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// tmuxRun is one program running in a detached tmux session of fixed size, on a private
// tmux server (its own socket), so it never touches the user's sessions.
type tmuxRun struct {
	t            *testing.T
	tmux, socket string
	rcFile       string
	errFile      string
}

// startTmux runs argv in a 120x40 xterm-256color pane; env adds variables.
func startTmux(t *testing.T, env []string, argv ...string) *tmuxRun {
	t.Helper()
	dir := t.TempDir()
	r := &tmuxRun{t: t, tmux: tmuxPath(t), socket: filepath.Join(dir, "tmux.sock"),
		rcFile: filepath.Join(dir, "rc"), errFile: filepath.Join(dir, "stderr")}
	quoted := make([]string, len(argv))
	for i, a := range argv {
		quoted[i] = shellQuote(a)
	}
	script := "env TERM=xterm-256color " + strings.Join(append(quotedEnv(env), quoted...), " ") +
		" 2>" + shellQuote(r.errFile) + "; echo $? >" + shellQuote(r.rcFile)
	cmd := exec.Command(r.tmux, "-S", r.socket, "-f", "/dev/null", "new-session", "-d", "-s", "e2e", "-x", "120", "-y", "40", "sh", "-c", script)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tmux new-session: %v\n%s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command(r.tmux, "-S", r.socket, "kill-server").Run() })
	return r
}

func quotedEnv(env []string) []string {
	out := make([]string, len(env))
	for i, e := range env {
		out[i] = shellQuote(e)
	}
	return out
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// screen is the pane's text now.
func (r *tmuxRun) screen() string {
	out, err := exec.Command(r.tmux, "-S", r.socket, "capture-pane", "-p", "-t", "e2e").Output()
	if err != nil {
		return ""
	}
	return string(out)
}

// waitFor polls the pane until ok accepts it, failing with the last screen and the program's
// stderr after a generous deadline (CI is a loaded 2-core machine).
func (r *tmuxRun) waitFor(what string, within time.Duration, ok func(string) bool) string {
	r.t.Helper()
	deadline := time.Now().Add(within)
	var s string
	for time.Now().Before(deadline) {
		if s = r.screen(); ok(s) {
			return s
		}
		if _, err := os.Stat(r.rcFile); err == nil {
			break // the program exited
		}
		time.Sleep(100 * time.Millisecond)
	}
	errOut, _ := os.ReadFile(r.errFile)
	rc, _ := os.ReadFile(r.rcFile)
	r.t.Fatalf("waiting for %s: not on screen after %s (exit status %q)\nscreen:\n%s\nstderr:\n%s", what, within, strings.TrimSpace(string(rc)), s, errOut)
	return ""
}

// send types keys: literal text, or tmux key names when named is true.
func (r *tmuxRun) send(named bool, keys ...string) {
	r.t.Helper()
	args := []string{"-S", r.socket, "send-keys", "-t", "e2e"}
	if !named {
		args = append(args, "-l")
	}
	if out, err := exec.Command(r.tmux, append(args, keys...)...).CombinedOutput(); err != nil {
		r.t.Fatalf("tmux send-keys %v: %v\n%s", keys, err, out)
	}
}

// quit ends the TUI from any screen with :q (q quits only from the key list; elsewhere it
// goes back). The pause keeps a just-sent Escape and the ':' from reading as Alt+:.
func (r *tmuxRun) quit() {
	r.t.Helper()
	time.Sleep(300 * time.Millisecond)
	r.send(false, ":q")
	r.send(true, "Enter")
}

// exitStatus waits for the program to exit and returns its status.
func (r *tmuxRun) exitStatus(within time.Duration) int {
	r.t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(r.rcFile); err == nil && len(b) > 0 {
			n, err := strconv.Atoi(strings.TrimSpace(string(b)))
			if err != nil {
				r.t.Fatalf("exit status %q", b)
			}
			return n
		}
		time.Sleep(100 * time.Millisecond)
	}
	r.t.Fatalf("the program did not exit within %s; screen:\n%s", within, r.screen())
	return -1
}

var countdown = regexp.MustCompile(`token \d\d:\d\d`)

// TestDemoTUIEndToEnd runs the real binary's `amr-tui demo` in tmux: the key list appears, an
// exact-key jump opens the seeded user:1042:profile hash, its fields and the token countdown
// are on screen, and q quits.
func TestDemoTUIEndToEnd(t *testing.T) {
	tmuxPath(t)
	bin := buildTUIBinary(t)
	r := startTmux(t, []string{"AMR_TUI_CONFIG=" + filepath.Join(t.TempDir(), "unused.toml")}, bin, "demo", "--keys", "2000")

	r.waitFor("the key list", 90*time.Second, func(s string) bool {
		return strings.Contains(s, "demo-sp") && strings.Contains(s, "KEY") && strings.Contains(s, "loaded 2,")
	})
	r.send(false, ":open user:1042:profile")
	r.send(true, "Enter")
	s := r.waitFor("the hash's fields", 60*time.Second, func(s string) bool {
		return strings.Contains(s, "user:1042:profile") && strings.Contains(s, "HLEN 7") &&
			strings.Contains(s, "email") && strings.Contains(s, "created_at")
	})
	for _, field := range []string{"id", "name", "email", "plan", "created_at", "logins", "verified", "1042"} {
		if !strings.Contains(s, field) {
			t.Errorf("field %q not on screen:\n%s", field, s)
		}
	}
	header := strings.SplitN(s, "\n", 2)[0]
	if !countdown.MatchString(header) {
		t.Errorf("no token countdown (mm:ss) in the header: %q", header)
	}
	if !strings.Contains(header, "3f6c1e2a-9b8d-4c7e-a1f0-5d2b3c4e5f60") { // the demo app's ID
		t.Errorf("the service principal's app ID is not in the header: %q", header)
	}
	gate := gateAddr.FindString(header)
	r.quit()
	if rc := r.exitStatus(30 * time.Second); rc != 0 {
		errOut, _ := os.ReadFile(r.errFile)
		t.Fatalf("amr-tui demo exited with %d\n%s", rc, errOut)
	}
	if errOut, _ := os.ReadFile(r.errFile); len(strings.TrimSpace(string(errOut))) != 0 {
		t.Errorf("amr-tui demo wrote to stderr:\n%s", errOut)
	}
	// The emulator went down with the UI.
	if gate == "" {
		t.Fatalf("no gate address in the header: %q", header)
	}
	if c, err := net.DialTimeout("tcp", gate, time.Second); err == nil {
		c.Close()
		t.Errorf("the demo gate %s still accepts connections after exit", gate)
	}
}

var gateAddr = regexp.MustCompile(`127\.0\.0\.1:\d+`)

// TestRootPickerAndSwitchInTmux runs the real binary with no profile to open: the UI starts on
// the profile picker, opens the one chosen, switches to another with P, and remembers it.
func TestRootPickerAndSwitchInTmux(t *testing.T) {
	tmuxPath(t)
	srv := emutest.StartRedisServer(t)
	cfg := writeProfiles(t, "", localProfile(t, "alpha", srv.Addr), localProfile(t, "beta", srv.Addr))
	bin := buildTUIBinary(t)
	r := startTmux(t, nil, bin, "--config", cfg)
	r.waitFor("the profile picker", 60*time.Second, func(s string) bool {
		return strings.Contains(s, "Choose a profile") && strings.Contains(s, "alpha") && strings.Contains(s, "beta")
	})
	r.send(false, "bet")
	r.send(true, "Enter")
	r.waitFor("beta open", 60*time.Second, func(s string) bool {
		return strings.HasPrefix(s, "● beta") && strings.Contains(s, "complete")
	})
	r.send(false, "P")
	r.waitFor("the switcher", 30*time.Second, func(s string) bool { return strings.Contains(s, "Profiles") && strings.Contains(s, "(open)") })
	r.send(false, "alp")
	r.send(true, "Enter")
	r.waitFor("alpha open", 60*time.Second, func(s string) bool {
		return strings.HasPrefix(s, "● alpha") && strings.Contains(s, "opened profile alpha")
	})
	r.quit()
	if rc := r.exitStatus(30 * time.Second); rc != 0 {
		t.Fatalf("exited with %d", rc)
	}
	f, err := profiles.Load(cfg)
	if err != nil || f.LastUsed() != "alpha" {
		t.Fatalf("last used %q, %v", f.LastUsed(), err)
	}
}

// TestRootWithoutProfilesInTmux: with an empty profiles file the UI says how to add one, and
// esc quits cleanly.
func TestRootWithoutProfilesInTmux(t *testing.T) {
	tmuxPath(t)
	bin := buildTUIBinary(t)
	r := startTmux(t, nil, bin, "--config", filepath.Join(t.TempDir(), "none.toml"))
	r.waitFor("the welcome screen", 60*time.Second, func(s string) bool {
		return strings.Contains(s, "No saved profiles yet") && strings.Contains(s, "amr-tui profiles add NAME") && strings.Contains(s, "amr-tui demo")
	})
	r.send(true, "Escape")
	if rc := r.exitStatus(30 * time.Second); rc != 0 {
		t.Fatalf("exited with %d", rc)
	}
}

// TestAddProfileInTheTUIInTmux adds a profile through the TUI's form on an empty profiles file,
// with the same validation and storage as `amr-tui profiles add`, and opens it.
func TestAddProfileInTheTUIInTmux(t *testing.T) {
	tmuxPath(t)
	srv := emutest.StartRedisServer(t)
	host, port, _ := strings.Cut(srv.Addr, ":")
	cfg := filepath.Join(t.TempDir(), "profiles.toml")
	bin := buildTUIBinary(t)
	r := startTmux(t, nil, bin, "--config", cfg)
	r.waitFor("the welcome screen", 60*time.Second, func(s string) bool { return strings.Contains(s, "No saved profiles yet") })
	r.send(true, "C-a")
	r.waitFor("the form", 30*time.Second, func(s string) bool { return strings.Contains(s, "Add a profile") })
	r.send(false, "local")
	r.send(true, "Tab")
	r.send(false, host)
	r.send(true, "Tab")
	r.send(false, port)
	// database, colour, read-only, then auth: ← from developer wraps round to none.
	r.send(true, "Tab", "Tab", "Tab", "Tab", "Left")
	r.waitFor("auth none", 30*time.Second, func(s string) bool { return strings.Contains(s, "‹ none ›") })
	r.send(true, "C-s")
	r.waitFor("the new profile in the picker", 30*time.Second, func(s string) bool {
		return strings.Contains(s, "added profile local") && strings.Contains(s, "● local")
	})
	r.send(true, "Enter")
	r.waitFor("local open", 60*time.Second, func(s string) bool { return strings.HasPrefix(s, "● local") && strings.Contains(s, "complete") })
	r.quit()
	if rc := r.exitStatus(30 * time.Second); rc != 0 {
		t.Fatalf("exited with %d", rc)
	}
	f, err := profiles.Load(cfg)
	if err != nil {
		t.Fatal(err)
	}
	p, ok := f.Get("local")
	if !ok || p.Auth.Kind != profiles.AuthNone || p.Host != host || f.LastUsed() != "local" {
		t.Fatalf("saved %+v (last used %q)", p, f.LastUsed())
	}
}
