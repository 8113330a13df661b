package sessionstore

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/rediscli"
	"github.com/amr-tui/amr-tui/session"
	"github.com/amr-tui/amr-tui/ui/common"
)

// demoConsole opens a console over a session through the AMR gate of a demo with keys keys.
func demoConsole(t *testing.T, keys int) (*session.Session, *Session, common.Console) {
	t.Helper()
	d := startDemo(t, keys, 10*time.Minute)
	p := demoProfile(t, d, "demo-sp")
	adapter := NewSession(InfoFromProfile(p))
	s := open(t, p, guarded(t))
	adapter.Attach(s)
	t.Cleanup(adapter.Close)
	con, err := New(s).OpenConsole(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = con.Close() })
	return s, adapter, con
}

// TestConsoleSubscribeAcrossTokenRefresh: through the AMR gate, a console SUBSCRIBE keeps
// delivering every message once and in order while the session moves to new tokens. The
// stream carries the console's connection, which takes no other command until it is closed.
func TestConsoleSubscribeAcrossTokenRefresh(t *testing.T) {
	s, adapter, con := demoConsole(t, 100)
	ctx := ctxT(t)
	stream, err := con.Stream(ctx, []string{"SUBSCRIBE", "news"})
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Close()

	const total = 60
	for i := range total {
		if i == 20 || i == 40 {
			s.Refresh()
			waitUpdate(t, adapter.Updates(), 30*time.Second, func(u common.SessionUpdate) bool {
				return strings.HasPrefix(u.Flash, "token refreshed, ")
			})
			if _, err := con.Do(ctx, []string{"PING"}); !errors.Is(err, session.ErrStreaming) {
				t.Fatalf("console command during the stream: %v, want session.ErrStreaming", err)
			}
		}
		if err := s.Client().Publish(ctx, "news", strconv.Itoa(i)).Err(); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for len(got) < total+1 {
		rs, err := stream.Next(ctx, 100)
		if err != nil {
			t.Fatalf("after %d replies: %v", len(got), err)
		}
		for _, r := range rs {
			got = append(got, strings.TrimSuffix(rediscli.FormatRaw(r), "\n"))
		}
	}
	if got[0] != "subscribe\nnews\n1" {
		t.Fatalf("confirmation %q", got[0])
	}
	for i, m := range got[1:] {
		if m != "message\nnews\n"+strconv.Itoa(i) {
			t.Fatalf("message %d is %q: lost, repeated or out of order", i, m)
		}
	}
}

// TestConsoleKeepsStateAcrossTokenRefresh: through the AMR gate, the console's own connection
// is moved to each new token between two commands and keeps its database and its name.
func TestConsoleKeepsStateAcrossTokenRefresh(t *testing.T) {
	s, adapter, con := demoConsole(t, 10)
	ctx := ctxT(t)
	run := func(line, want string) {
		t.Helper()
		args, _ := rediscli.SplitArgs(line)
		if r, err := con.Do(ctx, args); err != nil || rediscli.FormatTTY(r) != want {
			t.Fatalf("%s: %q, %v; want %q", line, rediscli.FormatTTY(r), err, want)
		}
	}
	run("SELECT 2", "OK\n")
	run("CLIENT SETNAME kept", "OK\n")
	run("SET only-in-2 x", "OK\n")
	for range 2 {
		s.Refresh()
		waitUpdate(t, adapter.Updates(), 30*time.Second, func(u common.SessionUpdate) bool {
			return strings.HasPrefix(u.Flash, "token refreshed, ")
		})
		run("CLIENT GETNAME", "\"kept\"\n")
		run("EXISTS only-in-2", "(integer) 1\n")
	}
	if n, err := s.Client().Exists(ctx, "only-in-2").Result(); err != nil || n != 0 {
		t.Fatalf("only-in-2 in db 0: %d, %v", n, err)
	}
}
