package cli

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/zalando/go-keyring"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
	"github.com/amr-tui/amr-tui/profiles"
	"github.com/amr-tui/amr-tui/ui"
)

// demoOpener starts the emulator's demo, writes its profiles and returns an opener over them
// whose credentials talk to loopback only.
func demoOpener(t *testing.T) (*tuiOpener, *emulator.Demo) {
	t.Helper()
	emutest.GuardDefaultTransport(t)
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	d, err := emulator.StartDemo(ctx, emulator.DemoOptions{Dir: dir, Keys: 50})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	path := filepath.Join(dir, "profiles.toml")
	if _, err := d.WriteProfiles(path); err != nil {
		t.Fatal(err)
	}
	guard := func(rt http.RoundTripper) http.RoundTripper {
		return emulator.LoopbackGuard{Next: rt, OnBlocked: func(r *http.Request) { t.Errorf("non-loopback request: %s", r.URL) }}
	}
	retry := policy.RetryOptions{MaxRetries: -1}
	return &tuiOpener{path: path, auth: auth.Options{WrapTransport: guard, Retry: &retry}, openTimeout: 30 * time.Second}, d
}

// TestOpenerSwitchesBetweenDemoProfiles opens two demo profiles through the real auth and
// session against the emulator, as the switcher does: both serve keys, the second is
// remembered, and closing the first leaves the second working.
func TestOpenerSwitchesBetweenDemoProfiles(t *testing.T) {
	o, _ := demoOpener(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	list, err := o.Profiles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Profiles) != 7 || list.LastUsed != "demo-sp" {
		t.Fatalf("profiles %+v", list)
	}
	for _, p := range list.Profiles {
		if p.Name == "demo-cert" && (p.Auth != "certificate" || p.Color != "cyan" || !strings.HasPrefix(p.Addr, "127.0.0.1:")) {
			t.Fatalf("summary %+v", p)
		}
	}

	first, err := o.Open(ctx, "demo-sp", nil)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := first.Store.DBSize(ctx); err != nil || n == 0 {
		t.Fatalf("demo-sp DBSIZE %d, %v", n, err)
	}
	st := first.Session.State()
	if st.Profile != "demo-sp" || st.Identity != emulator.DemoAppClientID || !st.Expires || st.TenantID == "" {
		t.Fatalf("demo-sp state %+v", st)
	}

	second, err := o.Open(ctx, "demo-cert", nil)
	if err != nil {
		t.Fatal(err)
	}
	first.Close()
	if _, err := first.Store.DBSize(ctx); err == nil {
		t.Error("the closed session still answers")
	}
	if n, err := second.Store.DBSize(ctx); err != nil || n == 0 {
		t.Fatalf("demo-cert after closing demo-sp: DBSIZE %d, %v", n, err)
	}
	if st := second.Session.State(); st.Profile != "demo-cert" || st.Identity != emulator.DemoCertClientID {
		t.Fatalf("demo-cert state %+v", st)
	}
	second.Close()
	f, err := profiles.Load(o.path)
	if err != nil || f.LastUsed() != "demo-cert" {
		t.Fatalf("last used %q, %v", f.LastUsed(), err)
	}
}

