package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"unicode/utf8"

	"github.com/creack/pty"
	"golang.org/x/term"

	"github.com/amr-tui/amr-tui/internal/redistest"
	"github.com/amr-tui/amr-tui/rediscli"
)

// The drop-in comparison: the real redis-cli and the real amr-tui binary, run as processes on
// the same redis-server with the same inputs, in a pipe (raw by default), with --no-raw, and on
// a terminal (a pty in raw mode, so the bytes are what each program wrote), with single
// commands and with stdin scripts. Standard output must be byte-identical and the exit status
// equal, except for the deliberate differences the README's exec section lists, each of which
// is spelled out here as what exec prints instead:
//
//  1. exec exits 1 after an error reply or an invalid line (the rest still runs); redis-cli 7
//     exits 0. (dropinStatus)
//  2. On a terminal exec escapes control characters (EscapeControls); redis-cli writes them.
//  3. -n with a database the server lacks: exec fails before running anything (exit 1, no
//     output); redis-cli warns on stderr and runs on database 0. (dropinDB)
//  4. A RESP3 big number: redis-cli 7.0 stops with "Unknown reply type: 13" (exit 1); exec
//     prints it as redis-cli 7.2 does, "(big number) N" or raw N. (dropinBigNumber)
//  5. HELP/? print exec's own plain text (redis-cli's has colours and carriage returns);
//     connect HOST PORT is refused (stdout empty in both; a reason on exec's stderr).
//  6. clear in a pipe: redis-cli writes the escape ahead of what stdio still buffers, exec in
//     order (the same bytes when clear comes first, as here).
//  7. --json is always JSON: an error reply is {"error":"…"} (redis-cli 7.0: error:"…"), and a
//     reply that is not UTF-8 is refused on stderr with status 1 (redis-cli writes the bytes
//     into the string). (dropinJSON)

// TestExecDropIn builds amr-tui once and compares it with redis-cli on one server.
func TestExecDropIn(t *testing.T) {
	d := newDropin(t)
	for _, c := range []struct {
		name string
		fn   func(*testing.T, *dropin)
	}{
		{"commands", dropinCommands}, {"scripts", dropinScripts}, {"pushes", dropinPushes},
		{"builtins", dropinBuiltins}, {"db", dropinDB}, {"big_number", dropinBigNumber},
		{"json", dropinJSON},
	} {
		t.Run(c.name, func(t *testing.T) { c.fn(t, d) })
	}
}

