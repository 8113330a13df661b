package cli

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
	"github.com/amr-tui/amr-tui/profiles"
)

// runRootCmd runs the CLI in-process with a bounded context.
func runRootCmd(t *testing.T, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	root := newRootCmd()
	var out, errOut bytes.Buffer
	root.SetArgs(args)
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetIn(strings.NewReader(""))
	err := root.ExecuteContext(ctx)
	return out.String() + errOut.String(), err
}

// localProfile is a no-auth, plain-TCP profile for a local redis-server.
func localProfile(t *testing.T, name, addr string) profiles.Profile {
	t.Helper()
	h, p, _ := strings.Cut(addr, ":")
	port, err := strconv.Atoi(p)
	if err != nil {
		t.Fatal(err)
	}
	off := false
	return profiles.Profile{Name: name, Color: "red", Host: h, Port: port, Cluster: profiles.ClusterOff,
		TLS: profiles.TLS{Enabled: &off}, Auth: profiles.Auth{Kind: profiles.AuthNone}}
}

func writeProfiles(t *testing.T, last string, ps ...profiles.Profile) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "profiles.toml")
	f, err := profiles.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if err := f.Put(p); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SetLastUsed(last); err != nil {
		t.Fatal(err)
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRootWithoutAProfileSaysWhatToDo(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "none.toml")
	_, err := runRootCmd(t, "--config", empty)
	if err == nil || !strings.Contains(err.Error(), "holds no profiles") || !strings.Contains(err.Error(), "amr-tui profiles add") ||
		!strings.Contains(err.Error(), "amr-tui demo") {
		t.Fatalf("no profiles at all: %v", err)
	}

	cfg := writeProfiles(t, "", localProfile(t, "alpha", "127.0.0.1:1"), localProfile(t, "beta", "127.0.0.1:2"))
	_, err = runRootCmd(t, "--config", cfg)
	if err == nil || !strings.Contains(err.Error(), "none used before") || !strings.Contains(err.Error(), "alpha\n  beta") ||
		!strings.Contains(err.Error(), "amr-tui -p NAME") {
		t.Fatalf("no last used profile: %v", err)
	}
	_, err = runRootCmd(t, "--config", cfg, "-p", "gamma")
	if err == nil || !strings.Contains(err.Error(), `no profile named "gamma"`) || !strings.Contains(err.Error(), "alpha") {
		t.Fatalf("unknown profile: %v", err)
	}
	if _, err := runRootCmd(t, "--config", cfg, "stray"); err == nil || !strings.Contains(err.Error(), "unknown command") {
		t.Fatalf("a stray argument: %v", err)
	}
}

func TestRootConnectFailureIsClear(t *testing.T) {
	port := emutest.FreePort(t) // nothing listens there
	addr := "127.0.0.1:" + strconv.Itoa(port)
	cfg := writeProfiles(t, "", localProfile(t, "down", addr))
	_, err := runRootCmd(t, "--config", cfg, "-p", "down")
	if err == nil || !strings.Contains(err.Error(), `profile "down"`) || !strings.Contains(err.Error(), addr) {
		t.Fatalf("connecting to a closed port: %v", err)
	}
	f, _ := profiles.Load(cfg)
	if f.LastUsed() != "" {
		t.Fatal("a profile that failed to open was remembered as the last used")
	}
}

// TestRootOpensProfileInTmux runs the real binary with -p against a real redis-server: the
// header shows the profile and the TLS-off warning, the keys load, q quits, and the profile
// is remembered, so a second run without -p opens it again.
func TestRootOpensProfileInTmux(t *testing.T) {
	tmuxPath(t)
	srv := emutest.StartRedisServer(t)
	cfg := writeProfiles(t, "", localProfile(t, "local", srv.Addr))
	bin := buildTUIBinary(t)
	for i, args := range [][]string{{"--config", cfg, "-p", "local"}, {"--config", cfg}} {
		r := startTmux(t, nil, append([]string{bin}, args...)...)
		r.waitFor("the header and an empty key list", 60*time.Second, func(s string) bool {
			return strings.Contains(s, "local") && strings.Contains(s, "TLS OFF") && strings.Contains(s, "complete")
		})
		r.send(false, "q")
		if rc := r.exitStatus(30 * time.Second); rc != 0 {
			t.Fatalf("run %d exited with %d", i, rc)
		}
		f, err := profiles.Load(cfg)
		if err != nil || f.LastUsed() != "local" {
			t.Fatalf("run %d: last used %q, %v", i, f.LastUsed(), err)
		}
	}
}

// TestOpenExplainsAuthFailure: a refused credential is reported with auth's full explanation
// (which credential, which step, the fix), before any UI starts.
func TestOpenExplainsAuthFailure(t *testing.T) {
	emutest.GuardDefaultTransport(t)
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	d, err := emulator.StartDemo(ctx, emulator.DemoOptions{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	var p profiles.Profile
	for _, dp := range d.Profiles() {
		if dp.Name == "demo-sp" {
			p = dp
		}
	}
	wrong := filepath.Join(dir, "wrong-secret")
	if err := os.WriteFile(wrong, []byte("not-the-secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	p.Auth.ClientSecret = profiles.SecretRef("file:" + wrong)
	guard := func(rt http.RoundTripper) http.RoundTripper {
		return emulator.LoopbackGuard{Next: rt, OnBlocked: func(r *http.Request) { t.Errorf("non-loopback request: %s", r.URL) }}
	}
	retry := policy.RetryOptions{MaxRetries: -1}
	err = openTUI(ctx, tuiRun{Profile: p, Auth: auth.Options{WrapTransport: guard, Retry: &retry}, OpenTimeout: 30 * time.Second})
	if err == nil {
		t.Fatal("a wrong client secret opened a session")
	}
	msg := err.Error()
	if !strings.Contains(msg, `profile "demo-sp"`) || !strings.Contains(msg, "service principal") || !strings.Contains(msg, "Fix: ") {
		t.Fatalf("the failure does not explain itself:\n%s", msg)
	}
	if strings.Contains(msg, "not-the-secret") {
		t.Fatalf("the failure shows a secret:\n%s", msg)
	}
}
