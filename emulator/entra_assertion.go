package emulator

import (
	"bytes"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // x5t is defined as a SHA-1 thumbprint; used only to identify a certificate
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const assertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// verifyAssertion checks a client assertion the way Entra does for a certificate credential:
// the header names the registered certificate (x5t#S256, or legacy x5t; a sent x5c chain must
// start with it), the signature verifies with its key (MSAL signs PS256), iss = sub = client
// ID, aud = the token endpoint URL, and the time window holds.
func (e *Entra) verifyAssertion(app App, assertion, tokenURL string, now time.Time) *aadError {
	var claims jwt.RegisteredClaims
	unverified, _, err := jwt.NewParser().ParseUnverified(assertion, &claims)
	if err != nil {
		return &aadError{http.StatusBadRequest, "invalid_request", 50027, "JWT token is invalid or malformed."}
	}
	notRegistered := func(reason string) *aadError {
		return &aadError{http.StatusUnauthorized, "invalid_client", 700027, fmt.Sprintf(
			"Client assertion failed signature validation. [Reason - %s] The certificate with identifier used to sign the client assertion is not registered on application '%s'.", reason, app.ClientID)}
	}
	if app.Certificate == nil {
		return notRegistered("The key was not found.")
	}
	if !headerNamesCert(unverified.Header, app.Certificate.Raw) {
		return notRegistered("The key was not found.")
	}
	pub, ok := app.Certificate.PublicKey.(*rsa.PublicKey)
	if !ok {
		return notRegistered("The registered certificate does not hold an RSA key.")
	}
	_, err = jwt.NewParser(
		jwt.WithValidMethods([]string{"PS256", "RS256"}),
		jwt.WithoutClaimsValidation(),
	).ParseWithClaims(assertion, &jwt.RegisteredClaims{}, func(*jwt.Token) (any, error) { return pub, nil })
	if err != nil {
		return notRegistered("Client assertion contains an invalid signature.")
	}
	if claims.Issuer != app.ClientID || claims.Subject != app.ClientID {
		return &aadError{http.StatusUnauthorized, "invalid_client", 700021, "Client assertion application identifier doesn't match 'client_id' parameter."}
	}
	audOK := false
	for _, a := range claims.Audience {
		audOK = audOK || strings.EqualFold(a, tokenURL)
	}
	if !audOK {
		return &aadError{http.StatusUnauthorized, "invalid_client", 700027, fmt.Sprintf(
			"Client assertion failed validation: the audience claim must be the token endpoint '%s'.", tokenURL)}
	}
	outOfWindow := func() *aadError {
		var nbf, exp time.Time
		if claims.NotBefore != nil {
			nbf = claims.NotBefore.UTC()
		}
		if claims.ExpiresAt != nil {
			exp = claims.ExpiresAt.UTC()
		}
		return &aadError{http.StatusUnauthorized, "invalid_client", 700024, fmt.Sprintf(
			"Client assertion is not within its valid time range. Current time: %s, assertion valid from %s, expiry time of assertion %s.",
			now.UTC().Format(time.RFC3339), nbf.Format(time.RFC3339), exp.Format(time.RFC3339))}
	}
	if claims.ExpiresAt == nil || !now.Before(claims.ExpiresAt.Time) {
		return outOfWindow()
	}
	if claims.NotBefore != nil && now.Before(claims.NotBefore.Time) {
		return outOfWindow()
	}
	return nil
}

// headerNamesCert reports whether the JOSE header identifies the certificate with DER der.
func headerNamesCert(h map[string]any, der []byte) bool {
	if chain, ok := h["x5c"].([]any); ok && len(chain) > 0 {
		leaf, _ := chain[0].(string)
		b, err := base64.StdEncoding.DecodeString(leaf)
		if err != nil || !bytes.Equal(b, der) {
			return false
		}
	}
	if v, ok := h["x5t#S256"].(string); ok {
		sum := sha256.Sum256(der)
		return thumbprintEqual(v, sum[:])
	}
	if v, ok := h["x5t"].(string); ok {
		sum := sha1.Sum(der) //nolint:gosec // see import
		return thumbprintEqual(v, sum[:])
	}
	return false
}

// thumbprintEqual compares a thumbprint in any of the base64 spellings clients use.
func thumbprintEqual(enc string, want []byte) bool {
	for _, dec := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := dec.DecodeString(enc); err == nil && bytes.Equal(b, want) {
			return true
		}
	}
	return false
}