// dropinSeed fills the server with the values whose printing is tricky.
func dropinSeed(t *testing.T, addr string) {
	execSendRaw(t, addr,
		[]string{"SET", "bin", "\x00\x01\xff\xfe raw \x80"},
		[]string{"SET", "lines", "one\ntwo\r\nthree\ttab \"quoted\" back\\slash"},
		[]string{"SET", "utf8", "héllo wörld ✓ 日本語"},
		[]string{"SET", "empty", ""},
		[]string{"SET", "ctl", "title \x1b]0;pwned\x07 \x1b[31mred\x1b[0m"},
		[]string{"SET", "num", "-42"},
		[]string{"RPUSH", "list", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"},
		[]string{"HSET", "h", "field one", "v1", "f2", "line\nbreak", "f3", ""},
		[]string{"SADD", "s", "only"},
		[]string{"ZADD", "z", "1.5", "a", "2", "b", "-3.25", "c", "1e20", "d"},
	)
}

// dropinCase is one command; errReply marks an error reply (deliberate difference 1).
type dropinCase struct {
	args     []string
	errReply bool
}

var dropinCases = []dropinCase{
	{args: []string{"PING"}},
	{args: []string{"SET", "w", "x"}},
	{args: []string{"ECHO", "status-like"}},
	{args: []string{"STRLEN", "utf8"}},
	{args: []string{"GET", "num"}},
	{args: []string{"EXISTS", "nosuchkey"}},
	{args: []string{"GET", "bin"}},
	{args: []string{"GET", "lines"}},
	{args: []string{"GET", "utf8"}},
	{args: []string{"GET", "empty"}},
	{args: []string{"GET", "ctl"}},
	{args: []string{"GET", "nosuchkey"}},
	{args: []string{"MGET", "utf8", "nosuchkey", "empty", "bin"}},
	{args: []string{"LRANGE", "list", "0", "-1"}},
	{args: []string{"LRANGE", "nosuchkey", "0", "-1"}},
	{args: []string{"HGETALL", "h"}},
	{args: []string{"HGETALL", "nosuchkey"}},
	{args: []string{"SMEMBERS", "s"}},
	{args: []string{"ZRANGE", "z", "0", "-1", "WITHSCORES"}},
	{args: []string{"ZSCORE", "z", "c"}},
	{args: []string{"ZSCORE", "z", "d"}},
	{args: []string{"CONFIG", "GET", "maxmemory-polic*"}},
	{args: []string{"TYPE", "list"}},
	{args: []string{"EVAL", "return {1, {2, {'a', 'b'}, {}}, 'x\\ny', {{{3}}}, {}}", "0"}},
	{args: []string{"EVAL", "return {'a', false, -12, {'b', {'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm'}}}", "0"}},
	{args: []string{"EVAL", "return {}", "0"}},
	// RESP3 types, which a RESP2 connection gets as their RESP2 forms.
	{args: []string{"EVAL", "redis.setresp(3); return {map={a=1, b={'x', {map={c='d'}}}}}", "0"}},
	{args: []string{"EVAL", "redis.setresp(3); return {map={}}", "0"}},
	{args: []string{"EVAL", "redis.setresp(3); return {set={a=true}}", "0"}},
	{args: []string{"EVAL", "redis.setresp(3); return {double=3.14}", "0"}},
	{args: []string{"EVAL", "redis.setresp(3); return {double=-1e300}", "0"}},
	{args: []string{"EVAL", "redis.setresp(3); return true", "0"}},
	{args: []string{"EVAL", "redis.setresp(3); return false", "0"}},
	{args: []string{"EVAL", "redis.setresp(3); return nil", "0"}},
	{args: []string{"EVAL", "redis.setresp(3); return {verbatim_string={format='txt', string='hello\\nworld'}}", "0"}},
	// Error replies.
	{args: []string{"NOSUCHCOMMAND", "arg"}, errReply: true},
	{args: []string{"GET", "list"}, errReply: true},
	{args: []string{"EVAL", "return redis.error_reply('MYERR custom \"quoted\" \\27[31mred\\27[0m')", "0"}, errReply: true},
}

// dropinResult is what one process printed and how it ended.
type dropinResult struct {
	stdout []byte
	stderr string
	status int
}

// dropinRun runs bin with args; stdout is a pipe, or with tty a pty in raw mode (no \r
// added), so the bytes compared are those the program wrote.
func dropinRun(t *testing.T, env []string, tty bool, stdin, bin string, args ...string) dropinResult {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	if stdin != "" {
		cmd.Stdin = strings.NewReader(stdin)
	}
	var out, errOut bytes.Buffer
	cmd.Stderr = &errOut
	if !tty {
		cmd.Stdout = &out
		err := cmd.Run()
		return dropinResult{stdout: out.Bytes(), stderr: errOut.String(), status: dropinExit(t, err)}
	}
	ptmx, pts, err := pty.Open()
	if err != nil {
		t.Fatalf("pty: %v", err)
	}
	defer ptmx.Close()
	if _, err := term.MakeRaw(int(pts.Fd())); err != nil {
		t.Fatalf("pty raw mode: %v", err)
	}
	cmd.Stdout = pts
	if err := cmd.Start(); err != nil {
		t.Fatalf("%s: %v", bin, err)
	}
	pts.Close() // the child holds it; the master then reads EIO once the child is gone
	read := make(chan struct{})
	go func() {
		defer close(read)
		_, err := io.Copy(&out, ptmx)
		if err != nil && !errors.Is(err, syscall.EIO) {
			t.Errorf("reading the pty: %v", err)
		}
	}()
	err = cmd.Wait()
	<-read
	return dropinResult{stdout: out.Bytes(), stderr: errOut.String(), status: dropinExit(t, err)}
}

func dropinExit(t *testing.T, err error) int {
	t.Helper()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.ExitCode()
	}
	t.Fatalf("running: %v", err)
	return -1
}

// dropin holds the two programs and the server they share.
type dropin struct {
	cli, bin   string
	host, port string
	env        []string
}

