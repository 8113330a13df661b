package common

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEscapeRoundTrip(t *testing.T) {
	cases := map[string]string{
		"plain":         "plain",
		"a b":           "a b",
		"multi\nline":   `multi\nline`,
		"tab\tcr\r":     `tab\tcr\r`,
		"esc\x1b[31m":   `esc\x1b[31m`,
		"nul\x00":       `nul\x00`,
		"bad\xff\xfe":   `bad\xff\xfe`,
		`back\slash`:    `back\\slash`,
		`\n literally`:  `\\n literally`,
		"rtl\u202eevil": `rtl\u202eevil`,
		"emoji 🎉 é 中":   "emoji 🎉 é 中",
		"del\x7f":       `del\x7f`,
		"":              "",
	}
	for raw, want := range cases {
		got := Escape(raw)
		if got != want {
			t.Errorf("Escape(%q) = %q, want %q", raw, got, want)
		}
		back, err := Unescape(got)
		if err != nil || back != raw {
			t.Errorf("Unescape(%q) = %q, %v; want %q", got, back, err, raw)
		}
		if strings.ContainsAny(got, "\n\r\x1b\x00") || !utf8.ValidString(got) {
			t.Errorf("Escape(%q) = %q is not safe to show", raw, got)
		}
	}
}

func TestEscapeRoundTripEveryByte(t *testing.T) {
	var all []byte
	for i := 0; i < 256; i++ {
		all = append(all, byte(i), 'a', byte(255-i))
	}
	s := string(all) + "\U0001F600\u200b\ufeff"
	back, err := Unescape(Escape(s))
	if err != nil || back != s {
		t.Fatalf("round trip lost bytes: %v", err)
	}
}

func TestUnescapeTyped(t *testing.T) {
	ok := map[string]string{`\0`: "\x00", `\x41\u00e9\U0001F600`: "Aé😀", `a\\b`: `a\b`}
	for in, want := range ok {
		if got, err := Unescape(in); err != nil || got != want {
			t.Errorf("Unescape(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{`trailing\`, `\q`, `\x4`, `\xzz`, `\ud800`, `\U00110000`} {
		_, err := Unescape(bad)
		var ee *EscapeError
		if !errors.As(err, &ee) {
			t.Errorf("Unescape(%q) = %v, want an EscapeError", bad, err)
		}
	}
}

func TestOneLine(t *testing.T) {
	for s, want := range map[string]bool{"plain value": true, "é 中 🎉": true, "a\nb": false, "\x1b": false,
		"\xff": false, "rtl\u202e": false, strings.Repeat("x", 5000): false} {
		if OneLine(s) != want {
			t.Errorf("OneLine(%q) = %v", s, !want)
		}
	}
}

func TestKeySlot(t *testing.T) {
	// Values from CLUSTER KEYSLOT.
	for k, want := range map[string]int{"foo": 12182, "bar": 5061, "{user1000}.following": 3443, "{user1000}.followers": 3443, "": 0, "a{}b": 13694} {
		if got := KeySlot(k); got != want {
			t.Errorf("KeySlot(%q) = %d, want %d", k, got, want)
		}
	}
}
