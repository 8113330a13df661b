package emulator_test

import (
	"context"
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
