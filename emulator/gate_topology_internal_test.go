package emulator

import (
	"bytes"
	"testing"
)

// Every reply shape survives parseValue and appendValue byte for byte, so a topology reply the
// gate rewrites keeps every type it had.
func TestRespValueRoundTrip(t *testing.T) {
	for _, r := range []string{
		"+OK\r\n", "-ERR x\r\n", ":42\r\n", "_\r\n", ",3.14\r\n", "#t\r\n", "(123456789012345678901\r\n",
		"$-1\r\n", "$0\r\n\r\n", "$5\r\nhe\r\no\r\n", "!3\r\nerr\r\n", "=8\r\ntxt:abcd\r\n",
		"*-1\r\n", "*0\r\n", "*2\r\n:1\r\n*1\r\n$1\r\na\r\n", "~1\r\n+x\r\n", ">2\r\n$7\r\nmessage\r\n$1\r\nx\r\n",
		"%2\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n$4\r\nport\r\n:6379\r\n",
		"|1\r\n+key\r\n+val\r\n*1\r\n:1\r\n",
	} {
		v, rest, ok := parseValue([]byte(r))
		if !ok || len(rest) != 0 {
			t.Errorf("%q: parsed %v, %d bytes left", r, ok, len(rest))
			continue
		}
		if got := appendValue(nil, v); !bytes.Equal(got, []byte(r)) {
			t.Errorf("%q re-encoded as %q", r, got)
		}
	}
	for _, bad := range []string{"", "*2\r\n:1\r\n", "$5\r\nab\r\n", "?x\r\n", "*x\r\n"} {
		if _, _, ok := parseValue([]byte(bad)); ok {
			t.Errorf("%q parsed", bad)
		}
	}
}

// MOVED and ASK name the gate; other errors and unknown nodes pass untouched.
func TestRewriteRedirect(t *testing.T) {
	a := NewClusterAddrs()
	a.Set("127.0.0.1:7001", "127.0.0.1:40001")
	for in, want := range map[string]string{
		"-MOVED 3999 127.0.0.1:7001\r\n": "-MOVED 3999 127.0.0.1:40001\r\n",
		"-ASK 3999 127.0.0.1:7001\r\n":   "-ASK 3999 127.0.0.1:40001\r\n",
		"-MOVED 3999 127.0.0.1:7002\r\n": "-MOVED 3999 127.0.0.1:7002\r\n",
		"-ERR MOVED 127.0.0.1:7001\r\n":  "-ERR MOVED 127.0.0.1:7001\r\n",
	} {
		if got := string(rewriteRedirect([]byte(in), a)); got != want {
			t.Errorf("%q → %q, want %q", in, got, want)
		}
	}
}
