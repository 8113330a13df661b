package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/internal/redistest"
	"github.com/amr-tui/amr-tui/profiles"
)

// TestExecDatabase checks that exec selects the profile's db, that -n overrides it, and that
// a database the server does not have is a clear error.
func TestExecDatabase(t *testing.T) {
	redistest.RedisCLIPath(t)
	srv := redistest.StartRedisServer(t)
	p := execPlainProfile(t, "db2", srv.Addr)
	p.DB = 2
	config := execWriteProfiles(t, p)
	ctx := execCtx(t, time.Minute)

	if got := runExecCLI(t, ctx, config, "", "-p", "db2", "--", "SET", "where", "two"); got.err != nil {
		t.Fatalf("SET: %v %s", got.err, got.stderr)
	}
	if got := runExecCLI(t, ctx, config, "", "-p", "db2", "-n", "5", "--", "SET", "where", "five"); got.err != nil {
		t.Fatalf("SET -n 5: %v %s", got.err, got.stderr)
	}
	for db, want := range map[string]string{"0": "(nil)\n", "2": "\"two\"\n", "5": "\"five\"\n"} {
		if got := execRedisCLI(t, srv.Addr, "", "--no-raw", "-n", db, "GET", "where"); got != want {
			t.Errorf("db %s holds %q, want %q", db, got, want)
		}
	}
	got := runExecCLI(t, ctx, config, "", "-p", "db2", "-n", "0", "--", "GET", "where")
	if got.stdout != "(nil)\n" || got.err != nil {
		t.Errorf("-n 0 overriding the profile's db 2: %q, %v", got.stdout, got.err)
	}
	got = runExecCLI(t, ctx, config, "", "-p", "db2", "-n", "99", "--", "PING")
	if got.err == nil || !strings.Contains(got.err.Error(), "SELECT 99") || !strings.Contains(got.err.Error(), "DB index is out of range") {
		t.Errorf("-n 99: %v, want the server's refusal of SELECT 99", got.err)
	}
}

// TestExecTimeout checks --timeout on a reply that does not come (a blocking command) and on
// a server that never answers the TLS handshake.
func TestExecTimeout(t *testing.T) {
	srv := redistest.StartRedisServer(t)
	ctx := execCtx(t, time.Minute)

	mute := execPlainProfile(t, "mute", redistest.SilentListener(t))
	on := true
	mute.TLS.Enabled = &on
	config := execWriteProfiles(t, execPlainProfile(t, "local", srv.Addr), mute)

	start := time.Now()
	got := runExecCLI(t, ctx, config, "", "-p", "local", "--timeout", "300ms", "--", "BLPOP", "nosuchlist", "0")
	if got.err == nil || !strings.Contains(got.err.Error(), "no reply") || !strings.Contains(got.err.Error(), "300ms") {
		t.Errorf("BLPOP with --timeout 300ms: %v, want a reply timeout", got.err)
	}
	if time.Since(start) > 20*time.Second {
		t.Errorf("--timeout 300ms took %s", time.Since(start))
	}
	got = runExecCLI(t, ctx, config, "", "-p", "mute", "--timeout", "300ms", "--", "PING")
	if got.err == nil || !strings.Contains(got.err.Error(), "timed out after 300ms") || !strings.Contains(got.err.Error(), `profile "mute"`) {
		t.Errorf("silent server with --timeout 300ms: %v, want a connection timeout naming the profile", got.err)
	}
	// Without --timeout a blocking command waits for its reply.
	got = runExecCLI(t, ctx, config, "", "-p", "local", "--", "BLPOP", "nosuchlist", "1")
	if got.stdout != "(nil)\n" || got.err != nil {
		t.Errorf("BLPOP 1 without --timeout: %q, %v", got.stdout, got.err)
	}
}

// TestExecAccessKeyRefused checks an access-key profile with the wrong password: Redis's
// WRONGPASS is explained, and the password appears nowhere.
func TestExecAccessKeyRefused(t *testing.T) {
	srv := redistest.StartRedisServer(t)
	execSendRaw(t, srv.Addr, []string{"CONFIG", "SET", "requirepass", "the-right-password-7d1"})
	ctx := execCtx(t, time.Minute)
	const wrong = "exec-wrong-password-3f9a"
	secretFile := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(secretFile, []byte(wrong), 0o600); err != nil {
		t.Fatal(err)
	}
	p := execPlainProfile(t, "key", srv.Addr)
	p.Auth = profiles.Auth{Kind: profiles.AuthAccessKey, Password: profiles.SecretRef("file:" + secretFile)}
	good := execPlainProfile(t, "good", srv.Addr)
	goodFile := filepath.Join(t.TempDir(), "good")
	if err := os.WriteFile(goodFile, []byte("the-right-password-7d1"), 0o600); err != nil {
		t.Fatal(err)
	}
	good.Auth = profiles.Auth{Kind: profiles.AuthAccessKey, Password: profiles.SecretRef("file:" + goodFile)}
	none := execPlainProfile(t, "none", srv.Addr)
	config := execWriteProfiles(t, p, good, none)

	for _, proto := range []string{"-2", "-3"} {
		got := runExecCLI(t, ctx, config, "", "-p", "key", proto, "--", "PING")
		if got.err == nil {
			t.Fatalf("%s: a wrong access key was accepted: %q", proto, got.stdout)
		}
		msg := got.err.Error()
		for _, want := range []string{`profile "key"`, "WRONGPASS", "Fix:"} {
			if !strings.Contains(msg, want) {
				t.Errorf("%s: the error does not say %q:\n%s", proto, want, msg)
			}
		}
		if all := msg + got.stdout + got.stderr; strings.Contains(all, wrong) {
			t.Errorf("%s: the password is in the output:\n%s", proto, all)
		}
		got = runExecCLI(t, ctx, config, "", "-p", "good", proto, "--", "PING")
		if got.stdout != "PONG\n" || got.err != nil {
			t.Errorf("%s: the right access key: %q, %v", proto, got.stdout, got.err)
		}
	}

	// A command refused for want of a login prints redis-cli's text on stdout and, once, the
	// explanation on stderr.
	got := runExecCLI(t, ctx, config, "PING\nGET k\n", "-p", "none")
	if want := "(error) NOAUTH Authentication required.\n(error) NOAUTH Authentication required.\n"; got.stdout != want || got.status() != 1 {
		t.Errorf("auth none on a server with a password: %q, status %d; want %q, status 1", got.stdout, got.status(), want)
	}
	if strings.Count(got.stderr, "amr-tui: profile \"none\"") != 1 || !strings.Contains(got.stderr, "Fix: set auth.kind") {
		t.Errorf("NOAUTH explanation on stderr: %q, want it once with the fix", got.stderr)
	}
}