func newDropin(t *testing.T) *dropin {
	t.Helper()
	cli := redistest.RedisCLIPath(t) // skips, saying so, when redis-cli is not installed
	srv := redistest.StartRedisServer(t)
	dropinSeed(t, srv.Addr)
	host, port, _ := net.SplitHostPort(srv.Addr)
	config := execWriteProfiles(t, execPlainProfile(t, "local", srv.Addr))
	return &dropin{cli: cli, bin: buildBinary(t), host: host, port: port, env: []string{"AMR_TUI_CONFIG=" + config}}
}

// both runs redis-cli FLAGS ARGS and amr-tui exec -p local FLAGS -- ARGS (with no args, the
// script on stdin) the same way.
func (d *dropin) both(t *testing.T, tty bool, stdin string, flags, args []string) (cli, ex dropinResult) {
	t.Helper()
	cliArgs := append(append([]string{"-h", d.host, "-p", d.port}, flags...), args...)
	exArgs := append([]string{"exec", "-p", "local"}, flags...)
	if len(args) > 0 {
		exArgs = append(append(exArgs, "--"), args...)
	}
	return dropinRun(t, d.env, tty, stdin, d.cli, cliArgs...), dropinRun(t, d.env, tty, stdin, d.bin, exArgs...)
}

// check compares one pair of runs: exec's stdout is redis-cli's (escaped on a terminal), and
// its status redis-cli's, or 1 when a reply was an error.
func (d *dropin) check(t *testing.T, what string, tty, errReply bool, cli, ex dropinResult) {
	t.Helper()
	want := cli.stdout
	if tty {
		// clear's escape is the one meant for the terminal: it is not a reply.
		const clear = "\x1b[H\x1b[2J"
		rest, cleared := bytes.CutPrefix(want, []byte(clear))
		want = rediscli.EscapeControls(rest)
		if cleared {
			want = append([]byte(clear), want...)
		}
	}
	if !bytes.Equal(ex.stdout, want) {
		t.Errorf("%s:\nredis-cli printed %q\namr-tui exec      %q\nexec stderr: %s", what, want, ex.stdout, ex.stderr)
	}
	if ws := dropinStatus(cli.status, errReply); ex.status != ws {
		t.Errorf("%s: exec exit status %d, want %d (redis-cli %d); stderr %s", what, ex.status, ws, cli.status, ex.stderr)
	}
}

// dropinStatus is the exit status exec gives where redis-cli gives cliStatus: the same, but 1
// when a reply was an error or a line invalid (deliberate difference 1).
func dropinStatus(cliStatus int, errReply bool) int {
	if errReply && cliStatus == 0 {
		return 1
	}
	return cliStatus
}

// dropinModes are the outputs compared: a pipe (raw by default), a pipe with --no-raw, a
// terminal (--no-raw by default) and a terminal with --raw.
var dropinModes = []struct {
	name  string
	tty   bool
	flags []string
}{
	{"pipe", false, nil},
	{"pipe_no-raw", false, []string{"--no-raw"}},
	{"tty", true, nil},
	{"tty_raw", true, []string{"--raw"}},
}

// dropinCommands runs every case as a single command in every mode, RESP2 and -3.
func dropinCommands(t *testing.T, d *dropin) {
	for _, proto := range [][]string{nil, {"-3"}} {
		for _, m := range dropinModes {
			if m.tty && testing.Short() {
				continue
			}
			t.Run(m.name+map[bool]string{false: "_resp2", true: "_resp3"}[proto != nil], func(t *testing.T) {
				flags := append(append([]string{}, m.flags...), proto...)
				for _, c := range dropinCases {
					cli, ex := d.both(t, m.tty, "", flags, c.args)
					d.check(t, strings.Join(c.args, " "), m.tty, c.errReply, cli, ex)
				}
			})
		}
	}
}

// dropinScript is every case as a line quoted as redis-cli reads it, plus what only a script
// has: blank lines, a repeat count, an invalid line, quit with a line after it.
func dropinScript() string {
	var b strings.Builder
	for _, c := range dropinCases {
		for i, a := range c.args {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(rediscli.Repr(a))
		}
		b.WriteString("\n\n")
	}
	b.WriteString("3 PING\n\"unterminated\nSELECT 3\nSET indb3 y\nGET indb3\nquit\nPING\n")
	return b.String()
}

