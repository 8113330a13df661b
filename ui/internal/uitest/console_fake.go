package uitest

import (
	"github.com/amr-tui/amr-tui/ui/common"

	"context"
	"errors"
	"strings"
	"sync"

	"github.com/amr-tui/amr-tui/rediscli"
)

// FakeConsole answers console commands from a table of replies keyed by the command line
// (arguments joined by spaces) and records what was sent. COMMAND is refused, as a managed
// Redis may refuse it, so the embedded command table is what the console uses.
type FakeConsole struct {
	Mu         sync.Mutex
	Replies    map[string]rediscli.Reply
	Sent       []string
	NextStream []rediscli.Reply // handed out by the next Stream
	Streams    []*fakeStream
	closes     int
	// RefuseWhileStreaming makes Do and Stream fail while a stream is open, as the session's
	// console does (its connection carries the stream until Close returns).
	RefuseWhileStreaming bool
	// CloseGate, when set, holds every stream's Close until it is closed.
	CloseGate chan struct{}
}

// errStreaming is the session console's refusal of a command while a stream is open.
var errStreaming = errors.New("session: the console's connection is streaming (SUBSCRIBE or MONITOR) until the stream is closed")

// streaming reports whether a stream is still open; f.Mu is held.
func (f *FakeConsole) streaming() bool {
	for _, s := range f.Streams {
		if !s.Closed() {
			return true
		}
	}
	return false
}

func NewFakeConsole() *FakeConsole {
	return &FakeConsole{Replies: map[string]rediscli.Reply{}}
}

func (f *FakeConsole) Do(_ context.Context, args []string) (rediscli.Reply, error) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	line := strings.Join(args, " ")
	if f.RefuseWhileStreaming && f.streaming() {
		return rediscli.Reply{}, errStreaming
	}
	f.Sent = append(f.Sent, line)
	if strings.EqualFold(args[0], "command") {
		return rediscli.Error("NOPERM this user has no permissions to run the 'command' command"), nil
	}
	if r, ok := f.Replies[line]; ok {
		return r, nil
	}
	return rediscli.Error("ERR unknown command '" + args[0] + "', with args beginning with: "), nil
}

func (f *FakeConsole) Stream(_ context.Context, args []string) (common.ReplyStream, error) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	if f.RefuseWhileStreaming && f.streaming() {
		return nil, errStreaming
	}
	f.Sent = append(f.Sent, strings.Join(args, " "))
	s := &fakeStream{ch: make(chan rediscli.Reply, 64), done: make(chan struct{}), gate: f.CloseGate}
	for _, r := range f.NextStream {
		s.ch <- r
	}
	f.Streams = append(f.Streams, s)
	return s, nil
}

func (f *FakeConsole) Close() error {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.closes++
	return nil
}

func (f *FakeConsole) CloseCount() int {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	return f.closes
}

// SentLines returns the command lines sent, COMMAND and COMMAND DOCS left out.
func (f *FakeConsole) SentLines() []string {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	var out []string
	for _, s := range f.Sent {
		if !strings.HasPrefix(strings.ToUpper(s), "COMMAND") {
			out = append(out, s)
		}
	}
	return out
}

type fakeStream struct {
	ch        chan rediscli.Reply
	done      chan struct{}
	gate      chan struct{} // Close waits for it; nil: closes at once
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
	if s.gate != nil {
		<-s.gate
	}
	s.closeOnce.Do(func() { close(s.done) })
	return nil
}

func (s *fakeStream) Closed() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// ConsoleStore is the fake store with a console.
type ConsoleStore struct {
	*FakeStore
	Con *FakeConsole
}

func (s ConsoleStore) OpenConsole(context.Context) (common.Console, error) { return s.Con, nil }

// DemoConsole answers a few commands of every reply type.
func DemoConsole() *FakeConsole {
	f := NewFakeConsole()
	f.Replies["GET user:1:name"] = rediscli.Bulk("Ada Lovelace")
	f.Replies["GET missing"] = rediscli.Nil()
	f.Replies["INCR visits"] = rediscli.Integer(42)
	f.Replies["HGETALL user:1:profile"] = rediscli.Array(rediscli.Bulk("name"), rediscli.Bulk("user 1"), rediscli.Bulk("plan"), rediscli.Bulk("pro"))
	f.Replies["SET greeting hello"] = rediscli.Status("OK")
	f.Replies["SELECT 2"] = rediscli.Status("OK")
	f.Replies["FLUSHDB"] = rediscli.Status("OK")
	f.Replies["ZRANGE leaderboard 0 -1 WITHSCORES"] = rediscli.Array(rediscli.Bulk("bob"), rediscli.Bulk("17.5"), rediscli.Bulk("alice"), rediscli.Bulk("42"))
	return f
}
