package cli

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
	"github.com/amr-tui/amr-tui/profiles"
)

// startExecDemo starts the emulator (fake Entra + AMR-like gate over TLS) and writes its
// profiles; it returns the demo and the profiles file.
func startExecDemo(t *testing.T, ctx context.Context, lifetime time.Duration) (*emulator.Demo, string) {
	t.Helper()
	emutest.CleanAzureEnv(t)
	emutest.GuardDefaultTransport(t)
	dir := t.TempDir()
	d, err := emulator.StartDemo(ctx, emulator.DemoOptions{Dir: dir, TokenLifetime: lifetime, Keys: 20})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	config := filepath.Join(dir, "profiles.toml")
	if _, err := d.WriteProfiles(config); err != nil {
		t.Fatal(err)
	}
	return d, config
}

// TestExecThroughEntraGate runs exec with the demo's service principal profile against the
// gate, which accepts only a valid Entra token sent with the token's oid as the username:
// while a blocking command runs, the gate shows exec's connection authenticated as the
// principal's object ID; RESP2 (AUTH) and RESP3 (HELLO 3 AUTH) both work.
func TestExecThroughEntraGate(t *testing.T) {
	ctx := execCtx(t, 2*time.Minute)
	d, config := startExecDemo(t, ctx, 10*time.Minute)

	done := make(chan execResult, 1)
	go func() { done <- runExecCLI(t, ctx, config, "", "-p", "demo-sp", "--", "BLPOP", "exec:nosuchlist", "2") }()
	sawOID := false
	for deadline := time.Now().Add(10 * time.Second); !sawOID && time.Now().Before(deadline); {
		for _, c := range d.Gate.Stats().Live {
			if c.User == emulator.DemoAppObjectID {
				sawOID = true
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	got := <-done
	if !sawOID {
		t.Errorf("the gate never showed a connection authenticated as the principal's oid %s", emulator.DemoAppObjectID)
	}
	if got.stdout != "(nil)\n" || got.err != nil {
		t.Errorf("BLPOP through the gate: %q, %v (stderr %q)", got.stdout, got.err, got.stderr)
	}

	for _, proto := range []string{"-2", "-3"} {
		got := runExecCLI(t, ctx, config, "SET exec:k \"v 1\"\nGET exec:k\nHSET exec:h a 1\nHGETALL exec:h\n", "-p", "demo-sp", proto)
		want := "OK\n\"v 1\"\n(integer) 1\n1) \"a\"\n2) \"1\"\n"
		if proto == "-3" {
			want = "OK\n\"v 1\"\n(integer) 0\n1# \"a\" => \"1\"\n"
		}
		if got.stdout != want || got.err != nil {
			t.Errorf("%s through the gate:\n%s\nwant\n%s\nerr %v, stderr %q", proto, got.stdout, want, got.err, got.stderr)
		}
	}
	st := d.Gate.Stats()
	if st.AuthOK < 3 || st.AuthFailed != 0 {
		t.Errorf("gate: %d AUTHs accepted, %d refused; want 3 accepted, none refused", st.AuthOK, st.AuthFailed)
	}
}

// TestExecRenewsExpiringToken runs a script longer than the token's life: the gate closes a
// connection whose token expires, so exec must get a new token and re-AUTH between commands.
func TestExecRenewsExpiringToken(t *testing.T) {
	ctx := execCtx(t, 2*time.Minute)
	d, config := startExecDemo(t, ctx, 5*time.Second)
	got := runExecCLI(t, ctx, config, "7 BLPOP exec:nosuchlist 1\nPING\n", "-p", "demo-sp")
	// redis-cli --no-raw prints the time a script line took when it was 0.5 s or more.
	if want := regexp.MustCompile(`^(\(nil\)\n){7}\(\d+\.\d\ds\)\nPONG\n$`); !want.MatchString(got.stdout) || got.err != nil {
		t.Fatalf("script outliving its token: %q, %v (stderr %q)", got.stdout, got.err, got.stderr)
	}
	st := d.Gate.Stats()
	if st.AuthOK < 2 || st.ClosedForExpiry != 0 {
		t.Errorf("gate: %d AUTHs, %d connections closed for expiry; want a re-AUTH and none closed", st.AuthOK, st.ClosedForExpiry)
	}
}

// TestExecExplainsLoginFailure checks that a profile whose login fails gets auth's full
// explanation (credential, step, Entra's code, the fix) and that the secret is not in it.
func TestExecExplainsLoginFailure(t *testing.T) {
	ctx := execCtx(t, time.Minute)
	_, config := startExecDemo(t, ctx, 10*time.Minute)
	f, err := profiles.Load(config)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := f.Get("demo-sp")
	const secret = "exec-wrong-secret-5b1e9c"
	secretFile := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(secretFile, []byte(secret), 0o600); err != nil {
		t.Fatal(err)
	}
	p.Name = "bad-sp"
	p.Auth.ClientSecret = profiles.SecretRef("file:" + secretFile)
	if err := f.Put(p); err != nil {
		t.Fatal(err)
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}

	got := runExecCLI(t, ctx, config, "", "-p", "bad-sp", "--", "PING")
	if got.err == nil {
		t.Fatalf("a wrong client secret logged in: %q", got.stdout)
	}
	msg := got.err.Error()
	for _, want := range []string{`profile "bad-sp"`, "service principal", "AADSTS7000215", "Fix:"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the error does not say %q:\n%s", want, msg)
		}
	}
	if all := msg + got.stdout + got.stderr; strings.Contains(all, secret) {
		t.Errorf("the secret is in the output:\n%s", all)
	}
	if got.stdout != "" {
		t.Errorf("stdout %q, want nothing", got.stdout)
	}
}
