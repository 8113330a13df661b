package sessionstore

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
	"github.com/amr-tui/amr-tui/profiles"
	"github.com/amr-tui/amr-tui/ui/common"
)

// startDemo starts the emulator stack (fake Entra, TLS gate, seeded backend) in a temp dir.
func startDemo(t *testing.T, keys int, life time.Duration) *emulator.Demo {
	t.Helper()
	emutest.GuardDefaultTransport(t)
	d, err := emulator.StartDemo(ctxT(t), emulator.DemoOptions{Dir: t.TempDir(), TokenLifetime: life, Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	return d
}

func demoProfile(t *testing.T, d *emulator.Demo, name string) profiles.Profile {
	t.Helper()
	for _, p := range d.Profiles() {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no demo profile %q", name)
	return profiles.Profile{}
}

// waitUpdate reads updates until one satisfies ok or the deadline passes.
func waitUpdate(t *testing.T, ch <-chan common.SessionUpdate, within time.Duration, ok func(common.SessionUpdate) bool) common.SessionUpdate {
	t.Helper()
	deadline := time.After(within)
	var seen []string
	for {
		select {
		case u, open := <-ch:
			if !open {
				t.Fatalf("updates closed; flashes seen: %q", seen)
			}
			if ok(u) {
				return u
			}
			seen = append(seen, u.Flash)
		case <-deadline:
			t.Fatalf("no matching session update within %s; flashes seen: %q", within, seen)
		}
	}
}

func TestThroughTheGate(t *testing.T) {
	d := startDemo(t, 2000, 10*time.Minute)
	p := demoProfile(t, d, "demo-sp")
	adapter := NewSession(InfoFromProfile(p))
	s := open(t, p, guarded(t))
	adapter.Attach(s)
	t.Cleanup(adapter.Close)
	st := New(s)
	ctx := ctxT(t)

	// Header facts: the service principal's app ID and object ID, TLS verified, a countdown.
	h := adapter.State()
	if h.Profile != "demo-sp" || h.Color != "green" || h.Addr != d.Gate.Addr() || h.TLS != common.TLSOn {
		t.Fatalf("header facts: %+v", h)
	}
	if h.Identity != emulator.DemoAppClientID || h.ObjectID != emulator.DemoAppObjectID {
		t.Fatalf("identity %q oid %q", h.Identity, h.ObjectID)
	}
	if !h.Expires || time.Until(h.ExpiresAt) < 9*time.Minute || h.Expired || h.Refreshing {
		t.Fatalf("token state: %+v", h)
	}

	// The seeded keys, through the gate.
	keys := scanAll(t, st, "user:*", 500, "")
	if len(keys) == 0 {
		t.Fatal("no user:* keys through the gate")
	}
	ok, err := st.Exists(ctx, "user:1042:profile")
	if err != nil || !ok {
		t.Fatalf("EXISTS user:1042:profile: %v %v", ok, err)
	}
	pairs, _, err := st.HScan(ctx, "user:1042:profile", 0, 200)
	if err != nil {
		t.Fatal(err)
	}
	fields := map[string]string{}
	for i := 0; i+1 < len(pairs); i += 2 {
		fields[pairs[i]] = pairs[i+1]
	}
	if fields["id"] != "1042" || fields["email"] == "" || fields["plan"] == "" {
		t.Fatalf("user:1042:profile fields: %v", fields)
	}

	// A refresh: a new token, every live connection re-authenticated, said in the footer.
	for range 3 { // warm a few pooled connections
		if _, err := st.DBSize(ctx); err != nil {
			t.Fatal(err)
		}
	}
	s.Refresh()
	u := waitUpdate(t, adapter.Updates(), 30*time.Second, func(u common.SessionUpdate) bool {
		return strings.HasPrefix(u.Flash, "token refreshed, ")
	})
	if !strings.Contains(u.Flash, "re-authenticated") || u.Level != common.FlashInfo || !u.State.Expires {
		t.Fatalf("refresh update: %+v", u)
	}
	if _, err := st.DBSize(ctx); err != nil {
		t.Fatalf("a command after the refresh: %v", err)
	}
}

func TestDeviceCodePromptIsShownInApp(t *testing.T) {
	srv := emutest.StartRedisServer(t)
	p := plainProfile(t, srv.Addr)
	adapter := NewSession(InfoFromProfile(p))
	var before []string
	adapter.Before = func(dp auth.DeviceCodePrompt) { before = append(before, dp.UserCode) }
	prompt := auth.DeviceCodePrompt{UserCode: "ABCD-1234", VerificationURL: "https://microsoft.com/devicelogin",
		Message: "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code ABCD-1234 to authenticate."}
	_ = adapter.DeviceCodePrompt(context.Background(), prompt) // before the TUI runs
	if len(before) != 1 || before[0] != "ABCD-1234" {
		t.Fatalf("prompt before Attach went to %v", before)
	}
	s := open(t, p, guarded(t))
	adapter.Attach(s)
	t.Cleanup(adapter.Close)
	if h := adapter.State(); h.TLS != common.TLSOff || h.Expires || h.Identity != "" || h.Profile != "local" {
		t.Fatalf("no-auth plain profile header: %+v", h)
	}
	_ = adapter.DeviceCodePrompt(context.Background(), prompt) // a login needed while the TUI runs
	u := waitUpdate(t, adapter.Updates(), 10*time.Second, func(u common.SessionUpdate) bool { return u.Flash != "" })
	if !strings.Contains(u.Flash, "ABCD-1234") || u.Level != common.FlashWarn {
		t.Fatalf("device code flash: %+v", u)
	}
	if len(before) != 1 {
		t.Fatal("a prompt after Attach went to Before")
	}
}
