package session

import (
	"context"
	"net"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
)

// startOSSCluster starts an emulated OSS-policy cluster (3 primaries, replicas each) behind
// TLS gates whose certificate names only the cache's host name, "localhost": a session that
// checked a shard's certificate against the advertised IP address would fail.
func startOSSCluster(t testing.TB, replicas int) (*emulator.ClusterGates, *emulator.Entra, Config) {
	t.Helper()
	emutest.RedisServerPath(t)
	e, err := emulator.StartEntra(emulator.EntraOptions{})
	if err != nil {
		t.Fatalf("starting the fake Entra: %v", err)
	}
	t.Cleanup(e.Close)
	ca, err := emulator.NewCA()
	if err != nil {
		t.Fatal(err)
	}
	srvTLS, err := ca.ServerTLSConfig("localhost")
	if err != nil {
		t.Fatal(err)
	}
	cg := emutest.StartCluster(t, 3, replicas, emulator.GateOptions{Verifier: e, TLS: srvTLS})
	_, port, _ := net.SplitHostPort(cg.Entry())
	cfg := testConfig("localhost", atoi(t, port))
	cfg.Cluster, cfg.TLS, cfg.RootCAs = ClusterAuto, true, ca.Pool()
	return cg, e, cfg
}

// clusterSoakRotations is AMR_TUI_SOAK when set; a short soak otherwise, to keep CI quick.
func clusterSoakRotations(t testing.TB) int {
	if os.Getenv("AMR_TUI_SOAK") != "" {
		return soakRotations(t)
	}
	return 5
}

// The rotation soak across all shards: tokens of 3–5 s rotate while pool workers (keys on
// every shard), a console and a subscription run nonstop; no command fails, no gate refuses an
// AUTH or closes a connection for expiry, and every primary's gate sees every rotation.
func TestClusterRotationSoak(t *testing.T) {
	rotations := clusterSoakRotations(t)
	cg, e, cfg := startOSSCluster(t, 0)
	src := &mintSource{e: e, oid: "11111111-2222-3333-4444-555555555555", minLife: 3 * time.Second, maxLife: 5 * time.Second}
	s := openSession(t, cfg, src)
	if !s.Cluster() {
		t.Fatal("cluster = auto did not detect the cluster")
	}
	if st := s.Snapshot(); st.Shards != 3 {
		t.Fatalf("%d shards, want 3", st.Shards)
	}
	rec := record(t, s)
	stopSpread := runSpreadWorkers(t, s, 2)
	spreadStopped := false
	defer func() {
		if !spreadStopped {
			stopSpread()
		}
	}()
	res := soak(t, s, func() bool { return count[ReauthDone](rec.all()) >= rotations }, 10*time.Second*time.Duration(rotations))
	spreadN := stopSpread()
	spreadStopped = true
	for _, ev := range rec.all() {
		if rd, ok := ev.(ReauthDone); ok && (rd.Failed != 0 || (rd.Err != nil && rd.Evicted == 0)) {
			t.Errorf("re-AUTH round failed: %+v", rd)
		}
	}
	st := cg.Stats()
	t.Logf("%d rotations in %v across 3 shards: %d pool + %d console + %d spread commands, %d messages; gates: AuthOK %d, AuthFailed %d, ClosedForExpiry %d, accepted %d",
		rotations, res.elapsed.Round(time.Millisecond), res.pool, res.console, spreadN, res.messages,
		st.AuthOK, st.AuthFailed, st.ClosedForExpiry, st.Accepted)
	if st.AuthFailed != 0 || st.ClosedForExpiry != 0 {
		t.Errorf("gates: %d AUTHs refused, %d connections closed for expiry", st.AuthFailed, st.ClosedForExpiry)
	}
	for i, g := range cg.Gates {
		if gs := g.Stats(); gs.AuthOK < int64(rotations) {
			t.Errorf("shard %d's gate saw %d AUTHs for %d rotations", i, gs.AuthOK, rotations)
		}
	}
}

// runSpreadWorkers SETs keys that hash to every slot range, so every shard serves commands
// all along (the soak's own workers use a handful of keys).
func runSpreadWorkers(t testing.TB, s *Session, n int) (stop func() int64) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int64, n)
	for w := range n {
		go func() {
			var ok int64
			for i := 0; ctx.Err() == nil; i++ {
				err := s.Client().Set(ctx, "spread:"+strconv.Itoa(w)+":"+strconv.Itoa(i%1000), i, 0).Err()
				if err != nil && ctx.Err() == nil {
					t.Errorf("spread SET failed: %v", err)
					time.Sleep(5 * time.Millisecond)
					continue
				}
				ok++
			}
			done <- ok
		}()
	}
	return func() int64 {
		cancel()
		var total int64
		for range n {
			total += <-done
		}
		return total
	}
}

// checkEachOnce checks that messages 1..last all arrived exactly once, in any order.
func checkEachOnce(t testing.TB, got []int64, last int64) {
	t.Helper()
	seen := make(map[int64]int, len(got))
	for _, n := range got {
		seen[n]++
	}
	for n := int64(1); n <= last; n++ {
		if seen[n] != 1 {
			t.Fatalf("message %d arrived %d times (of %d sent, %d received)", n, seen[n], last, len(got))
		}
	}
	if int64(len(got)) != last {
		t.Errorf("received %d messages, sent %d", len(got), last)
	}
}
