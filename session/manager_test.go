package session

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	rauth "github.com/redis/go-redis/v9/auth"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/rediscli"
)

// runWorkers runs n goroutines issuing commands nonstop through the pool until stop; it
// returns the number of commands and the failures.
func runWorkers(s *Session, n int) (stop func() (ok int64, failed []error)) {
	ctx, cancel := context.WithCancel(context.Background())
	var (
		wg   sync.WaitGroup
		okN  atomic.Int64
		mu   sync.Mutex
		errs []error
	)
	for w := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := "w" + string(rune('a'+w))
			for ctx.Err() == nil {
				err := s.Client().Incr(ctx, key).Err()
				if err != nil && ctx.Err() == nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
					time.Sleep(5 * time.Millisecond)
					continue
				}
				okN.Add(1)
			}
		}()
	}
	return func() (int64, []error) {
		cancel()
		wg.Wait()
		return okN.Load(), errs
	}
}

// A source that keeps serving the cached token is polled until a new one arrives; the
// unchanged token is not announced as new.
func TestUnchangedTokenIsPolledNotInstalled(t *testing.T) {
	r := startACLRedis(t)
	src := newACLSource(t, r, 3*time.Second)
	src.same = 3
	host, port := r.host(t)
	s := openSession(t, testConfig(host, port), src)
	rec := record(t, s)
	e, _ := rec.wait(t, 5*time.Second, 0, func(e Event) bool { ta, ok := e.(TokenAcquired); return ok && ta.Generation == 2 })
	evs := rec.all()
	if n := count[TokenUnchanged](evs); n != 3 {
		t.Errorf("%d TokenUnchanged events, want 3:%s", n, describe(evs))
	}
	if count[TokenAcquired](evs) != 2 { // the first and e
		t.Errorf("want exactly one new token after the unchanged ones:%s", describe(evs))
	}
	_ = e
	if err := s.Client().Ping(context.Background()).Err(); err != nil {
		t.Fatal(err)
	}
}

// An outage shorter than the token's remaining life: no command fails; the failures and
// the retry times are reported; the next token is installed when the source is back.
func TestShortOutageNoCommandFails(t *testing.T) {
	r := startACLRedis(t)
	src := newACLSource(t, r, 4*time.Second)
	host, port := r.host(t)
	s := openSession(t, testConfig(host, port), src)
	rec := record(t, s)
	stop := runWorkers(s, 4)
	src.setFail(errNotYet)
	_, i := rec.wait(t, 5*time.Second, 0, isType[RefreshFailed])
	_, _ = rec.wait(t, 2*time.Second, i+1, isType[RefreshFailed]) // retried
	st := s.Snapshot()
	if st.Failures < 2 || st.LastErr == nil || st.RetryAt.IsZero() || st.Expired {
		t.Errorf("snapshot during the outage: %+v", st)
	}
	src.setFail(nil)
	rec.wait(t, 3*time.Second, i, func(e Event) bool { ta, ok := e.(TokenAcquired); return ok && ta.Generation == 2 })
	rec.wait(t, 3*time.Second, i, isType[ReauthDone])
	ok, failed := stop()
	if len(failed) > 0 {
		t.Fatalf("%d commands failed (of %d), first: %v", len(failed), ok, failed[0])
	}
	evs := rec.all()
	var prev time.Time
	for _, e := range evs {
		if f, ok := e.(RefreshFailed); ok {
			if !errors.Is(f.Err, errNotYet) || !strings.Contains(f.Err.Error(), "test ACL source") {
				t.Errorf("RefreshFailed error %v: want the source's error and kind", f.Err)
			}
			if !f.NextRetryAt.After(f.Time) || (!prev.IsZero() && f.NextRetryAt.Before(prev)) {
				t.Errorf("retry times not increasing: %v after %v", f.NextRetryAt, prev)
			}
			prev = f.NextRetryAt
		}
	}
	if count[TokenExpired](evs) != 0 {
		t.Errorf("token reported expired:%s", describe(evs))
	}
	t.Logf("%d commands, %d refresh failures reported", ok, count[RefreshFailed](evs))
}

