package auth

import (
	"context"
	"sync"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/amr-tui/amr-tui/profiles"
)

// entraSource is the Source of every Entra kind: it wraps one azidentity credential.
type entraSource struct {
	b        *builder
	username string // the profile's override of the oid, if any

	mu      sync.Mutex
	cur     built
	secrets []string
}

func newEntraSource(p profiles.Profile, kind string, opts Options) (Source, error) {
	b, err := newBuilder(p, kind, opts)
	if err != nil {
		return nil, err
	}
	c, err := b.build()
	if err != nil {
		return nil, err
	}
	return &entraSource{b: b, username: p.Auth.Username, cur: c, secrets: c.secrets}, nil
}

// Kind implements Source.
func (s *entraSource) Kind() string { return s.b.kind }

// Token implements Source: the credential's current token (MSAL serves its in-memory cache
// until five minutes before expiry).
func (s *entraSource) Token(ctx context.Context) (Token, error) {
	s.mu.Lock()
	c := s.cur
	s.mu.Unlock()
	return s.get(ctx, c)
}

// Fresh implements Source. For service principals, certificates, managed identities, the CLIs
// and the default chain it builds a new credential instance, which has an empty in-process
// cache (and re-reads secrets and certificate files). Two caches remain outside its reach: the
// az/azd CLIs' own token caches, and MSAL's managed identity cache, which is process-wide, so a
// managed identity may return the previous token until MSAL itself refreshes it. Device code
// and browser logins keep their instance (a new one would make the user sign in again); MSAL
// redeems its refresh token silently once the cached token is within five minutes of expiry.
func (s *entraSource) Fresh(ctx context.Context) (Token, error) {
	if !s.b.freshOK {
		return s.Token(ctx)
	}
	c, err := s.b.build()
	if err != nil {
		return Token{}, err
	}
	tok, gerr := s.get(ctx, c)
	if gerr != nil {
		return Token{}, gerr
	}
	s.mu.Lock()
	s.cur = c
	s.secrets = c.secrets
	s.mu.Unlock()
	return tok, nil
}

func (s *entraSource) get(ctx context.Context, c built) (Token, error) {
	mark := s.b.net.mark()
	at, err := c.cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: append([]string(nil), s.b.scopes...)})
	if err != nil {
		return Token{}, s.b.classify(ctx, err, s.b.net.since(mark)).redact(c.secrets)
	}
	return s.toToken(at)
}

// toToken turns an azcore token into Redis credentials: the username is the profile's override
// or the token's oid, never a silent fallback to "default".
func (s *entraSource) toToken(at azcore.AccessToken) (Token, error) {
	t := Token{Value: at.Token, ExpiresOn: at.ExpiresOn, RefreshOn: at.RefreshOn, ReceivedAt: s.b.opts.now()}
	claims, err := ClaimsFromToken(at.Token)
	if err == nil {
		t.Claims = claims
	}
	switch {
	case s.username != "":
		t.Username = s.username
	case err != nil:
		return Token{}, &Error{Credential: s.b.kind, Step: StepToken,
			Summary: "the access token is not a JWT, so its object ID (the Redis username) cannot be read",
			Fix:     "set auth.username to the principal's object ID", err: err}
	case claims.ObjectID == "":
		return Token{}, &Error{Credential: s.b.kind, Step: StepToken,
			Summary: "the access token has no oid claim, so there is no Redis username",
			Detail:  "token for " + claims.Identity() + ", audience " + claims.Audience,
			Fix:     "set auth.username to the principal's object ID (Redis expects the object ID, not the client ID or the user name)"}
	default:
		t.Username = claims.ObjectID
	}
	return t, nil
}
