package rediscli

import "testing"

func TestEscapeControls(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain \"text\"\n\twith tab\n", "plain \"text\"\n\twith tab\n"},
		{"title \x1b]0;pwned\x07 done\n", `title \x1b]0;pwned\x07 done` + "\n"},
		{"cr\rdel\x7f nul\x00", `cr\x0ddel\x7f nul\x00`},
		{"c1 \u009b31m é €\n", `c1 \u009b31m é €` + "\n"},
		{"binary \xff\xfe\xc2", "binary \xff\xfe\xc2"},
	} {
		if got := string(EscapeControls([]byte(c.in))); got != c.want {
			t.Errorf("EscapeControls(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
