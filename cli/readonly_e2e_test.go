package cli

import (
	"bufio"
	"context"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/internal/redistest"
	"github.com/amr-tui/amr-tui/rediscli"
)

// readOnlyRefusedLines are the commands issue 15 found reaching a server through a read-only
// profile, and names no command table knows.
var readOnlyRefusedLines = []string{
	"CONFIG REWRITE", "CONFIG RESETSTAT", "CLIENT PAUSE 5000", "CLIENT UNPAUSE", "CLIENT NO-EVICT on",
	"SAVE", "BGSAVE", "BGREWRITEAOF", "SLOWLOG RESET", "LATENCY RESET", "MEMORY PURGE",
	"SCRIPT LOAD \"return 1\"", "SCRIPT KILL", "FUNCTION KILL", "ACL SAVE", "SYNC", "PSYNC ? -1",
	"NOSUCHCMD", "nosuch.module.cmd k", "CONFIG NOSUCHSUB", "CLIENT REPLY OFF", "CLIENT REPLY SKIP",
}

// commandStats reads a server's INFO commandstats and errorstats as name → line, over a raw
// connection of its own.
func commandStats(t *testing.T, addr string) map[string]string {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	out := map[string]string{}
	rd := rediscli.NewReader(bufio.NewReader(c))
	for _, section := range []string{"commandstats", "errorstats"} {
		if err := rediscli.WriteCommand(c, "INFO", section); err != nil {
			t.Fatal(err)
		}
		r, err := rd.ReadReply()
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(r.Str, "\r\n") {
			if name, _, ok := strings.Cut(l, ":"); ok {
				out[name] = l
			}
		}
	}
	return out
}

// assertNothingReached fails unless the only commands the server counted between before and
// after are the connection's own (handshake, the command table read) and the INFO probes.
func assertNothingReached(t *testing.T, before, after map[string]string) {
	t.Helper()
	ownCommands := map[string]bool{"cmdstat_info": true, "cmdstat_command": true, "cmdstat_hello": true,
		"cmdstat_auth": true, "cmdstat_select": true, "cmdstat_client|setname": true, "cmdstat_ping": true,
		"cmdstat_command|docs": true, "cmdstat_client|id": true, "cmdstat_scan": true, "cmdstat_dbsize": true,
		"cmdstat_type": true, "cmdstat_pttl": true, "cmdstat_memory|usage": true, "cmdstat_cluster|info": true,
		"cmdstat_config|get": true, "cmdstat_client|info": true}
	for name, line := range after {
		if before[name] != line && !ownCommands[name] {
			t.Errorf("the server counted %s (before: %q)", line, before[name])
		}
	}
}

// TestReadOnlyRefusalsReachNothingThroughExec runs the real binary's exec on a read-only
// profile against a real redis-server: each refused line alone on the command line, and all
// of them as a script on stdin. Each is refused with its reason, and the server's
// commandstats and errorstats show that none reached it.
func TestReadOnlyRefusalsReachNothingThroughExec(t *testing.T) {
	srv := redistest.StartRedisServer(t)
	p := localProfile(t, "ro", srv.Addr)
	p.ReadOnly = true
	cfg := writeProfiles(t, "", p)
	bin := buildTUIBinary(t)
	before := commandStats(t, srv.Addr)
	run := func(stdin string, args ...string) (string, string) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, append([]string{"--config", cfg, "exec", "-p", "ro", "--"}, args...)...)
		cmd.Stdin = strings.NewReader(stdin)
		var out, errOut strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
			t.Errorf("exec %q: %v, want exit status 1\n%s", args, err, errOut.String())
		}
		return out.String(), errOut.String()
	}
	for _, line := range readOnlyRefusedLines {
		args, err := rediscli.SplitArgs(line)
		if err != nil {
			t.Fatal(err)
		}
		out, errOut := run("", args...)
		if out != "" || !strings.Contains(errOut, `profile "ro": not sent: `) {
			t.Errorf("%s: stdout %q, stderr %q", line, out, errOut)
		}
	}
	out, errOut := run(strings.Join(readOnlyRefusedLines, "\n") + "\n")
	if out != "" || strings.Count(errOut, "not sent: ") != len(readOnlyRefusedLines) {
		t.Errorf("script: stdout %q, stderr\n%s", out, errOut)
	}
	for _, want := range []string{"the profile is read-only and CONFIG REWRITE is not flagged readonly",
		"the profile is read-only and NOSUCHCMD is not in the command table",
		"CLIENT REPLY OFF makes the server stop answering"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	assertNothingReached(t, before, commandStats(t, srv.Addr))
}

// TestReadOnlyRefusalsReachNothingThroughConsole types the same lines into the real binary's
// :console (tmux) on a read-only profile: each is refused on screen, none reaches the server.
func TestReadOnlyRefusalsReachNothingThroughConsole(t *testing.T) {
	tmuxPath(t)
	srv := redistest.StartRedisServer(t)
	p := localProfile(t, "ro", srv.Addr)
	p.ReadOnly = true
	cfg := writeProfiles(t, "", p)
	bin := buildTUIBinary(t)
	r := startTmux(t, nil, bin, "--config", cfg, "-p", "ro")
	r.waitFor("the key list", 60*time.Second, func(s string) bool { return strings.HasPrefix(s, "● ro") && strings.Contains(s, "complete") })
	r.send(false, ":console")
	r.send(true, "Enter")
	r.waitFor("the console prompt", 30*time.Second, func(s string) bool { return strings.Contains(s, srv.Addr+">") })
	// From here on: the UI's own connections are set up (go-redis's CLIENT SETINFO, which a
	// 7.0 server refuses, is already counted).
	before := commandStats(t, srv.Addr)
	for _, line := range readOnlyRefusedLines {
		r.send(false, "clear") // the console's own command: each refusal is read on a clean screen
		r.send(true, "Enter")
		r.send(false, line)
		r.send(true, "Enter")
		r.waitFor(line+"'s refusal", 30*time.Second, func(s string) bool {
			return strings.Count(s, "not sent: ") >= 1 && strings.Contains(s, "> "+line)
		})
	}
	r.send(true, "Escape")
	r.waitFor("the key list again", 30*time.Second, func(s string) bool { return !strings.Contains(s, srv.Addr+">") })
	r.quit()
	if rc := r.exitStatus(30 * time.Second); rc != 0 {
		t.Fatalf("exited with %d", rc)
	}
	assertNothingReached(t, before, commandStats(t, srv.Addr))
}
