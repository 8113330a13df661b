package session

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/emulator/emutest"
)

// SelectDB moves the command pool to another database; the new pool's connections are
// tracked and re-AUTHed by the next token rotation like the old ones were.
func TestSelectDBSwitchesAndKeepsReauth(t *testing.T) {
	r := startACLRedis(t)
	src := newACLSource(t, r, 3*time.Second)
	host, port := r.host(t)
	s := openSession(t, testConfig(host, port), src)
	rec := record(t, s)
	ctx := context.Background()

	admin3 := redis.NewClient(&redis.Options{Addr: r.srv.Addr, Username: "admin", Password: "adminpw", DB: 3, Protocol: 2, DisableIdentity: true})
	t.Cleanup(func() { _ = admin3.Close() })
	if err := admin3.Set(ctx, "only-in-3", "yes", 0).Err(); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.Client().Exists(ctx, "only-in-3").Result(); n != 0 {
		t.Fatal("database 0 should not hold the key")
	}
	old := s.Client()
	if err := s.SelectDB(ctx, 3); err != nil {
		t.Fatalf("SelectDB 3: %v", err)
	}
	if s.DB() != 3 {
		t.Fatalf("DB() = %d after SelectDB 3", s.DB())
	}
	if v, err := s.Client().Get(ctx, "only-in-3").Result(); err != nil || v != "yes" {
		t.Fatalf("GET on database 3: %q, %v", v, err)
	}
	if err := old.Ping(ctx).Err(); !errors.Is(err, redis.ErrClosed) {
		t.Fatalf("the old client should be closed, PING said %v", err)
	}

	// Out of range: refused with the cause, and nothing changes.
	err := s.SelectDB(ctx, 99)
	if err == nil || !strings.Contains(err.Error(), "out of range") || !strings.Contains(err.Error(), "databases") {
		t.Fatalf("SelectDB 99: %v", err)
	}
	if s.DB() != 3 || s.Client().Get(ctx, "only-in-3").Val() != "yes" {
		t.Fatal("a refused SELECT changed the database")
	}

	// The next rotation re-AUTHs the new pool's connections, idle ones included.
	warmPool(t, s, 6)
	e, _ := rec.wait(t, 10*time.Second, 0, isType[ReauthDone])
	if rd := e.(ReauthDone); rd.Failed != 0 || rd.Err != nil || rd.Connections < 6 {
		t.Fatalf("re-AUTH after SelectDB: %+v", rd)
	}
	onlyUser(t, r, src.current().Username)
	if st := s.Snapshot(); st.Connections.Stale != 0 {
		t.Fatalf("stale connections after the round: %+v", st.Connections)
	}
	if v, err := s.Client().Get(ctx, "only-in-3").Result(); err != nil || v != "yes" {
		t.Fatalf("GET on database 3 after the rotation: %q, %v", v, err)
	}
}

// A server without SELECT (Azure Managed Redis has only database 0) is explained; a cluster is
// refused before any command.
func TestSelectDBRefusals(t *testing.T) {
	r := &aclRedis{srv: emutest.StartRedisServer(t, "--rename-command", "SELECT", `""`)}
	r.setup(t)
	t.Cleanup(func() { _ = r.admin.Close() })
	host, port := r.host(t)
	s := openSession(t, testConfig(host, port), staticSource{})
	err := s.SelectDB(context.Background(), 1)
	if err == nil || !strings.Contains(err.Error(), "unknown command") || !strings.Contains(err.Error(), "only database 0") {
		t.Fatalf("SELECT on a server without it: %v", err)
	}
	if s.DB() != 0 || s.Client().Ping(context.Background()).Err() != nil {
		t.Fatal("the refused switch broke the session")
	}

	// No token change while switching: no re-AUTH round (a session without AUTH would only
	// see it fail). A token that arrived meanwhile does start one.
	if err := s.SelectDB(context.Background(), 0); err != nil {
		t.Fatalf("SELECT 0 (no command sent): %v", err)
	}
	_, gen := s.tm.current()
	if s.kickIfNewToken(gen) {
		t.Fatal("a switch without a new token started a re-AUTH round")
	}

	c := &Session{cluster: true}
	if err := c.SelectDB(context.Background(), 1); !errors.Is(err, ErrClusterDB) {
		t.Fatalf("cluster: %v", err)
	}
}
