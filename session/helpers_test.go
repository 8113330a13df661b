package session

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/emulator/emutest"
	"github.com/amr-tui/amr-tui/rediscli"
)

// aclRedis is a real redis-server where every token is an ACL user of its own, deleted when
// the token expires: Redis then closes every connection still authenticated as that user,
// which is what AMR does with a connection whose token expired. The default user is off, so
// a connection that never authenticated gets NOAUTH.
type aclRedis struct {
	srv   *emutest.RedisServer
	admin *redis.Client
}

func startACLRedis(t testing.TB) *aclRedis {
	t.Helper()
	srv := emutest.StartRedisServer(t)
	r := &aclRedis{srv: srv}
	r.setup(t)
	t.Cleanup(func() { _ = r.admin.Close() })
	return r
}

func (r *aclRedis) setup(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	c := redis.NewClient(&redis.Options{Addr: r.srv.Addr, Protocol: 2, DisableIdentity: true})
	defer c.Close()
	if err := c.Do(ctx, "ACL", "SETUSER", "admin", "on", ">adminpw", "~*", "&*", "+@all").Err(); err != nil {
		t.Fatalf("creating the admin user: %v", err)
	}
	if err := c.Do(ctx, "ACL", "SETUSER", "default", "off").Err(); err != nil {
		t.Fatalf("turning the default user off: %v", err)
	}
	if r.admin == nil {
		r.admin = redis.NewClient(&redis.Options{Addr: r.srv.Addr, Username: "admin", Password: "adminpw", Protocol: 2, DisableIdentity: true, PoolSize: 2})
	}
}

func (r *aclRedis) host(t testing.TB) (string, int) {
	h, p, _ := strings.Cut(r.srv.Addr, ":")
	port, err := strconv.Atoi(p)
	if err != nil {
		t.Fatal(err)
	}
	return h, port
}

// clientUsers counts the connections of each user other than admin (CLIENT LIST).
func (r *aclRedis) clientUsers(t testing.TB) map[string]int {
	t.Helper()
	list, err := r.admin.ClientList(context.Background()).Result()
	if err != nil {
		t.Fatalf("CLIENT LIST: %v", err)
	}
	users := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(list), "\n") {
		for _, f := range strings.Fields(line) {
			if u, ok := strings.CutPrefix(f, "user="); ok && u != "admin" {
				users[u]++
			}
		}
	}
	return users
}

// aclSource is an auth.Source whose tokens are ACL users of an aclRedis.
type aclSource struct {
	r    *aclRedis
	life time.Duration

	mu      sync.Mutex
	n       int
	last    auth.Token
	failErr error // Fresh fails with it while set
	same    int   // the next Fresh calls return the last token again
	calls   int
	timers  []*time.Timer
	expired []string
}

func newACLSource(t testing.TB, r *aclRedis, life time.Duration) *aclSource {
	s := &aclSource{r: r, life: life}
	t.Cleanup(s.stop)
	return s
}

func (s *aclSource) Kind() string { return "test ACL source" }

func (s *aclSource) Token(ctx context.Context) (auth.Token, error) {
	s.mu.Lock()
	last := s.last
	s.mu.Unlock()
	if last.Value != "" && time.Now().Before(last.ExpiresOn) {
		return last, nil
	}
	return s.Fresh(ctx)
}

func (s *aclSource) Fresh(ctx context.Context) (auth.Token, error) {
	s.mu.Lock()
	s.calls++
	if s.failErr != nil {
		err := s.failErr
		s.mu.Unlock()
		return auth.Token{}, err
	}
	if s.same > 0 && s.last.Value != "" {
		s.same--
		last := s.last
		s.mu.Unlock()
		return last, nil
	}
	s.n++
	user, pass := fmt.Sprintf("oid-%d", s.n), "tok-"+nonce()
	s.mu.Unlock()
	if err := s.r.admin.Do(ctx, "ACL", "SETUSER", user, "on", ">"+pass, "~*", "&*", "+@all").Err(); err != nil {
		return auth.Token{}, err
	}
	now := time.Now()
	tok := auth.Token{Value: pass, Username: user, ReceivedAt: now, ExpiresOn: now.Add(s.life),
		Claims: auth.Claims{ObjectID: user, ExpiresAt: now.Add(s.life)}}
	s.mu.Lock()
	s.last = tok
	s.timers = append(s.timers, time.AfterFunc(s.life, func() { s.expire(user) }))
	s.mu.Unlock()
	return tok, nil
}

func (s *aclSource) expire(user string) {
	_ = s.r.admin.Do(context.Background(), "ACL", "DELUSER", user).Err()
	s.mu.Lock()
	s.expired = append(s.expired, user)
	s.mu.Unlock()
}

func (s *aclSource) setFail(err error) {
	s.mu.Lock()
	s.failErr = err
	s.mu.Unlock()
}

func (s *aclSource) current() auth.Token {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

func (s *aclSource) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.timers {
		t.Stop()
	}
}

func testConfig(host string, port int) Config {
	return Config{Host: host, Port: port, Cluster: ClusterOff, PoolSize: 20,
		HealthInterval: 200 * time.Millisecond}
}

func openSession(t testing.TB, cfg Config, src auth.Source) *Session {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := Open(ctx, cfg, src)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// recorder reads a session's events into a list tests can wait on.
type recorder struct {
	mu     sync.Mutex
	events []Event
	cond   chan struct{}
	stop   chan struct{}
	done   chan struct{}
}

func record(t testing.TB, s *Session) *recorder {
	r := &recorder{cond: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(r.done)
		for {
			select {
			case <-r.stop:
				return
			case e := <-s.Events():
				r.mu.Lock()
				r.events = append(r.events, e)
				r.mu.Unlock()
				select {
				case r.cond <- struct{}{}:
				default:
				}
			}
		}
	}()
	t.Cleanup(func() { close(r.stop); <-r.done })
	return r
}

func (r *recorder) all() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Event(nil), r.events...)
}

// wait returns the first event (from index from) that matches, or fails after d.
func (r *recorder) wait(t testing.TB, d time.Duration, from int, match func(Event) bool) (Event, int) {
	t.Helper()
	deadline := time.After(d)
	for {
		evs := r.all()
		for i := from; i < len(evs); i++ {
			if match(evs[i]) {
				return evs[i], i
			}
		}
		select {
		case <-r.cond:
		case <-deadline:
			t.Fatalf("no matching event within %v; events: %s", d, describe(evs))
			return nil, 0
		}
	}
}

func describe(evs []Event) string {
	var b strings.Builder
	for _, e := range evs {
		fmt.Fprintf(&b, "\n  %T %+v", e, e)
	}
	return b.String()
}

func count[T Event](evs []Event) int {
	n := 0
	for _, e := range evs {
		if _, ok := e.(T); ok {
			n++
		}
	}
	return n
}

func isType[T Event](e Event) bool { _, ok := e.(T); return ok }

// errNotYet is the error a failing fake source returns.
var errNotYet = errors.New("identity provider unavailable (test)")

// isReply reports whether r is a reply of kind k with text s.
func isReply(r rediscli.Reply, k rediscli.Kind, s string) bool {
	return r.Kind == k && r.Str == s
}
