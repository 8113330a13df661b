package doctor

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/profiles"
)

// redisAudiences are the aud values Azure Redis accepts: its resource URI and its app ID.
var redisAudiences = map[string]bool{
	"https://redis.azure.com":              true,
	"https://redis.azure.com/":             true,
	"acca5fbb-b7e4-4009-81f1-37e38fd66d78": true,
}

// checkToken builds the profile's credential and gets a token, then reads its claims: who it is
// for, its audience and expiry, and how far its iat is from the local clock.
func (r *runner) checkToken(ctx context.Context) result {
	src, err := auth.NewSource(r.p, r.opts.Auth)
	if err != nil {
		return authFailure(auth.KindName(r.p.Auth), err)
	}
	tok, err := src.Token(ctx)
	if err != nil {
		return authFailure(src.Kind(), err)
	}
	r.tok = tok
	switch r.p.Auth.Kind {
	case profiles.AuthNone:
		return skip("auth.kind none: no credential")
	case profiles.AuthAccessKey:
		return skip("access key: a static password from auth.password, no token to acquire")
	}
	c := tok.Claims
	now := r.now()
	exp := c.ExpiresAt
	if exp.IsZero() {
		exp = tok.ExpiresOn
	}
	parts := []string{src.Kind() + ":", "oid " + orNone(c.ObjectID) + ",", "aud " + orNone(c.Audience) + ",",
		"tid " + orNone(c.TenantID) + ",", "exp " + exp.UTC().Format(time.RFC3339) + " (" + untilText(now, exp) + ")"}
	if !c.IssuedAt.IsZero() {
		parts[len(parts)-1] += ","
		parts = append(parts, "iat "+agoText(now, c.IssuedAt))
	}
	detail := strings.Join(parts, " ")

	var causes, fixes []string
	if skew, how := clockSkew(tok, now); how != "" {
		way := "ahead of"
		if skew < 0 {
			way, skew = "behind", -skew
		}
		causes = append(causes, fmt.Sprintf("this machine's clock is about %s %s the token issuer's: %s", roughDuration(skew), way, how))
		fixes = append(fixes, "sync this machine's clock (NTP: `timedatectl set-ntp true`, `w32tm /resync`, or the VM's time sync): tokens are refreshed by the local clock")
	} else if !exp.IsZero() && !now.Before(exp) {
		return fail(detail, "the token the credential returned has already expired",
			"get a fresh one: for the Azure CLI `az login`, for azd `azd auth login`; a managed identity's endpoint should never serve one")
	}
	if c.Audience != "" && !redisAudiences[c.Audience] {
		causes = append(causes, fmt.Sprintf("the token's audience %q is not Azure Redis (https://redis.azure.com)", c.Audience))
		fixes = append(fixes, "remove auth.scopes, or set it to https://redis.azure.com/.default")
	}
	if c.ObjectID != "" && tok.Username != c.ObjectID {
		causes = append(causes, fmt.Sprintf("auth.username %q overrides the token's object ID %s; Redis expects the object ID", tok.Username, c.ObjectID))
		fixes = append(fixes, "remove auth.username (it is only for tokens without an oid claim)")
	}
	if len(causes) > 0 {
		return warn(detail, strings.Join(causes, "\n"), strings.Join(fixes, "\n"))
	}
	return pass(detail)
}

// clockSkew estimates how far the local clock is from the token issuer's (positive: ahead) when
// that is more than maxClockSkew, and says how it knows; otherwise it returns "". An iat ahead
// of the local clock can only come from a clock behind. A far-past iat proves nothing (cached
// tokens are old, and Entra backdates iat by a few minutes), so a clock ahead is found by
// comparing the token's exp with the expiry the credential computed from expires_in by the
// local clock.
func clockSkew(tok auth.Token, now time.Time) (time.Duration, string) {
	c := tok.Claims
	if !c.IssuedAt.IsZero() && c.IssuedAt.Sub(now) > maxClockSkew {
		return now.Sub(c.IssuedAt), fmt.Sprintf("the token's iat %s is %s ahead of the local clock",
			c.IssuedAt.UTC().Format(time.RFC3339), roughDuration(c.IssuedAt.Sub(now)))
	}
	if !tok.ExpiresOn.IsZero() && !c.ExpiresAt.IsZero() {
		if d := tok.ExpiresOn.Sub(c.ExpiresAt); d > maxClockSkew || d < -maxClockSkew {
			return d, fmt.Sprintf("the token's exp is %s, but by the local clock its lifetime ends %s",
				c.ExpiresAt.UTC().Format(time.RFC3339), tok.ExpiresOn.UTC().Format(time.RFC3339))
		}
	}
	return 0, ""
}

// authFailure words an auth error: the one-line error and its detail as the cause, its fix.
func authFailure(kind string, err error) result {
	var ae *auth.Error
	if errors.As(err, &ae) {
		cause := ae.Error()
		if ae.Detail != "" {
			cause += "\n" + ae.Detail
		}
		return fail(ae.Credential, cause, ae.Fix)
	}
	return fail(kind, err.Error(), "check the profile's auth settings")
}

// agoText is "12 s ago", or "in 3 min" for a time still ahead of the local clock.
func agoText(now, t time.Time) string {
	if t.After(now) {
		return "in " + roughDuration(t.Sub(now)) + " by the local clock"
	}
	return roughDuration(now.Sub(t)) + " ago"
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