// An outage longer than the token's life: the expiry is reported, commands fail with a
// clear token error, and the session recovers by itself when the source is back.
func TestLongOutageExpiresAndRecovers(t *testing.T) {
	r := startACLRedis(t)
	src := newACLSource(t, r, 2*time.Second)
	host, port := r.host(t)
	s := openSession(t, testConfig(host, port), src)
	rec := record(t, s)
	src.setFail(errNotYet)
	_, i := rec.wait(t, 5*time.Second, 0, isType[TokenExpired])
	if !s.Snapshot().Expired {
		t.Error("snapshot does not say expired")
	}
	ctx := context.Background()
	var err error
	for range 50 { // connections the server closed are replaced; the new ones must fail clearly
		if err = s.Client().Ping(ctx).Err(); err != nil && errors.Is(err, ErrTokenExpired) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !errors.Is(err, ErrTokenExpired) || !strings.Contains(err.Error(), "identity provider unavailable") {
		t.Fatalf("command after expiry: %v; want an error wrapping ErrTokenExpired with the refresh error", err)
	}
	if strings.Contains(err.Error(), src.current().Value) {
		t.Fatal("the error contains the token")
	}
	src.setFail(nil)
	rec.wait(t, 5*time.Second, i, isType[TokenAcquired])
	deadline := time.Now().Add(3 * time.Second)
	for {
		if err = s.Client().Ping(ctx).Err(); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no recovery after the source came back: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Redis restarts: commands resume, re-AUTHed with the current token, within 2 s of the
// server being back; the session reports the connection lost and restored.
func TestRedisRestartResumes(t *testing.T) {
	r := startACLRedis(t)
	src := newACLSource(t, r, time.Minute)
	host, port := r.host(t)
	s := openSession(t, testConfig(host, port), src)
	rec := record(t, s)
	warmPool(t, s, 8)
	ctx := context.Background()
	con, _ := s.Console(ctx)
	if r, err := con.Do(ctx, "PING"); err != nil || !isReply(r, rediscli.KindStatus, "PONG") {
		t.Fatal(r, err)
	}
	r.srv.Stop()
	rec.wait(t, 5*time.Second, 0, isType[ConnectionLost])
	r.srv.Restart()
	r.setup(t)
	tok := src.current()
	if err := r.admin.Do(ctx, "ACL", "SETUSER", tok.Username, "on", ">"+tok.Value, "~*", "&*", "+@all").Err(); err != nil {
		t.Fatal(err)
	}
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
	if _, err := con.Do(ctx, "PING"); err != nil { // the console's connection broke: it reports it
		if r, err := con.Do(ctx, "PING"); err != nil || !isReply(r, rediscli.KindStatus, "PONG") { // and the next command reconnects
			t.Fatalf("console after restart: %v %v", r, err)
		}
	}
	rec.wait(t, 3*time.Second, 0, isType[ConnectionRestored])
	onlyUser(t, r, tok.Username)
}

// A re-AUTH that Redis refuses is surfaced in ReauthDone and the snapshot, not just logged.
func TestRefusedReauthIsReported(t *testing.T) {
	r := startACLRedis(t)
	src := &refusingSource{aclSource: newACLSource(t, r, 3*time.Second)}
	host, port := r.host(t)
	s := openSession(t, testConfig(host, port), src)
	rec := record(t, s)
	warmPool(t, s, 4)
	e, _ := rec.wait(t, 6*time.Second, 0, isType[ReauthDone])
	rd := e.(ReauthDone)
	if rd.Err == nil || !strings.Contains(rd.Err.Error(), "WRONGPASS") || rd.Failed == 0 {
		t.Fatalf("ReauthDone %+v: want the WRONGPASS refusal and failed connections", rd)
	}
	if strings.Contains(rd.Err.Error(), "bogus-") {
		t.Fatal("the error contains the token")
	}
	if st := s.Snapshot(); st.LastErr == nil {
		t.Error("snapshot has no error after a refused re-AUTH")
	}
}

// refusingSource hands out, after the first token, tokens Redis does not know.
type refusingSource struct{ *aclSource }

func (s *refusingSource) Fresh(ctx context.Context) (auth.Token, error) {
	if s.current().Value == "" {
		return s.aclSource.Fresh(ctx)
	}
	now := time.Now()
	return auth.Token{Value: "bogus-" + nonce(), Username: "nobody", ReceivedAt: now, ExpiresOn: now.Add(3 * time.Second)}, nil
}

// Access keys and no-auth never expire: no refresh loop, plain credentials.
func TestStaticCredentials(t *testing.T) {
	r := startACLRedis(t)
	host, port := r.host(t)
	s := openSession(t, testConfig(host, port), staticSource{})
	if err := s.Client().Ping(context.Background()).Err(); err != nil {
		t.Fatal(err)
	}
	st := s.Snapshot()
	if st.Expires || !st.NextRefreshAt.IsZero() || st.Generation != 1 {
		t.Fatalf("snapshot %+v: want a non-expiring token and no refresh", st)
	}
}

type staticSource struct{}

func (staticSource) Token(context.Context) (auth.Token, error) {
	return auth.Token{Username: "admin", Value: "adminpw"}, nil
}
func (s staticSource) Fresh(ctx context.Context) (auth.Token, error) { return s.Token(ctx) }
func (staticSource) Kind() string                                    { return "access key" }

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	if _, err := Open(ctx, Config{Port: 1}, staticSource{}); err == nil || !strings.Contains(err.Error(), "host is empty") {
		t.Errorf("empty host: %v", err)
	}
	r := startACLRedis(t)
	host, port := r.host(t)
	bad := failingSource{}
	if _, err := Open(ctx, testConfig(host, port), bad); err == nil || !strings.Contains(err.Error(), "failing test source") {
		t.Errorf("failing source: %v", err)
	}
	if _, err := Open(ctx, testConfig(host, port), wrongSource{}); err == nil || !strings.Contains(err.Error(), "WRONGPASS") || !strings.Contains(err.Error(), "object ID") {
		t.Errorf("wrong password: %v", err)
	}
}

type failingSource struct{}

func (failingSource) Token(context.Context) (auth.Token, error) { return auth.Token{}, errNotYet }
func (failingSource) Fresh(context.Context) (auth.Token, error) { return auth.Token{}, errNotYet }
func (failingSource) Kind() string                              { return "failing test source" }

type wrongSource struct{}

func (wrongSource) Token(context.Context) (auth.Token, error) {
	return auth.Token{Username: "admin", Value: "nope", ExpiresOn: time.Now().Add(time.Hour)}, nil
}
func (w wrongSource) Fresh(ctx context.Context) (auth.Token, error) { return w.Token(ctx) }
func (wrongSource) Kind() string                                    { return "wrong test source" }

// The provider is idempotent per listener, unsubscribes idempotently and fails clearly once
// the token expired.
func TestProviderSubscribe(t *testing.T) {
	p := newProvider()
	p.set("oid", "tok")
	l := &countingListener{}
	c1, un1, err := p.Subscribe(l)
	if err != nil {
		t.Fatal(err)
	}
	_, un2, _ := p.Subscribe(l)
	if u, pw := c1.BasicAuth(); u != "oid" || pw != "tok" || p.listenerCount() != 1 {
		t.Fatalf("credentials %q/%q, %d listeners", u, pw, p.listenerCount())
	}
	p.fail(ErrTokenExpired)
	if l.errs.Load() != 1 {
		t.Errorf("OnError called %d times, want 1", l.errs.Load())
	}
	if _, _, err := p.Subscribe(&countingListener{}); !errors.Is(err, ErrTokenExpired) {
		t.Errorf("Subscribe after expiry: %v", err)
	}
	_ = un1()
	_ = un2()
	if p.listenerCount() != 0 {
		t.Errorf("%d listeners after unsubscribing", p.listenerCount())
	}
}

type countingListener struct{ errs atomic.Int64 }

func (l *countingListener) OnNext(rauth.Credentials) {}
func (l *countingListener) OnError(error)            { l.errs.Add(1) }

func TestEventsNeverBlock(t *testing.T) {
	b := newEventBus(2)
	for range 5 {
		b.emit(RefreshStarted{At: at()})
	}
	if b.dropped.Load() != 3 || len(b.ch) != 2 {
		t.Fatalf("dropped %d, buffered %d", b.dropped.Load(), len(b.ch))
	}
}

// With MaxAttempts set, the manager stops retrying before expiry after that many failures,
// then polls again from the expiry on to recover.
func TestMaxAttemptsWaitsForExpiryThenRecovers(t *testing.T) {
	r := startACLRedis(t)
	src := newACLSource(t, r, 2*time.Second)
	host, port := r.host(t)
	cfg := testConfig(host, port)
	cfg.Retry.MaxAttempts = 2
	s := openSession(t, cfg, src)
	rec := record(t, s)
	src.setFail(errNotYet)
	e, i := rec.wait(t, 4*time.Second, 0, func(e Event) bool { f, ok := e.(RefreshFailed); return ok && f.Attempt == 2 })
	if f := e.(RefreshFailed); !f.NextRetryAt.Equal(f.ExpiresAt) {
		t.Errorf("after the last attempt the next try is at %v, want the expiry %v", f.NextRetryAt, f.ExpiresAt)
	}
	_, j := rec.wait(t, 4*time.Second, i, isType[TokenExpired])
	src.setFail(nil)
	rec.wait(t, 4*time.Second, j, isType[TokenAcquired])
}
