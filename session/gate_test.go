package session

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
)

// gateEnv is the fake Entra and the AMR gate in front of a real redis-server: the gate
// accepts only tokens the Entra minted and closes a connection whose token expires.
type gateEnv struct {
	entra *emulator.Entra
	gate  *emulator.Gate
	redis *emutest.RedisServer
}

func startGateEnv(t testing.TB) *gateEnv {
	t.Helper()
	srv := emutest.StartRedisServer(t)
	e, err := emulator.StartEntra(emulator.EntraOptions{})
	if err != nil {
		t.Fatalf("starting the fake Entra: %v", err)
	}
	t.Cleanup(e.Close)
	g, err := emulator.StartGate(emulator.GateOptions{Backend: srv.Addr, Verifier: e})
	if err != nil {
		t.Fatalf("starting the gate: %v", err)
	}
	t.Cleanup(func() { _ = g.Close() })
	return &gateEnv{entra: e, gate: g, redis: srv}
}

func (g *gateEnv) config(t testing.TB) Config {
	h, p, _ := strings.Cut(g.gate.Addr(), ":")
	port, err := strconv.Atoi(p)
	if err != nil {
		t.Fatal(err)
	}
	return testConfig(h, port)
}

// mintSource is an auth.Source whose tokens the fake Entra mints, each living a random
// time in [minLife, maxLife]. fail simulates an unreachable Entra.
type mintSource struct {
	e                *emulator.Entra
	oid              string
	minLife, maxLife time.Duration
	fail             atomic.Bool
	calls            atomic.Int64
}

func (s *mintSource) Kind() string { return "fake Entra (minted)" }

func (s *mintSource) Token(ctx context.Context) (auth.Token, error) { return s.Fresh(ctx) }

func (s *mintSource) Fresh(context.Context) (auth.Token, error) {
	s.calls.Add(1)
	if s.fail.Load() {
		return auth.Token{}, errNotYet
	}
	life := s.minLife
	if s.maxLife > s.minLife {
		life += time.Duration(rand.Int64N(int64(s.maxLife - s.minLife)))
	}
	now := time.Now()
	tok, exp, err := s.e.Mint(emulator.MintOptions{OID: s.oid, Lifetime: life})
	if err != nil {
		return auth.Token{}, err
	}
	return auth.Token{Value: tok, Username: s.oid, ReceivedAt: now, ExpiresOn: exp,
		Claims: auth.Claims{ObjectID: s.oid, ExpiresAt: exp}}, nil
}

func soakRotations(t testing.TB) int {
	if v := os.Getenv("AMR_TUI_SOAK"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("AMR_TUI_SOAK=%q: want a number of rotations", v)
		}
		return n
	}
	return 20
}

// The rotation soak: tokens of 3–5 s rotate (20 times in CI, AMR_TUI_SOAK=200 for the full
// run) while workers run commands nonstop through the pool, a console and a subscription:
// no command fails, the gate closes no connection for expiry, no message is lost or repeated.
func TestGateRotationSoak(t *testing.T) {
	rotations := soakRotations(t)
	env := startGateEnv(t)
	src := &mintSource{e: env.entra, oid: "11111111-2222-3333-4444-555555555555", minLife: 3 * time.Second, maxLife: 5 * time.Second}
	s := openSession(t, env.config(t), src)
	rec := record(t, s)
	res := soak(t, s, func() bool { return count[ReauthDone](rec.all()) >= rotations }, 10*time.Second*time.Duration(rotations))
	st := env.gate.Stats()
	evs := rec.all()
	var (
		durations []time.Duration
		evicted   int
	)
	for _, e := range evs {
		if rd, ok := e.(ReauthDone); ok {
			durations = append(durations, rd.Duration)
			evicted += rd.Evicted
			if rd.Failed != 0 || (rd.Err != nil && rd.Evicted == 0) {
				t.Errorf("re-AUTH round failed: %+v", rd)
			} else if rd.Evicted > 0 {
				t.Logf("re-AUTH round closed unreachable connections: %+v", rd)
			}
		}
	}
	slices.Sort(durations)
	if len(durations) > 0 {
		t.Logf("re-AUTH rounds (paced over a tenth of the remaining life): p50 %v, max %v; connections evicted as a last resort: %d",
			durations[len(durations)/2].Round(time.Millisecond), durations[len(durations)-1].Round(time.Millisecond), evicted)
	}
	t.Logf("%d rotations in %v: %d pool + %d console commands (%.0f/s), %d messages; gate: AuthOK %d, AuthFailed %d, ClosedForExpiry %d, accepted %d; events dropped %d",
		rotations, res.elapsed.Round(time.Millisecond), res.pool, res.console, float64(res.pool+res.console)/res.elapsed.Seconds(),
		res.messages, st.AuthOK, st.AuthFailed, st.ClosedForExpiry, st.Accepted, s.Snapshot().EventsDropped)
	if st.ClosedForExpiry != 0 {
		t.Errorf("the gate closed %d connections for expiry", st.ClosedForExpiry)
	}
	if st.AuthFailed != 0 {
		t.Errorf("the gate refused %d AUTHs", st.AuthFailed)
	}
	if n := count[TokenExpired](evs); n != 0 {
		t.Errorf("%d TokenExpired events", n)
	}
	if len(durations) < rotations {
		t.Errorf("%d re-AUTH rounds for %d rotations", len(durations), rotations)
	}
}

