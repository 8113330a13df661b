package session

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/redis/go-redis/v9"
)

// ErrClusterDB is SelectDB's refusal on a cluster, where only database 0 exists.
var ErrClusterDB = errors.New("a cluster has only database 0 (SELECT is not available in cluster mode)")

// DB returns the database the command client uses.
func (s *Session) DB() int {
	s.cmu.RLock()
	defer s.cmu.RUnlock()
	return s.db
}

// SelectDB moves the command client to database db. go-redis fixes the database per client
// (it sends SELECT when it dials), so a new pooled client is built with the same dialer and
// credentials provider — its connections are tracked and re-AUTHed like the old ones — and
// checked with PING before it replaces the old one, which is then closed. On failure nothing
// changes. Consoles and subscriptions keep their own connections (a console has its own
// SELECT). A cluster is refused with ErrClusterDB; a server that rejects SELECT (Azure Managed
// Redis has only database 0) is reported with its error, explained.
func (s *Session) SelectDB(ctx context.Context, db int) error {
	if s.cluster {
		return ErrClusterDB
	}
	if s.raw {
		return errRawSession
	}
	if db < 0 {
		return fmt.Errorf("session: database %d is negative", db)
	}
	_, genBefore := s.tm.current()
	o := s.options(rolePool, s.cfg.PoolSize)
	o.DB = db
	c := redis.NewClient(o)
	if err := c.Ping(ctx).Err(); err != nil {
		_ = c.Close()
		return fmt.Errorf("SELECT %d: %w", db, explainSelect(err))
	}
	// Under s.mu, so that Close either sees the new client or SelectDB sees the session closed.
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		_ = c.Close()
		return ErrClosed
	}
	s.cmu.Lock()
	old := s.client
	s.client, s.db = c, db
	s.cmu.Unlock()
	s.mu.Unlock()
	_ = old.Close()
	// A re-AUTH round that was sweeping the old client ends when it finds it closed.
	s.kickIfNewToken(genBefore)
	return nil
}

// kickIfNewToken starts a re-AUTH round when a token newer than genBefore arrived while the new
// client was dialling and some of its connections still hold the older one. Without a token
// change there is nothing to re-send (a session without AUTH has connections that count as
// older than generation 1 forever, and a round would only fail). It reports whether it kicked.
func (s *Session) kickIfNewToken(genBefore uint64) bool {
	_, gen := s.tm.current()
	if gen == genBefore || s.reg.stale(rolePool, "", gen) == 0 {
		return false
	}
	select {
	case s.kick <- struct{}{}:
	default:
	}
	return true
}

// explainSelect adds the likely cause when a server rejects SELECT.
func explainSelect(err error) error {
	if !isRedisError(err) {
		return explain(err)
	}
	msg := strings.ToLower(err.Error())
	switch {
	case strings.Contains(msg, "out of range"), strings.Contains(msg, "invalid db"):
		return fmt.Errorf("%w (the server has fewer databases: Azure Managed Redis and Redis Enterprise have only database 0, a redis-server has its \"databases\" setting)", err)
	case strings.Contains(msg, "noperm"), strings.Contains(msg, "no permissions"):
		return fmt.Errorf("%w (the access policy of this user does not allow SELECT)", err)
	}
	return fmt.Errorf("%w (this server does not support SELECT: Azure Managed Redis and clustered servers have only database 0)", err)
}
