package emulator

import (
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// MintOptions describes an access token for Mint.
type MintOptions struct {
	OID      string // required: object ID of the principal (oid and sub)
	TenantID string // default: the Entra's tenant
	AppID    string // appid claim (client ID); omitted when empty
	// UPN makes a user token (upn, unique_name, name); without it the token is app-only
	// (idtyp "app").
	UPN string
	// Audience defaults to https://redis.azure.com; RedisAppID gives the app-ID form.
	Audience string
	Lifetime time.Duration // default: the Entra's token lifetime
	IssuedAt time.Time     // default: now
	// SigningKey signs instead of the Entra's key, for forged tokens; the kid header stays the
	// Entra's.
	SigningKey *rsa.PrivateKey
	// Extra claims merged in (e.g. xms_mirid); they cannot override the standard ones.
	Extra map[string]any
}

// Mint signs an RS256 access token shaped like a v1 Entra token and returns it with its
// expiry. exp is whole seconds and never later than IssuedAt+Lifetime, so a token expires
// promptly.
func (e *Entra) Mint(o MintOptions) (string, time.Time, error) {
	if o.OID == "" {
		return "", time.Time{}, errNoOID
	}
	if o.TenantID == "" {
		o.TenantID = e.tenant
	}
	if o.Audience == "" {
		o.Audience = RedisResource
	}
	if o.Lifetime <= 0 {
		o.Lifetime, _ = e.settings()
	}
	if o.IssuedAt.IsZero() {
		o.IssuedAt = time.Now()
	}
	key := o.SigningKey
	if key == nil {
		key = e.key
	}
	iat := o.IssuedAt.Unix()
	exp := o.IssuedAt.Add(o.Lifetime).Unix()
	if exp <= iat {
		exp = iat + 1
	}
	claims := jwt.MapClaims{}
	for k, v := range o.Extra {
		claims[k] = v
	}
	for k, v := range map[string]any{
		"aud": o.Audience,
		"iss": v1Issuer(o.TenantID),
		"iat": iat,
		"nbf": iat,
		"exp": exp,
		"oid": o.OID,
		"sub": o.OID,
		"tid": o.TenantID,
		"ver": "1.0",
		"uti": randomToken(16),
	} {
		claims[k] = v
	}
	if o.AppID != "" {
		claims["appid"] = o.AppID
		claims["appidacr"] = "1"
	}
	if o.UPN != "" {
		claims["upn"] = o.UPN
		claims["unique_name"] = o.UPN
		claims["name"] = displayName(o.UPN)
		claims["scp"] = "user_impersonation"
	} else {
		claims["idtyp"] = "app"
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = e.kid
	tok.Header["x5t"] = e.kid
	s, err := tok.SignedString(key)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("fake Entra: signing token: %w", err)
	}
	return s, time.Unix(exp, 0), nil
}

// VerifyToken implements TokenVerifier: an RS256 signature by this Entra's key (kid must
// match), aud one of RedisAudiences, a v1 or v2 issuer for this tenant, tid this tenant, and
// nbf <= now < exp with no leeway (everything runs on one clock), every segment in canonical
// base64url (strict: unused bits zero). The error never contains the token.
func (e *Entra) VerifyToken(token string) (VerifiedToken, error) {
	var claims struct {
		jwt.RegisteredClaims
		OID string `json:"oid"`
		TID string `json:"tid"`
	}
	p := jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodRS256.Alg()}),
		jwt.WithAudience(RedisAudiences...),
		jwt.WithExpirationRequired(),
		jwt.WithNotBeforeRequired(),
		jwt.WithLeeway(0),
		// Strict base64url: a token whose text differs from the issued one only in the unused
		// bits of a segment's last character is another token, and real Entra's is refused.
		jwt.WithStrictDecoding(),
	)
	_, err := p.ParseWithClaims(token, &claims, func(t *jwt.Token) (any, error) {
		if kid, _ := t.Header["kid"].(string); kid != e.kid {
			return nil, fmt.Errorf("unknown signing key id %q", kid)
		}
		return &e.key.PublicKey, nil
	})
	if err != nil {
		return VerifiedToken{}, fmt.Errorf("invalid access token: %w", err)
	}
	if !strings.EqualFold(claims.TID, e.tenant) {
		return VerifiedToken{}, fmt.Errorf("invalid access token: issued for tenant %q, not %q", claims.TID, e.tenant)
	}
	if claims.Issuer != v1Issuer(claims.TID) && claims.Issuer != v2Issuer(claims.TID) {
		return VerifiedToken{}, fmt.Errorf("invalid access token: unexpected issuer %q", claims.Issuer)
	}
	if claims.OID == "" {
		return VerifiedToken{}, errors.New("invalid access token: no oid claim")
	}
	return VerifiedToken{OID: claims.OID, TenantID: claims.TID, ExpiresAt: claims.ExpiresAt.Time}, nil
}

