package cli

import (
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/amr-tui/amr-tui/emulator/emutest"
	"github.com/amr-tui/amr-tui/internal/redistest"
)

// Without redis-server, `demo --cluster` fails with a clear message. With it, `demo --serve
// --cluster` runs an OSS-policy cluster: 3 primaries and 3 replicas, each behind
// a gate; redis-cli -c, given the token, follows redirections from gate to gate, and the
// topology it is shown names gates only.
func TestDemoServeCluster(t *testing.T) {
	bin := buildBinary(t)
	t.Run("without redis-server", func(t *testing.T) { checkDemoClusterWithoutRedisServer(t, bin) })
	emutest.RedisServerPath(t)
	redistest.RedisCLIPath(t)
	info := startDemoServe(t, bin, "--cluster", "--keys", "500")
	if len(info.Shards) != 6 || info.Shards[0] != info.Redis {
		t.Fatalf("shards %v, entry %s: want 6 gates starting with the entry", info.Shards, info.Redis)
	}
	nodes := redisCLI(t, info, info.Token, "", "CLUSTER", "NODES")
	for _, g := range info.Shards {
		if !strings.Contains(nodes, g+"@") {
			t.Errorf("CLUSTER NODES does not name gate %s:\n%s", g, nodes)
		}
	}
	// foo and bar live on different primaries (slots 12182 and 5061).
	out := redisCLI(t, info, info.Token, "SET foo 1\nSET bar 2\nGET foo\nGET bar\n", "-c")
	var replies []string
	redirects := 0
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if at, ok := strings.CutPrefix(line, "-> Redirected to slot "); ok {
			redirects++
			if f := strings.Fields(at); len(f) != 4 || !slices.Contains(info.Shards, f[3]) {
				t.Errorf("redirected to something not a gate: %q", line)
			}
			continue
		}
		replies = append(replies, line)
	}
	if strings.Join(replies, " ") != "OK OK 1 2" || redirects == 0 {
		t.Fatalf("redis-cli -c through the gates printed %q", out)
	}
}

// Without redis-server, `demo --cluster` says what is missing and how to get it.
func checkDemoClusterWithoutRedisServer(t *testing.T, bin string) {
	cmd := exec.Command(bin, "demo", "--serve", "--cluster", "--keys", "0")
	cmd.Env = append(cmd.Environ(), "PATH=/nonexistent")
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "redis-server was not found on PATH") ||
		!strings.Contains(string(out), "apt-get install redis-server") {
		t.Fatalf("demo --cluster without redis-server: %v\n%s", err, out)
	}
}
