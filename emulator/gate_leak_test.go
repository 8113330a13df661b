package emulator_test

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"go.uber.org/goleak"
)

func TestGateCloseLeavesNoGoroutines(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())

	e := startGateEnv(t, gateBackends[0])
	defer e.stopBackend() // before the leak check, which runs ahead of t.Cleanup
	g, iss, ca := e.gate, e.issuer, e.ca

	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Addr: g.Addr(), Username: oid, Password: iss.token(t, oid, time.Hour),
		TLSConfig: ca.ClientTLSConfig(), MaxRetries: -1})
	defer rdb.Close()
	if err := rdb.Ping(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	sub := rdb.Subscribe(ctx, "news") // a subscribed connection, and its expiry timer
	defer sub.Close()
	if _, err := sub.Receive(ctx); err != nil {
		t.Fatal(err)
	}
	idle := newRawClient(t, g.Addr(), ca) // one that never authenticates
	_ = idle

	closed := make(chan error, 1)
	go func() { closed <- g.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Fatalf("Close: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return: a connection goroutine is stuck")
	}
	if len(g.Stats().Live) != 0 {
		t.Fatalf("live connections after Close: %+v", g.Stats().Live)
	}
	// The clients see the drop; closing them ends their own goroutines before the leak check.
	_ = sub.Close()
	_ = rdb.Close()
}
