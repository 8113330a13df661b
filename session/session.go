package session

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/auth"
)

// Session is a live connection to one Redis endpoint authenticated with a token from an
// auth.Source. It refreshes the token before it expires and re-AUTHs every live connection:
// the command pool (idle connections included), consoles and subscriptions.
type Session struct {
	cfg      Config
	cluster  bool
	raw      bool // opened by OpenRaw: no pooled clients
	reg      *registry
	provider *Provider
	tm       *tokenManager
	events   *eventBus

	cmu      sync.RWMutex          // guards client, which SelectDB replaces
	client   redis.UniversalClient // commands (pooled)
	db       int                   // database of client (standalone only); guarded by cmu
	psClient redis.UniversalClient // subscriptions

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	kick   chan struct{}

	mu        sync.Mutex
	consoles  map[*Console]struct{}
	scanners  map[*Scanner]struct{}
	pipes     map[*Pipe]struct{}
	subs      map[*Subscription]struct{}
	prevExp   time.Time // expiry of the token before the newest, for the re-AUTH deadline
	reauthErr error
	lost      bool
	lostAt    time.Time
	closed    bool
	shards    int
	seed      string // the address the cluster client starts from (see advertisedSelf)
}

// Open gets a token from src, connects to the endpoint described by cfg (standalone or
// cluster), checks the connection with PING and starts the token manager.
func Open(ctx context.Context, cfg Config, src auth.Source) (*Session, error) {
	s, err := newSession(ctx, cfg, src)
	if err != nil {
		return nil, err
	}
	cluster, warm, err := s.detectCluster(ctx)
	if err != nil {
		return nil, ExplainTLSMismatch(ctx, cfg, cfg.Addr(), err)
	}
	s.cluster = cluster
	s.db = cfg.DB
	s.seed = cfg.Addr()
	if cluster {
		s.seed = s.advertisedSelf(ctx)
	}
	s.buildClients(warm)
	if warm == nil { // the probe's connection was not the pool's: check the pool's
		if err := s.client.Ping(ctx).Err(); err != nil {
			s.closeClients()
			return nil, fmt.Errorf("session: connecting to %s: %w", cfg.Addr(), ExplainTLSMismatch(ctx, cfg, cfg.Addr(), explain(err)))
		}
	}
	s.countShards(ctx)
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.tm.start()
	s.wg.Add(2)
	go s.reauthLoop()
	go s.healthLoop()
	return s, nil
}

