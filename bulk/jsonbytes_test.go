package bulk

import (
	"bytes"
	"strings"
	"testing"
)

// Every byte string survives appendBytes and the reader unchanged, and the written form has
// no raw control characters (safe to print).
func FuzzBytesRoundTrip(f *testing.F) {
	for _, s := range weird {
		f.Add(s)
	}
	f.Add(strings.Repeat("x", 3<<20) + "\"")
	f.Add("\xed\xa0\x80") // a UTF-16 surrogate encoded in UTF-8: invalid UTF-8
	f.Fuzz(func(t *testing.T, s string) {
		b := appendBytes(nil, s)
		for _, c := range b {
			if c < 0x20 || c == 0x7f {
				t.Fatalf("raw control byte 0x%02x in %q", c, b)
			}
		}
		d := newReader(bytes.NewReader(b))
		got, err := d.bytes()
		if err != nil || got != s {
			t.Fatalf("%q -> %s -> %q, %v", s, b, got, err)
		}
	})
}
