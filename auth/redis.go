package auth

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// ExplainRedisError explains Redis's reply to AUTH (or to a command) after a token was obtained:
// WRONGPASS, NOPERM and NOAUTH become an *Error with Step StepRedis that says which username was
// used and the likely fix. Other errors, and nil, are returned unchanged. tok is the credential
// that was sent; its Value is never included.
func ExplainRedisError(err error, tok Token) error {
	if err == nil {
		return nil
	}
	var already *Error
	if errors.As(err, &already) {
		return err
	}
	msg := strings.TrimSpace(err.Error())
	code, _, _ := strings.Cut(msg, " ")
	code = strings.ToUpper(code)
	e := &Error{Credential: "Redis AUTH", Step: StepRedis, Code: code, err: redactedErr{err: err, secrets: []string{tok.Value}}}
	if tok.Username != "" {
		e.Credential = "Redis AUTH as " + tok.Username
	}
	entra := tok.Expires() || tok.Claims.ObjectID != ""
	var detail []string
	if entra {
		sent := "Username sent: " + orNone(tok.Username)
		if tok.Username != "" && tok.Username == tok.Claims.ObjectID {
			sent += " (the token's object ID, as Redis expects)"
		}
		detail = append(detail, sent)
		if tok.Claims.ObjectID != "" {
			detail = append(detail, "Token for: "+tok.Claims.Identity())
		}
		if !tok.ExpiresOn.IsZero() {
			detail = append(detail, "Token expires: "+tok.ExpiresOn.UTC().Format(time.RFC3339))
		}
	}
	detail = append(detail, "Redis replied: "+redact(firstLine(msg), []string{tok.Value}))
	e.Detail = strings.Join(detail, "\n")

	switch {
	case code == "WRONGPASS" && entra:
		e.Summary = "Redis rejected the Entra token for this username"
		var causes []string
		if !tok.ExpiresOn.IsZero() && time.Now().After(tok.ExpiresOn) {
			causes = append(causes, "the token had already expired when it was sent: get a fresh one")
		}
		switch {
		case tok.Claims.ObjectID != "" && tok.Username != tok.Claims.ObjectID:
			causes = append(causes, "the username "+quote(tok.Username)+" is not the token's object ID "+tok.Claims.ObjectID+
				" (Redis expects the object ID, not the client ID or the user name): remove auth.username or set it to the object ID")
		case tok.Claims.ObjectID == "":
			causes = append(causes, "the username must be the principal's object ID (it was "+orNone(tok.Username)+")")
		}
		causes = append(causes,
			"the principal has no Redis data access policy assignment on this cache: add one (portal: Authentication → Microsoft Entra; CLI: az redisenterprise database access-policy-assignment create for Azure Managed Redis, az redis access-policy-assignment create for Azure Cache for Redis)",
			"Microsoft Entra authentication is not enabled on the cache: enable it",
		)
		if tok.Claims.TenantID != "" {
			causes = append(causes, "the token is for tenant "+tok.Claims.TenantID+", and the cache belongs to another: set auth.tenant_id to the cache's tenant")
		}
		e.Fix = numbered(causes)
	case code == "WRONGPASS":
		e.Summary = "Redis rejected the username/password"
		e.Fix = "check the access key (auth.password) and, for an ACL user, auth.username; access keys are rotated from the portal (regenerate, then update the secret)"
		if tok.Username == "" {
			e.Fix += "; if access keys are disabled on the cache, use Microsoft Entra login instead"
		}
	case code == "NOPERM":
		e.Summary = "authenticated, but the access policy does not allow this command or key"
		e.Fix = "assign the principal an access policy that grants it (e.g. Data Owner or Data Contributor, or a custom policy with the command's ACL category and key pattern)"
	case code == "NOAUTH":
		e.Summary = "the server requires authentication but none was sent"
		e.Fix = "set auth.kind to an Entra login or access-key for this profile (auth.kind none sends no AUTH)"
	case strings.Contains(msg, "AUTH <password> called without any password configured"), strings.Contains(msg, "without any password configured"):
		e.Code = "ERR"
		e.Summary = "the server has no password set, but AUTH was sent"
		e.Fix = "set auth.kind to none for this server"
	default:
		return err
	}
	return e
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// numbered lists alternatives as "(1) …; (2) …" so the fix stays one line.
func numbered(items []string) string {
	if len(items) == 1 {
		return items[0]
	}
	var b strings.Builder
	b.WriteString("check, most likely first: ")
	for i, it := range items {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString("(" + strconv.Itoa(i+1) + ") " + it)
	}
	return b.String()
}
