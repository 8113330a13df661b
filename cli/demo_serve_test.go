package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/emulator/emutest"
	"github.com/amr-tui/amr-tui/internal/redistest"
)

// moduleRoot is the directory of package main, relative to this package's.
const moduleRoot = ".."

// buildBinary builds amr-tui once per test binary run into a temp dir.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "amr-tui")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = moduleRoot // package main
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startDemoServe runs `amr-tui demo --serve` and returns the JSON line it prints when ready.
func startDemoServe(t *testing.T, bin string, args ...string) demoInfo {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, append([]string{"demo", "--serve"}, args...)...)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		if err := cmd.Wait(); err != nil && ctx.Err() == nil {
			t.Errorf("demo --serve exited: %v\n%s", err, stderr.String())
		}
	})
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		if sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	select {
	case line, ok := <-lines:
		if !ok {
			t.Fatalf("demo --serve printed nothing; stderr:\n%s", stderr.String())
		}
		var info demoInfo
		if err := json.Unmarshal([]byte(line), &info); err != nil {
			t.Fatalf("demo --serve printed %q: %v", line, err)
		}
		return info
	case <-time.After(60 * time.Second):
		t.Fatalf("demo --serve not ready after 60s; stderr:\n%s", stderr.String())
	}
	return demoInfo{}
}

func redisCLI(t *testing.T, info demoInfo, token string, stdin string, args ...string) string {
	t.Helper()
	host, port, _ := strings.Cut(info.Redis, ":")
	base := []string{"-h", host, "-p", port, "--user", info.OID, "--pass", token, "--no-auth-warning"}
	if info.TLS {
		base = append(base, "--tls", "--cacert", info.CAFile)
	}
	cmd := exec.Command(redistest.RedisCLIPath(t), append(base, args...)...)
	cmd.Stdin = strings.NewReader(stdin)
	out, _ := cmd.CombinedOutput()
	return string(out)
}

func TestDemoServeWithRedisCLI(t *testing.T) {
	emutest.RedisServerPath(t) // the same packages .ci/run installs; skip cleanly without them
	redistest.RedisCLIPath(t)
	bin := buildBinary(t)
	// A long lifetime: the corrupted-token subtest must fail on the signature, not on expiry.
	info := startDemoServe(t, bin, "--keys", "200", "--token-lifetime", "1h")

	for _, field := range []string{info.Redis, info.CAFile, info.Authority, info.TenantID, info.ClientID, info.OID, info.Token} {
		if field == "" {
			t.Fatalf("demo --serve JSON has an empty field: %+v", info)
		}
	}
	if !info.TLS {
		t.Fatalf("the gate must serve TLS by default")
	}

	t.Run("valid token answers PONG", func(t *testing.T) {
		if out := redisCLI(t, info, info.Token, "", "PING"); strings.TrimSpace(out) != "PONG" {
			t.Fatalf("PING with the printed token: %q", out)
		}
	})
	t.Run("corrupted token gets WRONGPASS", func(t *testing.T) {
		bad := info.Token[:len(info.Token)-4] + "AAAA"
		if out := redisCLI(t, info, bad, "", "PING"); !strings.Contains(out, "WRONGPASS") {
			t.Fatalf("PING with a corrupted token: %q", out)
		}
	})
	t.Run("connection closed after the token expires", func(t *testing.T) {
		// A fresh demo: the printed token lives 5 s from when it was minted.
		info := startDemoServe(t, bin, "--keys", "0", "--token-lifetime", "5s")
		r, w, _ := os.Pipe()
		host, port, _ := strings.Cut(info.Redis, ":")
		cmd := exec.Command(redistest.RedisCLIPath(t), "-h", host, "-p", port, "--user", info.OID, "--pass", info.Token,
			"--no-auth-warning", "--tls", "--cacert", info.CAFile)
		cmd.Stdin = r
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		w.WriteString("PING\n")
		time.Sleep(time.Until(info.ExpiresAt) + 3*time.Second) // the gate closes the connection at expiry
		w.WriteString("PING\n")
		w.Close()
		_ = cmd.Wait()
		r.Close()
		// Exactly this: the first PING answered, the second finding the connection closed by the
		// gate — not refused (WRONGPASS, NOAUTH) on a reconnect, nor answered.
		const want = "PONG\nError: Server closed the connection\n" // redis-cli 7.0
		if got := out.String(); got != want {
			t.Fatalf("redis-cli printed %q, want %q", got, want)
		}
	})
}
