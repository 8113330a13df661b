package redistest

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// CLIScan runs `redis-cli --scan` against one server, the baseline the scan benchmarks compare
// amr-tui with. redis-cli before 7.2 has no --count and scans with the server's default COUNT
// (10), so only that COUNT is comparable there.
type CLIScan struct {
	// Name is the program's base name (redis-cli, valkey-cli).
	Name            string
	cli, host, port string
	// HasCount reports whether this redis-cli accepts --count.
	HasCount bool
}

// NewCLIScan finds redis-cli (see RedisCLIPath) and probes whether it accepts --count.
func NewCLIScan(tb testing.TB, addr string) *CLIScan {
	tb.Helper()
	return newCLIScan(RedisCLIPath(tb), addr)
}

// CountCLIEnv names a redis-cli compatible program with --count (redis-cli 7.2+, valkey-cli)
// the scan benchmarks also compare with, at every COUNT. Debian bookworm's redis-cli 7.0 has
// no --count; bookworm-backports has valkey-tools 8.0 (see BENCHMARKS.md).
const CountCLIEnv = "AMR_SCAN_BENCH_CLI"

// CLIScans returns redis-cli and, when CountCLIEnv names one, the second program.
func CLIScans(tb testing.TB, addr string) []*CLIScan {
	tb.Helper()
	clis := []*CLIScan{NewCLIScan(tb, addr)}
	if p := os.Getenv(CountCLIEnv); p != "" {
		c := newCLIScan(p, addr)
		if !c.HasCount {
			tb.Fatalf("%s=%s: it does not accept --count", CountCLIEnv, p)
		}
		clis = append(clis, c)
	}
	return clis
}

func newCLIScan(path, addr string) *CLIScan {
	c := &CLIScan{cli: path, Name: filepath.Base(path)}
	c.host, c.port, _ = strings.Cut(addr, ":")
	c.HasCount = exec.Command(c.cli, "-h", c.host, "-p", c.port, "--scan", "--count", "10", "--pattern", "no-such-key").Run() == nil
	return c
}

// Comparable reports whether redis-cli can scan with this COUNT.
func (c *CLIScan) Comparable(count int64) bool { return c.HasCount || count == 10 }

// Keys scans the whole keyspace with redis-cli and returns how many keys it printed.
func (c *CLIScan) Keys(tb testing.TB, count int64) int64 {
	tb.Helper()
	args := []string{"-h", c.host, "-p", c.port, "--scan"}
	if c.HasCount {
		args = append(args, "--count", strconv.FormatInt(count, 10))
	}
	cmd := exec.Command(c.cli, args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	var n int64
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		n++
	}
	if err := cmd.Wait(); err != nil {
		tb.Fatal(err)
	}
	return n
}
