package session

import (
	"context"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/rediscli"
)

// A console stream through the AMR gate with 3-5 s tokens survives at least three rotations
// while a publisher counts messages: none lost, none repeated, in order; the gate closes no
// connection for expiry. MONITOR counts the publisher's commands the same way.
func TestStreamSurvivesRotationsOnGate(t *testing.T) {
	cases := []struct {
		name  string
		proto int
		args  []string
		pub   func(ctx context.Context, c redis.UniversalClient, n int) error
	}{
		{"SUBSCRIBE RESP2", 0, []string{"SUBSCRIBE", "ch"}, func(ctx context.Context, c redis.UniversalClient, n int) error {
			return c.Publish(ctx, "ch", strconv.Itoa(n)).Err()
		}},
		{"SUBSCRIBE RESP3", 3, []string{"SUBSCRIBE", "ch"}, func(ctx context.Context, c redis.UniversalClient, n int) error {
			return c.Publish(ctx, "ch", strconv.Itoa(n)).Err()
		}},
		{"PSUBSCRIBE RESP2", 0, []string{"PSUBSCRIBE", "c*"}, func(ctx context.Context, c redis.UniversalClient, n int) error {
			return c.Publish(ctx, "ch", strconv.Itoa(n)).Err()
		}},
		{"SSUBSCRIBE RESP2", 0, []string{"SSUBSCRIBE", "sch"}, func(ctx context.Context, c redis.UniversalClient, n int) error {
			return c.SPublish(ctx, "sch", strconv.Itoa(n)).Err()
		}},
		{"MONITOR RESP2", 0, []string{"MONITOR"}, func(ctx context.Context, c redis.UniversalClient, n int) error {
			return c.Set(ctx, "mon", strconv.Itoa(n), 0).Err()
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := startGateEnv(t)
			src := &mintSource{e: env.entra, oid: "oid-stream", minLife: 3 * time.Second, maxLife: 5 * time.Second}
			s := openSession(t, env.config(t), src)
			rec := record(t, s)
			ctx := context.Background()
			con, err := s.ConsoleWith(ctx, ConsoleOptions{Protocol: tc.proto})
			if err != nil {
				t.Fatal(err)
			}
			defer con.Close()
			var reconnects atomic.Int64
			st, _, first, err := con.Stream(ctx, tc.args, StreamOptions{OnReconnect: func(error) { reconnects.Add(1) }})
			if err != nil || first.IsError() {
				t.Fatalf("Stream: %v %v", first, err)
			}
			wantKind := rediscli.KindArray
			if tc.proto == 3 {
				wantKind = rediscli.KindPush
			}
			if tc.args[0] == "MONITOR" {
				wantKind = rediscli.KindStatus
			}
			if first.Kind != wantKind {
				t.Fatalf("first reply %v, want kind %v", first, wantKind)
			}
			pctx, stop := context.WithCancel(ctx)
			var sent atomic.Int64
			pubDone := make(chan struct{})
			go func() {
				defer close(pubDone)
				for i := 1; pctx.Err() == nil; i++ {
					if err := tc.pub(ctx, s.Client(), i); err != nil {
						t.Errorf("publishing %d: %v", i, err)
						return
					}
					sent.Store(int64(i))
					time.Sleep(2 * time.Millisecond)
				}
			}()
			got := make(chan int64, 1<<16)
			go func() {
				for {
					r, err := st.Next(ctx)
					if err != nil {
						close(got)
						return
					}
					if n, ok := streamNumber(tc.args[0], r); ok {
						got <- n
					}
				}
			}()
			from := 0
			for range 3 {
				_, from = rec.wait(t, 15*time.Second, from, isType[ReauthDone])
				from++
			}
			stop()
			<-pubDone
			last := sent.Load()
			var seq []int64
			for end := time.After(5 * time.Second); int64(len(seq)) < last; {
				select {
				case n := <-got:
					seq = append(seq, n)
				case <-end:
					t.Fatalf("received %d of %d", len(seq), last)
				}
			}
			_ = st.Close()
			checkSequence(t, seq, last)
			gs := env.gate.Stats()
			t.Logf("%d messages across 3 rotations; reconnects %d; gate AuthOK %d, closed for expiry %d", last, reconnects.Load(), gs.AuthOK, gs.ClosedForExpiry)
			if reconnects.Load() != 0 {
				t.Errorf("%d reconnects: the token was not renewed in place", reconnects.Load())
			}
			if gs.ClosedForExpiry != 0 {
				t.Errorf("the gate closed %d connections for expiry", gs.ClosedForExpiry)
			}
		})
	}
}

// streamNumber is the publisher's number in a stream message (a pub/sub message's payload,
// or the SET value in a MONITOR line).
func streamNumber(cmd string, r rediscli.Reply) (int64, bool) {
	if strings.EqualFold(cmd, "monitor") {
		const set = `"set" "mon" "` // go-redis sends command names in lower case
		i := strings.Index(strings.ToLower(r.Str), set)
		if i < 0 {
			return 0, false
		}
		v := strings.TrimSuffix(r.Str[i+len(set):], `"`)
		n, err := strconv.ParseInt(v, 10, 64)
		return n, err == nil
	}
	if len(r.Elems) < 3 {
		return 0, false
	}
	kind := r.Elems[0].Str
	if kind != "message" && kind != "pmessage" && kind != "smessage" {
		return 0, false
	}
	n, err := strconv.ParseInt(r.Elems[len(r.Elems)-1].Str, 10, 64)
	return n, err == nil
}