// TestOpenerDeviceCodeReachesThePrompt: a device code login hands its code to the UI's prompt
// while Open waits, never to a terminal.
func TestOpenerDeviceCodeReachesThePrompt(t *testing.T) {
	o, _ := demoOpener(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var mu sync.Mutex
	var got []ui.DeviceCode
	opened, err := o.Open(ctx, "demo-device-code", func(dc ui.DeviceCode) {
		mu.Lock()
		got = append(got, dc)
		mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	defer opened.Close()
	mu.Lock()
	defer mu.Unlock()
	if len(got) == 0 || got[0].Code == "" || got[0].URL == "" {
		t.Fatalf("device code prompts %+v", got)
	}
}

// TestOpenerFailureIsExplained: a wrong secret fails with auth's diagnosis and is not
// remembered.
func TestOpenerFailureIsExplained(t *testing.T) {
	o, _ := demoOpener(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	wrong := filepath.Join(filepath.Dir(o.path), "wrong")
	if err := os.WriteFile(wrong, []byte("not-the-secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := profiles.Update(o.path, func(f *profiles.File) error {
		p, _ := f.Get("demo-sp")
		p.Auth.ClientSecret = profiles.SecretRef("file:" + wrong)
		return f.Put(p)
	}); err != nil {
		t.Fatal(err)
	}
	_, err := o.Open(ctx, "demo-sp", nil)
	if err == nil || !strings.Contains(err.Error(), "Fix: ") || strings.Contains(err.Error(), "not-the-secret") {
		t.Fatalf("open with a wrong secret: %v", err)
	}
	_, err = o.Open(ctx, "nope", nil)
	if err == nil || !strings.Contains(err.Error(), `no profile named "nope"`) {
		t.Fatalf("unknown profile: %v", err)
	}
}

// TestEditorRules: the TUI's form saves with the CLI's rules: validation errors, secrets as
// references or in the keychain (never the file), a failed keychain leaves the file alone, a
// malformed file is not overwritten, delete drops the keychain entries.
func TestEditorRules(t *testing.T) {
	keyring.MockInit()
	ctx := context.Background()
	path := writeProfiles(t, "", localProfile(t, "local", "127.0.0.1:6379"))
	o := &tuiOpener{path: path}

	base := map[string]string{"name": "sp", "host": "x.westeurope.redis.azure.net", "auth.kind": "service-principal",
		"auth.tenant_id": testTenant, "auth.client_id": testTenant, "read_only": "no"}
	if err := o.SaveProfile(ctx, "", base); err == nil || !strings.Contains(err.Error(), "client_secret") {
		t.Fatalf("a service principal without a secret: %v", err)
	}
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for a, b := range base {
			m[a] = b
		}
		m[k] = v
		return m
	}
	if err := o.SaveProfile(ctx, "", with("auth.client_secret", "pl4in-s3cret")); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	if strings.Contains(string(data), "pl4in-s3cret") || !strings.Contains(string(data), "keyring:amr-tui/sp/client_secret") {
		t.Fatalf("the secret is not behind a keychain reference:\n%s", data)
	}
	if v, err := keyring.Get(profiles.KeyringService, "sp/client_secret"); err != nil || v != "pl4in-s3cret" {
		t.Fatalf("keychain %q, %v", v, err)
	}
	// Edit: an empty secret keeps the reference; a reference replaces it and the keychain
	// entry only the old version used goes away.
	vals, err := o.LoadProfile(ctx, "sp")
	if err != nil || vals["auth.client_secret"] != "keyring:amr-tui/sp/client_secret" {
		t.Fatalf("load %v, %v", vals, err)
	}
	if err := o.SaveProfile(ctx, "sp", with("read_only", "yes")); err != nil {
		t.Fatal(err)
	}
	f, _ := profiles.Load(path)
	if p, _ := f.Get("sp"); !p.ReadOnly || p.Auth.ClientSecret != "keyring:amr-tui/sp/client_secret" {
		t.Fatalf("edit lost the secret or the change: %+v", p)
	}
	if err := o.SaveProfile(ctx, "sp", with("auth.client_secret", "env:SP_SECRET")); err != nil {
		t.Fatal(err)
	}
	if _, err := keyring.Get(profiles.KeyringService, "sp/client_secret"); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatalf("the unused keychain entry stayed: %v", err)
	}
	// No keychain: a plain secret is refused with the way out, and the file is unchanged.
	before, _ := os.ReadFile(path)
	keyring.MockInitWithError(errors.New("no session bus"))
	t.Cleanup(keyring.MockInit)
	m := with("name", "sp2")
	m["auth.client_secret"] = "another-s3cret"
	err = o.SaveProfile(ctx, "", m)
	if err == nil || !strings.Contains(err.Error(), "env:NAME") {
		t.Fatalf("no keychain: %v", err)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Fatal("a failed save changed the file")
	}
	keyring.MockInit()
	// Delete.
	if err := o.DeleteProfile(ctx, "sp"); err != nil {
		t.Fatal(err)
	}
	if f, _ := profiles.Load(path); len(f.Names()) != 1 {
		t.Fatalf("after delete: %v", f.Names())
	}
	// A malformed file is reported and never overwritten.
	if err := os.WriteFile(path, []byte("version = 1\n[profiles.x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := o.SaveProfile(ctx, "", with("auth.client_secret", "env:X")); err == nil {
		t.Fatal("saved over a malformed file")
	}
	if data, _ := os.ReadFile(path); string(data) != "version = 1\n[profiles.x\n" {
		t.Fatal("the malformed file was rewritten")
	}
	if _, err := o.Profiles(ctx); err == nil {
		t.Fatal("a malformed file listed without error")
	}
}
