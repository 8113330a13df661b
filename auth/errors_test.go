package auth

import (
	"errors"
	"strings"
	"testing"
)

// TestRedact: every non-empty secret is redacted; secrets shorter than four characters only
// where they stand as a token of their own, so that the rest of the message stays readable.
func TestRedact(t *testing.T) {
	for _, tc := range []struct {
		in      string
		secrets []string
		want    string
	}{
		{"bad secret Sup3r-Secret given", []string{"Sup3r-Secret"}, "bad secret [redacted] given"},
		{"xxSup3rxx", []string{"Sup3r"}, "xx[redacted]xx"},
		{"invalid password: a", []string{"a"}, "invalid password: [redacted]"},
		{"got 'ab' (want a longer one)", []string{"ab"}, "got '[redacted]' (want a longer one)"},
		{"password=xyz;", []string{"xyz"}, "password=[redacted];"},
		{"x", []string{"x"}, "[redacted]"},
		{"a cabbage at a bar", []string{"ab"}, "a cabbage at a bar"},
		{"secret abc and abcdef", []string{"abc", "abcdef"}, "secret [redacted] and [redacted]"},
		{"no secrets", []string{""}, "no secrets"},
		{"été é", []string{"é"}, "été [redacted]"},
	} {
		if got := redact(tc.in, tc.secrets); got != tc.want {
			t.Errorf("redact(%q, %q) = %q, want %q", tc.in, tc.secrets, got, tc.want)
		}
	}
	// Through an Error, including the wrapped error's text.
	e := (&Error{Summary: "wrong password q", Detail: "server said: q", err: errors.New("AUTH q failed")}).redact([]string{"q"})
	for _, text := range []string{e.Error(), e.Explain(), errors.Unwrap(e).Error()} {
		if strings.Contains(strings.ReplaceAll(text, "[redacted]", ""), " q") {
			t.Errorf("short secret left in %q", text)
		}
	}
}
