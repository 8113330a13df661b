package session

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// connectionsReceived is the server's total_connections_received.
func connectionsReceived(t *testing.T, r *aclRedis) int {
	t.Helper()
	info, err := r.admin.InfoMap(context.Background(), "stats").Result()
	if err != nil {
		t.Fatal(err)
	}
	n, err := strconv.Atoi(info["Stats"]["total_connections_received"])
	if err != nil {
		t.Fatalf("total_connections_received in INFO stats: %v", err)
	}
	return n
}

// Opening a standalone endpoint with cluster = auto asks INFO cluster over the command pool's
// own connection, which the session then keeps: one connection (TLS handshake, AUTH) instead
// of two before the first command. On another database the question needs a connection of
// its own (a cluster refuses SELECT), and the session still works on that database.
func TestOpenAutoDetectKeepsTheProbeConnection(t *testing.T) {
	r := startACLRedis(t)
	src := newACLSource(t, r, time.Hour)
	host, port := r.host(t)
	for _, db := range []int{0, 3} {
		cfg := testConfig(host, port)
		cfg.Cluster, cfg.DB = ClusterAuto, db
		connectionsReceived(t, r) // the admin's own connection is open from here on
		before := connectionsReceived(t, r)
		s := openSession(t, cfg, src)
		if s.Cluster() {
			t.Fatalf("db %d: a standalone server detected as a cluster", db)
		}
		got := connectionsReceived(t, r) - before
		want := 1
		if db != 0 {
			want = 2
		}
		if got != want {
			t.Errorf("db %d: Open made %d connections, want %d", db, got, want)
		}
		ctx := context.Background()
		if err := s.Client().Set(ctx, "k", strconv.Itoa(db), 0).Err(); err != nil {
			t.Fatal(err)
		}
		check := redis.NewClient(&redis.Options{Addr: r.srv.Addr, Username: "admin", Password: "adminpw", DB: db, Protocol: 2, DisableIdentity: true})
		if v, err := check.Get(ctx, "k").Result(); v != strconv.Itoa(db) {
			t.Errorf("db %d: the session's SET landed elsewhere: %q %v", db, v, err)
		}
		_ = check.Close()
		_ = s.Close()
	}
}
