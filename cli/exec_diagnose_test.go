package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/profiles"
)

// execProfileVariant saves a changed copy of the demo's service principal profile.
func execProfileVariant(t *testing.T, config, name string, change func(*profiles.Profile)) {
	t.Helper()
	f, err := profiles.Load(config)
	if err != nil {
		t.Fatal(err)
	}
	p, ok := f.Get("demo-sp")
	if !ok {
		t.Fatal("no demo-sp profile")
	}
	p.Name = name
	change(&p)
	if err := f.Put(p); err != nil {
		t.Fatal(err)
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
}

// exec warns on stderr, in one line, when the profile skips TLS verification, as the TUI's
// header does; a verified profile gets no warning.
func TestExecWarnsWhenTLSIsNotVerified(t *testing.T) {
	ctx := execCtx(t, time.Minute)
	_, config := startExecDemo(t, ctx, 10*time.Minute)
	execProfileVariant(t, config, "insecure", func(p *profiles.Profile) {
		p.TLS = profiles.TLS{Enabled: profiles.Ptr(true), InsecureSkipVerify: true}
	})
	got := runExecCLI(t, ctx, config, "", "-p", "insecure", "PING")
	if got.stdout != "PONG\n" || got.err != nil {
		t.Fatalf("PING: %q, %v, stderr %q", got.stdout, got.err, got.stderr)
	}
	if lines := strings.Split(strings.TrimSpace(got.stderr), "\n"); len(lines) != 1 || !strings.Contains(lines[0], "TLS NOT VERIFIED") ||
		!strings.Contains(lines[0], "insecure_skip_verify") {
		t.Errorf("stderr %q, want one line warning that TLS is not verified", got.stderr)
	}
	if got := runExecCLI(t, ctx, config, "", "-p", "demo-sp", "PING"); got.stderr != "" {
		t.Errorf("a verified profile warned: %q", got.stderr)
	}
}

// A plain-text profile against the demo's TLS gate: exec says the server expects TLS, not
// "connection reset by peer".
func TestExecPlaintextToTLSPort(t *testing.T) {
	ctx := execCtx(t, time.Minute)
	_, config := startExecDemo(t, ctx, 10*time.Minute)
	execProfileVariant(t, config, "plain", func(p *profiles.Profile) {
		p.TLS = profiles.TLS{Enabled: profiles.Ptr(false)}
	})
	got := runExecCLI(t, ctx, config, "", "-p", "plain", "PING")
	if got.err == nil || !strings.Contains(got.err.Error(), "the server expects TLS") {
		t.Errorf("plain text to a TLS port: %v", got.err)
	}
}
