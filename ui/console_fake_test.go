package ui

import (
	"context"
	"errors"
	"strings"
	"sync"

	"github.com/amr-tui/amr-tui/rediscli"
)

// fakeConsole answers console commands from a table of replies keyed by the command line
// (arguments joined by spaces) and records what was sent. COMMAND is refused, as a managed
// Redis may refuse it, so the embedded command table is what the console uses.
type fakeConsole struct {
	mu      sync.Mutex
	replies map[string]rediscli.Reply
	sent    []string
	stream  []rediscli.Reply // handed out by the next Stream
	streams []*fakeStream
	closes  int
}

func newFakeConsole() *fakeConsole {
	return &fakeConsole{replies: map[string]rediscli.Reply{}}
}

func (f *fakeConsole) Do(_ context.Context, args []string) (rediscli.Reply, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	line := strings.Join(args, " ")
	f.sent = append(f.sent, line)
	if strings.EqualFold(args[0], "command") {
		return rediscli.Error("NOPERM this user has no permissions to run the 'command' command"), nil
	}
	if r, ok := f.replies[line]; ok {
		return r, nil
	}
	return rediscli.Error("ERR unknown command '" + args[0] + "', with args beginning with: "), nil
}

func (f *fakeConsole) Stream(_ context.Context, args []string) (ReplyStream, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, strings.Join(args, " "))
	s := &fakeStream{ch: make(chan rediscli.Reply, 64), done: make(chan struct{})}
	for _, r := range f.stream {
		s.ch <- r
	}
	f.streams = append(f.streams, s)
	return s, nil
}

func (f *fakeConsole) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closes++
	return nil
}

func (f *fakeConsole) closeCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.closes
}

// sentLines returns the command lines sent, COMMAND and COMMAND DOCS left out.
func (f *fakeConsole) sentLines() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, s := range f.sent {
		if !strings.HasPrefix(strings.ToUpper(s), "COMMAND") {
			out = append(out, s)
		}
	}
	return out
}

type fakeStream struct {
	ch        chan rediscli.Reply
	done      chan struct{}
	closeOnce sync.Once
}

func (s *fakeStream) Next(ctx context.Context, max int) ([]rediscli.Reply, error) {
	var out []rediscli.Reply
	select {
	case r := <-s.ch:
		out = append(out, r)
	case <-s.done:
		return nil, errors.New("stream closed")
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	for len(out) < max {
		select {
		case r := <-s.ch:
			out = append(out, r)
		default:
			return out, nil
		}
	}
	return out, nil
}

func (s *fakeStream) Close() error {
	s.closeOnce.Do(func() { close(s.done) })
	return nil
}

func (s *fakeStream) closed() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// consoleStore is the fake store with a console.
type consoleStore struct {
	*fakeStore
	con *fakeConsole
}

func (s consoleStore) OpenConsole(context.Context) (Console, error) { return s.con, nil }

// demoConsole answers a few commands of every reply type.
func demoConsole() *fakeConsole {
	f := newFakeConsole()
	f.replies["GET user:1:name"] = rediscli.Bulk("Ada Lovelace")
	f.replies["GET missing"] = rediscli.Nil()
	f.replies["INCR visits"] = rediscli.Integer(42)
	f.replies["HGETALL user:1:profile"] = rediscli.Array(rediscli.Bulk("name"), rediscli.Bulk("user 1"), rediscli.Bulk("plan"), rediscli.Bulk("pro"))
	f.replies["SET greeting hello"] = rediscli.Status("OK")
	f.replies["SELECT 2"] = rediscli.Status("OK")
	f.replies["FLUSHDB"] = rediscli.Status("OK")
	f.replies["ZRANGE leaderboard 0 -1 WITHSCORES"] = rediscli.Array(rediscli.Bulk("bob"), rediscli.Bulk("17.5"), rediscli.Bulk("alice"), rediscli.Bulk("42"))
	return f
}
