package emulator_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestGateWithRedisCLI drives the gate with the real redis-cli over TLS, verifying the server
// certificate against the emulator's CA.
func TestGateWithRedisCLI(t *testing.T) {
	cli, err := exec.LookPath("redis-cli")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("redis-cli not found on PATH under CI")
		}
		t.Skip("redis-cli not installed")
	}
	e := startGateEnv(t, gateBackends[0])
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := e.ca.WriteFile(caFile); err != nil {
		t.Fatal(err)
	}
	_, port, _ := strings.Cut(e.gate.Addr(), ":")
	run := func(token string) string {
		t.Helper()
		cmd := exec.Command(cli, "--tls", "--cacert", caFile, "-h", "127.0.0.1", "-p", port,
			"--user", oid, "--pass", token, "--no-auth-warning", "PING")
		cmd.WaitDelay = 5 * time.Second
		out, _ := cmd.CombinedOutput() // redis-cli exits 0 even when AUTH fails
		return strings.TrimSpace(string(out))
	}
	token := e.issuer.token(t, oid, time.Hour)
	if out := run(token); out != "PONG" {
		t.Fatalf("redis-cli PING with a valid token: %q", out)
	}
	// Change one signature character well inside the signature (the last one carries padding
	// bits, so changing it may not change the signature at all).
	i := len(token) - 10
	flipped := byte('A')
	if token[i] == 'A' {
		flipped = 'B'
	}
	corrupted := token[:i] + string(flipped) + token[i+1:]
	out := run(corrupted)
	if !strings.Contains(out, "WRONGPASS invalid username-password pair or user is disabled.") {
		t.Fatalf("redis-cli with a corrupted token: %q", out)
	}
	if strings.Contains(out, "PONG") {
		t.Fatalf("PING answered despite failed AUTH: %q", out)
	}
	if st := e.gate.Stats(); st.AuthOK != 1 || st.AuthFailed != 1 {
		t.Fatalf("stats: %+v", st)
	}
}