// dropinScripts runs the cases as one script on stdin, in every mode, RESP2 and -3.
func dropinScripts(t *testing.T, d *dropin) {
	script := dropinScript()
	for _, proto := range [][]string{nil, {"-3"}} {
		for _, m := range dropinModes {
			name := m.name + map[bool]string{false: "_resp2", true: "_resp3"}[proto != nil]
			cli, ex := d.both(t, m.tty, script, append(append([]string{}, m.flags...), proto...), nil)
			d.check(t, name, m.tty, true, cli, ex)
		}
	}
}

// dropinPushes compares client tracking invalidations (RESP3 pushes): hidden in a pipe,
// shown on a terminal, --show-pushes either way.
func dropinPushes(t *testing.T, d *dropin) {
	script := "SET tracked v0\nCLIENT TRACKING on\nGET tracked\nSET tracked v1\nGET tracked\nSET tracked v2\nGET tracked\nPING\n"
	for _, c := range []struct {
		name  string
		tty   bool
		flags []string
	}{
		{"pipe", false, nil},
		{"pipe_show", false, []string{"--show-pushes", "y"}},
		{"pipe_show_yes_no-raw", false, []string{"--show-pushes", "YES", "--no-raw"}},
		{"pipe_noshow_no-raw", false, []string{"--no-raw"}},
		{"tty", true, nil},
		{"tty_no", true, []string{"--show-pushes", "no"}},
		{"tty_raw", true, []string{"--raw"}},
	} {
		cli, ex := d.both(t, c.tty, script, append([]string{"-3"}, c.flags...), nil)
		d.check(t, c.name, c.tty, false, cli, ex)
		if c.name == "pipe_show" && !bytes.Contains(ex.stdout, []byte("invalidate\ntracked\n")) {
			t.Errorf("--show-pushes y printed no invalidation: %q", ex.stdout)
		}
	}
}

// dropinBuiltins compares redis-cli's own commands in a script, and the slow-command
// time line (its figure masked: the two runs take their own time).
func dropinBuiltins(t *testing.T, d *dropin) {
	script := "clear\n:set hints\n:set nohints\n:set foo\n:bar x\n:set\nconnect\nconnect a\n" +
		"connect " + d.host + " " + d.port + "\nrestart\nPING\n"
	for _, m := range dropinModes {
		cli, ex := d.both(t, m.tty, script, m.flags, nil)
		d.check(t, "builtins "+m.name, m.tty, true, cli, ex) // connect with 0 or 1 argument is sent: an error reply
		if !strings.Contains(ex.stderr, "line 9: CONNECT: not run: exec's connection comes from the profile") {
			t.Errorf("connect HOST PORT: stderr %q, want the refusal", ex.stderr)
		}
	}

	// HELP is answered by both programs themselves, on the command line too (difference 5: the
	// text is exec's own).
	for _, args := range [][]string{{"help", "get"}, {"?"}} {
		cli, ex := d.both(t, false, "", nil, args)
		if cli.status != 0 || ex.status != 0 || !bytes.Contains(cli.stdout, []byte("GET")) && args[0] == "help" ||
			!bytes.Contains(ex.stdout, []byte(map[string]string{"help": "  GET key\n  summary: ", "?": "amr-tui exec (redis-cli compatible)"}[args[0]])) {
			t.Errorf("%q: redis-cli %q (%d), exec %q (%d, stderr %q)", args, cli.stdout, cli.status, ex.stdout, ex.status, ex.stderr)
		}
	}

	secs := regexp.MustCompile(`\(\d+\.\d\ds\)\n`)
	slow := "BLPOP nosuchlist 0.6\nPING\n2 BLPOP nosuchlist 0.3\nECHO fast\n"
	for _, m := range dropinModes {
		cli, ex := d.both(t, m.tty, slow, m.flags, nil)
		cli.stdout = secs.ReplaceAll(cli.stdout, []byte("(T)\n"))
		ex.stdout = secs.ReplaceAll(ex.stdout, []byte("(T)\n"))
		d.check(t, "slow "+m.name, m.tty, false, cli, ex)
		if wantTime := m.name == "pipe_no-raw" || m.name == "tty"; wantTime != bytes.Contains(ex.stdout, []byte("(T)")) {
			t.Errorf("slow %s: time line %v, want %v: %q", m.name, !wantTime, wantTime, ex.stdout)
		}
	}
}

