package emulator

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

func TestSplitInlineLikeRedis(t *testing.T) {
	cases := []struct {
		in   string
		want []string
		ok   bool
	}{
		{"PING", []string{"PING"}, true},
		{"  SET  k   v  ", []string{"SET", "k", "v"}, true},
		{`SET k "hello world"`, []string{"SET", "k", "hello world"}, true},
		{`SET k "a\nb\x41\"c"`, []string{"SET", "k", "a\nbA\"c"}, true},
		{`SET k 'it\'s'`, []string{"SET", "k", "it's"}, true},
		{`SET k ""`, []string{"SET", "k", ""}, true},
		{`SET k "open`, nil, false},
		{`SET k "a"b`, nil, false},
		{"", nil, true},
	}
	for _, c := range cases {
		got, ok := splitInline([]byte(c.in))
		if ok != c.ok {
			t.Errorf("%q: ok=%v, want %v", c.in, ok, c.ok)
			continue
		}
		if len(got) != len(c.want) {
			t.Errorf("%q: got %q, want %q", c.in, got, c.want)
			continue
		}
		for i := range got {
			if string(got[i]) != c.want[i] {
				t.Errorf("%q: arg %d = %q, want %q", c.in, i, got[i], c.want[i])
			}
		}
	}
}

func TestReadReplyKeepsWholeFrames(t *testing.T) {
	frames := []string{
		"+OK\r\n",
		"-ERR boom\r\n",
		":42\r\n",
		"$-1\r\n",
		"$5\r\nhe\r\no\r\n", // CRLF inside a bulk string is data
		"*-1\r\n",
		"*2\r\n*1\r\n:1\r\n$0\r\n\r\n",
		"%1\r\n+k\r\n~2\r\n_\r\n,1.5\r\n",
		">3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\nm\r\n",
		"|1\r\n+ttl\r\n:3\r\n$1\r\nv\r\n", // an attribute belongs to the reply after it
		"=8\r\ntxt:abcd\r\n",
		"#t\r\n(123456789012345678901234567890\r\n",
	}
	r := bufio.NewReader(strings.NewReader(strings.Join(frames, "")))
	var buf []byte
	for i, want := range frames {
		buf = buf[:0]
		if i == len(frames)-1 {
			want = "#t\r\n" // two frames on one line set: read separately
		}
		if err := readReply(r, &buf); err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		if string(buf) != want {
			t.Fatalf("frame %d: got %q, want %q", i, buf, want)
		}
	}
	buf = buf[:0]
	if err := readReply(r, &buf); err != nil || string(buf) != "(123456789012345678901234567890\r\n" {
		t.Fatalf("big number: %q, %v", buf, err)
	}
	if err := readReply(bufio.NewReader(strings.NewReader("?x\r\n")), &buf); !isProtocolError(err) {
		t.Fatalf("unknown type: %v", err)
	}
	if err := readReply(bufio.NewReader(strings.NewReader("*2\r\n:1\r\n")), &buf); !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("truncated: %v", err)
	}
}

func isProtocolError(err error) bool {
	var pe *ProtocolError
	return errors.As(err, &pe)
}

func TestCommandReader(t *testing.T) {
	in := "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$4\r\nv\r\nv\r\n" + "GET k\r\n" + "\r\n"
	cr := commandReader{r: bufio.NewReader(strings.NewReader(in))}
	cmd, err := cr.read(true)
	if err != nil || cmd.name() != "SET" || string(cmd.args[2]) != "v\r\nv" || string(cmd.raw) != in[:30] || cmd.inline {
		t.Fatalf("multibulk: %+v, %v", cmd, err)
	}
	cmd, err = cr.read(true)
	if err != nil || cmd.name() != "GET" || len(cmd.args) != 2 || !cmd.inline {
		t.Fatalf("inline: %+v, %v", cmd, err)
	}
	cmd, err = cr.read(true)
	if err != nil || cmd.name() != "" {
		t.Fatalf("empty line: %+v, %v", cmd, err)
	}
	if _, err := cr.read(true); err != io.EOF {
		t.Fatalf("at end: %v", err)
	}
}

