package session

import (
	"context"
	"testing"
	"time"
)

// aclScanner opens a session on a new ACL redis-server and returns a Scanner of it.
func aclScanner(t *testing.T) (*aclRedis, *Session, *Scanner) {
	t.Helper()
	r := startACLRedis(t)
	src := newACLSource(t, r, time.Hour)
	host, port := r.host(t)
	s := openSession(t, testConfig(host, port), src)
	sc, err := s.Scanner()
	if err != nil {
		t.Fatal(err)
	}
	return r, s, sc
}

// Warm dials the scanner's connection before any step, and the first step uses it: one
// connection in all, the dial's round trips off the first keys.
func TestScannerWarmDialsBeforeTheFirstStep(t *testing.T) {
	r, _, sc := aclScanner(t)
	want := seedScanKeys(t, r.admin, 50)
	connectionsReceived(t, r) // the admin's own connection is open from here on
	before := connectionsReceived(t, r)
	sc.Warm()
	deadline := time.Now().Add(10 * time.Second)
	for connectionsReceived(t, r) == before {
		if time.Now().After(deadline) {
			t.Fatal("Warm dialled no connection in 10 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
	sameKeys(t, "after Warm", walk(t, sc, "", 1000, "", nil), want, func(string, string) bool { return true })
	if got := connectionsReceived(t, r) - before; got != 1 {
		t.Fatalf("Warm and a walk made %d connections, want 1 (the walk dialled again)", got)
	}
	sc.Warm() // connected: nothing to do
	if got := connectionsReceived(t, r) - before; got != 1 {
		t.Fatalf("Warm on a connected scanner dialled again (%d connections)", got)
	}
}

// Warm on a closed scanner or session dials nothing, and closing the session right after
// Warm returns (a dial in progress is cancelled, not waited out).
func TestScannerWarmAfterClose(t *testing.T) {
	r, s, sc := aclScanner(t)
	sc.Warm()
	done := make(chan struct{})
	go func() { _ = s.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Close after Warm did not return in 10 s")
	}
	connectionsReceived(t, r)
	before := connectionsReceived(t, r)
	sc.Warm()
	time.Sleep(100 * time.Millisecond)
	if got := connectionsReceived(t, r) - before; got != 0 {
		t.Fatalf("Warm on a closed scanner dialled %d connections", got)
	}
	if _, _, err := sc.Scan(context.Background(), 0, "", 10, ""); err == nil {
		t.Fatal("Scan on a closed scanner succeeded")
	}
}
