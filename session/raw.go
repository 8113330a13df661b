package session

import (
	"context"
	"errors"

	"github.com/amr-tui/amr-tui/auth"
)

// OpenRaw gets a token from src and starts the token manager and the re-AUTH loop, like Open,
// but builds no pooled go-redis client, asks the server nothing and runs no health check: the
// session serves Consoles (and, on a standalone endpoint, Scanners) only, each dialling its
// own connection with its first command. amr-tui exec opens its one connection this way, so
// it starts as fast as redis-cli while sharing the session's dial, TLS, AUTH, re-AUTH and
// token refresh.
//
// Without a cluster check a console follows MOVED and ASK (as redis-cli -c does) unless
// cfg.Cluster is ClusterOff. Client is nil and SelectDB is refused on such a session.
func OpenRaw(ctx context.Context, cfg Config, src auth.Source) (*Session, error) {
	s, err := newSession(ctx, cfg, src)
	if err != nil {
		return nil, err
	}
	s.raw = true
	s.cluster = s.cfg.Cluster != ClusterOff
	s.db = s.cfg.DB
	s.seed = s.cfg.Addr()
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.tm.start()
	s.wg.Add(1)
	go s.reauthLoop()
	return s, nil
}

// errRawSession refuses what needs the pooled client on a session from OpenRaw.
var errRawSession = errors.New("session: opened for raw connections only (OpenRaw): no pooled client")

// ExplainLogin explains err in full when it is a login the server refused while a console
// dialled (AUTH or HELLO … AUTH: WRONGPASS, NOAUTH, NOPERM …), as auth.ExplainRedisError does
// with the token in use; any other error is returned as it is.
func (s *Session) ExplainLogin(err error) error {
	var le loginError
	if !errors.As(err, &le) {
		return err
	}
	return s.ExplainReply(string(le.reply))
}

// ExplainReply explains an error reply about the login (NOAUTH, NOPERM, WRONGPASS …): which
// identity the session uses and the likely fix (an *auth.Error; the token is never included).
func (s *Session) ExplainReply(reply string) error {
	tok, _ := s.tm.current()
	return auth.ExplainRedisError(errors.New(reply), tok)
}

// loginError is a login the server refused while dialling. Its text is the session's usual
// one; it only lets ExplainLogin find the server's reply.
type loginError struct {
	err   error
	reply replyError
}

func (e loginError) Error() string { return e.err.Error() }
func (e loginError) Unwrap() error { return e.err }
