package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"github.com/amr-tui/amr-tui/profiles"
)

const (
	testTenant = "11111111-1111-1111-1111-111111111111"
	testClient = "22222222-2222-2222-2222-222222222222"
)

// runCLI runs amr-tui in-process with the given profiles file and standard input.
func runCLI(t *testing.T, cfg, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	return runCLIReader(t, cfg, strings.NewReader(stdin), args...)
}

// runCLIReader is runCLI with any standard input.
func runCLIReader(t *testing.T, cfg string, stdin io.Reader, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	root := newRootCmd()
	root.SetArgs(append([]string{"--config", cfg}, args...))
	var out, errb bytes.Buffer
	root.SetIn(stdin)
	root.SetOut(&out)
	root.SetErr(&errb)
	err = root.Execute()
	return out.String(), errb.String(), err
}

func mustRun(t *testing.T, cfg, stdin string, args ...string) string {
	t.Helper()
	out, errOut, err := runCLI(t, cfg, stdin, args...)
	if err != nil {
		t.Fatalf("amr-tui %s: %v\nstderr: %s", strings.Join(args, " "), err, errOut)
	}
	return out
}

// asTerminal makes the CLI treat standard input as a terminal; hidden input reads a line.
func asTerminal(t *testing.T) {
	t.Helper()
	oldTerm, oldPw := isTerminal, readPassword
	isTerminal = func(io.Reader) bool { return true }
	readPassword = func(c *console) ([]byte, error) {
		line, err := c.lines.ReadString('\n')
		return []byte(strings.TrimSuffix(line, "\n")), err
	}
	t.Cleanup(func() { isTerminal, readPassword = oldTerm, oldPw })
}

func tempConfig(t *testing.T) string {
	t.Helper()
	keyring.MockInit()
	return filepath.Join(t.TempDir(), "profiles.toml")
}

func loadCfg(t *testing.T, cfg string) *profiles.File {
	t.Helper()
	f, err := profiles.Load(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestProfilesAddListShow(t *testing.T) {
	cfg := tempConfig(t)
	mustRun(t, cfg, "", "profiles", "add", "prod", "--host", "prod.westeurope.redis.azure.net",
		"--auth", "service-principal", "--tenant-id", testTenant, "--client-id", testClient,
		"--client-secret-ref", "env:AZURE_CLIENT_SECRET", "--read-only", "--label", "Production", "--color", "red",
		"--cluster", "on", "--refresh-ratio", "0.8", "--lower-refresh-bound", "4m", "--scope", profiles.DefaultScope)
	mustRun(t, cfg, "", "profiles", "add", "local", "--from-url", "redis://localhost:6379/1")

	out := mustRun(t, cfg, "", "profiles", "list")
	for _, want := range []string{"prod", "Production", "service-principal", "prod.westeurope.redis.azure.net:10000", "RO", "local", "localhost:6379", "TLS-off"} {
		if !strings.Contains(out, want) {
			t.Errorf("list lacks %q:\n%s", want, out)
		}
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(mustRun(t, cfg, "", "profiles", "list", "--json")), &list); err != nil || len(list) != 2 {
		t.Fatalf("list --json: %v %v", list, err)
	}
	if list[1]["name"] != "prod" || list[1]["endpoint"].(map[string]any)["port"] != float64(10000) {
		t.Errorf("list --json: %v", list[1])
	}

	out = mustRun(t, cfg, "", "profiles", "show", "prod")
	for _, want := range []string{"client_secret = 'env:AZURE_CLIENT_SECRET'", "at 80% of lifetime", "connects to", "TLS on"} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}
	var one map[string]any
	if err := json.Unmarshal([]byte(mustRun(t, cfg, "", "profiles", "show", "prod", "--json")), &one); err != nil {
		t.Fatal(err)
	}
	if one["auth"].(map[string]any)["client_secret"] != "env:AZURE_CLIENT_SECRET" || one["read_only"] != true {
		t.Errorf("show --json: %v", one)
	}
	if _, _, err := runCLI(t, cfg, "", "profiles", "show", "nope"); err == nil || !strings.Contains(err.Error(), `no profile named "nope"`) {
		t.Errorf("show nope: %v", err)
	}
	if _, _, err := runCLI(t, cfg, "", "profiles", "add", "prod", "--host", "x"); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("add existing: %v", err)
	}
}

