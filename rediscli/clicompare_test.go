package rediscli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/amr-tui/amr-tui/internal/redistest"
)

// This file compares the renderers with the real redis-cli: for each command, the output of
// redis-cli --no-raw, --raw and --json (under RESP2 and RESP3) against Output for the reply read
// by Reader from a plain TCP connection. Any difference fails.

var modes = []struct {
	mode Mode
	flag string
}{{ModeTTY, "--no-raw"}, {ModeRaw, "--raw"}, {ModeJSON, "--json"}}

// cliCase is one command run both ways.
type cliCase struct {
	args   []string
	protos []int // both when empty
	// cliFails: under these protocols redis-cli 7.0.15 cannot print the reply and exits with this
	// message on stderr. The test checks that it still does (so that a newer redis-cli is
	// noticed) and that Reader and the renderers handle the reply.
	cliFails map[int]string
}

// helloID hides the connection id in HELLO's reply, the one value that differs between
// redis-cli's connection and ours.
var helloID = regexp.MustCompile(`("?id"? => \(integer\) |\nid |"id":|"id",|\d\) "id"\n\s*\d+\) \(integer\) |\nid\n)\d+`)

func normalize(s string) string {
	return helloID.ReplaceAllStringFunc(s, func(m string) string {
		return strings.TrimRightFunc(m, func(r rune) bool { return r >= '0' && r <= '9' }) + "<id>"
	})
}

func lua(script string) []string { return []string{"EVAL", script, "0"} }

func lua3(ret string) []string { return lua("redis.setresp(3); return " + ret) }

func cliCases() []cliCase {
	const (
		badDouble  = "Bad double value"
		unknownBig = "Unknown reply type: 13"
		attrib     = `Protocol error, got "|" as reply type byte`
	)
	c := func(args ...string) cliCase { return cliCase{args: args} }
	cases := []cliCase{
		c("PING"), c("ECHO", "hi there"), c("SET", "str", "hello world"),
		c("GET", "str"), c("GET", "quoted"), c("GET", "unicode"), c("GET", "bin"), c("GET", "empty"),
		c("GET", "nokey"), c("STRLEN", "str"), c("TTL", "str"), c("TTL", "nokey"), c("TYPE", "hash"),
		c("EXISTS", "str", "nokey"), c("GETRANGE", "quoted", "0", "12"), c("DBSIZE"),
		c("LRANGE", "list", "0", "-1"), c("LRANGE", "biglist", "0", "-1"), c("LRANGE", "nokey", "0", "-1"),
		c("HGETALL", "hash"), c("HMGET", "hash", "f1", "nofield", "f3"), c("HGETALL", "nokey"),
		c("ZRANGE", "zset", "0", "-1", "WITHSCORES"), c("ZRANGE", "zset", "0", "-1"), c("ZSCORE", "zset", "b"),
		c("ZRANDMEMBER", "zone", "1", "WITHSCORES"), c("SMEMBERS", "set"), c("SMEMBERS", "nokey"),
		c("XRANGE", "stream", "-", "+"), c("XINFO", "STREAM", "stream"), c("XREAD", "STREAMS", "stream", "0"),
		c("COMMAND", "INFO", "get"), c("COMMAND", "INFO", "get", "nosuchcmd", "zadd"), c("COMMAND", "DOCS", "get"),
		c("CONFIG", "GET", "maxmemory-policy"), c("CONFIG", "GET", "*-max-listpack-*"),
		c("OBJECT", "ENCODING", "list"), c("MEMORY", "USAGE", "nokey"),
		c("LPUSH", "str", "x"), c("NOSUCHCMD", "a", "b"), c("GET"), c("INCR", "str"),
		c("BLPOP", "nokey", "0.01"), c("HRANDFIELD", "nokey", "2"),
		{args: lua("local t = {} for i = 1, 11 do t[i] = {i, 'x', {i, {i}}} end return t")},
		{args: lua("return {1, redis.error_reply('MY err'), redis.status_reply('FINE'), 'x', false, true}")},
		{args: lua("return {1, 2, {3, {4, 'x'}}, {}}")},
		{args: lua("return redis.error_reply('CUSTOM \"quoted\" error')")},
		{args: lua3("{double=3.5}")}, {args: lua3("{double=1/0}")}, {args: lua3("{double=-1/0}")},
		{args: lua3("{double=0.1}")}, {args: lua3("true")}, {args: lua3("false")}, {args: lua3("nil")},
		{args: lua3("{map={a={1, 2, {map={x=1}}}}}")}, {args: lua3("{set={a=true}}")},
		{args: lua3("{map={}}")}, {args: lua3("{set={}}")},
		{args: lua3("{big_number='123456789012345678901234567890'}"), cliFails: map[int]string{3: unknownBig}},
		{args: []string{"HELLO", "3"}, protos: []int{3}}, {args: []string{"HELLO"}, protos: []int{2}},
		// Reports redis-cli prints raw in every mode, and errors from them.
		c("DEBUG", "HTSTATS", "0"), c("INFO", "keyspace"), c("CLIENT", "LIST", "bogus"), c("LATENCY", "DOCTOR"),
		c("MEMORY", "DOCTOR"), c("CLUSTER", "INFO"), c("CLUSTER", "INFO", "x"), c("INFO", "nosuchsection"),
	}
	for _, p := range []string{"string", "integer", "double", "null", "array", "set", "map", "verbatim", "true", "false"} {
		cases = append(cases, c("DEBUG", "PROTOCOL", p))
	}
	return append(cases,
		cliCase{args: []string{"DEBUG", "PROTOCOL", "bignum"}, cliFails: map[int]string{3: unknownBig}},
		cliCase{args: []string{"DEBUG", "PROTOCOL", "attrib"}, cliFails: map[int]string{3: attrib}},
		cliCase{args: []string{"DEBUG", "PROTOCOL", "push"}}, // redis-cli runs with --show-pushes y
		cliCase{args: lua3("{double=0/0}"), protos: []int{3}, cliFails: map[int]string{3: badDouble}},
	)
}

