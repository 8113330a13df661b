package sessionstore

import (
	"context"
	"errors"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/internal/redistest"
	"github.com/amr-tui/amr-tui/rediscli"
	"github.com/amr-tui/amr-tui/session"
	"github.com/amr-tui/amr-tui/ui/common"
)

// helloID is the connection id in HELLO's reply, which differs from one client to the next.
var helloID = regexp.MustCompile(`("id" => \(integer\) |"id"\n *\d+\) \(integer\) )\d+`)

// consoleScript runs lines on con and returns what the console prints for them, as the UI
// prints a reply (rediscli.Output in TTY mode).
func consoleScript(t *testing.T, con common.Console, lines []string) string {
	t.Helper()
	var b strings.Builder
	for _, line := range lines {
		args, err := rediscli.SplitArgs(line)
		if err != nil {
			t.Fatal(err)
		}
		r, err := con.Do(ctxT(t), args)
		if err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		out, err := rediscli.Output(rediscli.ModeTTY, args, r)
		if err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		b.Write(out)
	}
	return b.String()
}

// consoleOnRedisServer opens a console over a session on a new redis-server.
func consoleOnRedisServer(t *testing.T) (*redistest.RedisServer, *session.Session, common.Console) {
	t.Helper()
	srv := redistest.StartRedisServer(t)
	s := open(t, plainProfile(t, srv.Addr), guarded(t))
	con, err := New(s).OpenConsole(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = con.Close() })
	return srv, s, con
}

// TestConsoleRepliesMatchRedisCLI: the console's replies print byte for byte as one
// `redis-cli --no-raw` session prints them for the same lines, with the reply kinds go-redis
// used to lose: statuses of any command (CLIENT SETNAME, TYPE, CONFIG SET), bulk strings that
// look like statuses (GET of "OK"), a hash in the server's order, QUEUED inside MULTI, and
// RESP3 types after HELLO 3 (a map, a double, a set) — with SELECT kept throughout.
func TestConsoleRepliesMatchRedisCLI(t *testing.T) {
	cli := redistest.RedisCLIPath(t)
	srv, _, con := consoleOnRedisServer(t)
	lines := []string{
		"SELECT 3", "SET k OK", "HSET h zz 1 aa 2 mm 3", "CLIENT SETNAME console-x", "TYPE h", "OBJECT ENCODING h",
		"CONFIG SET maxmemory-policy noeviction", "GET k", "HGETALL h", "DBSIZE", "CLIENT GETNAME",
		"MULTI", "SET a 1", "GET k", "EXEC", "ZADD z 1.5 m", "SADD s x", "BOGUS",
		"HELLO 3", "HGETALL h", "ZSCORE z m", "SMEMBERS s", "EXISTS k", "GET missing", "CLIENT GETNAME", "DBSIZE",
		"HELLO 2", "HGETALL h",
	}
	got := consoleScript(t, con, lines)

	// Another database of the same server, so that redis-cli starts from the same state.
	cmdLines := append([]string{"SELECT 4"}, lines[1:]...)
	cmd := exec.Command(cli, "-h", "127.0.0.1", "-p", srv.Addr[strings.LastIndex(srv.Addr, ":")+1:], "--no-raw")
	cmd.Stdin = strings.NewReader(strings.Join(cmdLines, "\n") + "\n")
	want, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("redis-cli: %v\n%s", err, want)
	}
	norm := func(s string) string { return helloID.ReplaceAllString(s, "${1}N") }
	if norm(got) != norm(string(want)) {
		t.Errorf("console printed\n%s\nredis-cli printed\n%s", got, want)
	}
	for _, must := range []string{"\nhash\n", "1) \"zz\"\n2) \"1\"\n3) \"aa\"", "1# \"zz\" => \"1\"", "(double) 1.5", "QUEUED\n"} {
		if !strings.Contains(got, must) {
			t.Errorf("the console's output lacks %q:\n%s", must, got)
		}
	}
}

// TestConsoleCancelAndBrokenConnection: a command abandoned when its ctx ends closes the
// console's connection (its reply would be lost) and the console says so; a connection the
// server kills is reported by the next command; in both cases the following command runs on
// a new connection in the session's database, outside the abandoned transaction.
func TestConsoleCancelAndBrokenConnection(t *testing.T) {
	_, s, con := consoleOnRedisServer(t)
	do := func(ctx context.Context, line string) (string, error) {
		args, _ := rediscli.SplitArgs(line)
		r, err := con.Do(ctx, args)
		if err != nil {
			return "", err
		}
		return rediscli.FormatTTY(r), nil
	}
	mustDo := func(line, want string) {
		t.Helper()
		if got, err := do(ctxT(t), line); err != nil || got != want {
			t.Fatalf("%s: %q, %v; want %q", line, got, err, want)
		}
	}
	mustDo("SELECT 2", "OK\n")
	mustDo("CLIENT SETNAME first", "OK\n")

	// BLPOP 0 blocks until cancelled.
	ctx, cancel := context.WithCancel(ctxT(t))
	done := make(chan error, 1)
	go func() { _, err := do(ctx, "BLPOP nothing 0"); done <- err }()
	waitClient(t, s, "cmd=blpop")
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled BLPOP: %v", err)
	}
	mustDo("CLIENT GETNAME", "(nil)\n") // a new connection, in the session's database
	mustDo("SET y 1", "OK\n")
	if n, err := s.Client().Exists(ctxT(t), "y").Result(); err != nil || n != 1 {
		t.Fatalf("y in db 0: %d, %v", n, err)
	}

	// The server kills the connection between two commands, inside a transaction.
	mustDo("SELECT 5", "OK\n")
	id, err := do(ctxT(t), "CLIENT ID")
	if err != nil {
		t.Fatal(err)
	}
	mustDo("MULTI", "OK\n")
	mustDo("SET x 1", "QUEUED\n")
	id = strings.TrimSuffix(strings.TrimPrefix(id, "(integer) "), "\n")
	if err := s.Client().Do(ctxT(t), "CLIENT", "KILL", "ID", id).Err(); err != nil {
		t.Fatal(err)
	}
	if _, err := do(ctxT(t), "PING"); err == nil {
		t.Fatal("PING on a killed connection succeeded")
	}
	mustDo("SET z 1", "OK\n") // not QUEUED: the transaction is gone
	if n, err := s.Client().Exists(ctxT(t), "x", "z").Result(); err != nil || n != 1 {
		t.Fatalf("x and z in db 0: %d, %v; want only z", n, err)
	}
}

// waitClient waits until CLIENT LIST shows a client matching what.
func waitClient(t *testing.T, s *session.Session, what string) {
	t.Helper()
	ctx := ctxT(t)
	for ctx.Err() == nil {
		list, err := s.Client().ClientList(ctx).Result()
		if err == nil && strings.Contains(list, what) {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("no client with %s", what)
}