type soakResult struct {
	pool, console, messages int64
	elapsed                 time.Duration
}

// soak runs 4 pool workers, a console worker and a numbered publisher with a subscriber
// until done() or the limit, and fails the test on any failed command or lost message.
func soak(t testing.TB, s *Session, done func() bool, limit time.Duration) soakResult {
	t.Helper()
	ctx := context.Background()
	con, err := s.Console(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer con.Close()
	sub, err := s.Subscribe(ctx, []string{"soak"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	stopPool := runWorkers(s, 4)
	wctx, cancel := context.WithCancel(ctx)
	var (
		wg              sync.WaitGroup
		consoleN, sent  atomic.Int64
		mu              sync.Mutex
		consoleErrs     []error
		got             []int64
		lastGot         atomic.Int64
		received        atomic.Int64
		recvDone        = make(chan struct{})
		publishFailures atomic.Int64
	)
	wg.Add(2)
	go func() {
		defer wg.Done()
		for i := 0; wctx.Err() == nil; i++ {
			if r, err := con.Do(ctx, "SET", "console", strconv.Itoa(i)); err != nil || r.IsError() {
				if err == nil {
					err = errors.New(r.Str)
				}
				mu.Lock()
				consoleErrs = append(consoleErrs, err)
				mu.Unlock()
				time.Sleep(5 * time.Millisecond)
				continue
			}
			consoleN.Add(1)
		}
	}()
	go func() {
		defer wg.Done()
		for i := int64(1); wctx.Err() == nil; i++ {
			if err := s.Client().Publish(ctx, "soak", strconv.FormatInt(i, 10)).Err(); err != nil {
				publishFailures.Add(1)
				i--
				continue
			}
			sent.Store(i)
			time.Sleep(time.Millisecond)
		}
	}()
	go func() {
		defer close(recvDone)
		for m := range sub.Messages() {
			n, _ := strconv.ParseInt(m.Payload, 10, 64)
			got = append(got, n)
			lastGot.Store(n)
			received.Add(1)
		}
	}()
	deadline := time.Now().Add(limit)
	for !done() && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	wg.Wait()
	poolN, poolErrs := stopPool()
	elapsed := time.Since(start)
	last := sent.Load()
	// In a cluster the last message sent may arrive before earlier ones (see checkEachOnce):
	// wait for the count, not for the last number.
	for end := time.Now().Add(5 * time.Second); (lastGot.Load() < last || received.Load() < last) && time.Now().Before(end); {
		time.Sleep(10 * time.Millisecond)
	}
	_ = sub.Close()
	<-recvDone
	if !done() {
		t.Errorf("soak did not finish within %v", limit)
	}
	if len(poolErrs) > 0 {
		t.Errorf("%d pool commands failed (of %d); first: %v", len(poolErrs), poolN, poolErrs[0])
	}
	if len(consoleErrs) > 0 {
		t.Errorf("%d console commands failed; first: %v", len(consoleErrs), consoleErrs[0])
	}
	if n := publishFailures.Load(); n > 0 {
		t.Errorf("%d publishes failed", n)
	}
	if s.Cluster() {
		// PUBLISH goes to any node, and the cluster bus keeps no order across nodes.
		checkEachOnce(t, got, last)
	} else {
		checkSequence(t, got, last)
	}
	return soakResult{pool: poolN, console: consoleN.Load(), messages: last, elapsed: elapsed}
}

// Through the gate: an Entra outage longer than the token's life is reported as an expiry,
// commands fail with a clear token error, and the session recovers by itself. A shorter one
// costs no command.
func TestGateEntraOutage(t *testing.T) {
	env := startGateEnv(t)
	src := &mintSource{e: env.entra, oid: "oid-outage", minLife: 4 * time.Second, maxLife: 4 * time.Second}
	s := openSession(t, env.config(t), src)
	rec := record(t, s)
	ctx := context.Background()

	// Shorter than the remaining life.
	stop := runWorkers(s, 4)
	src.fail.Store(true)
	_, i := rec.wait(t, 6*time.Second, 0, isType[RefreshFailed])
	rec.wait(t, 2*time.Second, i+1, isType[RefreshFailed])
	src.fail.Store(false)
	_, i = rec.wait(t, 3*time.Second, i, isType[TokenAcquired])
	rec.wait(t, 3*time.Second, i, isType[ReauthDone])
	if n, errs := stop(); len(errs) > 0 {
		t.Fatalf("short outage: %d of %d commands failed; first: %v", len(errs), n, errs[0])
	}
	if env.gate.Stats().ClosedForExpiry != 0 {
		t.Fatal("short outage: the gate closed connections for expiry")
	}

	// Longer than the token's life.
	src.fail.Store(true)
	_, i = rec.wait(t, 8*time.Second, i, isType[TokenExpired])
	var err error
	for range 100 {
		if err = s.Client().Ping(ctx).Err(); errors.Is(err, ErrTokenExpired) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !errors.Is(err, ErrTokenExpired) {
		t.Fatalf("command after expiry: %v; want ErrTokenExpired", err)
	}
	t.Logf("command error after expiry: %v", err)
	src.fail.Store(false)
	rec.wait(t, 5*time.Second, i, isType[TokenAcquired])
	deadline := time.Now().Add(3 * time.Second)
	for err = s.Client().Ping(ctx).Err(); err != nil; err = s.Client().Ping(ctx).Err() {
		if time.Now().After(deadline) {
			t.Fatalf("no recovery after Entra came back: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Through the gate: after the Redis server restarts, commands resume with re-AUTH within 2 s
// of the server being back.
func TestGateRedisRestart(t *testing.T) {
	env := startGateEnv(t)
	src := &mintSource{e: env.entra, oid: "oid-restart", minLife: time.Minute}
	s := openSession(t, env.config(t), src)
	rec := record(t, s)
	warmPool(t, s, 8)
	ctx := context.Background()
	env.redis.Stop()
	env.gate.CloseAll() // the gate's backend connections died with the server
	rec.wait(t, 5*time.Second, 0, isType[ConnectionLost])
	env.redis.Restart()
	back := time.Now()
	var err error
	for time.Since(back) < 2*time.Second {
		if err = s.Client().Set(ctx, "k", "v", 0).Err(); err == nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("commands did not resume within 2 s of the server being back: %v", err)
	}
	t.Logf("commands resumed %v after the server was back", time.Since(back).Round(time.Millisecond))
	rec.wait(t, 3*time.Second, 0, isType[ConnectionRestored])
	if st := env.gate.Stats(); st.AuthFailed != 0 {
		t.Errorf("gate refused %d AUTHs", st.AuthFailed)
	}
}

// BenchmarkReauth50Pooled measures a re-AUTH round over 50 idle pooled connections after a
// rotation, through the gate (which verifies every token's signature), without pacing.
func BenchmarkReauth50Pooled(b *testing.B) {
	env := startGateEnv(b)
	src := &mintSource{e: env.entra, oid: "oid-bench", minLife: time.Hour}
	cfg := env.config(b)
	cfg.PoolSize = 60
	cfg.Reauth.Spread = -1
	cfg.HealthInterval = time.Hour
	s := openSession(b, cfg, src)
	rec := record(b, s)
	warmPool(b, s, 50)
	var durations []time.Duration
	from := 0
	for b.Loop() {
		s.Refresh()
		e, i := rec.wait(b, 10*time.Second, from, isType[ReauthDone])
		from = i + 1
		rd := e.(ReauthDone)
		if rd.Connections != 50 || rd.Failed != 0 {
			b.Fatalf("round: %+v", rd)
		}
		durations = append(durations, rd.Duration)
	}
	slices.Sort(durations)
	pct := func(p float64) float64 {
		return float64(durations[min(len(durations)-1, int(p*float64(len(durations))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.5), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkSoakThroughput runs the soak workload (4 pool workers, a console worker, a
// publisher and a subscriber) through the gate for AMR_TUI_SOAK_SECONDS (default 20) with
// long-lived tokens (steady) and with 3–5 s tokens (rotating), and reports commands per
// second. Run it with -benchtime=1x.
func BenchmarkSoakThroughput(b *testing.B) {
	secs := 20
	if v := os.Getenv("AMR_TUI_SOAK_SECONDS"); v != "" {
		secs, _ = strconv.Atoi(v)
	}
	for _, tc := range []struct {
		name     string
		min, max time.Duration
	}{{"steady", time.Hour, time.Hour}, {"rotating", 3 * time.Second, 5 * time.Second}} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				env := startGateEnv(b)
				src := &mintSource{e: env.entra, oid: "oid-soak", minLife: tc.min, maxLife: tc.max}
				s := openSession(b, env.config(b), src)
				end := time.Now().Add(time.Duration(secs) * time.Second)
				res := soak(b, s, func() bool { return time.Now().After(end) }, time.Duration(secs+5)*time.Second)
				b.ReportMetric(float64(res.pool+res.console)/res.elapsed.Seconds(), "cmds/s")
				b.ReportMetric(float64(res.messages)/res.elapsed.Seconds(), "msgs/s")
				b.ReportMetric(float64(s.Snapshot().Generation-1), "rotations")
				b.ReportMetric(float64(env.gate.Stats().ClosedForExpiry), "closed-for-expiry")
				_ = s.Close()
			}
			b.ReportMetric(0, "ns/op")
		})
	}
}
