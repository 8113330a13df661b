package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/internal/redistest"
)

// execCompareSetup fills a redis-server with values whose printing is tricky: quotes,
// newlines, binary bytes and UTF-8 in strings, a list long enough for two-digit indexes, a
// hash, a set and a sorted set.
func execCompareSetup(t *testing.T, addr string) {
	execSendRaw(t, addr,
		[]string{"SET", "str", "he said \"hi\"\nthen\tleft \\ \x00\x01\xff\xfe é"},
		[]string{"SET", "plain", "hello world"},
		[]string{"SET", "n", "41"},
		[]string{"RPUSH", "list", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"},
		[]string{"HSET", "h", "field one", "v1", "f2", "line\nbreak", "f3", "\"q\""},
		[]string{"SADD", "s", "only"},
		[]string{"ZADD", "z", "1.5", "a", "2", "b", "-3.25", "c"},
	)
}

// execCompareCases are commands whose replies cover every RESP2 shape, and with -3 the RESP3
// ones (maps, sets, doubles), plus error replies.
var execCompareCases = []struct {
	args []string
	err  bool // an error reply: exec must exit non-zero
}{
	{args: []string{"GET", "str"}},
	{args: []string{"GET", "plain"}},
	{args: []string{"INCR", "n"}},
	{args: []string{"GET", "nosuchkey"}},
	{args: []string{"PING"}},
	{args: []string{"SET", "other", "x"}},
	{args: []string{"LRANGE", "list", "0", "-1"}},
	{args: []string{"LRANGE", "nosuchkey", "0", "-1"}},
	{args: []string{"HGETALL", "h"}},
	{args: []string{"SMEMBERS", "s"}},
	{args: []string{"ZRANGE", "z", "0", "-1", "WITHSCORES"}},
	{args: []string{"ZSCORE", "z", "c"}},
	{args: []string{"CONFIG", "GET", "maxmemory-polic*"}},
	{args: []string{"MGET", "plain", "nosuchkey", "str"}},
	{args: []string{"EVAL", "return {1, {2, {'a', 'b'}, {}}, 'x\\ny', {{{3}}}}", "0"}},
	{args: []string{"EVAL", "return {'a', false, 12, {'b', {'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm'}}}", "0"}},
	{args: []string{"TYPE", "list"}},
	{args: []string{"NOSUCHCOMMAND", "arg"}, err: true},
	{args: []string{"GET", "list"}, err: true},
	{args: []string{"EVAL", "return redis.error_reply('MYERR custom \"quoted\"')", "0"}, err: true},
	{args: []string{"INCR", "plain"}, err: true},
}

// TestExecMatchesRedisCLI runs each command through `amr-tui exec` with an auth-none profile
// and through the real redis-cli, with --no-raw (exec's default) and --raw, under RESP2 and
// RESP3 (-3), and requires byte-identical output. An error reply makes exec exit 1.
func TestExecMatchesRedisCLI(t *testing.T) {
	redistest.RedisCLIPath(t)
	srv := redistest.StartRedisServer(t)
	execCompareSetup(t, srv.Addr)
	config := execWriteProfiles(t, execPlainProfile(t, "local", srv.Addr))
	ctx := execCtx(t, 2*time.Minute)

	for _, proto := range []string{"", "-3"} {
		for _, mode := range []string{"--no-raw", "--raw"} {
			name := strings.TrimPrefix(mode, "--") + map[string]string{"": "_resp2", "-3": "_resp3"}[proto]
			t.Run(name, func(t *testing.T) {
				for _, c := range execCompareCases {
					// Mutating commands run twice (redis-cli, then exec) and must give the same
					// reply both times: INCR n is compared by shape only below.
					cliFlags := []string{mode}
					execFlags := []string{"-p", "local"}
					if mode == "--raw" {
						execFlags = append(execFlags, "--raw")
					}
					if proto != "" {
						cliFlags = append(cliFlags, proto)
						execFlags = append(execFlags, proto)
					}
					want := execRedisCLI(t, srv.Addr, "", append(cliFlags, c.args...)...)
					got := runExecCLI(t, ctx, config, "", append(append(execFlags, "--"), c.args...)...)
					if c.args[0] == "INCR" && !c.err {
						want = strings.Map(nonDigit, want)
						got.stdout = strings.Map(nonDigit, got.stdout)
					}
					if got.stdout != want {
						t.Errorf("%q:\nredis-cli %s printed\n%q\namr-tui exec printed\n%q\nstderr: %s", c.args, mode, want, got.stdout, got.stderr)
					}
					if wantStatus := map[bool]int{false: 0, true: 1}[c.err]; got.status() != wantStatus {
						t.Errorf("%q: exit status %d (%v), want %d", c.args, got.status(), got.err, wantStatus)
					}
					if got.stderr != "" {
						t.Errorf("%q: unexpected stderr %q", c.args, got.stderr)
					}
				}
			})
		}
	}
}

// nonDigit drops digits, so that counters that moved between two runs compare equal.
func nonDigit(r rune) rune {
	if r >= '0' && r <= '9' {
		return -1
	}
	return r
}

// TestExecJSON checks --json: where redis-cli --json prints JSON, exec prints the same bytes;
// an error reply is {"error":…} with exit status 1; a binary string, which JSON cannot carry,
// is reported on stderr with exit status 1 rather than printed damaged.
func TestExecJSON(t *testing.T) {
	redistest.RedisCLIPath(t)
	srv := redistest.StartRedisServer(t)
	execCompareSetup(t, srv.Addr)
	config := execWriteProfiles(t, execPlainProfile(t, "local", srv.Addr))
	ctx := execCtx(t, time.Minute)

	same := [][]string{
		{"GET", "plain"}, {"GET", "nosuchkey"}, {"LRANGE", "list", "0", "-1"}, {"HGETALL", "h"},
		{"EVAL", "return {1, {2, {'a', 'b'}, {}}, 'x\\ny'}", "0"}, {"TYPE", "list"},
	}
	for _, proto := range []string{"-2", "-3"} {
		for _, args := range same {
			want := execRedisCLI(t, srv.Addr, "", append([]string{"--json", proto}, args...)...)
			got := runExecCLI(t, ctx, config, "", append([]string{"-p", "local", "--json", proto, "--"}, args...)...)
			if got.stdout != want || got.err != nil {
				t.Errorf("%s %q:\nredis-cli --json: %q\namr-tui exec:     %q (err %v, stderr %q)", proto, args, want, got.stdout, got.err, got.stderr)
			}
		}
	}

	got := runExecCLI(t, ctx, config, "", "-p", "local", "--json", "--", "GET", "list")
	if want := `{"error":"WRONGTYPE Operation against a key holding the wrong kind of value"}` + "\n"; got.stdout != want || got.status() != 1 {
		t.Errorf("error reply: %q (status %d), want %q and status 1", got.stdout, got.status(), want)
	}
	got = runExecCLI(t, ctx, config, "", "-p", "local", "--json", "--", "GET", "str")
	if got.stdout != "" || got.status() != 1 || !strings.Contains(got.stderr, "not UTF-8") {
		t.Errorf("binary string under --json: stdout %q, stderr %q, status %d; want an error on stderr and status 1", got.stdout, got.stderr, got.status())
	}
	got = runExecCLI(t, ctx, config, "", "-p", "local", "--json", "--raw", "--", "PING")
	if got.err == nil || !strings.Contains(got.err.Error(), "raw") {
		t.Errorf("--json with --raw: %v, want an error naming the clash", got.err)
	}
}
