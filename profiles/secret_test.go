package profiles

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"
)

func TestKeyringStoreAndResolve(t *testing.T) {
	keyring.MockInit()
	ref, err := StoreSecret("prod", FieldClientSecret, "s3cr3t")
	if err != nil {
		t.Fatal(err)
	}
	if ref != "keyring:amr-tui/prod/client_secret" {
		t.Errorf("ref = %q", ref)
	}
	p := Profile{Name: "prod", Auth: Auth{Kind: AuthServicePrincipal, ClientSecret: ref}}
	got, err := p.Secret(FieldClientSecret)
	if err != nil || got != "s3cr3t" {
		t.Fatalf("Secret = %q, %v", got, err)
	}
	if err := DeleteStoredSecret(ref); err != nil {
		t.Fatal(err)
	}
	_, err = p.Secret(FieldClientSecret)
	var se *SecretError
	if !errors.As(err, &se) || !errors.Is(err, ErrSecretNotFound) {
		t.Fatalf("after delete: %v", err)
	}
	want := `profile "prod", field auth.client_secret (keyring:amr-tui/prod/client_secret): no keychain entry for service "amr-tui", account "prod/client_secret": secret not found; store it with ` + "`amr-tui profiles edit prod --client-secret-stdin`"
	if err.Error() != want {
		t.Errorf("error:\n got %s\nwant %s", err, want)
	}
	// Deleting twice is fine; entries of other services are never touched.
	if err := DeleteStoredSecret(ref); err != nil {
		t.Error(err)
	}
	if err := keyring.Set("other-app", "x", "keep"); err != nil {
		t.Fatal(err)
	}
	if err := DeleteStoredSecret("keyring:other-app/x"); err != nil {
		t.Fatal(err)
	}
	if v, err := keyring.Get("other-app", "x"); err != nil || v != "keep" {
		t.Errorf("another service's entry was touched: %q %v", v, err)
	}
}

func TestKeyringUnavailable(t *testing.T) {
	keyring.MockInitWithError(errors.New("dbus: no session bus"))
	t.Cleanup(keyring.MockInit)
	_, err := StoreSecret("prod", FieldPassword, "x")
	if !errors.Is(err, ErrKeychainUnavailable) || !strings.Contains(err.Error(), "env:NAME or file:PATH") {
		t.Errorf("StoreSecret: %v", err)
	}
	_, err = SecretRef("keyring:amr-tui/prod/password").Resolve()
	if !errors.Is(err, ErrKeychainUnavailable) {
		t.Errorf("Resolve: %v", err)
	}
}

func TestEnvRef(t *testing.T) {
	t.Setenv("AMR_TEST_SECRET", "from-env")
	p := Profile{Name: "k", Auth: Auth{Kind: AuthAccessKey, Password: "env:AMR_TEST_SECRET"}}
	if v, err := p.Secret(FieldPassword); err != nil || v != "from-env" {
		t.Errorf("Secret = %q, %v", v, err)
	}
	p.Auth.Password = "env:AMR_TEST_UNSET_VAR"
	_, err := p.Secret(FieldPassword)
	want := `profile "k", field auth.password (env:AMR_TEST_UNSET_VAR): environment variable AMR_TEST_UNSET_VAR is not set or empty: secret not found`
	if err == nil || err.Error() != want {
		t.Errorf("error:\n got %v\nwant %s", err, want)
	}
}

func TestFileRef(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "secret")
	if err := os.WriteFile(path, []byte("line-secret\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ref := SecretRef("file:" + path)
	if v, err := ref.Resolve(); err != nil || v != "line-secret" {
		t.Errorf("Resolve = %q, %v", v, err)
	}
	if w := ref.Warning(); w != "" {
		t.Errorf("0600 file warned: %s", w)
	}
	if runtime.GOOS != "windows" {
		if err := os.Chmod(path, 0o644); err != nil {
			t.Fatal(err)
		}
		if w := ref.Warning(); !strings.Contains(w, "readable by other users") {
			t.Errorf("Warning = %q", w)
		}
	}
	missing := filepath.Join(dir, "missing")
	p := Profile{Name: "c", Auth: Auth{Kind: AuthCertificate, CertificatePassword: SecretRef("file:" + missing)}}
	_, err := p.Secret(FieldCertificatePassword)
	if !errors.Is(err, ErrSecretNotFound) || !strings.Contains(err.Error(), `profile "c", field auth.certificate_password`) ||
		!strings.Contains(err.Error(), "file "+missing+" does not exist") {
		t.Errorf("missing file: %v", err)
	}
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, []byte("\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := SecretRef("file:" + empty).Resolve(); !errors.Is(err, ErrSecretNotFound) {
		t.Errorf("empty file: %v", err)
	}
}

func TestSecretRefParts(t *testing.T) {
	for ref, scheme := range map[SecretRef]string{
		"keyring:a/b": SchemeKeyring, "env:X": SchemeEnv, "file:/x": SchemeFile,
		"env:": "", "hunter2": "", "https://x": "", "": "",
	} {
		if got := ref.Scheme(); got != scheme {
			t.Errorf("%q.Scheme() = %q, want %q", ref, got, scheme)
		}
	}
	if _, err := SecretRef("hunter2").Resolve(); err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("plain text resolved or echoed: %v", err)
	}
	if StdinFlag(FieldCertificatePassword) != "--certificate-password-stdin" {
		t.Error(StdinFlag(FieldCertificatePassword))
	}
	var a Auth
	for _, f := range SecretFields {
		if err := a.SetSecretRef(f, "env:"+SecretRef(strings.ToUpper(strings.TrimPrefix(f, "auth.")))); err != nil {
			t.Fatal(err)
		}
		if r, ok := a.SecretRef(f); !ok || r.Scheme() != SchemeEnv {
			t.Errorf("%s: %q %v", f, r, ok)
		}
	}
	if a.SetSecretRef("host", "env:X") == nil {
		t.Error("SetSecretRef accepted a non-secret field")
	}
}
