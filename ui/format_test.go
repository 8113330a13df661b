package ui

import (
	"github.com/amr-tui/amr-tui/ui/browser"
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"

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
	eq(common.Printable("plain:key"), "plain:key")
	eq(common.Printable("a\x00b\nc\td\xff"), `a\x00b\nc\td\xff`)
	eq(common.Printable("ключ:é"), "ключ:é")
	eq(common.Printable("\x1b[31mred"), `\x1b[31mred`)
	eq(common.Count(0), "0")
	eq(common.Count(999), "999")
	eq(common.Count(1000), "1,000")
	eq(common.Count(1234567), "1,234,567")
	eq(common.Count(-1234), "-1,234")
	eq(common.Bytesize(-1), "?")
	eq(common.Bytesize(512), "512B")
	eq(common.Bytesize(1536), "1.5K")
	eq(common.Bytesize(50<<20), "50M")
	eq(common.Ttl(-1), "-")
	eq(common.Ttl(-2), "gone")
	eq(common.Ttl(45*time.Second), "45s")
	eq(common.Ttl(61*time.Minute), "1h01m")
	eq(common.Ttl(49*time.Hour), "2d01h")
	eq(common.Mmss(-time.Second), "00:00")
	eq(common.Mmss(9*time.Minute+5*time.Second+999*time.Millisecond), "09:05")
	eq(common.Fit("abcdef", 4), "abc…")
	eq(common.Fit("ab", 4), "ab  ")
	eq(common.FitRight("ab", 4), "  ab")
	eq(browser.GlobEscape("a*b?[c]\\"), `a\*b\?\[c\]\\`)
	eq(browser.GlobEscape("user:"), "user:")
	if !browser.HasGlob("a*") || browser.HasGlob("user:42") {
		t.Fatal("hasGlob")
	}
	for _, c := range []struct {
		p, s string
		ok   bool
	}{{"user:*", "user:1", true}, {`we\*ird:*`, "we*ird:1", true}, {`we\*ird:*`, "weXird:1", false}, {"h?llo", "hallo", true}, {"h[^e]llo", "hello", false}} {
		if uitest.GlobMatch(c.p, c.s) != c.ok {
			t.Fatalf("fake glob %q %q", c.p, c.s)
		}
	}
}
