package auth

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// errNotJWT is returned by ClaimsFromToken for a token that is not a JWT.
var errNotJWT = errors.New("the access token is not a JWT")

// ClaimsFromToken reads the non-secret claims of an access token without verifying its
// signature. Use it for display and for choosing the Redis username only; Redis verifies the
// token itself. The error never contains the token.
func ClaimsFromToken(tok string) (Claims, error) {
	if strings.Count(tok, ".") != 2 {
		return Claims{}, errNotJWT
	}
	mc := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(tok, mc); err != nil {
		// jwt's messages name the part that failed, never the token's contents.
		return Claims{}, fmt.Errorf("%w: %v", errNotJWT, err)
	}
	c := Claims{
		ObjectID: claimString(mc, "oid"),
		TenantID: claimString(mc, "tid"),
		UPN:      firstClaim(mc, "upn", "preferred_username", "unique_name", "email"),
		AppID:    firstClaim(mc, "appid", "azp"),
		Issuer:   claimString(mc, "iss"),
	}
	if aud, err := mc.GetAudience(); err == nil {
		c.Audience = strings.Join(aud, " ")
	}
	c.IssuedAt = claimTime(mc.GetIssuedAt())
	c.NotBefore = claimTime(mc.GetNotBefore())
	c.ExpiresAt = claimTime(mc.GetExpirationTime())
	return c, nil
}

func claimString(mc jwt.MapClaims, name string) string {
	s, _ := mc[name].(string)
	return s
}

func firstClaim(mc jwt.MapClaims, names ...string) string {
	for _, n := range names {
		if s := claimString(mc, n); s != "" {
			return s
		}
	}
	return ""
}

func claimTime(d *jwt.NumericDate, err error) time.Time {
	if err != nil || d == nil {
		return time.Time{}
	}
	return d.UTC()
}

// Identity is a one-line, non-secret description of who a token is for, for the UI's status
// line: "user alice@contoso.com (oid …, tenant …)" or "app … (oid …, tenant …)".
func (c Claims) Identity() string {
	var who string
	switch {
	case c.UPN != "":
		who = "user " + c.UPN
	case c.AppID != "":
		who = "app " + c.AppID
	default:
		who = "principal"
	}
	var parts []string
	if c.ObjectID != "" {
		parts = append(parts, "oid "+c.ObjectID)
	}
	if c.TenantID != "" {
		parts = append(parts, "tenant "+c.TenantID)
	}
	if len(parts) == 0 {
		return who
	}
	return who + " (" + strings.Join(parts, ", ") + ")"
}
