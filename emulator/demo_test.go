package emulator_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"go.uber.org/goleak"

	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
)

func TestStartDemoFailureClosesWhatStarted(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	ctx := context.Background()

	// Nothing listens on the backend address: a clear error, no panic.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	unreachable := l.Addr().String()
	l.Close()
	for _, keys := range []int{0, 10} {
		d, err := emulator.StartDemo(ctx, emulator.DemoOptions{Dir: t.TempDir(), Keys: keys, Backend: unreachable})
		if err == nil || d != nil || !strings.Contains(err.Error(), "does not answer") {
			d.Close()
			t.Fatalf("unreachable backend, %d keys: got a demo: %v; error %v", keys, d != nil, err)
		}
	}

	// A failure after the fake Entra and its listeners are up: all of them are closed again.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bin"), nil, 0o600); err != nil { // where the fake CLIs go
		t.Fatal(err)
	}
	d, err := emulator.StartDemo(ctx, emulator.DemoOptions{Dir: dir})
	if err == nil || d != nil {
		d.Close()
		t.Fatalf("StartDemo with an unusable directory: got a demo: %v; error %v", d != nil, err)
	}

	var none *emulator.Demo
	none.Close() // nil-safe, for callers that close whatever StartDemo returned
}

func TestStartDemoRefusesForeignBackends(t *testing.T) {
	ctx := context.Background()
	for _, addr := range []string{"10.0.0.5:6379", "redis.example.com:6380", "169.254.169.254:6379", "0.0.0.0:6379"} {
		_, err := emulator.StartDemo(ctx, emulator.DemoOptions{Dir: t.TempDir(), Keys: 0, Backend: addr})
		if err == nil || !strings.Contains(err.Error(), "not a loopback address") {
			t.Errorf("backend %s: %v", addr, err)
		}
	}

	s := emutest.StartRedisServer(t)
	rdb := redis.NewClient(&redis.Options{Addr: s.Addr, MaxRetries: -1})
	defer rdb.Close()
	if err := rdb.Set(ctx, "user:1042:profile", "someone's own data", 0).Err(); err != nil {
		t.Fatal(err)
	}
	_, err := emulator.StartDemo(ctx, emulator.DemoOptions{Dir: t.TempDir(), Keys: 100, Backend: s.Addr})
	if err == nil || !strings.Contains(err.Error(), "already holds 1 keys") || !strings.Contains(err.Error(), "--keys 0") {
		t.Fatalf("seeding a backend with data: %v", err)
	}
	if v := rdb.Get(ctx, "user:1042:profile").Val(); v != "someone's own data" || rdb.DBSize(ctx).Val() != 1 {
		t.Fatalf("the refused demo touched the data: %q, %d keys", v, rdb.DBSize(ctx).Val())
	}

	// Serving it without seeding is fine, and leaves the data as it was.
	d, err := emulator.StartDemo(ctx, emulator.DemoOptions{Dir: t.TempDir(), Keys: 0, Backend: s.Addr, TokenLifetime: time.Hour})
	if err != nil {
		t.Fatalf("serving a backend with data, no seeding: %v", err)
	}
	defer d.Close()
	if rdb.DBSize(ctx).Val() != 1 {
		t.Fatal("the demo changed the backend's keys")
	}
}

func TestDemoHoldsNoSecretToPrint(t *testing.T) {
	d, err := emulator.StartDemo(context.Background(), emulator.DemoOptions{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	secret, err := os.ReadFile(d.SecretFile)
	if err != nil || len(secret) == 0 {
		t.Fatalf("the secret file: %q, %v", secret, err)
	}
	for _, format := range []string{"%v", "%+v", "%#v"} {
		if strings.Contains(fmt.Sprintf(format, *d), string(secret)) {
			t.Errorf("printing the Demo with %s shows the client secret", format)
		}
	}
}

// A big demo returns after its first keys and seeds the rest in the background, on its own
// redis-server when one is on PATH and on the embedded backend otherwise; Close stops a
// seeding in progress without leaking it.
func TestStartDemoSeedsInTheBackground(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	ctx := context.Background()
	for _, embedded := range []bool{false, true} {
		if !embedded && !emulator.HaveRedisServer() {
			continue
		}
		d, err := emulator.StartDemo(ctx, emulator.DemoOptions{Dir: t.TempDir(), Keys: 20000, SeedFirst: 1000,
			Embedded: embedded, Plain: true})
		if err != nil {
			t.Fatal(err)
		}
		want := "redis-server"
		if embedded {
			want = "embedded"
		}
		if d.BackendKind != want {
			t.Errorf("embedded=%v: backend %q, want %q", embedded, d.BackendKind, want)
		}
		if d.SeedStats.Keys != 1000 {
			t.Errorf("embedded=%v: %d keys seeded before StartDemo returned, want 1000", embedded, d.SeedStats.Keys)
		}
		st, err := d.SeedWait()
		if err != nil || st.Keys != 20000 {
			t.Fatalf("embedded=%v: SeedWait = %d keys, %v", embedded, st.Keys, err)
		}
		rdb := redis.NewClient(&redis.Options{Addr: d.Backend, MaxRetries: -1})
		if n := rdb.DBSize(ctx).Val(); n != 20000 {
			t.Errorf("embedded=%v: DBSIZE %d after seeding, want 20000", embedded, n)
		}
		_ = rdb.Close()
		d.Close()
	}
	// Closed while seeding: the seeding stops.
	d, err := emulator.StartDemo(ctx, emulator.DemoOptions{Dir: t.TempDir(), Keys: 2_000_000, SeedFirst: 1000, Plain: true})
	if err != nil {
		t.Fatal(err)
	}
	d.Close()
	if _, err := d.SeedWait(); err == nil {
		t.Fatal("SeedWait after Close mid-seeding: no error")
	}
}