func TestProfilesSecretFromStdinGoesToKeychain(t *testing.T) {
	cfg := tempConfig(t)
	const secret = "Sup3r-Secret-Key="
	out, errOut, err := runCLI(t, cfg, secret+"\n", "profiles", "add", "cache", "--host", "c.redis.cache.windows.net",
		"--auth", "access-key", "--password-stdin")
	if err != nil {
		t.Fatal(err, errOut)
	}
	if v, err := keyring.Get(profiles.KeyringService, "cache/password"); err != nil || v != secret {
		t.Errorf("keychain holds %q, %v", v, err)
	}
	data, _ := os.ReadFile(cfg)
	show := mustRun(t, cfg, "", "profiles", "show", "cache") + mustRun(t, cfg, "", "profiles", "show", "cache", "--json") +
		mustRun(t, cfg, "", "profiles", "list", "--json")
	for what, text := range map[string]string{"file": string(data), "add output": out + errOut, "show/list": show} {
		if strings.Contains(text, secret) {
			t.Errorf("%s contains the secret", what)
		}
	}
	if !strings.Contains(string(data), "password = 'keyring:amr-tui/cache/password'") {
		t.Errorf("file:\n%s", data)
	}
	// Two secrets cannot share standard input.
	_, _, err = runCLI(t, cfg, "a\n", "profiles", "add", "c2", "--host", "c.redis.cache.windows.net", "--auth", "certificate",
		"--tenant-id", testTenant, "--client-id", testClient, "--certificate-stdin", "--certificate-password-stdin")
	if err == nil || !strings.Contains(err.Error(), "only one secret") {
		t.Errorf("two stdin secrets: %v", err)
	}
}

func TestProfilesNoKeychainExplainsReferences(t *testing.T) {
	cfg := tempConfig(t)
	keyring.MockInitWithError(errors.New("no session bus"))
	t.Cleanup(keyring.MockInit)
	_, _, err := runCLI(t, cfg, "key\n", "profiles", "add", "cache", "--host", "c.redis.cache.windows.net",
		"--auth", "access-key", "--password-stdin")
	if err == nil || !strings.Contains(err.Error(), "--password-ref env:NAME") || !strings.Contains(err.Error(), "not available") {
		t.Fatalf("add without keychain: %v", err)
	}
	if _, err := os.Stat(cfg); !errors.Is(err, os.ErrNotExist) {
		t.Error("a failed add wrote the file")
	}
}

func TestProfilesAddInteractive(t *testing.T) {
	cfg := tempConfig(t)
	asTerminal(t)
	answers := strings.Join([]string{
		"sp",                        // name
		"sp.eastus.redis.azure.net", // host
		"service-principal",         // auth kind
		testTenant, testClient,
		"typed-secret", // hidden
	}, "\n") + "\n"
	out, prompts, err := runCLI(t, cfg, answers, "profiles", "add")
	if err != nil {
		t.Fatal(err, prompts)
	}
	for _, want := range []string{"Profile name:", "Host", "Auth kind", "[developer]", "Tenant ID", "Client secret for profile sp (input hidden)"} {
		if !strings.Contains(prompts, want) {
			t.Errorf("prompts lack %q:\n%s", want, prompts)
		}
	}
	if strings.Contains(out+prompts, "typed-secret") {
		t.Error("secret echoed")
	}
	p, ok := loadCfg(t, cfg).Get("sp")
	if !ok || p.Auth.ClientSecret != "keyring:amr-tui/sp/client_secret" || p.Auth.TenantID != testTenant {
		t.Fatalf("saved %+v", p)
	}
	if v, _ := p.Secret(profiles.FieldClientSecret); v != "typed-secret" {
		t.Errorf("keychain secret = %q", v)
	}
}

