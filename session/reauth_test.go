package session

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/rediscli"
)

// warmPool leaves n connections idle in the session's command pool.
func warmPool(t testing.TB, s *Session, n int) {
	t.Helper()
	ctx := context.Background()
	conns := make([]*redis.Conn, n)
	for i := range conns {
		conns[i] = s.Client().(*redis.Client).Conn()
		if err := conns[i].Ping(ctx).Err(); err != nil {
			t.Fatalf("warming the pool: %v", err)
		}
	}
	for _, c := range conns {
		_ = c.Close()
	}
}

// onlyUser waits (briefly) until every non-admin connection on the server belongs to user.
func onlyUser(t testing.TB, r *aclRedis, user string) map[string]int {
	t.Helper()
	var users map[string]int
	for range 30 {
		users = r.clientUsers(t)
		if len(users) == 1 && users[user] > 0 {
			return users
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("connections by user = %v, want all on %s", users, user)
	return nil
}

// Idle pooled connections, the console's connection and a subscription all move to each new
// token before the old one expires (when Redis would close them), under RESP2 and RESP3.
func TestRotationReauthsIdlePoolConsoleAndPubSub(t *testing.T) {
	for _, proto := range []int{2, 3} {
		t.Run("RESP"+strconv.Itoa(proto), func(t *testing.T) {
			r := startACLRedis(t)
			src := newACLSource(t, r, 3*time.Second)
			host, port := r.host(t)
			cfg := testConfig(host, port)
			cfg.Protocol = proto
			s := openSession(t, cfg, src)
			rec := record(t, s)
			ctx := context.Background()

			warmPool(t, s, 12)
			warmPipelinePool(t, s, 3)
			con, err := s.Console(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if r, err := con.Do(ctx, "SET", "k", "v"); err != nil || !isReply(r, rediscli.KindStatus, "OK") {
				t.Fatalf("console: %v %v", r, err)
			}
			sub, err := s.Subscribe(ctx, []string{"news"}, nil)
			if err != nil {
				t.Fatalf("subscribe: %v", err)
			}
			onlyUser(t, r, src.current().Username)

			// A publisher sends numbered messages throughout; none may be lost or repeated.
			var sent atomic.Int64
			pubCtx, stopPub := context.WithCancel(ctx)
			var pubWG sync.WaitGroup
			pubWG.Add(1)
			go func() {
				defer pubWG.Done()
				for i := int64(1); pubCtx.Err() == nil; i++ {
					if err := s.Client().Publish(ctx, "news", strconv.FormatInt(i, 10)).Err(); err != nil {
						t.Errorf("publish %d: %v", i, err)
						return
					}
					sent.Store(i)
					time.Sleep(2 * time.Millisecond)
				}
			}()
			var got []int64
			var lastGot atomic.Int64
			recvDone := make(chan struct{})
			go func() {
				defer close(recvDone)
				for m := range sub.Messages() {
					n, _ := strconv.ParseInt(m.Payload, 10, 64)
					got = append(got, n)
					lastGot.Store(n)
				}
			}()

			from := 0
			for round := 1; round <= 2; round++ {
				e, i := rec.wait(t, 10*time.Second, from, isType[ReauthDone])
				from = i + 1
				rd := e.(ReauthDone)
				if rd.Failed != 0 || rd.Err != nil {
					t.Fatalf("round %d: %+v", round, rd)
				}
				users := onlyUser(t, r, src.current().Username)
				t.Logf("round %d: %d connections re-authenticated in %v; server: %v", round, rd.Connections, rd.Duration, users)
				if rd.Connections < 12+3+1+1 {
					t.Errorf("round %d re-authenticated %d connections, want at least 17 (12 idle, 3 pipeline, console, pub/sub)", round, rd.Connections)
				}
				if st := s.Snapshot(); st.Connections.Stale != 0 {
					t.Errorf("round %d: snapshot %+v still counts stale connections", round, st.Connections)
				}
			}
			if r, err := con.Do(ctx, "GET", "k"); err != nil || !isReply(r, rediscli.KindBulk, "v") {
				t.Fatalf("console after rotations: %v %v", r, err)
			}
			stopPub()
			pubWG.Wait()
			last := sent.Load()
			deadline := time.Now().Add(5 * time.Second)
			for time.Now().Before(deadline) {
				if lastGot.Load() >= last {
					break
				}
				time.Sleep(10 * time.Millisecond)
			}
			_ = sub.Close()
			<-recvDone
			checkSequence(t, got, last)
		})
	}
}

func checkSequence(t testing.TB, got []int64, last int64) {
	t.Helper()
	if int64(len(got)) != last {
		t.Errorf("received %d messages, sent %d", len(got), last)
	}
	for i, n := range got {
		if n != int64(i+1) {
			t.Fatalf("message %d is %d (lost or repeated around it); got %v…", i+1, n, got[max(0, i-3):min(len(got), i+3)])
		}
	}
}

// warmPipelinePool leaves n connections idle in the pool go-redis keeps for pipelines.
func warmPipelinePool(t testing.TB, s *Session, n int) {
	t.Helper()
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.Client().Pipelined(context.Background(), func(p redis.Pipeliner) error {
				p.BLPop(context.Background(), 100*time.Millisecond, fmt.Sprintf("empty-%d", i))
				return nil
			})
			if err != nil && err != redis.Nil {
				t.Errorf("pipeline: %v", err)
			}
		}()
	}
	wg.Wait()
}
