package emulator_test

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"go.uber.org/goleak"

	"github.com/amr-tui/amr-tui/emulator"
)

func TestGateCloseLeavesNoGoroutines(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())

	backend, err := emulator.StartEmbeddedBackend()
	if err != nil {
		t.Fatal(err)
	}
	defer backend.Close()
	ca, err := emulator.NewCA()
	if err != nil {
		t.Fatal(err)
	}
	serverTLS, err := ca.ServerTLSConfig()
	if err != nil {
		t.Fatal(err)
	}
	iss := newGateIssuer(t)
	g, err := emulator.StartGate(emulator.GateOptions{Backend: backend.Addr(), Verifier: iss, TLS: serverTLS})
	if err != nil {
		t.Fatal(err)
	}

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
