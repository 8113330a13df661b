package auth

import (
	"context"
	"time"
)

// DefaultScope is the Entra scope for Azure Managed Redis and Azure Cache for Redis.
const DefaultScope = "https://redis.azure.com/.default"

// Token is one set of Redis credentials obtained from a Source: for Entra kinds an access token
// and the object ID it is valid for; for access keys a static password.
type Token struct {
	// Value is the secret sent as the AUTH password. Never log or display it.
	Value string
	// Username is the Redis username: the token's oid claim, or the profile's override.
	Username string
	// ExpiresOn is when the token stops being valid; zero for credentials that never expire
	// (access keys, no auth).
	ExpiresOn time.Time
	// RefreshOn is when the issuer suggests refreshing; zero when it gives no hint.
	RefreshOn time.Time
	// ReceivedAt is when the source obtained the token (the start of its useful life).
	ReceivedAt time.Time
	// Claims summarises the token for display; zero for non-Entra kinds.
	Claims Claims
}

// Expires reports whether the token has an expiry (Entra tokens do; access keys do not).
func (t Token) Expires() bool { return !t.ExpiresOn.IsZero() }

// Claims is the non-secret summary of an access token shown in the UI.
type Claims struct {
	ObjectID  string    // oid
	TenantID  string    // tid
	UPN       string    // upn / preferred_username / unique_name (user tokens)
	AppID     string    // appid / azp (service principals and managed identities)
	Audience  string    // aud
	Issuer    string    // iss
	IssuedAt  time.Time // iat
	NotBefore time.Time // nbf
	ExpiresAt time.Time // exp
}

// Source yields Redis credentials for one profile. The session package consumes it; auth
// implements it for every auth kind.
type Source interface {
	// Token returns current credentials. It may return a cached token (MSAL serves its cache
	// until five minutes before expiry); callers that need a new one use Fresh.
	Token(ctx context.Context) (Token, error)
	// Fresh returns credentials that are not stale: it bypasses in-process caches where the
	// credential kind allows it. A kind whose tokens come from an outside cache (the az CLI,
	// managed identity) may still return the previous token; the caller compares and polls.
	Fresh(ctx context.Context) (Token, error)
	// Kind names the credential for messages, e.g. "service principal (client secret)".
	Kind() string
}
