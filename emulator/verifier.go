package emulator

import "time"

// RedisAudiences are the audiences an Azure Redis token may carry: the v1 resource URI and the
// resource's application ID (v2 tokens).
var RedisAudiences = []string{"https://redis.azure.com", "acca5fbb-b7e4-4009-81f1-37e38fd66d78"}

// VerifiedToken is what the AMR gate learns from a valid access token.
type VerifiedToken struct {
	OID       string    // the principal's object ID: the only Redis username it is valid for
	TenantID  string    // tid claim
	ExpiresAt time.Time // exp claim
}

// TokenVerifier checks an access token presented in AUTH / HELLO AUTH. The fake Entra
// implements it; the gate depends only on this interface.
type TokenVerifier interface {
	// VerifyToken checks signature, audience (one of RedisAudiences), nbf and exp, and returns
	// the token's identity. Any failure is an error (the gate maps it to WRONGPASS).
	VerifyToken(token string) (VerifiedToken, error)
}
