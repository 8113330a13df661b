package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/internal/redistest"
)

// TestExecScriptOwnLogin checks that a login error the script caused is reported as the
// script's: its own AUTH refused, and a NOPERM after its own AUTH as a user with fewer
// rights. A failed AUTH leaves the login as it was, so it is not taken as a change; standard
// output stays redis-cli's.
func TestExecScriptOwnLogin(t *testing.T) {
	srv := redistest.StartRedisServer(t)
	execSendRaw(t, srv.Addr, []string{"ACL", "SETUSER", "pinger", "on", ">pw", "+ping"})
	config := execWriteProfiles(t, execPlainProfile(t, "local", srv.Addr))
	ctx := execCtx(t, time.Minute)

	script := "AUTH pinger wrong\nGET k\nAUTH pinger pw\nPING\nGET k\nSET k v\n"
	got := runExecCLI(t, ctx, config, script, "-p", "local")
	wantOut := "(error) WRONGPASS invalid username-password pair or user is disabled.\n(nil)\nOK\nPONG\n" +
		"(error) NOPERM this user has no permissions to run the 'get' command\n" +
		"(error) NOPERM this user has no permissions to run the 'set' command\n"
	if got.stdout != wantOut || got.status() != 1 {
		t.Errorf("stdout %q status %d, want %q and 1", got.stdout, got.status(), wantOut)
	}
	for _, want := range []string{
		"amr-tui: line 1: AUTH: the script's own AUTH was refused; the profile's login is not involved\n",
		"amr-tui: line 5: GET: NOPERM after the script's own AUTH on line 3, which changed the connection's login; the profile's login is not involved\n",
	} {
		if !strings.Contains(got.stderr, want) {
			t.Errorf("stderr %q lacks %q", got.stderr, want)
		}
	}
	if strings.Count(got.stderr, "\n") != 2 || strings.Contains(got.stderr, `profile "local"`) {
		t.Errorf("stderr %q: want the two lines above only (once per code), none blaming the profile", got.stderr)
	}
}
