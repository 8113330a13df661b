package auth

import (
	"context"

	"github.com/amr-tui/amr-tui/profiles"
)

// noneSource is the Source of auth kind "none": an empty Token, so the session sends no AUTH.
type noneSource struct{}

func (noneSource) Token(context.Context) (Token, error) { return Token{}, nil }
func (noneSource) Fresh(context.Context) (Token, error) { return Token{}, nil }
func (noneSource) Kind() string                         { return KindName(profiles.Auth{Kind: profiles.AuthNone}) }

// accessKeySource is the Source of auth kind "access-key": a static password (an access key or
// an ACL user's password) that never expires. Fresh re-reads the secret reference, so a key
// rotated in the keychain or the environment is picked up on the next reconnect.
type accessKeySource struct {
	kind     string
	username string // empty: Redis's default user
	ref      profiles.SecretRef
	opts     Options
}

func newAccessKeySource(a profiles.Auth, kind string, opts Options) (Source, error) {
	if a.Password.IsZero() {
		return nil, configError(kind, "auth.password is not set", "set auth.password to a secret reference (keyring:, env: or file:) holding the access key")
	}
	s := &accessKeySource{kind: kind, username: a.Username, ref: a.Password, opts: opts}
	if _, err := s.Token(context.Background()); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *accessKeySource) Token(ctx context.Context) (Token, error) {
	pw, err := resolveSecret(s.kind, "auth.password", s.ref, s.opts)
	if err != nil {
		return Token{}, err
	}
	return Token{Value: pw, Username: s.username, ReceivedAt: s.opts.now()}, nil
}

func (s *accessKeySource) Fresh(ctx context.Context) (Token, error) { return s.Token(ctx) }
func (s *accessKeySource) Kind() string                             { return s.kind }

// resolveSecret resolves a secret reference, turning failures into a StepConfig *Error that
// names the field and the reference (never the secret).
func resolveSecret(cred, field string, ref profiles.SecretRef, opts Options) (string, error) {
	if ref.Scheme() == "" {
		// Not a reference: the field may hold the secret itself, so its value is never shown.
		return "", configError(cred, field+" is not a secret reference (its value is not shown, in case it is the secret itself)",
			"store the secret in the keychain (amr-tui profiles edit) or use env:NAME or file:PATH, and put that reference in "+field)
	}
	resolve := opts.ResolveSecret
	if resolve == nil {
		resolve = defaultResolveSecret
	}
	v, err := resolve(ref)
	if err != nil {
		return "", &Error{Credential: cred, Step: StepConfig,
			Summary: "cannot read " + field + " from " + ref.String() + ": " + err.Error(),
			Fix:     secretFix(ref), err: err}
	}
	if v == "" {
		return "", configError(cred, field+" ("+ref.String()+") is empty", secretFix(ref))
	}
	return v, nil
}

func secretFix(ref profiles.SecretRef) string {
	switch ref.Scheme() {
	case profiles.SchemeEnv:
		return "export " + ref.Target() + " before starting amr-tui, or store the secret in the keychain"
	case profiles.SchemeFile:
		return "check that " + ref.Target() + " exists, is readable and holds the secret"
	case profiles.SchemeKeyring:
		return "store the secret again (amr-tui profile edit) or check that the OS keychain is unlocked"
	}
	return "set the field to a secret reference: keyring:SERVICE/ACCOUNT, env:NAME or file:PATH"
}

// defaultResolveSecret resolves through profiles (keychain, environment, file).
func defaultResolveSecret(ref profiles.SecretRef) (string, error) { return ref.Resolve() }