func TestProfilesAddMissingValuesNonInteractive(t *testing.T) {
	cfg := tempConfig(t)
	_, _, err := runCLI(t, cfg, "", "profiles", "add", "sp", "--host", "x.redis.azure.net", "--auth", "service-principal")
	if err == nil {
		t.Fatal("incomplete profile added")
	}
	for _, want := range []string{"auth.tenant_id: missing required field", "auth.client_secret", "run on a terminal"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	if _, _, err := runCLI(t, cfg, "", "profiles", "add"); err == nil || !strings.Contains(err.Error(), "NAME") {
		t.Errorf("add without name: %v", err)
	}
	if _, err := os.Stat(cfg); !errors.Is(err, os.ErrNotExist) {
		t.Error("file written")
	}
}

func TestProfilesEdit(t *testing.T) {
	cfg := tempConfig(t)
	mustRun(t, cfg, "s3cret\n", "profiles", "add", "p", "--host", "p.redis.azure.net", "--auth", "service-principal",
		"--tenant-id", testTenant, "--client-id", testClient, "--client-secret-stdin", "--label", "keep me", "--ca-file", "ca.pem")
	before, _ := loadCfg(t, cfg).Get("p")
	if !filepath.IsAbs(before.TLS.CAFile) {
		t.Errorf("relative --ca-file stored as %q", before.TLS.CAFile)
	}

	mustRun(t, cfg, "", "profiles", "edit", "p", "--port", "10001", "--unset", "tls.ca_file")
	p, _ := loadCfg(t, cfg).Get("p")
	if p.Port != 10001 || p.TLS.CAFile != "" || p.Label != "keep me" || p.Auth.ClientSecret != before.Auth.ClientSecret {
		t.Errorf("edit changed the wrong things: %+v", p)
	}

	// Switching kind starts auth afresh and drops the keychain entry nobody refers to any more.
	mustRun(t, cfg, "", "profiles", "edit", "p", "--auth", "developer", "--method", "azure-cli")
	p, _ = loadCfg(t, cfg).Get("p")
	if !reflect.DeepEqual(p.Auth, profiles.Auth{Kind: profiles.AuthDeveloper, Method: profiles.DeveloperAzureCLI}) {
		t.Errorf("auth after kind change: %+v", p.Auth)
	}
	if _, err := keyring.Get(profiles.KeyringService, "p/client_secret"); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("stale keychain entry kept: %v", err)
	}

	// An invalid edit changes nothing.
	data, _ := os.ReadFile(cfg)
	if _, _, err := runCLI(t, cfg, "", "profiles", "edit", "p", "--cluster", "maybe"); err == nil || !strings.Contains(err.Error(), `field cluster`) {
		t.Errorf("bad edit: %v", err)
	}
	if after, _ := os.ReadFile(cfg); !bytes.Equal(after, data) {
		t.Error("failed edit changed the file")
	}
	if _, _, err := runCLI(t, cfg, "", "profiles", "edit", "p"); err == nil || !strings.Contains(err.Error(), "nothing to change") {
		t.Errorf("edit without flags: %v", err)
	}
}

func TestProfilesEditInteractive(t *testing.T) {
	cfg := tempConfig(t)
	mustRun(t, cfg, "", "profiles", "add", "l", "--host", "localhost", "--auth", "none")
	asTerminal(t)
	// Label, host (keep), kind (keep).
	mustRun(t, cfg, "New label\n\n\n", "profiles", "edit", "l")
	if p, _ := loadCfg(t, cfg).Get("l"); p.Label != "New label" || p.Host != "localhost" || p.Auth.Kind != profiles.AuthNone {
		t.Errorf("after interactive edit: %+v", p)
	}
}

func TestProfilesRemove(t *testing.T) {
	cfg := tempConfig(t)
	mustRun(t, cfg, "k\n", "profiles", "add", "gone", "--host", "c.redis.cache.windows.net", "--auth", "access-key", "--password-stdin")
	mustRun(t, cfg, "", "profiles", "add", "stay", "--host", "localhost", "--auth", "none")
	data, _ := os.ReadFile(cfg)

	if _, _, err := runCLI(t, cfg, "", "profiles", "remove", "gone"); err == nil || !strings.Contains(err.Error(), "--yes") {
		t.Errorf("remove without --yes off a terminal: %v", err)
	}
	asTerminal(t)
	if out := mustRun(t, cfg, "n\n", "profiles", "remove", "gone"); !strings.Contains(out, "Nothing removed") {
		t.Errorf("declined remove: %s", out)
	}
	if after, _ := os.ReadFile(cfg); !bytes.Equal(after, data) {
		t.Error("declined remove changed the file")
	}
	mustRun(t, cfg, "y\n", "profiles", "remove", "gone")
	f := loadCfg(t, cfg)
	if _, ok := f.Get("gone"); ok {
		t.Error("not removed")
	}
	if _, err := keyring.Get(profiles.KeyringService, "gone/password"); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("keychain entry left behind: %v", err)
	}
	mustRun(t, cfg, "", "profiles", "remove", "stay", "--yes")
	if len(loadCfg(t, cfg).Names()) != 0 {
		t.Error("--yes did not remove")
	}
}

