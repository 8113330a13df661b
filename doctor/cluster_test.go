package doctor_test

import (
	"strings"
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/emulator/emutest"
	"github.com/amr-tui/amr-tui/profiles"
)

// startCluster starts a two-shard Redis Cluster (slots 0–8191 and 8192–16383) of real
// redis-servers and waits until both nodes report it healthy; it returns the first node.
func startCluster(t *testing.T) string {
	t.Helper()
	a := emutest.StartRedisServer(t, "--cluster-enabled", "yes")
	b := emutest.StartRedisServer(t, "--cluster-enabled", "yes")
	bPort := b.Addr[strings.LastIndex(b.Addr, ":")+1:]
	send(t, a.Addr, "CLUSTER", "ADDSLOTSRANGE", "0", "8191")
	send(t, b.Addr, "CLUSTER", "ADDSLOTSRANGE", "8192", "16383")
	send(t, a.Addr, "CLUSTER", "MEET", "127.0.0.1", bPort)
	for _, addr := range []string{a.Addr, b.Addr} {
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			info := send(t, addr, "CLUSTER", "INFO").Str
			if strings.Contains(info, "cluster_state:ok") && strings.Contains(info, "cluster_known_nodes:2") {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the cluster is not ok on %s:\n%s", addr, info)
			}
		}
	}
	return a.Addr
}

// TestDoctorCluster checks the clustering policy step against a real two-shard cluster: auto
// and on pass and count the shards, off fails; the write probe lands on this node's shard.
func TestDoctorCluster(t *testing.T) {
	addr := startCluster(t)
	const head = "profile=pass secrets=skip dns=pass tcp=pass tls=skip token=skip access=skip auth=skip ping=pass info=pass scan=pass command=pass write=pass"
	for _, tc := range []struct {
		mode profiles.ClusterMode
		want string
	}{
		{profiles.ClusterAuto, head + " cluster=pass"},
		{profiles.ClusterOn, head + " cluster=pass"},
		{profiles.ClusterOff, head + " cluster=fail"},
	} {
		t.Run(string(tc.mode), func(t *testing.T) {
			p := plainProfile(t, "cluster", addr, profiles.Auth{Kind: profiles.AuthNone})
			p.Cluster = tc.mode
			rep := runDoctor(t, p, testOptions(t))
			wantSteps(t, rep, tc.want)
			if last := rep.Steps[len(rep.Steps)-1]; !strings.Contains(last.Detail, "2 shard(s)") {
				t.Fatalf("cluster step: %+v", last)
			}
			assertGolden(t, rep, nil)
		})
	}
}
