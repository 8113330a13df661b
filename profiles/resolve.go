package profiles

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"github.com/zalando/go-keyring"
)

// maxSecretFile bounds what a file: reference reads; a base64 PKCS#12 bundle is a few KiB.
const maxSecretFile = 1 << 20

// ErrSecretNotFound is wrapped by resolution errors whose environment variable, file or keychain
// entry does not exist.
var ErrSecretNotFound = errors.New("secret not found")

// ErrKeychainUnavailable is wrapped by errors from an OS keychain that cannot be reached, as in
// CI and containers, where env: or file: references are the way to go.
var ErrKeychainUnavailable = errors.New("the OS keychain is not available")

// SecretError says which secret of which profile could not be resolved, and why.
type SecretError struct {
	Profile string
	Field   string
	Ref     SecretRef
	Err     error
}

// Error names the profile, the field and the reference (never the secret) and says why it did
// not resolve; for a missing keychain entry it adds the command that stores one.
func (e *SecretError) Error() string {
	msg := fmt.Sprintf("profile %q, field %s (%s): %v", e.Profile, e.Field, e.Ref, e.Err)
	if errors.Is(e.Err, ErrSecretNotFound) && e.Ref.Scheme() == SchemeKeyring {
		msg += fmt.Sprintf("; store it with `amr-tui profiles edit %s %s`", e.Profile, StdinFlag(e.Field))
	}
	return msg
}

// Unwrap returns the cause, so errors.Is finds ErrSecretNotFound and ErrKeychainUnavailable.
func (e *SecretError) Unwrap() error { return e.Err }

// Resolve returns the secret the reference points to: the keychain entry, the environment
// variable, or the file's contents without one trailing newline. A missing or empty secret is
// an error wrapping ErrSecretNotFound. The error never contains the secret.
func (r SecretRef) Resolve() (string, error) {
	switch r.Scheme() {
	case SchemeEnv:
		name := r.Target()
		v, ok := os.LookupEnv(name)
		if !ok || v == "" {
			return "", fmt.Errorf("environment variable %s is not set or empty: %w", name, ErrSecretNotFound)
		}
		return v, nil
	case SchemeFile:
		return readSecretFile(r.Target())
	case SchemeKeyring:
		service, account, _ := strings.Cut(r.Target(), "/")
		v, err := keyring.Get(service, account)
		switch {
		case errors.Is(err, keyring.ErrNotFound):
			return "", fmt.Errorf("no keychain entry for service %q, account %q: %w", service, account, ErrSecretNotFound)
		case err != nil:
			return "", keychainErr(err)
		case v == "":
			return "", fmt.Errorf("the keychain entry for service %q, account %q is empty: %w", service, account, ErrSecretNotFound)
		}
		return v, nil
	case "":
		if r == "" {
			return "", fmt.Errorf("no secret reference set: %w", ErrSecretNotFound)
		}
	}
	return "", errors.New("not a secret reference; want keyring:SERVICE/ACCOUNT, env:NAME or file:PATH")
}

func readSecretFile(path string) (string, error) {
	p, err := ExpandPath(path)
	if err != nil {
		return "", err
	}
	f, err := os.Open(p)
	if errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("file %s does not exist: %w", path, ErrSecretNotFound)
	} else if err != nil {
		return "", fmt.Errorf("reading secret file: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxSecretFile+1))
	if err != nil {
		return "", fmt.Errorf("reading secret file %s: %w", path, err)
	}
	if len(b) > maxSecretFile {
		return "", fmt.Errorf("secret file %s is larger than %d bytes", path, maxSecretFile)
	}
	s := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	if s == "" {
		return "", fmt.Errorf("secret file %s is empty: %w", path, ErrSecretNotFound)
	}
	return s, nil
}

// Warning returns a caution about the reference that does not stop it from working, or "". A
// file: secret that other users can read is reported here rather than refused, because secret
// volumes in containers (Kubernetes, Docker) are commonly mode 0644 inside a single-user
// container, where that is safe.
func (r SecretRef) Warning() string {
	if r.Scheme() != SchemeFile || runtime.GOOS == "windows" {
		return ""
	}
	p, err := ExpandPath(r.Target())
	if err != nil {
		return ""
	}
	fi, err := os.Stat(p)
	if err != nil || fi.Mode().Perm()&0o077 == 0 {
		return ""
	}
	return fmt.Sprintf("%s is readable by other users (mode %04o); consider chmod 600", r.Target(), fi.Mode().Perm())
}

// Secret resolves the named secret field (one of SecretFields) of the profile. Errors are
// *SecretError values naming the profile, the field and the missing variable, file or entry.
func (p *Profile) Secret(field string) (string, error) {
	ref, ok := p.Auth.SecretRef(field)
	if !ok {
		return "", fmt.Errorf("%s is not a secret field", field)
	}
	v, err := ref.Resolve()
	if err != nil {
		return "", &SecretError{Profile: p.Name, Field: field, Ref: ref, Err: err}
	}
	return v, nil
}

// StoreSecret saves a secret for the profile's field in the OS keychain and returns the
// reference to put in the profile. Where no keychain is available the error wraps
// ErrKeychainUnavailable.
func StoreSecret(profile, field, secret string) (SecretRef, error) {
	if secret == "" {
		return "", errors.New("refusing to store an empty secret")
	}
	ref := KeyringRef(profile, field)
	service, account, _ := strings.Cut(ref.Target(), "/")
	if err := keyring.Set(service, account, secret); err != nil {
		return "", keychainErr(err)
	}
	return ref, nil
}

// SnapshotStoredSecret reads the keychain entry behind one of amr-tui's own references (see
// OwnedByAMRTUI) before a command overwrites it, so that the command can put it back if it
// fails afterwards: restore writes the previous secret back, or deletes the entry if there was
// none. The previous secret stays inside restore. For other references restore does nothing.
func SnapshotStoredSecret(ref SecretRef) (restore func() error, err error) {
	if !ref.OwnedByAMRTUI() {
		return func() error { return nil }, nil
	}
	service, account, _ := strings.Cut(ref.Target(), "/")
	prev, err := keyring.Get(service, account)
	switch {
	case errors.Is(err, keyring.ErrNotFound):
		return func() error { return DeleteStoredSecret(ref) }, nil
	case err != nil:
		return nil, keychainErr(err)
	}
	return func() error {
		if err := keyring.Set(service, account, prev); err != nil {
			return keychainErr(err)
		}
		return nil
	}, nil
}

// DeleteStoredSecret removes a keychain entry that amr-tui created (service KeyringService).
// Entries of other services, and env: and file: references, are left alone: amr-tui did not
// create them. A missing entry is not an error.
func DeleteStoredSecret(ref SecretRef) error {
	if !ref.OwnedByAMRTUI() {
		return nil
	}
	service, account, _ := strings.Cut(ref.Target(), "/")
	if err := keyring.Delete(service, account); err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return keychainErr(err)
	}
	return nil
}

// OwnedByAMRTUI reports whether the reference is a keychain entry under amr-tui's own service.
func (r SecretRef) OwnedByAMRTUI() bool {
	service, _, _ := strings.Cut(r.Target(), "/")
	return r.Scheme() == SchemeKeyring && service == KeyringService
}

func keychainErr(err error) error {
	return fmt.Errorf("%w (%v); in CI and containers use an env:NAME or file:PATH reference instead", ErrKeychainUnavailable, err)
}