// seed gives the server values of every shape the cases read.
func seed(t *testing.T, addr string) {
	t.Helper()
	bin := make([]byte, 256)
	for i := range bin {
		bin[i] = byte(i)
	}
	cmds := [][]string{
		{"SET", "str", "hello world"},
		{"SET", "quoted", "she said \"hi\"\n\ttab\\back\r\a\b"},
		{"SET", "unicode", "héllo wörld € 日本"},
		{"SET", "bin", string(bin)},
		{"SET", "empty", ""},
		{"RPUSH", "list", "a", "b c", "", "d\"e"},
		{"HSET", "hash", "f1", "v1", "f2", "v 2", "f3", ""},
		{"ZADD", "zset", "1", "a", "2.5", "b", "-3", "c", "1e20", "d"},
		{"ZADD", "zone", "0.1", "only"},
		{"SADD", "set", "3", "1", "2", "10", "-7"},
		{"XADD", "stream", "1-1", "f", "v"},
		{"XADD", "stream", "1-2", "a", "1", "b", "2"},
	}
	big := []string{"RPUSH", "biglist"}
	for i := 1; i <= 105; i++ {
		big = append(big, strconv.Itoa(i))
	}
	cmds = append(cmds, big)
	conn := dial(t, addr, 2)
	for _, cmd := range cmds {
		if r := roundTrip(t, conn, cmd); r.Kind == KindError {
			t.Fatalf("seeding %q: %s", cmd, r.Str)
		}
	}
}

// rawConn is a plain TCP connection read with Reader.
type rawConn struct {
	net.Conn
	rd *Reader
}

func dial(t *testing.T, addr string, proto int) *rawConn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	rc := &rawConn{Conn: c, rd: NewReader(c)}
	if proto == 3 {
		if r := roundTrip(t, rc, []string{"HELLO", "3"}); r.Kind != KindMap {
			t.Fatalf("HELLO 3: %s", FormatTTY(r))
		}
	}
	return rc
}

// send writes a command and reads replies up to the first that is not a push.
func send(t *testing.T, c *rawConn, args []string) (pushes []Reply, reply Reply) {
	t.Helper()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	if err := WriteCommand(c, args...); err != nil {
		t.Fatal(err)
	}
	for {
		r, err := c.rd.ReadReply()
		if err != nil {
			t.Fatalf("reading the reply to %q: %v", args, err)
		}
		if r.Kind != KindPush {
			return pushes, r
		}
		pushes = append(pushes, r)
	}
}

func roundTrip(t *testing.T, c *rawConn, args []string) Reply {
	t.Helper()
	_, r := send(t, c, args)
	return r
}

