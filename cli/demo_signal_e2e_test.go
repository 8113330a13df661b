package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestDemoCleansUpOnSignalsInTmux sends SIGHUP and SIGTERM to the real binary's `amr-tui demo`
// while its TUI is up: each time the process exits, its temporary folder is removed and the
// redis-server it started is gone, as after q or Ctrl-C.
func TestDemoCleansUpOnSignalsInTmux(t *testing.T) {
	tmuxPath(t)
	bin := buildTUIBinary(t)
	for _, sig := range []syscall.Signal{syscall.SIGHUP, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			tmp := t.TempDir()
			r := startTmux(t, []string{"TMPDIR=" + tmp, "AMR_TUI_CONFIG=" + filepath.Join(t.TempDir(), "unused.toml")},
				bin, "demo", "--keys", "300")
			r.waitFor("the key list", 90*time.Second, func(s string) bool {
				return strings.Contains(s, "demo-sp") && strings.Contains(s, "loaded 3")
			})
			demoDirs, _ := filepath.Glob(filepath.Join(tmp, "amr-tui-demo-*"))
			if len(demoDirs) != 1 {
				t.Fatalf("demo folders in TMPDIR: %v", demoDirs)
			}
			demo := processesMentioning(bin)
			if len(demo) != 1 {
				t.Fatalf("amr-tui demo processes: %v", demo)
			}
			children := childProcesses(demo[0])
			if len(children) == 0 && haveRedisServer() {
				t.Fatal("the demo started no redis-server")
			}
			if err := syscall.Kill(demo[0], sig); err != nil {
				t.Fatal(err)
			}
			r.exitStatus(30 * time.Second)
			if _, err := os.Stat(demoDirs[0]); !os.IsNotExist(err) {
				t.Fatalf("after %v the demo folder %s is still there (%v)", sig, demoDirs[0], err)
			}
			deadline := time.Now().Add(10 * time.Second)
			for _, pid := range children {
				for alive(pid) && time.Now().Before(deadline) {
					time.Sleep(100 * time.Millisecond)
				}
				if alive(pid) {
					t.Fatalf("after %v the demo's child process %d is still running", sig, pid)
				}
			}
		})
	}
}

func haveRedisServer() bool {
	_, err := exec.LookPath("redis-server")
	return err == nil
}

// procState is the state letter of /proc/PID/stat and the parent's PID; "" when gone.
func procState(pid int) (string, int) {
	stat, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return "", 0
	}
	f := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
	if len(f) < 2 {
		return "", 0
	}
	ppid, _ := strconv.Atoi(f[1])
	return f[0], ppid
}

func alive(pid int) bool {
	st, _ := procState(pid)
	return st != "" && st != "Z"
}

// childProcesses lists the live processes whose parent is pid.
func childProcesses(pid int) []int {
	var out []int
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		c, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if st, ppid := procState(c); ppid == pid && st != "Z" {
			out = append(out, c)
		}
	}
	return out
}

// processesMentioning lists the processes (not zombies) whose command line contains s.
func processesMentioning(s string) []int {
	var pids []int
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil || !bytes.Contains(cmdline, []byte(s)) {
			continue
		}
		if !alive(pid) {
			continue
		}
		args := bytes.Split(bytes.TrimRight(cmdline, "\x00"), []byte{0})
		if len(args) > 0 && (string(args[0]) == "sh" || strings.HasSuffix(string(args[0]), "/sh") || strings.HasSuffix(string(args[0]), "tmux")) {
			continue // the tmux pane's shell names the binary too
		}
		pids = append(pids, pid)
	}
	return pids
}
