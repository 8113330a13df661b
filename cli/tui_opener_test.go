package cli

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

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

// TestOpenerMalformedFile: the opener lists a malformed profiles file with an error, and the
// form (profiles/editor, tested there) does not save over it.
func TestOpenerMalformedFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "profiles.toml")
	if err := os.WriteFile(path, []byte("version = 1\n[profiles.x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	o := &tuiOpener{path: path}
	if _, err := o.Profiles(ctx); err == nil {
		t.Fatal("a malformed file listed without error")
	}
	if err := o.SaveProfile(ctx, "", map[string]string{"name": "n", "host": "h", "auth.kind": "none"}); err == nil {
		t.Fatal("saved over a malformed file")
	}
	if data, _ := os.ReadFile(path); string(data) != "version = 1\n[profiles.x\n" {
		t.Fatal("the malformed file was rewritten")
	}
}