// newSession checks cfg and gets the first token: what Open and OpenRaw share.
func newSession(ctx context.Context, cfg Config, src auth.Source) (*Session, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	s := &Session{cfg: cfg, reg: newRegistry(), provider: newProvider(),
		events: newEventBus(cfg.EventBuffer), kick: make(chan struct{}, 1),
		consoles: make(map[*Console]struct{}), scanners: make(map[*Scanner]struct{}),
		pipes: make(map[*Pipe]struct{}),
		subs:  make(map[*Subscription]struct{})}
	s.tm = newTokenManager(src, cfg, s.provider, s.events)
	s.tm.reg = s.reg
	s.tm.onNew = s.tokenInstalled
	if err := s.tm.first(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Session) options(ro role, poolSize int) *redis.Options {
	c := s.cfg
	return &redis.Options{
		Addr:                       c.Addr(),
		Dialer:                     s.reg.dialer(ro, c.DialTimeout, c.TLSConfig()),
		CredentialsProviderContext: s.provider.credentials,
		DB:                         c.DB,
		Protocol:                   c.Protocol,
		PoolSize:                   poolSize,
		PoolFIFO:                   true, // checkouts cycle through idle connections: see sweepPool
		DialTimeout:                c.DialTimeout,
		ReadTimeout:                c.ReadTimeout,
		WriteTimeout:               c.WriteTimeout,
		DisableIdentity:            true,
	}
}

func (s *Session) clusterOptions(ro role, poolSize int) *redis.ClusterOptions {
	o := s.options(ro, poolSize)
	return &redis.ClusterOptions{
		Addrs:                      []string{s.seed},
		Dialer:                     o.Dialer, // TLS with the profile's server name for every node
		CredentialsProviderContext: s.provider.credentials,
		Protocol:                   o.Protocol,
		PoolSize:                   poolSize,
		PoolFIFO:                   true,
		DialTimeout:                o.DialTimeout,
		ReadTimeout:                o.ReadTimeout,
		WriteTimeout:               o.WriteTimeout,
		DisableIdentity:            true,
	}
}

// buildClients makes the command and pub/sub clients; warm, when not nil, is a standalone
// command client already connected (see detectCluster).
func (s *Session) buildClients(warm *redis.Client) {
	if s.cluster {
		s.client = redis.NewClusterClient(s.clusterOptions(rolePool, s.cfg.PoolSize))
		s.psClient = redis.NewClusterClient(s.clusterOptions(rolePubSub, 2))
		return
	}
	if warm != nil {
		s.client = warm
	} else {
		s.client = redis.NewClient(s.options(rolePool, s.cfg.PoolSize))
	}
	s.psClient = redis.NewClient(s.options(rolePubSub, 2))
}

// detectCluster resolves ClusterAuto with INFO cluster. On database 0 it asks over the
// standalone command client itself and, when the endpoint is standalone, returns that client
// (warm) with its connection open: one TLS handshake and AUTH fewer before the first keys,
// which on a remote AMR is a few round trips. Another database would make every connection
// of that client SELECT it, which a cluster refuses before INFO could tell; there the question
// goes over a one-off connection on database 0.
func (s *Session) detectCluster(ctx context.Context) (cluster bool, warm *redis.Client, err error) {
	switch s.cfg.Cluster {
	case ClusterOn:
		return true, nil, nil
	case ClusterOff:
		return false, nil, nil
	}
	poolSize := 1
	if s.cfg.DB == 0 { // the client may become the command pool
		poolSize = s.cfg.PoolSize
	}
	o := s.options(rolePool, poolSize)
	o.DB = 0
	probeCtx, dial, done := firstContact(ctx, o.Dialer, s.cfg.TLS)
	o.Dialer = dial
	c := redis.NewClient(o)
	info, err := c.Info(probeCtx, "cluster").Result()
	done()
	if err != nil {
		_ = c.Close()
		err = firstContactErr(ctx, probeCtx, err)
		return false, nil, fmt.Errorf("session: connecting to %s: %w", s.cfg.Addr(), explain(err))
	}
	cluster = strings.Contains(info, "cluster_enabled:1")
	if cluster || s.cfg.DB != 0 {
		_ = c.Close()
		return cluster, nil, nil
	}
	return false, c, nil
}

// advertisedSelf returns the address the entry node advertises for itself in CLUSTER NODES
// (AMR: an IP address), or the configured address if it cannot tell. Starting the cluster client
// there rather than at the host name makes the entry node one of the topology's nodes: go-redis
// keeps a separate pool for a seed address that is not, whose idle connections no re-AUTH
// round can reach, and the server closes them when their token expires.
func (s *Session) advertisedSelf(ctx context.Context) string {
	o := s.options(rolePool, 1)
	o.DB = 0
	c := redis.NewClient(o)
	defer c.Close()
	nodes, err := c.ClusterNodes(ctx).Result()
	if err != nil {
		return s.cfg.Addr()
	}
	for _, line := range strings.Split(nodes, "\n") {
		f := strings.Fields(line)
		if len(f) < 3 || !slices.Contains(strings.Split(f[2], ","), "myself") {
			continue
		}
		addr, _, _ := strings.Cut(f[1], "@")
		if host, port, err := net.SplitHostPort(addr); err == nil && host != "" && port != "0" {
			return addr
		}
	}
	return s.cfg.Addr()
}

// countShards records how many primaries the cluster client's current topology has. It reads
// go-redis's cached slot map, which go-redis reloads itself after MOVED or a failed node.
func (s *Session) countShards(ctx context.Context) {
	cc, ok := s.Client().(*redis.ClusterClient)
	if !ok {
		return
	}
	var n atomic.Int32
	if err := cc.ForEachMaster(ctx, func(context.Context, *redis.Client) error { n.Add(1); return nil }); err != nil {
		return
	}
	s.mu.Lock()
	s.shards = int(n.Load())
	s.mu.Unlock()
}

// Client is the pooled client for commands (a *redis.Client or *redis.ClusterClient). After
// SelectDB it is a different client: callers must not keep it across a switch.
func (s *Session) Client() redis.UniversalClient {
	s.cmu.RLock()
	defer s.cmu.RUnlock()
	return s.client
}

// Cluster reports whether the session uses a cluster client.
func (s *Session) Cluster() bool { return s.cluster }

// Events is the session's event stream. It is buffered; events the reader does not take in
// time are dropped and counted in State.EventsDropped. It is never closed.
func (s *Session) Events() <-chan Event { return s.events.ch }

// Snapshot returns the session's current state.
func (s *Session) Snapshot() State {
	var st State
	s.tm.fill(&st)
	st.Cluster = s.cluster
	st.DB = s.DB()
	st.Connections = s.reg.counts(st.Generation)
	st.EventsDropped = s.events.dropped.Load()
	s.mu.Lock()
	st.ConnectionLost = s.lost
	st.Shards = s.shards
	if st.LastErr == nil {
		st.LastErr = s.reauthErr
	}
	s.mu.Unlock()
	return st
}

// Refresh asks for a new token now instead of at the scheduled time.
func (s *Session) Refresh() { s.tm.refreshNow() }

// Close stops every goroutine and closes every connection. It is safe to call twice.
func (s *Session) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	consoles, subs, scanners, pipes := s.consoles, s.subs, s.scanners, s.pipes
	s.consoles, s.subs, s.scanners, s.pipes = map[*Console]struct{}{}, map[*Subscription]struct{}{}, map[*Scanner]struct{}{}, map[*Pipe]struct{}{}
	s.mu.Unlock()
	s.tm.close()
	s.cancel()
	s.wg.Wait()
	for c := range consoles {
		_ = c.Close()
	}
	for sub := range subs {
		_ = sub.Close()
	}
	for sc := range scanners {
		_ = sc.Close()
	}
	for p := range pipes {
		_ = p.Close()
	}
	return s.closeClients()
}

