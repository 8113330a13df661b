package rediscli

import (
	"strings"
	"testing"

	"github.com/amr-tui/amr-tui/internal/redistest"
)

// runScript does what redis-cli does with a script on its standard input: each line split by
// SplitArgs (an invalid one reported as redis-cli reports it), sent, and its pushes and reply
// rendered in mode m.
func runScript(t *testing.T, c *rawConn, m Mode, script string) []segment {
	t.Helper()
	var segs []segment
	for _, line := range strings.Split(strings.TrimSuffix(script, "\n"), "\n") {
		args, err := SplitArgs(line)
		if err != nil {
			segs = append(segs, segment{label: line, text: err.Error() + "\n", exact: true})
			continue
		}
		if len(args) == 0 {
			continue
		}
		pushes, reply := send(t, c, args)
		segs = append(segs, segments(t, m, args, pushes, reply)...)
	}
	return segs
}

// TestScriptsMatchRedisCLI feeds scripts to redis-cli's standard input and runs them through
// SplitArgs and the renderers on a raw connection. The first script passes tricky quoting to
// EVAL "return ARGV", so the server echoes the arguments each side parsed; the second checks
// client-tracking invalidation pushes.
func TestScriptsMatchRedisCLI(t *testing.T) {
	cli := redistest.RedisCLIPath(t)
	srv := redistest.StartRedisServer(t)
	argv := `EVAL "return ARGV" 0 `
	quoting := strings.Join([]string{
		argv + `plain words here`,
		argv + `"double \"quoted\" \x41\x7a \n\r\t\b\a \\ end"`,
		argv + `'single \'quoted\' \n stays'`,
		argv + `foo"bar baz" 'x'`,
		argv + `"" ''`,
		argv + `"\xZZ" "\q" "\x4"`,
		argv + `a\b c\\d "\xe2\x82\xac" é`,
		argv + "\vvertical\vtab\f",
		argv + `"unterminated`,
		argv + `'unterminated`,
		argv + `"a"b`,
		argv + `'a'b`,
		argv + `'a\\'`,
		``,
		`   `,
		`SET scriptkey "multi word"`,
		`get scriptkey`,
		`NOSUCH command`,
	}, "\n") + "\n"
	tracking := "CLIENT TRACKING on\nSET trk 1\nGET trk\nSET trk 2\nPING\nMGET trk nokey\nSET trk 3\nPING\n"

	scripts := []struct {
		name   string
		proto  int
		script string
		pushes bool
	}{
		{"quoting_resp2", 2, quoting, false},
		{"quoting_resp3", 3, quoting, false},
		{"tracking", 3, tracking, true},
	}
	for _, s := range scripts {
		t.Run(s.name, func(t *testing.T) {
			for _, m := range modes {
				stdout, stderr, err := runCLI(t, cli, srv.Addr, s.script, cliFlags(s.proto, m.flag, s.pushes), nil)
				if err != nil {
					t.Fatalf("%s: redis-cli failed: %v\n%s", m.flag, err, stderr)
				}
				matchSegments(t, m.mode, stdout, runScript(t, dial(t, srv.Addr, s.proto), m.mode, s.script))
			}
		})
	}
}
