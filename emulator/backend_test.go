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
	if err := rdb.Set(ctx, "short-lived", "x", 1200*time.Millisecond).Err(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond)
	if ttl := rdb.PTTL(ctx, "short-lived").Val(); ttl <= 0 || ttl > time.Second {
		t.Fatalf("PTTL after 0.5 s: %v, want it counting down from 1.2 s", ttl)
	}
	time.Sleep(time.Second)
	if n := rdb.Exists(ctx, "short-lived").Val(); n != 0 {
		t.Fatal("key still there after its TTL")
	}
	_ = rdb.Close()
	m.Close()
}