// PublicKey is the token-signing key, for verifiers in the same process.
func (e *Entra) PublicKey() *rsa.PublicKey { return &e.key.PublicKey }

// JWKSURL is where the signing key is published.
func (e *Entra) JWKSURL() string { return e.AuthorityHost() + e.tenant + "/discovery/v2.0/keys" }

// mintIDToken signs an OpenID id_token for a user signing in to clientID; MSAL reads it to
// build the account and AuthenticationRecord.
func (e *Entra) mintIDToken(u User, clientID string, now time.Time) (string, error) {
	claims := jwt.MapClaims{
		"aud":                clientID,
		"iss":                e.AuthorityHost() + e.tenant + "/v2.0",
		"iat":                now.Unix(),
		"nbf":                now.Unix(),
		"exp":                now.Add(time.Hour).Unix(),
		"name":               displayName(u.UPN),
		"oid":                u.ObjectID,
		"preferred_username": u.UPN,
		"sub":                u.ObjectID,
		"tid":                e.tenant,
		"ver":                "2.0",
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = e.kid
	return tok.SignedString(e.key)
}

// clientInfo is the base64url {"uid","utid"} MSAL needs for the home account ID.
func (e *Entra) clientInfo(u User) string {
	b, _ := json.Marshal(map[string]string{"uid": u.ObjectID, "utid": e.tenant})
	return b64url(b)
}

func (e *Entra) handleJWKS(w http.ResponseWriter, r *http.Request, _ string) {
	pub := &e.key.PublicKey
	writeJSON(w, http.StatusOK, map[string]any{"keys": []map[string]any{{
		"kty":    "RSA",
		"use":    "sig",
		"alg":    "RS256",
		"kid":    e.kid,
		"x5t":    e.kid,
		"n":      b64url(pub.N.Bytes()),
		"e":      b64url(big.NewInt(int64(pub.E)).Bytes()),
		"issuer": e.AuthorityHost() + e.tenant + "/v2.0",
	}}})
}

func v1Issuer(tid string) string { return "https://sts.windows.net/" + tid + "/" }
func v2Issuer(tid string) string { return "https://login.microsoftonline.com/" + tid + "/v2.0" }

// keyID derives a stable kid from the public key, as Entra's kids are key thumbprints.
func keyID(pub *rsa.PublicKey) string {
	sum := sha256.Sum256(pub.N.Bytes())
	return b64url(sum[:15])
}

func b64url(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// displayName turns "ada.lovelace@contoso.example" into "ada.lovelace".
func displayName(upn string) string {
	if i := strings.IndexByte(upn, '@'); i > 0 {
		return upn[:i]
	}
	return upn
}

var errNoOID = errors.New("fake Entra: Mint needs an OID")

// newGUID is a random GUID (trace and correlation IDs, generated object IDs).
func newGUID() string { return uuid.NewString() }
