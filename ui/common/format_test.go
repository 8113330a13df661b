package common

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
	eq(Printable("plain:key"), "plain:key")
	eq(Printable("a\x00b\nc\td\xff"), `a\x00b\nc\td\xff`)
	eq(Printable("ключ:é"), "ключ:é")
	eq(Printable("\x1b[31mred"), `\x1b[31mred`)
	eq(Count(0), "0")
	eq(Count(999), "999")
	eq(Count(1000), "1,000")
	eq(Count(1234567), "1,234,567")
	eq(Count(-1234), "-1,234")
	eq(Bytesize(-1), "?")
	eq(Bytesize(512), "512B")
	eq(Bytesize(1536), "1.5K")
	eq(Bytesize(50<<20), "50M")
	eq(TTL(-1), "-")
	eq(TTL(-2), "gone")
	eq(TTL(45*time.Second), "45s")
	eq(TTL(61*time.Minute), "1h01m")
	eq(TTL(49*time.Hour), "2d01h")
	eq(MMSS(-time.Second), "00:00")
	eq(MMSS(9*time.Minute+5*time.Second+999*time.Millisecond), "09:05")
	eq(Fit("abcdef", 4), "abc…")
	eq(Fit("ab", 4), "ab  ")
	eq(FitRight("ab", 4), "  ab")
}
