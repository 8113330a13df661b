package session

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/rediscli"
)

// consoleOnGate opens a console over a session behind the AMR gate, whose tokens live
// between minLife and maxLife, and an admin client on the backend.
func consoleOnGate(t *testing.T, minLife, maxLife time.Duration) (*gateEnv, *redis.Client, *Session, *recorder, *Console) {
	t.Helper()
	env := startGateEnv(t)
	admin := redis.NewClient(&redis.Options{Addr: env.redis.Addr, Protocol: 2})
	t.Cleanup(func() { _ = admin.Close() })
	src := &mintSource{e: env.entra, oid: "11111111-2222-3333-4444-555555555555", minLife: minLife, maxLife: maxLife}
	cfg := env.config(t)
	cfg.Reauth.Spread = -1 // no pacing: the tests wait for whole rounds
	s := openSession(t, cfg, src)
	rec := record(t, s)
	con, err := s.Console(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = con.Close() })
	return env, admin, s, rec, con
}

// A console that lives through token rotations on the AMR gate is moved to each new token
// between two commands and keeps its connection and its state (SELECT, CLIENT SETNAME): the
// gate never closes it for expiry, and its commands still run in the database it selected.
func TestConsoleAcrossReauthOnGateKeepsState(t *testing.T) {
	env, admin, _, rec, con := consoleOnGate(t, 2*time.Second, 3*time.Second)
	firstExpired := time.Now().Add(3*time.Second + 200*time.Millisecond)
	ctx := context.Background()
	must := func(want rediscli.Reply, args ...string) {
		t.Helper()
		r, err := con.Do(ctx, args...)
		if err != nil || rediscli.FormatTTY(r) != rediscli.FormatTTY(want) || r.Kind != want.Kind {
			t.Fatalf("%v: %v %q, %v; want %v %q", args, r.Kind, rediscli.FormatTTY(r), err, want.Kind, rediscli.FormatTTY(want))
		}
	}
	must(rediscli.Status("OK"), "SELECT", "3")
	must(rediscli.Status("OK"), "CLIENT", "SETNAME", "rotating")
	from := 0
	for round := range 2 {
		_, i := rec.wait(t, 10*time.Second, from, isType[ReauthDone])
		if i < 0 {
			t.Fatalf("no re-AUTH round %d", round+1)
		}
		from = i + 1
		must(rediscli.Status("OK"), "SET", "k", "round")
	}
	if d := time.Until(firstExpired); d > 0 {
		time.Sleep(d) // the token the console first authenticated with is gone
	}
	must(rediscli.Bulk("rotating"), "CLIENT", "GETNAME")
	must(rediscli.Bulk("round"), "GET", "k")
	if n := admin.Exists(ctx, "k").Val(); n != 0 {
		t.Fatal("k is in db 0: the console lost its SELECT")
	}
	st := env.gate.Stats()
	if st.ClosedForExpiry != 0 || st.AuthFailed != 0 {
		t.Errorf("gate: ClosedForExpiry %d, AuthFailed %d", st.ClosedForExpiry, st.AuthFailed)
	}
	for _, e := range rec.all() {
		if rd, ok := e.(ReauthDone); ok && (rd.Failed != 0 || rd.Err != nil) {
			t.Errorf("re-AUTH round: %+v", rd)
		}
	}
}

// A console connection that a re-AUTH round finds broken is not silently replaced: the next
// command is refused with ErrConsoleReconnect (it would have run in another database, without
// the connection's state), and the one after runs on a new connection. Inside a MULTI the
// round leaves the connection alone (an AUTH would be queued): the next command then fails
// on the broken connection rather than running, outside the transaction, on a new one.
func TestConsoleLostBetweenCommands(t *testing.T) {
	for _, tx := range []bool{false, true} {
		t.Run(map[bool]string{false: "selected", true: "in MULTI"}[tx], func(t *testing.T) {
			_, admin, s, rec, con := consoleOnGate(t, time.Hour, time.Hour)
			ctx := context.Background()
			setup := [][]string{{"SELECT", "4"}, {"CLIENT", "SETNAME", "doomed"}}
			if tx {
				setup = append(setup, []string{"MULTI"}, []string{"SET", "x", "1"})
			}
			for _, args := range setup {
				if r, err := con.Do(ctx, args...); err != nil || r.IsError() {
					t.Fatalf("%v: %v, %v", args, r, err)
				}
			}
			killNamed(t, admin, "doomed")
			s.Refresh()
			if _, i := rec.wait(t, 10*time.Second, 0, isType[ReauthDone]); i < 0 {
				t.Fatal("no re-AUTH round")
			}
			_, err := con.Do(ctx, "SET", "y", "1")
			if !tx && !errors.Is(err, ErrConsoleReconnect) {
				t.Fatalf("the command after a lost connection: %v; want ErrConsoleReconnect", err)
			}
			if tx && err == nil {
				t.Fatal("the command after a lost connection in MULTI ran; want the connection's error")
			}
			r, err := con.Do(ctx, "SET", "y", "1")
			if err != nil || r.Kind != rediscli.KindStatus || r.Str != "OK" {
				t.Fatalf("SET y on the new connection: %v, %v (want OK, not QUEUED)", r, err)
			}
			if n := admin.Exists(ctx, "x", "y").Val(); n != 1 {
				t.Fatalf("x and y in db 0: %d; want only y", n)
			}
		})
	}
}

// killNamed kills the backend connection named name (the gate then closes its client side).
func killNamed(t *testing.T, admin *redis.Client, name string) {
	t.Helper()
	ctx := context.Background()
	list, err := admin.ClientList(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(list, "\n") {
		if !strings.Contains(line, " name="+name+" ") {
			continue
		}
		id, _, _ := strings.Cut(strings.TrimPrefix(line, "id="), " ")
		if err := admin.Do(ctx, "CLIENT", "KILL", "ID", id).Err(); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Fatalf("no client named %s in\n%s", name, list)
}

// A re-AUTH round that comes while the console is inside a MULTI does not send AUTH there
// (it would be queued and run by EXEC as part of the user's transaction): the transaction's
// reply holds only the user's commands, and the new token goes out before the next command.
func TestConsoleReauthWaitsForExec(t *testing.T) {
	_, _, s, rec, con := consoleOnGate(t, time.Hour, time.Hour)
	ctx := context.Background()
	for _, args := range [][]string{{"MULTI"}, {"SET", "x", "1"}} {
		if r, err := con.Do(ctx, args...); err != nil || r.IsError() {
			t.Fatalf("%v: %v, %v", args, r, err)
		}
	}
	s.Refresh()
	if _, i := rec.wait(t, 10*time.Second, 0, isType[ReauthDone]); i < 0 {
		t.Fatal("no re-AUTH round")
	}
	r, err := con.Do(ctx, "EXEC")
	if err != nil || len(r.Elems) != 1 || r.Elems[0].Str != "OK" {
		t.Fatalf("EXEC: %v %q, %v; want only SET's OK", r.Kind, rediscli.FormatTTY(r), err)
	}
	if st := s.Snapshot(); st.Connections.Stale != 1 {
		t.Fatalf("after EXEC: %d connections on the old token; want the console's (its AUTH waits for the next command)", st.Connections.Stale)
	}
	if r, err := con.Do(ctx, "PING"); err != nil || r.Str != "PONG" {
		t.Fatalf("PING after EXEC: %v, %v", r, err)
	}
	if st := s.Snapshot(); st.Connections.Stale != 0 {
		t.Fatalf("after PING: %d connections on the old token; want none", st.Connections.Stale)
	}
}