func (s *Session) closeClients() error {
	var errs []error
	for _, c := range []interface{ Close() error }{s.Client(), s.psClient} {
		if c != nil && c != (*redis.Client)(nil) {
			errs = append(errs, c.Close())
		}
	}
	return errors.Join(errs...)
}

// healthLoop pings the server and reports a lost and a restored connection.
func (s *Session) healthLoop() {
	defer s.wg.Done()
	t := time.NewTimer(s.cfg.HealthInterval)
	defer t.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(s.ctx, 2*time.Second)
		err := s.Client().Ping(ctx).Err()
		cancel()
		if s.ctx.Err() != nil {
			return
		}
		if err == nil {
			s.countShards(s.ctx) // a failover or a scale-out changes the topology
		}
		s.mu.Lock()
		switch {
		case err != nil && !errors.Is(err, ErrTokenExpired) && !isRedisError(err) && !s.lost:
			s.lost, s.lostAt = true, time.Now()
			s.events.emit(ConnectionLost{At: at(), Err: explain(err)})
		case err == nil && s.lost:
			s.lost = false
			s.events.emit(ConnectionRestored{At: at(), Down: time.Since(s.lostAt)})
		}
		next := s.cfg.HealthInterval
		if s.lost {
			next = min(next, 100*time.Millisecond)
		}
		s.mu.Unlock()
		t.Reset(next)
	}
}

func isRedisError(err error) bool {
	var re redis.Error
	return errors.As(err, &re) && !errors.Is(err, ErrTokenExpired)
}

// explain adds the likely cause to errors users meet when connecting.
func explain(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "WRONGPASS"):
		return fmt.Errorf("%w (the token's object ID is not a Redis user of this cache, or Entra authentication is not enabled on it)", err)
	case strings.Contains(msg, "NOPERM"):
		return fmt.Errorf("%w (the access policy of this user does not allow the command)", err)
	case strings.Contains(msg, "NOAUTH"):
		return fmt.Errorf("%w (the server wants authentication the profile did not give)", err)
	}
	return err
}
