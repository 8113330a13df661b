package auth

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Step is where in obtaining Redis credentials a failure happened. The UI groups and words
// failures by it.
type Step int

// The steps, in the order a login goes through them.
const (
	// StepConfig: the profile's settings are wrong or incomplete (missing tenant, unreadable
	// certificate, unresolvable secret reference, unknown authority, bad scope …).
	StepConfig Step = iota + 1
	// StepUnavailable: the credential cannot work on this machine (no managed identity here,
	// CLI not installed, nothing in the default chain applies).
	StepUnavailable
	// StepCLILogin: the Azure CLI or Azure Developer CLI is installed but not logged in (or its
	// login expired).
	StepCLILogin
	// StepReach: the identity endpoint could not be reached or answered with a server error
	// (network, DNS, TLS, HTTP 5xx/429).
	StepReach
	// StepRefused: Microsoft Entra ID (or the managed identity endpoint) refused the request;
	// Code holds the AADSTS code when there is one.
	StepRefused
	// StepInteraction: the user must sign in interactively first.
	StepInteraction
	// StepTimeout: the caller's deadline passed or the request was cancelled.
	StepTimeout
	// StepToken: a token was obtained but cannot be used for Redis (no oid claim, malformed).
	StepToken
	// StepRedis: Redis refused the credentials (WRONGPASS, NOPERM, NOAUTH).
	StepRedis
)

// String names the step for messages.
func (s Step) String() string {
	switch s {
	case StepConfig:
		return "configuration"
	case StepUnavailable:
		return "credential not available here"
	case StepCLILogin:
		return "CLI not logged in"
	case StepReach:
		return "reaching the endpoint"
	case StepRefused:
		return "Entra refused"
	case StepInteraction:
		return "sign-in needed"
	case StepTimeout:
		return "timeout"
	case StepToken:
		return "unusable token"
	case StepRedis:
		return "Redis refused"
	}
	return "unknown step"
}

// Error is a classified authentication failure: which credential, which step, the AADSTS code
// where there is one, a one-line summary, detail and the likely fix. It never contains a secret
// or a token. Unwrap gives the underlying azidentity (or Redis) error for callers that need it;
// show that one only in verbose output.
type Error struct {
	// Credential names the credential kind, e.g. "service principal (client secret)".
	Credential string
	// Step is where the failure happened.
	Step Step
	// Code is the Entra error code ("AADSTS7000215") or Redis error prefix ("WRONGPASS").
	Code string
	// Summary is one short sentence: what went wrong.
	Summary string
	// Detail is extra, possibly multi-line, context: the server's description, the endpoint,
	// the correlation ID, the CLI's message.
	Detail string
	// Fix is the likely remedy.
	Fix string

	err error
}

// Error returns the one-line form: "credential: step: [code] summary".
func (e *Error) Error() string {
	var b strings.Builder
	if e.Credential != "" {
		b.WriteString(e.Credential)
		b.WriteString(": ")
	}
	b.WriteString(e.Step.String())
	b.WriteString(": ")
	if e.Code != "" {
		b.WriteString(e.Code)
		b.WriteString(" ")
	}
	b.WriteString(e.Summary)
	return b.String()
}

// Explain returns the multi-line form for the UI's error panel: the one-line error, then the
// detail and the fix.
func (e *Error) Explain() string {
	var b strings.Builder
	b.WriteString(e.Error())
	if e.Detail != "" {
		b.WriteString("\n\n")
		b.WriteString(e.Detail)
	}
	if e.Fix != "" {
		b.WriteString("\n\nFix: ")
		b.WriteString(e.Fix)
	}
	return b.String()
}

// Unwrap returns the underlying error (nil for failures auth detected itself).
func (e *Error) Unwrap() error { return e.err }

// configError is a StepConfig failure auth found before asking anyone for a token.
func configError(cred, summary, fix string) *Error {
	return &Error{Credential: cred, Step: StepConfig, Summary: summary, Fix: fix}
}

// shortSecret is the length below which a secret is redacted only as a whole token.
const shortSecret = 4

// redact replaces every non-empty secret in s with "[redacted]". Messages are built from server
// replies and tool output, which should never echo a secret; this is the belt to that braces.
//
// A secret of shortSecret characters or more is replaced wherever it occurs. A shorter one
// (such as a one-character test password) is replaced only where it stands as a whole token,
// not touching a letter or digit on either side: replacing every "a" in a message would make it
// unreadable, while the secret can still appear only as a token of its own (", got a", "'ab'").
// Longer secrets are matched first, so a short secret inside a long one does not break it up.
func redact(s string, secrets []string) string {
	var vs []string
	for _, v := range secrets {
		if v != "" {
			vs = append(vs, v)
		}
	}
	if len(vs) == 0 {
		return s
	}
	sort.SliceStable(vs, func(i, j int) bool { return len(vs[i]) > len(vs[j]) })
	var b strings.Builder
	for i := 0; i < len(s); {
		matched := false
		for _, v := range vs {
			if strings.HasPrefix(s[i:], v) && (len(v) >= shortSecret || wholeToken(s, i, i+len(v))) {
				b.WriteString("[redacted]")
				i += len(v)
				matched = true
				break
			}
		}
		if !matched {
			b.WriteByte(s[i])
			i++
		}
	}
	return b.String()
}

// wholeToken reports whether s[start:end] has no letter or digit right before or after it.
func wholeToken(s string, start, end int) bool {
	if r, _ := utf8.DecodeLastRuneInString(s[:start]); start > 0 && isWordRune(r) {
		return false
	}
	if r, _ := utf8.DecodeRuneInString(s[end:]); end < len(s) && isWordRune(r) {
		return false
	}
	return true
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// redactError applies redact to every text field of e.
func (e *Error) redact(secrets []string) *Error {
	e.Summary = redact(e.Summary, secrets)
	e.Detail = redact(e.Detail, secrets)
	e.Fix = redact(e.Fix, secrets)
	e.Credential = redact(e.Credential, secrets)
	if e.err != nil {
		e.err = redactedErr{err: e.err, secrets: secrets}
	}
	return e
}

// redactedErr wraps an underlying error so that its text, too, is free of secrets while
// errors.As still reaches the original.
type redactedErr struct {
	err     error
	secrets []string
}

func (r redactedErr) Error() string { return redact(r.err.Error(), r.secrets) }
func (r redactedErr) Unwrap() error { return r.err }

func shorten(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
