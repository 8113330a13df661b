package session

import (
	"context"
	"sync"

	"github.com/redis/go-redis/v9/auth"
)

// Provider holds the session's current credentials and implements go-redis's
// auth.StreamingCredentialsProvider. Every new connection (pooled, console, pub/sub, every
// cluster node) authenticates with the current token; once the token has expired, new
// connections fail with an error wrapping ErrTokenExpired, so commands fail clearly instead
// of sending a dead token.
//
// The session hands go-redis the same credentials through Options.CredentialsProviderContext
// (see credentials) rather than as StreamingCredentialsProvider: in go-redis v9.23.0 a
// Client.Conn() that has to dial a new connection dereferences a nil streaming manager
// (Conn's baseClient is built without one) and panics, and the session's pool re-AUTH, its
// consoles and the tests all need Client.Conn().
//
// New tokens are deliberately not pushed to go-redis's per-connection listeners (OnNext): its
// re-auth is lazy (an idle connection is re-authenticated only when next checked out, a
// pub/sub or sticky connection never) and asynchronous, and a refused AUTH is only logged. The
// session re-AUTHs every live connection itself and reports the outcome. Listeners receive
// OnError only when the token has actually expired: go-redis then closes every pooled
// connection, which the server would close anyway.
type Provider struct {
	mu        sync.Mutex
	creds     auth.Credentials
	err       error // non-nil while no valid token exists
	listeners map[auth.CredentialsListener]struct{}
}

func newProvider() *Provider {
	return &Provider{listeners: make(map[auth.CredentialsListener]struct{})}
}

// Subscribe implements auth.StreamingCredentialsProvider. It is idempotent per listener and
// returns the current credentials without calling the source.
func (p *Provider) Subscribe(l auth.CredentialsListener) (auth.Credentials, auth.UnsubscribeFunc, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err != nil {
		return nil, nil, p.err
	}
	if l != nil {
		p.listeners[l] = struct{}{}
	}
	return p.creds, func() error {
		p.mu.Lock()
		delete(p.listeners, l)
		p.mu.Unlock()
		return nil
	}, nil
}

// credentials is a go-redis CredentialsProviderContext: the current username and token, or
// the expiry error.
func (p *Provider) credentials(context.Context) (string, string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err != nil {
		return "", "", p.err
	}
	if p.creds == nil {
		return "", "", nil
	}
	u, pw := p.creds.BasicAuth()
	return u, pw, nil
}

// set installs new credentials for connections made from now on.
func (p *Provider) set(username, password string) {
	p.mu.Lock()
	p.creds = auth.NewBasicCredentials(username, password)
	p.err = nil
	p.mu.Unlock()
}

// fail makes Subscribe fail with err and tells every listener (outside the lock).
func (p *Provider) fail(err error) {
	p.mu.Lock()
	p.err = err
	ls := make([]auth.CredentialsListener, 0, len(p.listeners))
	for l := range p.listeners {
		ls = append(ls, l)
	}
	p.mu.Unlock()
	for _, l := range ls {
		l.OnError(err)
	}
}

func (p *Provider) listenerCount() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.listeners)
}

var _ auth.StreamingCredentialsProvider = (*Provider)(nil)