// runCLI runs redis-cli against addr; stdin, when not empty, is fed to it as a script.
func runCLI(t *testing.T, cli, addr, stdin string, flags, args []string) (stdout, stderr string, err error) {
	t.Helper()
	host, port, _ := net.SplitHostPort(addr)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	argv := append([]string{"-h", host, "-p", port}, flags...)
	cmd := exec.CommandContext(ctx, cli, append(argv, args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if stdin != "" {
		cmd.Stdin = strings.NewReader(stdin)
	}
	err = cmd.Run()
	return out.String(), errb.String(), err
}

func cliFlags(proto int, flag string, pushes bool) []string {
	f := []string{"-" + strconv.Itoa(proto), flag}
	if pushes {
		f = append(f, "--show-pushes", "y")
	}
	return f
}

// segment is one reply's expected piece of redis-cli's output.
type segment struct {
	label string
	text  string
	// exact is false for JSON that redis-cli 7.0 prints its own way (see jsonCompatible): that
	// piece of its output is one line, skipped rather than compared.
	exact bool
}

// segments renders the pushes and the reply of one command as redis-cli prints them in mode m.
func segments(t *testing.T, m Mode, args []string, pushes []Reply, r Reply) []segment {
	t.Helper()
	var segs []segment
	for _, p := range append(pushes, r) {
		a := args
		if p.Kind == KindPush {
			a = nil
		}
		got, err := Output(m, a, p)
		exact := true
		if m == ModeJSON && !ForcesRaw(a) {
			exact = jsonCompatible(p)
			if errors.Is(err, ErrNotUTF8) {
				got, err = []byte("<not UTF-8>\n"), nil
			} else if err == nil && !json.Valid(got) {
				t.Errorf("%q: FormatJSON gave invalid JSON %q", args, got)
			}
		}
		if err != nil {
			t.Fatalf("%q: %v", args, err)
		}
		segs = append(segs, segment{label: JoinArgs(args), text: string(got), exact: exact})
	}
	return segs
}

// matchSegments walks redis-cli's output through the expected segments, reports the first
// that differs, and returns how many were compared byte for byte. HELLO's connection id is
// hidden on both sides, and in JSON redis-cli's error:"…" is mapped to FormatJSON's form.
func matchSegments(t *testing.T, m Mode, stdout string, segs []segment) (compared int) {
	t.Helper()
	out := stdout
	if m == ModeJSON {
		out = documentedJSON(out)
	}
	out = normalize(out)
	off := 0
	for _, s := range segs {
		if !s.exact {
			i := strings.IndexByte(out[off:], '\n')
			if i < 0 {
				t.Errorf("%s: redis-cli's output ended before the reply to %s", modeFlag(m), s.label)
				return compared
			}
			off += i + 1
			continue
		}
		want := normalize(s.text)
		if !strings.HasPrefix(out[off:], want) {
			got := out[off:min(len(out), off+len(want)+100)]
			t.Errorf("%s: the reply to %s differs from redis-cli\n--- redis-cli (and what follows)\n%s\n--- ours\n%s--- (quoted)\n%q\n%q",
				modeFlag(m), s.label, got, want, got, want)
			return compared
		}
		off += len(want)
		compared++
	}
	if off != len(out) {
		t.Errorf("%s: redis-cli printed more than expected: %q", modeFlag(m), out[off:])
	}
	return compared
}

func modeFlag(m Mode) string {
	for _, x := range modes {
		if x.mode == m {
			return x.flag
		}
	}
	return "?"
}

// cliErrorJSON is redis-cli's --json rendering of an error reply, error:"…", which is not JSON.
var cliErrorJSON = regexp.MustCompile(`(^|\n|[\[,:{])error:("(?:[^"\\]|\\.)*")`)

// documentedJSON maps redis-cli 7.0's --json output to what FormatJSON prints instead: an error
// as {"error":"…"}. For an error text of printable ASCII the quoting is the same.
func documentedJSON(cliOut string) string {
	return cliErrorJSON.ReplaceAllString(cliOut, `${1}{"error":${2}}`)
}

// jsonCompatible reports whether FormatJSON's output for r must equal redis-cli 7.0's --json
// output once passed through documentedJSON; FormatJSON's doc lists the cases where it does not
// (non-finite doubles, binary strings, statuses and errors redis-cli quotes its own way).
func jsonCompatible(r Reply) bool {
	switch r.Kind {
	case KindError:
		return printableASCII(r.Str)
	case KindDouble:
		return !math.IsInf(r.Float, 0) && !math.IsNaN(r.Float)
	case KindBulk, KindVerbatim:
		return utf8.ValidString(r.Str)
	case KindStatus:
		return printableASCII(r.Str)
	case KindArray, KindSet, KindPush:
		for _, e := range r.Elems {
			if !jsonCompatible(e) {
				return false
			}
		}
	case KindMap:
		for _, p := range r.Pairs {
			switch p.Key.Kind {
			case KindArray, KindSet, KindPush, KindMap, KindError:
				return false
			}
			if !jsonCompatible(p.Key) || !jsonCompatible(p.Value) {
				return false
			}
		}
	}
	return true
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// TestMatchesRedisCLI runs the case table through redis-cli as a script on its standard input
// (one process per protocol and mode; JoinArgs writes the lines, so redis-cli parsing them back
// is checked too) and through Reader on a raw connection, and compares reply by reply. Replies
// redis-cli cannot print, and a few commands given as arguments, run one process each.
func TestMatchesRedisCLI(t *testing.T) {
	cli := redistest.RedisCLIPath(t)
	srv := redistest.StartRedisServer(t, "--enable-debug-command", "yes")
	seed(t, srv.Addr)
	compared := 0
	for _, proto := range []int{2, 3} {
		var script strings.Builder
		var batch []cliCase
		for _, c := range cliCases() {
			if len(c.protos) > 0 && !slices.Contains(c.protos, proto) {
				continue
			}
			if want, fails := c.cliFails[proto]; fails {
				t.Run(fmt.Sprintf("RESP%d/%s", proto, JoinArgs(c.args)), func(t *testing.T) {
					checkCLIFails(t, cli, srv.Addr, proto, c, want)
				})
				continue
			}
			batch = append(batch, c)
			script.WriteString(JoinArgs(c.args) + "\n")
		}
		for _, m := range modes {
			t.Run(fmt.Sprintf("RESP%d%s", proto, m.flag), func(t *testing.T) {
				stdout, stderr, err := runCLI(t, cli, srv.Addr, script.String(), cliFlags(proto, m.flag, true), nil)
				if err != nil {
					t.Fatalf("redis-cli failed: %v\n%s", err, stderr)
				}
				conn := dial(t, srv.Addr, proto)
				var segs []segment
				for _, c := range batch {
					pushes, reply := send(t, conn, c.args)
					segs = append(segs, segments(t, m.mode, c.args, pushes, reply)...)
				}
				compared += matchSegments(t, m.mode, stdout, segs)
			})
		}
	}
	// The same through redis-cli's command-line arguments, for a few commands.
	for _, args := range [][]string{{"GET", "quoted"}, {"HGETALL", "hash"}, {"COMMAND", "INFO", "get"}, {"NOSUCHCMD", "a"}, {"INFO", "keyspace"}} {
		for _, m := range modes {
			stdout, stderr, err := runCLI(t, cli, srv.Addr, "", cliFlags(3, m.flag, false), args)
			if err != nil {
				t.Fatalf("redis-cli %q: %v\n%s", args, err, stderr)
			}
			pushes, reply := send(t, dial(t, srv.Addr, 3), args)
			compared += matchSegments(t, m.mode, stdout, segments(t, m.mode, args, pushes, reply))
		}
	}
	t.Logf("%d replies compared byte for byte with redis-cli", compared)
	if !t.Failed() && compared < 300 {
		t.Errorf("only %d replies compared; the case table lost entries", compared)
	}
}

// checkCLIFails checks that redis-cli 7.0.15 still fails on a reply it cannot print (a newer
// one would need its output compared) and that Reader and the renderers handle the reply.
func checkCLIFails(t *testing.T, cli, addr string, proto int, c cliCase, want string) {
	pushes, reply := send(t, dial(t, addr, proto), c.args)
	for _, m := range modes {
		segs := segments(t, m.mode, c.args, pushes, reply)
		stdout, stderr, err := runCLI(t, cli, addr, "", cliFlags(proto, m.flag, true), c.args)
		if err == nil || !strings.Contains(stderr, want) {
			t.Errorf("%s: redis-cli was expected to fail with %q; got err=%v stderr=%q stdout=%q (a newer redis-cli? compare with ours: %q)",
				m.flag, want, err, stderr, stdout, segs[len(segs)-1].text)
		}
	}
}
