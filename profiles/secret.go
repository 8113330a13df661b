package profiles

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// SecretRef refers to a secret without holding it. amr-tui never stores a secret in plain text;
// a secret field holds one of:
//
//	keyring:SERVICE/ACCOUNT   an entry in the OS keychain (amr-tui stores its own under
//	                          service "amr-tui", account "PROFILE/FIELD")
//	env:NAME                  the environment variable NAME
//	file:PATH                 the contents of the file PATH, minus one trailing newline
//
// The empty SecretRef means "not set".
type SecretRef string

// Secret reference schemes.
const (
	SchemeKeyring = "keyring"
	SchemeEnv     = "env"
	SchemeFile    = "file"
)

// KeyringService is the keychain service under which amr-tui stores the secrets it is given.
const KeyringService = "amr-tui"

// KeyringRef is the reference amr-tui uses for a secret it stores in the keychain for the
// given profile and field (for example "auth.client_secret").
func KeyringRef(profile, field string) SecretRef {
	return SecretRef(SchemeKeyring + ":" + KeyringService + "/" + profile + "/" + keyringAccountField(field))
}

// keyringAccountField drops the "auth." prefix so keychain entries read naturally.
func keyringAccountField(field string) string { return strings.TrimPrefix(field, "auth.") }

// IsZero reports whether the reference is unset.
func (r SecretRef) IsZero() bool { return r == "" }

// Scheme returns the reference's scheme ("keyring", "env" or "file"), or "" when the value is
// not a reference.
func (r SecretRef) Scheme() string {
	scheme, rest, ok := strings.Cut(string(r), ":")
	if !ok || rest == "" {
		return ""
	}
	switch scheme {
	case SchemeKeyring, SchemeEnv, SchemeFile:
		return scheme
	}
	return ""
}

// Target is the part after the scheme: SERVICE/ACCOUNT, NAME or PATH.
func (r SecretRef) Target() string {
	_, rest, _ := strings.Cut(string(r), ":")
	return rest
}

// String returns the reference itself, which is safe to display: it never contains the secret.
func (r SecretRef) String() string { return string(r) }

// Secret fields of a profile, named as in the file.
const (
	FieldClientSecret        = "auth.client_secret"
	FieldCertificate         = "auth.certificate"
	FieldCertificatePassword = "auth.certificate_password"
	FieldPassword            = "auth.password"
)

// SecretFields lists every field that holds a SecretRef.
var SecretFields = []string{FieldClientSecret, FieldCertificate, FieldCertificatePassword, FieldPassword}

type secretField struct {
	field string
	ref   SecretRef
}

func (a *Auth) secrets() []secretField {
	return []secretField{
		{FieldClientSecret, a.ClientSecret},
		{FieldCertificate, a.Certificate},
		{FieldCertificatePassword, a.CertificatePassword},
		{FieldPassword, a.Password},
	}
}

// SecretRef returns the reference held in the named secret field (one of SecretFields).
func (a *Auth) SecretRef(field string) (SecretRef, bool) {
	for _, s := range a.secrets() {
		if s.field == field {
			return s.ref, true
		}
	}
	return "", false
}

// SetSecretRef stores a reference in the named secret field (one of SecretFields).
func (a *Auth) SetSecretRef(field string, ref SecretRef) error {
	switch field {
	case FieldClientSecret:
		a.ClientSecret = ref
	case FieldCertificate:
		a.Certificate = ref
	case FieldCertificatePassword:
		a.CertificatePassword = ref
	case FieldPassword:
		a.Password = ref
	default:
		return fmt.Errorf("%s is not a secret field", field)
	}
	return nil
}

// StdinFlag is the `amr-tui profiles add/edit` flag that reads the secret for field from
// standard input (or a hidden prompt) and stores it in the keychain.
func StdinFlag(field string) string {
	return "--" + strings.ReplaceAll(keyringAccountField(field), "_", "-") + "-stdin"
}

var envNameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`) })

// checkSecretRef explains what is wrong with a secret field's value, or returns "". It never
// repeats the value: if it is not a reference it may be the secret itself.
func checkSecretRef(r SecretRef, profile, field string) string {
	scheme, rest, _ := strings.Cut(string(r), ":")
	switch scheme {
	case SchemeEnv:
		if !envNameRE().MatchString(rest) {
			return "an env: reference wants a variable name of letters, digits and '_', e.g. env:REDIS_PASSWORD"
		}
		return ""
	case SchemeFile:
		if rest == "" {
			return "a file: reference wants a path, e.g. file:/run/secrets/redis"
		}
		return checkPath(rest)
	case SchemeKeyring:
		service, account, ok := strings.Cut(rest, "/")
		if !ok || service == "" || account == "" || hasControl(rest) {
			return "a keyring: reference wants SERVICE/ACCOUNT, e.g. keyring:amr-tui/prod/client_secret"
		}
		return ""
	}
	return plainTextSecretMsg(profile, field)
}

// plainTextSecretMsg explains the references to someone who typed a secret into the file.
func plainTextSecretMsg(profile, field string) string {
	return "a plain-text secret is not allowed here; amr-tui stores only a reference to it: " +
		"keyring:SERVICE/ACCOUNT (the OS keychain), env:NAME (an environment variable) or file:PATH (a file). " +
		"Remove the value from the file, then run `amr-tui profiles edit " + profile + " " + StdinFlag(field) +
		"`: it prompts without echo (or reads standard input) and stores the secret in the keychain"
}
