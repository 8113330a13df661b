package cli

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestDemoFaultThroughTheBinary: `demo --serve` prints its control URL, and `demo fault` (the
// real binary) injects faults there: close-connections drops redis-cli's connection, entra-down
// makes the demo's own exec fail its login with a reset, entra-up brings it back, status reports
// the counters, and a wrong kind or no URL is a clear error.
func TestDemoFaultThroughTheBinary(t *testing.T) {
	bin := buildBinary(t)
	info := startDemoServe(t, bin, "--keys", "5", "--plain")
	if !strings.HasPrefix(info.Control, "http://127.0.0.1:") {
		t.Fatalf("control URL %q", info.Control)
	}
	fault := func(args ...string) (string, error) {
		cmd := exec.Command(bin, append([]string{"demo", "fault", "--url", info.Control}, args...)...)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	execPing := func() (string, error) {
		cmd := exec.Command(bin, "--config", info.Config, "exec", "-p", "demo-sp", "--timeout", "10s", "PING")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := execPing(); err != nil || out != "PONG\n" {
		t.Fatalf("exec before any fault: %q, %v", out, err)
	}
	if out, err := fault("entra-down"); err != nil || !strings.Contains(out, "Entra is down") {
		t.Fatalf("entra-down: %q, %v", out, err)
	}
	if out, err := execPing(); err == nil || !strings.Contains(out, "connection reset") {
		t.Errorf("exec with Entra down: %q, %v", out, err)
	}
	if out, err := fault("entra-up"); err != nil || !strings.Contains(out, "Entra is back") {
		t.Fatalf("entra-up: %q, %v", out, err)
	}
	if out, err := execPing(); err != nil || out != "PONG\n" {
		t.Errorf("exec after entra-up: %q, %v", out, err)
	}
	// A redis-cli streaming SUBSCRIBE loses its connection at close-connections.
	host, port, _ := strings.Cut(info.Redis, ":")
	sub := exec.Command("redis-cli", "-h", host, "-p", port, "--user", info.OID, "--pass", info.Token, "--no-auth-warning", "SUBSCRIBE", "ch")
	if _, err := exec.LookPath("redis-cli"); err == nil {
		var out execSyncBuffer
		sub.Stdout = &out
		if err := sub.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- sub.Wait() }()
		execWaitFor(t, "the subscription", func() bool { return strings.Contains(out.String(), "subscribe") })
		if got, err := fault("close-connections"); err != nil || !strings.Contains(got, "closed 1 client connection") {
			t.Errorf("close-connections: %q, %v", got, err)
		}
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = sub.Process.Kill()
			t.Error("redis-cli's subscription survived close-connections")
		}
	}
	out, err := fault("status")
	var st struct {
		EntraRequests map[string]int64 `json:"entra_requests"`
		AuthOK        int64            `json:"auth_ok"`
	}
	if err != nil || json.Unmarshal([]byte(out), &st) != nil || st.AuthOK < 2 || st.EntraRequests["token"] < 2 {
		t.Errorf("status: %q, %v", out, err)
	}
	if out, err := fault("meltdown"); err == nil || !strings.Contains(out, "unknown fault") {
		t.Errorf("an unknown kind: %q, %v", out, err)
	}
	cmd := exec.Command(bin, "demo", "fault", "entra-up")
	cmd.Env = []string{"PATH=/usr/bin:/bin"}
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "no control URL") {
		t.Errorf("no URL: %q, %v", out, err)
	}
}