// TestExecProfileChoice checks the last used profile as the default, and the errors for an
// unknown profile and for none at all.
func TestExecProfileChoice(t *testing.T) {
	srv := redistest.StartRedisServer(t)
	ctx := execCtx(t, time.Minute)
	config := execWriteProfiles(t, execPlainProfile(t, "local", srv.Addr))

	got := runExecCLI(t, ctx, config, "", "--", "PING")
	if got.err == nil || !strings.Contains(got.err.Error(), "-p NAME") || !strings.Contains(got.err.Error(), "local") {
		t.Errorf("no -p and no last used profile: %v, want an error listing the profiles", got.err)
	}
	got = runExecCLI(t, ctx, config, "", "-p", "nope", "--", "PING")
	if got.err == nil || !strings.Contains(got.err.Error(), `no profile named "nope"`) {
		t.Errorf("-p nope: %v", got.err)
	}
	if err := profiles.Update(config, func(f *profiles.File) error { return f.SetLastUsed("local") }); err != nil {
		t.Fatal(err)
	}
	got = runExecCLI(t, ctx, config, "", "--", "PING")
	if got.stdout != "PONG\n" || got.err != nil {
		t.Errorf("the last used profile: %q, %v", got.stdout, got.err)
	}
}

// TestExecReadOnlyProfile checks that a read_only profile refuses writes before sending them
// (the key stays unset, the reason is on stderr, the status is 1), lets reads and read-only
// scripts through, and that a script goes on after a refusal.
func TestExecReadOnlyProfile(t *testing.T) {
	srv := redistest.StartRedisServer(t)
	execSendRaw(t, srv.Addr, []string{"SET", "k", "before"})
	p := execPlainProfile(t, "ro", srv.Addr)
	p.ReadOnly = true
	config := execWriteProfiles(t, p)
	ctx := execCtx(t, time.Minute)

	script := "GET k\nSET k after\nCONFIG GET maxmemory\nconfig set maxmemory 1mb\nEVAL \"return 1\" 0\n" +
		"EVAL_RO \"return redis.call('GET', KEYS[1])\" 1 k\nPUBLISH ch x\nFLUSHALL\nDEL k\nNOSUCH\nGET k\n"
	got := runExecCLI(t, ctx, config, script, "-p", "ro")
	want := "\"before\"\n1) \"maxmemory\"\n2) \"0\"\n\"before\"\n\"before\"\n"
	if got.stdout != want || got.status() != 1 {
		t.Errorf("read-only script:\n%s\nwant\n%s\nstatus %d, want 1", got.stdout, want, got.status())
	}
	for _, refused := range []string{"SET is flagged write", "CONFIG SET is not flagged readonly", "EVAL is not flagged readonly", "FLUSHALL is flagged write", "DEL is flagged write", "NOSUCH is not in the command table"} {
		if !strings.Contains(got.stderr, `profile "ro": not sent: the profile is read-only and `+refused) {
			t.Errorf("stderr does not say %q:\n%s", refused, got.stderr)
		}
	}
	// Inside MULTI a COMMAND INFO would be queued: the verdicts must not depend on it.
	got = runExecCLI(t, ctx, config, "MULTI\nGET k\nSET k x\nTTL k\nEXEC\n", "-p", "ro")
	if want := "OK\nQUEUED\nQUEUED\n1) \"before\"\n2) (integer) -1\n"; got.stdout != want || !strings.Contains(got.stderr, "SET is flagged write") {
		t.Errorf("read-only MULTI:\n%s\nwant\n%s\nstderr %q", got.stdout, want, got.stderr)
	}
	got = runExecCLI(t, ctx, config, "", "-p", "ro", "INCRBY", "n", "-5")
	if got.stdout != "" || got.status() != 1 || !strings.Contains(got.stderr, "INCRBY is flagged write") {
		t.Errorf("INCRBY without --: %q, %q, status %d", got.stdout, got.stderr, got.status())
	}
}
