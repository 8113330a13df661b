package sessionstore

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/rediscli"
	"github.com/amr-tui/amr-tui/session"
	"github.com/amr-tui/amr-tui/ui/common"
)

// shortTokenConsole opens a console over a session through the demo's gate, with tokens that
// live life, and the session adapter that reports each rotation.
func shortTokenConsole(t *testing.T, d *emulator.Demo) (*session.Session, *Session, common.Console) {
	t.Helper()
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

// streamCase is a streaming command of the console with the publisher that feeds it.
type streamCase struct {
	name string
	args []string
	pub  func(ctx context.Context, c redis.UniversalClient, n int) error
}

var streamCases = []streamCase{
	{"SUBSCRIBE", []string{"SUBSCRIBE", "ch"}, func(ctx context.Context, c redis.UniversalClient, n int) error {
		return c.Publish(ctx, "ch", strconv.Itoa(n)).Err()
	}},
	{"PSUBSCRIBE", []string{"PSUBSCRIBE", "c*"}, func(ctx context.Context, c redis.UniversalClient, n int) error {
		return c.Publish(ctx, "ch", strconv.Itoa(n)).Err()
	}},
	{"SSUBSCRIBE", []string{"SSUBSCRIBE", "sch"}, func(ctx context.Context, c redis.UniversalClient, n int) error {
		return c.SPublish(ctx, "sch", strconv.Itoa(n)).Err()
	}},
	{"MONITOR", []string{"MONITOR"}, func(ctx context.Context, c redis.UniversalClient, n int) error {
		return c.Set(ctx, "mon", strconv.Itoa(n), 0).Err()
	}},
}

// TestConsoleStreamsSurviveRotations: through the AMR gate with 3 s tokens, each streaming
// command of the TUI's console keeps every message of a counting publisher — none lost, none
// repeated, in order — across at least three token rotations.
func TestConsoleStreamsSurviveRotations(t *testing.T) {
	for _, tc := range streamCases {
		t.Run(tc.name, func(t *testing.T) {
			d := startDemo(t, 0, 3*time.Second)
			s, adapter, con := shortTokenConsole(t, d)
			ctx := ctxT(t)
			stream, err := con.Stream(ctx, tc.args)
			if err != nil {
				t.Fatal(err)
			}
			defer stream.Close()
			last := publishThrough(t, ctx, tc, s.Client(), func() {
				for i := range 3 {
					waitUpdate(t, adapter.Updates(), 30*time.Second, func(u common.SessionUpdate) bool {
						return strings.HasPrefix(u.Flash, "token refreshed, ")
					})
					t.Logf("rotation %d", i+1)
				}
			})
			seq := collect(t, ctx, tc.args[0], stream, last)
			checkCount(t, seq, last)
			t.Logf("%s: %d messages across 3 rotations, 0 lost", tc.name, last)
		})
	}
}

// publishThrough publishes numbered messages until during returns, and gives the last number.
func publishThrough(t *testing.T, ctx context.Context, tc streamCase, c redis.UniversalClient, during func()) int64 {
	t.Helper()
	pctx, stop := context.WithCancel(ctx)
	var sent atomic.Int64
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 1; pctx.Err() == nil; i++ {
			if err := tc.pub(ctx, c, i); err != nil {
				t.Errorf("publishing %d: %v", i, err)
				return
			}
			sent.Store(int64(i))
			time.Sleep(2 * time.Millisecond)
		}
	}()
	during()
	stop()
	<-done
	return sent.Load()
}

// collect reads the stream until it has last numbered messages (or 10 s pass).
func collect(t *testing.T, ctx context.Context, cmd string, stream common.ReplyStream, last int64) []int64 {
	t.Helper()
	var seq []int64
	deadline := time.Now().Add(10 * time.Second)
	for int64(len(seq)) < last && time.Now().Before(deadline) {
		nctx, cancel := context.WithDeadline(ctx, deadline)
		rs, err := stream.Next(nctx, 256)
		cancel()
		if err != nil {
			break
		}
		for _, r := range rs {
			if n, ok := streamNumber(cmd, r); ok {
				seq = append(seq, n)
			}
		}
	}
	return seq
}

