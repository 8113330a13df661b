package cli

import (
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/internal/redistest"
	"github.com/amr-tui/amr-tui/profiles"
	"github.com/amr-tui/amr-tui/rediscli"
)

// execStartCluster starts a two-node Redis Cluster (slots 0–8191 and 8192–16383) and waits
// until both nodes report it healthy.
func execStartCluster(t *testing.T) (a, b *redistest.RedisServer) {
	t.Helper()
	a = redistest.StartRedisServer(t, "--cluster-enabled", "yes")
	b = redistest.StartRedisServer(t, "--cluster-enabled", "yes")
	_, bPort, _ := net.SplitHostPort(b.Addr)
	execSendRaw(t, a.Addr, []string{"CLUSTER", "ADDSLOTSRANGE", "0", "8191"})
	execSendRaw(t, b.Addr, []string{"CLUSTER", "ADDSLOTSRANGE", "8192", "16383"})
	execSendRaw(t, a.Addr, []string{"CLUSTER", "MEET", "127.0.0.1", bPort})
	for _, s := range []*redistest.RedisServer{a, b} {
		execWaitFor(t, "the cluster to be ok on "+s.Addr, func() bool {
			c, err := net.DialTimeout("tcp", s.Addr, time.Second)
			if err != nil {
				return false
			}
			defer c.Close()
			_ = c.SetDeadline(time.Now().Add(time.Second))
			if rediscli.WriteCommand(c, "CLUSTER", "INFO") != nil {
				return false
			}
			r, err := rediscli.NewReader(c).ReadReply()
			return err == nil && strings.Contains(r.Str, "cluster_state:ok") && strings.Contains(r.Str, "cluster_known_nodes:2")
		})
	}
	return a, b
}

// TestExecFollowsClusterRedirects checks that exec follows MOVED as redis-cli -c does, with
// the same output: no redirection line for one command, "-> Redirected to slot […]" lines when
// reading standard input; and that a profile with cluster = "off" prints the MOVED error as
// plain redis-cli does.
func TestExecFollowsClusterRedirects(t *testing.T) {
	redistest.RedisCLIPath(t)
	a, _ := execStartCluster(t)
	host, portStr, _ := net.SplitHostPort(a.Addr)
	port, _ := strconv.Atoi(portStr)
	off := false
	onA := profiles.Profile{Name: "cluster", Host: host, Port: port, Cluster: profiles.ClusterOn,
		TLS: profiles.TLS{Enabled: &off}, Auth: profiles.Auth{Kind: profiles.AuthNone}}
	config := execWriteProfiles(t, onA, execPlainProfile(t, "single", a.Addr))
	ctx := execCtx(t, time.Minute)

	// foo hashes to slot 12182 (node b), bar to 5061 (node a).
	for _, mode := range []string{"--no-raw", "--raw"} {
		args := []string{"-p", "cluster"}
		if mode == "--raw" {
			args = append(args, "--raw")
		}
		want := execRedisCLI(t, a.Addr, "", mode, "-c", "SET", "foo", "on b")
		got := runExecCLI(t, ctx, config, "", append(args, "SET", "foo", "on b")...)
		if got.stdout != want || got.err != nil {
			t.Errorf("%s SET foo: %q (%v), redis-cli -c printed %q", mode, got.stdout, got.err, want)
		}
		script := "GET foo\nSET bar \"on a\"\nGET bar\nGET foo\nMGET foo bar\n"
		want = execRedisCLI(t, a.Addr, script, mode, "-c")
		got = runExecCLI(t, ctx, config, script, args...)
		if got.stdout != want {
			t.Errorf("%s script:\nredis-cli -c printed\n%s\namr-tui exec printed\n%s", mode, want, got.stdout)
		}
		if !strings.Contains(got.stdout, "-> Redirected to slot [12182]") {
			t.Errorf("%s: no redirection line in\n%s", mode, got.stdout)
		}
	}
	want := execRedisCLI(t, a.Addr, "", "--no-raw", "GET", "foo")
	got := runExecCLI(t, ctx, config, "", "-p", "single", "GET", "foo")
	if got.stdout != want || got.status() != 1 || !strings.HasPrefix(got.stdout, "(error) MOVED 12182 ") {
		t.Errorf("cluster = off: %q (status %d), redis-cli without -c printed %q", got.stdout, got.status(), want)
	}
}