func TestCommandReaderLimitsUnauthenticatedClients(t *testing.T) {
	many := "*11\r\n" + strings.Repeat("$1\r\nx\r\n", 11)
	long := "*2\r\n$4\r\nAUTH\r\n$16385\r\n" + strings.Repeat("x", 16385) + "\r\n"
	for name, in := range map[string]string{"multibulk": many, "bulk": long} {
		cr := commandReader{r: bufio.NewReader(strings.NewReader(in))}
		_, err := cr.read(false)
		if !isProtocolError(err) || !strings.Contains(err.Error(), "unauthenticated "+name+" length") {
			t.Errorf("%s unauthenticated: %v", name, err)
		}
		cr = commandReader{r: bufio.NewReader(strings.NewReader(in))}
		if _, err := cr.read(true); err != nil {
			t.Errorf("%s authenticated: %v", name, err)
		}
	}
	for _, bad := range []string{"*x\r\n", "*1\r\n:1\r\n", "*1\r\n$2\r\nabcd\r\n", "*1\r\n$-5\r\n",
		"*1\r\n\r\n", "*1\r\n\n", "*2\r\n$1\r\nx\r\n\r\n", "*1\r\n$\r\n",
		"*1\r\n" + strings.Repeat("$", 70000) + "\r\n", "*" + strings.Repeat("1", 70000) + "\r\n"} {
		cr := commandReader{r: bufio.NewReader(strings.NewReader(bad))}
		if _, err := cr.read(true); !isProtocolError(err) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestCommandReaderIgnoresEmptyMultibulk(t *testing.T) {
	// Redis skips a multibulk of length 0 or less, as it skips an empty inline line.
	cr := commandReader{r: bufio.NewReader(strings.NewReader("*-1\r\n*0\r\n*-9\r\n*1\r\n$4\r\nPING\r\n"))}
	for i := range 3 {
		cmd, err := cr.read(false)
		if err != nil || cmd.name() != "" {
			t.Fatalf("request %d: %+v, %v", i, cmd, err)
		}
	}
	if cmd, err := cr.read(false); err != nil || cmd.name() != "PING" {
		t.Fatalf("after the empty ones: %+v, %v", cmd, err)
	}
}

func TestErrorReplyKeepsFraming(t *testing.T) {
	if got := string(errorReply("ERR Protocol error: expected '$', got '\r'\nx")); got != "-ERR Protocol error: expected '$', got ' ' x\r\n" {
		t.Fatalf("got %q", got)
	}
}

func TestReadReplyBoundsNestingNotSize(t *testing.T) {
	// More elements than any nesting bound, in one flat array: read whole.
	const n = 1<<20 + 100
	var in bytes.Buffer
	fmt.Fprintf(&in, "*%d\r\n", n)
	for range n {
		in.WriteString(":1\r\n")
	}
	in.WriteString("+next\r\n")
	r := bufio.NewReader(&in)
	var buf []byte
	wantLen := in.Len() - len("+next\r\n")
	if err := readReply(r, &buf); err != nil || len(buf) != wantLen {
		t.Fatalf("flat array of %d: read %d bytes of %d, %v", n, len(buf), wantLen, err)
	}
	buf = buf[:0]
	if err := readReply(r, &buf); err != nil || string(buf) != "+next\r\n" {
		t.Fatalf("frame after the big array: %q, %v", buf, err)
	}

	// Nesting, and maps counted in key-value pairs, are tracked per level.
	frames := []string{
		"*2\r\n%1\r\n+k\r\n*0\r\n*1\r\n|1\r\n+a\r\n:1\r\n~1\r\n_\r\n",
		"*3\r\n*-1\r\n*0\r\n%0\r\n",
		"|0\r\n:5\r\n",
	}
	r = bufio.NewReader(strings.NewReader(strings.Join(frames, "")))
	for i, want := range frames {
		buf = buf[:0]
		if err := readReply(r, &buf); err != nil || string(buf) != want {
			t.Fatalf("frame %d: %q, %v; want %q", i, buf, err, want)
		}
	}

	deep := strings.Repeat("*1\r\n", maxReplyDepth) + ":1\r\n"
	buf = buf[:0]
	if err := readReply(bufio.NewReader(strings.NewReader(deep)), &buf); !isProtocolError(err) {
		t.Fatalf("%d levels deep: %v", maxReplyDepth, err)
	}
	ok := strings.Repeat("*1\r\n", maxReplyDepth-1) + ":1\r\n"
	buf = buf[:0]
	if err := readReply(bufio.NewReader(strings.NewReader(ok)), &buf); err != nil || string(buf) != ok {
		t.Fatalf("%d levels deep: %v", maxReplyDepth-1, err)
	}
}

// respSeeds are inputs that once crashed, or sit on the edges of, the RESP readers.
var respSeeds = []string{
	"", "\r\n", "\n", "*", "*\r\n", "*1\r\n\r\n", "*1\r\n\n", "*-1\r\n", "*0\r\n", "*-9223372036854775808\r\n",
	"*9223372036854775807\r\n", "*2147483648\r\n", "*1\r\n$\r\n", "*1\r\n$-1\r\n", "*1\r\n$9223372036854775807\r\n",
	"*1\r\n$3\r\nGET", "*1\r\n$3\r\nGETxx", "*1\r\n$3\r\nGET\r\n", "PING\r\n", "\"unbalanced\r\n",
	"SET k \"\\x4\"\r\n", "SET k '\\'\r\n", "+OK\r\n", "-ERR x\r\n", "$-1\r\n", "$5\r\nhe\r\no\r\n", "$-2\r\n",
	"%1\r\n+k\r\n~2\r\n_\r\n,1.5\r\n", "|1\r\n+ttl\r\n:3\r\n$1\r\nv\r\n", "|0\r\n", "|-1\r\n:1\r\n",
	">3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\nm\r\n", "=8\r\ntxt:abcd\r\n", "*1\r\n*1\r\n*1\r\n", "?\r\n",
	"%2147483647\r\n", "|2147483647\r\n",
}

func FuzzCommandReader(f *testing.F) {
	for _, s := range respSeeds {
		f.Add([]byte(s), true)
		f.Add([]byte(s), false)
	}
	f.Fuzz(func(t *testing.T, in []byte, authed bool) {
		cr := commandReader{r: bufio.NewReader(bytes.NewReader(in))}
		for range 64 { // every request in the input, until an error
			cmd, err := cr.read(authed)
			if err != nil {
				return
			}
			if !bytes.Contains(in, cmd.raw) {
				t.Fatalf("raw %q is not part of the input", cmd.raw)
			}
		}
	})
}

func FuzzReadReply(f *testing.F) {
	for _, s := range respSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		r := bufio.NewReader(bytes.NewReader(in))
		var buf []byte
		for range 64 {
			buf = buf[:0]
			if err := readReply(r, &buf); err != nil {
				return
			}
			if !bytes.Contains(in, buf) {
				t.Fatalf("frame %q is not part of the input", buf)
			}
		}
	})
}