func TestProfilesMalformedFileUntouched(t *testing.T) {
	cfg := tempConfig(t)
	broken := "version = 1\n\n[profiles.p]\nhost = \"localhost\"\nauth = { kind = \"none\" }\nport = \"6379\"\n"
	if err := os.WriteFile(cfg, []byte(broken), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"profiles", "add", "q", "--host", "localhost", "--auth", "none"},
		{"profiles", "edit", "p", "--port", "1"},
		{"profiles", "remove", "p", "--yes"},
		{"profiles", "list"},
	} {
		_, _, err := runCLI(t, cfg, "", args...)
		if err == nil || !strings.Contains(err.Error(), cfg+`:6: profile "p", field port: want an integer, got a string`) {
			t.Errorf("%v: %v", args, err)
		}
	}
	if data, _ := os.ReadFile(cfg); string(data) != broken {
		t.Error("malformed file changed")
	}
	if _, err := os.Stat(cfg + ".bak"); !errors.Is(err, os.ErrNotExist) {
		t.Error("backup written for a malformed file")
	}
}

func TestProfilesImportEnv(t *testing.T) {
	cfg := tempConfig(t)
	for k, v := range map[string]string{
		"REDIS_ENDPOINT": "ci.westeurope.redis.azure.net:10000", "AZURE_TENANT_ID": testTenant,
		"AZURE_CLIENT_ID": testClient, "AZURE_CLIENT_SECRET": "env-secret", "REDIS_OBJECT_ID": "33333333-3333-3333-3333-333333333333",
		"REDIS_HOST": "", "REDIS_PORT": "", "AZURE_CLIENT_CERTIFICATE_PATH": "", "REDIS_USERNAME": "",
	} {
		t.Setenv(k, v)
	}
	mustRun(t, cfg, "", "profiles", "import-env", "ci")
	p, _ := loadCfg(t, cfg).Get("ci")
	if p.Auth.Kind != profiles.AuthServicePrincipal || p.Auth.ClientSecret != "env:AZURE_CLIENT_SECRET" || p.Port != 10000 {
		t.Errorf("imported %+v", p)
	}
	mustRun(t, cfg, "", "profiles", "import-env", "ci2", "--keychain")
	p, _ = loadCfg(t, cfg).Get("ci2")
	if v, err := p.Secret(profiles.FieldClientSecret); p.Auth.ClientSecret.Scheme() != profiles.SchemeKeyring || v != "env-secret" || err != nil {
		t.Errorf("--keychain: %+v %q %v", p.Auth, v, err)
	}
	if data, _ := os.ReadFile(cfg); strings.Contains(string(data), "env-secret") {
		t.Error("secret written to the file")
	}
}

func TestConfigFlagOverridesEnv(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(profiles.EnvConfig, filepath.Join(dir, "env.toml"))
	flagPath := filepath.Join(dir, "flag.toml")
	mustRun(t, flagPath, "", "profiles", "add", "l", "--host", "localhost", "--auth", "none")
	if _, err := os.Stat(flagPath); err != nil {
		t.Error("--config not used:", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "env.toml")); !errors.Is(err, os.ErrNotExist) {
		t.Error("env path used despite --config")
	}
	// Without --config the environment variable is used.
	root := newRootCmd()
	root.SetArgs([]string{"profiles", "list"})
	var out bytes.Buffer
	root.SetOut(&out)
	if err := root.Execute(); err != nil || !strings.Contains(out.String(), "env.toml") {
		t.Errorf("env path: %v %s", err, out.String())
	}
}

func TestProfilesRefFlagRefusesPlainSecret(t *testing.T) {
	cfg := tempConfig(t)
	_, _, err := runCLI(t, cfg, "", "profiles", "add", "x", "--host", "c.redis.cache.windows.net", "--auth", "access-key",
		"--password-ref", "hunter2")
	if err == nil || strings.Contains(err.Error(), "hunter2") || !strings.Contains(err.Error(), "--password-stdin") {
		t.Errorf("plain secret in --password-ref: %v", err)
	}
}

func TestProfilesRemoveKeepsSharedSecret(t *testing.T) {
	cfg := tempConfig(t)
	mustRun(t, cfg, "k\n", "profiles", "add", "a", "--host", "c.redis.cache.windows.net", "--auth", "access-key", "--password-stdin")
	mustRun(t, cfg, "", "profiles", "add", "b", "--host", "c.redis.cache.windows.net", "--auth", "access-key",
		"--password-ref", "keyring:amr-tui/a/password")
	mustRun(t, cfg, "", "profiles", "remove", "a", "--yes")
	if v, err := keyring.Get(profiles.KeyringService, "a/password"); err != nil || v != "k" {
		t.Errorf("secret still used by profile b was deleted: %v", err)
	}
}

// changeOnRead is standard input that changes the profiles file when the command first reads
// it: after the command loaded the file and before it saves it.
type changeOnRead struct {
	io.Reader
	t       *testing.T
	path    string
	changed bool
}