// checkCount fails unless seq is 1..last.
func checkCount(t *testing.T, seq []int64, last int64) {
	t.Helper()
	if int64(len(seq)) != last {
		t.Fatalf("received %d of %d messages", len(seq), last)
	}
	for i, n := range seq {
		if n != int64(i+1) {
			t.Fatalf("message %d is %d: lost, repeated or out of order", i+1, n)
		}
	}
}

// streamNumber is the publisher's number in a stream message (a pub/sub payload, or the SET
// value in a MONITOR line).
func streamNumber(cmd string, r rediscli.Reply) (int64, bool) {
	if strings.EqualFold(cmd, "monitor") {
		const set = `"set" "mon" "`
		i := strings.Index(strings.ToLower(r.Str), set)
		if i < 0 {
			return 0, false
		}
		n, err := strconv.ParseInt(strings.TrimSuffix(r.Str[i+len(set):], `"`), 10, 64)
		return n, err == nil
	}
	if len(r.Elems) < 3 {
		return 0, false
	}
	switch r.Elems[0].Str {
	case "message", "pmessage", "smessage":
	default:
		return 0, false
	}
	n, err := strconv.ParseInt(r.Elems[len(r.Elems)-1].Str, 10, 64)
	return n, err == nil
}

// TestConsoleStreamsSurviveKilledConnections: a console stream whose connection the server
// closes (CLIENT KILL on the backend) is carried on by a new connection, says so in the
// stream, and delivers what is published after it.
func TestConsoleStreamsSurviveKilledConnections(t *testing.T) {
	for _, tc := range streamCases {
		t.Run(tc.name, func(t *testing.T) {
			d := startDemo(t, 0, 10*time.Minute)
			s, _, con := shortTokenConsole(t, d)
			ctx := ctxT(t)
			stream, err := con.Stream(ctx, tc.args)
			if err != nil {
				t.Fatal(err)
			}
			defer stream.Close()
			admin := redis.NewClient(&redis.Options{Addr: d.Backend, Protocol: 2, DisableIdentity: true})
			defer admin.Close()
			for kill := 1; kill <= 3; kill++ {
				if err := killStreamer(ctx, admin, tc.args[0]); err != nil {
					t.Fatalf("kill %d: %v", kill, err)
				}
				noted, got := false, false
				deadline := time.Now().Add(15 * time.Second)
				for n := kill * 1000; !(noted && got) && time.Now().Before(deadline); n++ {
					if err := tc.pub(ctx, s.Client(), n); err != nil {
						t.Fatal(err)
					}
					nctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
					rs, err := stream.Next(nctx, 256)
					cancel()
					if err != nil && nctx.Err() == nil {
						t.Fatalf("kill %d: the stream ended: %v", kill, err)
					}
					for _, r := range rs {
						if strings.Contains(r.Str, "the connection broke") {
							noted = true
						}
						if v, ok := streamNumber(tc.args[0], r); ok && v >= int64(kill*1000) && noted {
							got = true
						}
					}
				}
				if !noted || !got {
					t.Fatalf("kill %d: reconnect noted %v, a later message received %v", kill, noted, got)
				}
			}
		})
	}
}

// killStreamer closes the backend's connections that carry a stream of cmd.
func killStreamer(ctx context.Context, admin *redis.Client, cmd string) error {
	list, err := admin.ClientList(ctx).Result()
	if err != nil {
		return err
	}
	want := strings.ToLower(cmd)
	killed := 0
	for _, line := range strings.Split(list, "\n") {
		if !strings.Contains(line, " cmd="+want) && !(want != "monitor" && strings.Contains(line, "flags=P")) {
			continue
		}
		for _, f := range strings.Fields(line) {
			if id, ok := strings.CutPrefix(f, "id="); ok {
				if err := admin.Do(ctx, "CLIENT", "KILL", "ID", id).Err(); err == nil {
					killed++
				}
			}
		}
	}
	if killed == 0 {
		return errors.New("no connection streaming " + cmd + " in CLIENT LIST:\n" + list)
	}
	return nil
}
