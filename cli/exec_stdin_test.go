package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/internal/redistest"
)

// execScript exercises what redis-cli does with a script on standard input: both quotings and
// their escapes, an invalid line (reported, and the next lines still run), the repeat prefix
// and its invalid values, blank lines, an error reply, quit ending the script.
const execScript = `SET q "double \"quoted\" \x41\x7a\n\ttab \\ end"
GET q
SET sq 'single \'quoted\' \n stays'
GET sq
GET "unterminated
2 INCR c
0 PING
+2 PING
3x PING

   
NOSUCH cmd
"a"b
HGETALL h
LRANGE list 0 -1
EVAL "return {1, {'x', {}}, 'é'}" 0
GET q
quit
GET never
`

// TestExecStdinMatchesRedisCLI feeds the same script to redis-cli and to `amr-tui exec` (no
// command given) and requires identical output in --no-raw and --raw modes. Unlike
// redis-cli 7.0, which exits 0 whatever happened, exec exits 1 after an invalid line or an
// error reply, having run the rest.
func TestExecStdinMatchesRedisCLI(t *testing.T) {
	redistest.RedisCLIPath(t)
	srv := redistest.StartRedisServer(t)
	execCompareSetup(t, srv.Addr)
	config := execWriteProfiles(t, execPlainProfile(t, "local", srv.Addr))
	ctx := execCtx(t, time.Minute)

	for _, mode := range []string{"--no-raw", "--raw"} {
		for _, proto := range []string{"-2", "-3"} {
			execSendRaw(t, srv.Addr, []string{"DEL", "c"})
			want := execRedisCLI(t, srv.Addr, execScript, mode, proto)
			execSendRaw(t, srv.Addr, []string{"DEL", "c"})
			args := []string{"-p", "local", proto}
			if mode == "--raw" {
				args = append(args, "--raw")
			}
			got := runExecCLI(t, ctx, config, execScript, args...)
			if got.stdout != want {
				t.Errorf("%s %s:\nredis-cli printed\n%s\namr-tui exec printed\n%s", mode, proto, want, got.stdout)
			}
			if got.status() != 1 || got.stderr != "" {
				t.Errorf("%s %s: status %d (%v), stderr %q; want status 1 and no stderr", mode, proto, got.status(), got.err, got.stderr)
			}
			if !strings.Contains(got.stdout, "Invalid argument(s)\n") {
				t.Errorf("%s %s: no Invalid argument(s) line in\n%s", mode, proto, got.stdout)
			}
		}
	}

	// A clean script, its last line without a newline, exits 0.
	got := runExecCLI(t, ctx, config, "SET a 1\n\nGET a", "-p", "local")
	if got.stdout != "OK\n\"1\"\n" || got.err != nil {
		t.Errorf("clean script: %q, %v; want OK and \"1\", status 0", got.stdout, got.err)
	}
	// An invalid line alone is enough for a non-zero status.
	got = runExecCLI(t, ctx, config, "PING\n'open\nPING\n", "-p", "local")
	if got.stdout != "PONG\nInvalid argument(s)\nPONG\n" || got.status() != 1 {
		t.Errorf("invalid line: %q, status %d; want both PINGs run and status 1", got.stdout, got.status())
	}
}
