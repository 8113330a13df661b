package ui

import (
	"testing"
	"time"
)

func TestFormatting(t *testing.T) {
	eq := func(got, want string) {
		t.Helper()
		if got != want {
			t.Fatalf("got %q, want %q", got, want)
		}
	}
	eq(printable("plain:key"), "plain:key")
	eq(printable("a\x00b\nc\td\xff"), `a\x00b\nc\td\xff`)
	eq(printable("ключ:é"), "ключ:é")
	eq(printable("\x1b[31mred"), `\x1b[31mred`)
	eq(count(0), "0")
	eq(count(999), "999")
	eq(count(1000), "1,000")
	eq(count(1234567), "1,234,567")
	eq(count(-1234), "-1,234")
	eq(bytesize(-1), "?")
	eq(bytesize(512), "512B")
	eq(bytesize(1536), "1.5K")
	eq(bytesize(50<<20), "50M")
	eq(ttl(-1), "-")
	eq(ttl(-2), "gone")
	eq(ttl(45*time.Second), "45s")
	eq(ttl(61*time.Minute), "1h01m")
	eq(ttl(49*time.Hour), "2d01h")
	eq(mmss(-time.Second), "00:00")
	eq(mmss(9*time.Minute+5*time.Second+999*time.Millisecond), "09:05")
	eq(fit("abcdef", 4), "abc…")
	eq(fit("ab", 4), "ab  ")
	eq(fitRight("ab", 4), "  ab")
	eq(globEscape("a*b?[c]\\"), `a\*b\?\[c\]\\`)
	eq(globEscape("user:"), "user:")
	if !hasGlob("a*") || hasGlob("user:42") {
		t.Fatal("hasGlob")
	}
	for _, c := range []struct {
		p, s string
		ok   bool
	}{{"user:*", "user:1", true}, {`we\*ird:*`, "we*ird:1", true}, {`we\*ird:*`, "weXird:1", false}, {"h?llo", "hallo", true}, {"h[^e]llo", "hello", false}} {
		if globMatch(c.p, c.s) != c.ok {
			t.Fatalf("fake glob %q %q", c.p, c.s)
		}
	}
}