func (c *changeOnRead) Read(b []byte) (int, error) {
	if !c.changed {
		c.changed = true
		f, err := os.OpenFile(c.path, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			c.t.Error(err)
		} else {
			_, _ = f.WriteString("# edited by hand meanwhile\n")
			_ = f.Close()
		}
	}
	return c.Reader.Read(b)
}

// TestProfilesEditSecretUndoneWhenSaveFails: an edit that stores a new secret and then cannot
// save the file (changed on disk meanwhile) leaves the old secret in the keychain, so the
// unchanged file still refers to a working secret.
func TestProfilesEditSecretUndoneWhenSaveFails(t *testing.T) {
	cfg := tempConfig(t)
	mustRun(t, cfg, "old-secret\n", "profiles", "add", "p", "--host", "p.redis.azure.net", "--auth", "service-principal",
		"--tenant-id", testTenant, "--client-id", testClient, "--client-secret-stdin")
	stdin := &changeOnRead{Reader: strings.NewReader("new-secret\n"), t: t, path: cfg}
	_, _, err := runCLIReader(t, cfg, stdin, "profiles", "edit", "p", "--client-secret-stdin", "--label", "new")
	if err == nil || !strings.Contains(err.Error(), "changed by something else") {
		t.Fatalf("edit of a file changed meanwhile: %v", err)
	}
	if v, err := keyring.Get(profiles.KeyringService, "p/client_secret"); err != nil || v != "old-secret" {
		t.Errorf("keychain holds %q (%v) after the failed edit; want the old secret back", v, err)
	}
	if data, _ := os.ReadFile(cfg); !strings.HasSuffix(string(data), "# edited by hand meanwhile\n") || strings.Contains(string(data), "new") {
		t.Errorf("file changed by the failed edit:\n%s", data)
	}

	// A failed add removes the entry it created and leaves an unrelated one alone.
	if err := keyring.Set(profiles.KeyringService, "q/password", "stale"); err != nil {
		t.Fatal(err)
	}
	stdin = &changeOnRead{Reader: strings.NewReader("k\n"), t: t, path: cfg}
	if _, _, err := runCLIReader(t, cfg, stdin, "profiles", "add", "q", "--host", "c.redis.cache.windows.net", "--auth", "access-key", "--password-stdin"); err == nil {
		t.Fatal("add saved over a file changed meanwhile")
	}
	if v, _ := keyring.Get(profiles.KeyringService, "q/password"); v != "stale" {
		t.Errorf("keychain entry q/password = %q after a failed add; want it as it was", v)
	}
}

// TestProfilesImportEnvConnectionString: import-env given a StackExchange.Redis connection
// string says what it is and never prints the access key inside it.
func TestProfilesImportEnvConnectionString(t *testing.T) {
	cfg := tempConfig(t)
	for k, v := range map[string]string{
		"REDIS_ENDPOINT": "c.redis.cache.windows.net:6380,password=S3cr3tKey=,ssl=True", "REDIS_HOST": "", "REDIS_PORT": "",
		"AZURE_CLIENT_ID": "", "AZURE_CLIENT_SECRET": "", "AZURE_CLIENT_CERTIFICATE_PATH": "",
	} {
		t.Setenv(k, v)
	}
	out, errOut, err := runCLI(t, cfg, "", "profiles", "import-env", "cache")
	if err == nil {
		t.Fatal("connection string imported")
	}
	if text := err.Error() + out + errOut; strings.Contains(text, "S3cr3tKey") {
		t.Errorf("output shows the key: %v\n%s%s", err, out, errOut)
	}
	for _, want := range []string{"looks like a StackExchange.Redis connection string", "not shown", "REDIS_HOST and REDIS_PORT"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	if _, err := os.Stat(cfg); !errors.Is(err, os.ErrNotExist) {
		t.Error("a failed import wrote the file")
	}
}

// TestProfilesUnknownName: show, edit and remove all name the file when the profile is missing.
func TestProfilesUnknownName(t *testing.T) {
	cfg := tempConfig(t)
	mustRun(t, cfg, "", "profiles", "add", "l", "--host", "localhost", "--auth", "none")
	for _, args := range [][]string{{"show", "nope"}, {"edit", "nope", "--port", "1"}, {"remove", "nope", "--yes"}} {
		_, _, err := runCLI(t, cfg, "", append([]string{"profiles"}, args...)...)
		if want := `no profile named "nope" in ` + cfg; err == nil || err.Error() != want {
			t.Errorf("%v: %v, want %q", args, err, want)
		}
	}
}
