package emulator_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"go.uber.org/goleak"

	"github.com/amr-tui/amr-tui/emulator"
)

func TestEmbeddedBackend(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	m, err := emulator.StartEmbeddedBackend()
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	ctx := context.Background()
	for _, proto := range []int{2, 3} {
		// go-redis's full handshake (HELLO, CLIENT SETINFO) succeeds against it.
		rdb := redis.NewClient(&redis.Options{Addr: m.Addr(), Protocol: proto, MaxRetries: -1})
		if err := rdb.Do(ctx, "CLIENT", "SETINFO", "LIB-NAME", "amr-tui").Err(); err != nil {
			t.Fatalf("RESP%d CLIENT SETINFO: %v", proto, err)
		}
		if err := rdb.Ping(ctx).Err(); err != nil {
			t.Fatalf("RESP%d PING: %v", proto, err)
		}
		_ = rdb.Close()
	}

	// TTLs run on the wall clock, without anyone calling FastForward.
	rdb := redis.NewClient(&redis.Options{Addr: m.Addr(), MaxRetries: -1})
	defer rdb.Close()
	if err := rdb.Set(ctx, "short-lived", "x", 3*time.Second).Err(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 20*time.Second, "the TTL to count down", func() bool {
		ttl := rdb.PTTL(ctx, "short-lived").Val()
		return ttl < 2500*time.Millisecond // -2 (gone) counts too: either way the clock moved
	})
	waitFor(t, 20*time.Second, "the key to expire", func() bool { return rdb.Exists(ctx, "short-lived").Val() == 0 })
	_ = rdb.Close()
	m.Close()
}

// The :info panel's commands answer on the embedded backend: INFO's sections, CLIENT LIST
// with the connections seen, an empty SLOWLOG.
func TestEmbeddedBackendServerCommands(t *testing.T) {
	m, err := emulator.StartEmbeddedBackend()
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Addr: m.Addr(), Protocol: 2, MaxRetries: -1, PoolSize: 1})
	defer rdb.Close()
	if err := rdb.Set(ctx, "a", "1", time.Hour).Err(); err != nil {
		t.Fatal(err)
	}
	rdb.Set(ctx, "b", "2", 0)
	info, err := rdb.Info(ctx, "all").Result()
	if err != nil {
		t.Fatalf("INFO all: %v", err)
	}
	for _, want := range []string{"# Server\r\n", "redis_version:", "# Clients\r\nconnected_clients:1", "# Stats\r\n",
		"total_commands_processed:", "role:master", "# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=0\r\n"} {
		if !strings.Contains(info, want) {
			t.Errorf("INFO all lacks %q:\n%s", want, info)
		}
	}
	if ks, _ := rdb.Info(ctx, "keyspace").Result(); strings.Contains(ks, "# Server") || !strings.HasPrefix(ks, "# Keyspace") {
		t.Errorf("INFO keyspace: %q", ks)
	}
	if none, err := rdb.Info(ctx, "nosuchsection").Result(); err != nil || none != "" {
		t.Errorf("INFO of an unknown section: %q, %v (Redis answers empty)", none, err)
	}
	rdb.Do(ctx, "CLIENT", "SETNAME", "viewer")
	list, err := rdb.ClientList(ctx).Result()
	if err != nil || !strings.Contains(list, "name=viewer") || !strings.Contains(list, "cmd=client|list") {
		t.Errorf("CLIENT LIST: %q, %v", list, err)
	}
	if id, err := rdb.ClientID(ctx).Result(); err != nil || id < 1 {
		t.Errorf("CLIENT ID: %d, %v", id, err)
	}
	if sl, err := rdb.SlowLogGet(ctx, 10).Result(); err != nil || len(sl) != 0 {
		t.Errorf("SLOWLOG GET: %v, %v", sl, err)
	}
}