// dropinDB covers -n (deliberate difference 3): a number the server has selects it as
// redis-cli does; one it lacks stops exec before any command runs, where redis-cli warns and
// runs everything on database 0; a non-number fails flag parsing (redis-cli reads it as 0).
func dropinDB(t *testing.T, d *dropin) {
	cli, ex := d.both(t, false, "SET dbkey 5\nGET dbkey\n", []string{"-n", "5"}, nil)
	d.check(t, "-n 5", false, false, cli, ex)
	cli, ex = d.both(t, false, "", []string{"-n", "5"}, []string{"GET", "dbkey"})
	d.check(t, "-n 5 GET", false, false, cli, ex)

	for _, stdin := range []string{"", "SET wrongdb 1\n"} {
		var args []string
		if stdin == "" {
			args = []string{"SET", "wrongdb", "1"}
		}
		ex := dropinRun(t, d.env, false, stdin, d.bin, append([]string{"exec", "-p", "local", "-n", "99"}, args...)...)
		if len(ex.stdout) != 0 || ex.status != 1 || !strings.Contains(ex.stderr, "SELECT 99: ERR DB index is out of range; database 99 (-n or the profile's db) cannot be selected, so nothing was run") {
			t.Errorf("-n 99 (stdin %q): stdout %q, status %d, stderr %q; want nothing run, status 1, the SELECT error", stdin, ex.stdout, ex.status, ex.stderr)
		}
	}
	if got := dropinRun(t, d.env, false, "", d.cli, "-h", d.host, "-p", d.port, "EXISTS", "wrongdb"); string(got.stdout) != "0\n" {
		t.Errorf("a line of the -n 99 runs reached database 0: EXISTS wrongdb = %q", got.stdout)
	}
	ex = dropinRun(t, d.env, false, "", d.bin, "exec", "-p", "local", "-n", "1x", "PING")
	if len(ex.stdout) != 0 || ex.status != 1 || !strings.Contains(ex.stderr, `invalid argument "1x" for "-n, --db" flag`) {
		t.Errorf("-n 1x: stdout %q, status %d, stderr %q; want a flag error", ex.stdout, ex.status, ex.stderr)
	}
}

// dropinBigNumber pins deliberate difference 4: redis-cli 7.0 cannot print a RESP3
// big number; exec prints it as redis-cli 7.2 does. Over RESP2 it is a bulk string to both.
func dropinBigNumber(t *testing.T, d *dropin) {
	args := []string{"EVAL", "redis.setresp(3); return {big_number='123456789012345678901234567890'}", "0"}
	for _, m := range dropinModes[:2] {
		cli, ex := d.both(t, false, "", m.flags, args)
		d.check(t, "big number RESP2 "+m.name, false, false, cli, ex)
	}
	for flag, want := range map[string]string{"--raw": "123456789012345678901234567890\n", "--no-raw": "(big number) 123456789012345678901234567890\n"} {
		ex := dropinRun(t, d.env, false, "", d.bin, append([]string{"exec", "-p", "local", "-3", flag, "--"}, args...)...)
		if string(ex.stdout) != want || ex.status != 0 {
			t.Errorf("big number -3 %s: %q status %d, want %q", flag, ex.stdout, ex.status, want)
		}
	}
}

// dropinJSON compares --json, which speaks RESP3 unless -2 is given, as redis-cli's does
// (maps as objects, doubles as numbers), with deliberate difference 7: exec's output is
// always JSON, where redis-cli 7.0 prints an error reply as error:"…" and writes bytes that
// are not UTF-8 into the string as they are.
func dropinJSON(t *testing.T, d *dropin) {
	for _, proto := range [][]string{nil, {"-2"}, {"-3"}} {
		for _, c := range dropinCases {
			what := fmt.Sprint("--json ", proto, c.args)
			cli, ex := d.both(t, false, "", append([]string{"--json"}, proto...), c.args)
			if !utf8.Valid(cli.stdout) {
				if len(ex.stdout) != 0 || ex.status != 1 || !strings.Contains(ex.stderr, "not UTF-8") {
					t.Errorf("%s: stdout %q, status %d, stderr %q; want the reply refused on stderr, status 1", what, ex.stdout, ex.status, ex.stderr)
				}
				continue
			}
			if msg, ok := bytes.CutPrefix(cli.stdout, []byte("error:")); ok {
				cli.stdout = append(append([]byte(`{"error":`), bytes.TrimSuffix(msg, []byte("\n"))...), "}\n"...)
			}
			d.check(t, what, false, c.errReply, cli, ex)
		}
	}
}
