package rediscli

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestSplitArgs(t *testing.T) {
	cases := []struct {
		line string
		want []string // nil: ErrInvalidArgs
	}{
		{"", []string{}},
		{"   \t\n ", []string{}},
		{"get key", []string{"get", "key"}},
		{"  set   k  v  ", []string{"set", "k", "v"}},
		{`set k "hello world"`, []string{"set", "k", "hello world"}},
		{`"a\n\r\t\b\a\\\"z"`, []string{"a\n\r\t\b\a\\\"z"}},
		{`"\x41\x7a\xff\x00"`, []string{"Az\xff\x00"}},
		{`"\xZZ\x4"`, []string{"xZZx4"}}, // not two hex digits: the backslash escapes the x
		{`"\q"`, []string{"q"}},
		{`'it\'s'`, []string{"it's"}},
		{`'a\nb\\ c'`, []string{`a\nb\\ c`}}, // single quotes keep other backslashes
		{`'a\\'`, nil},                       // …but \' is still an escaped quote
		{`""`, []string{""}},
		{`'' x`, []string{"", "x"}},
		{`foo"bar baz"`, []string{"foobar baz"}}, // a quote may open mid-argument
		{`a\b`, []string{`a\b`}},
		{"a\vb", []string{"a\vb"}},           // \v does not end an unquoted argument…
		{"\va\v", []string{"a\v"}},           // …but is skipped between arguments
		{"\"x\"\v\"y\"", []string{"x", "y"}}, // and may follow a closing quote
		{"a\x00b c", []string{"a"}},          // the line ends at NUL, as in C
		{`"a"b`, nil},
		{`'a'b`, nil},
		{`"abc`, nil},
		{`'abc`, nil},
		{`"abc\"`, nil},
		{`"abc\`, nil},
		{`set "a`, nil},
	}
	for _, c := range cases {
		got, err := SplitArgs(c.line)
		if c.want == nil {
			if !errors.Is(err, ErrInvalidArgs) {
				t.Errorf("SplitArgs(%q) = %q, %v; want ErrInvalidArgs", c.line, got, err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("SplitArgs(%q) = %q, %v; want %q", c.line, got, err, c.want)
		}
	}
	if ErrInvalidArgs.Error() != "Invalid argument(s)" {
		t.Errorf("error text %q is not redis-cli's", ErrInvalidArgs)
	}
}

func TestQuote(t *testing.T) {
	for arg, want := range map[string]string{
		"plain":      "plain",
		"":           `""`,
		"two words":  `"two words"`,
		`it's`:       `"it's"`,
		"nl\n":       `"nl\n"`,
		"\x00\xff":   `"\x00\xff"`,
		`back\slash`: `"back\\slash"`,
		"é":          `"\xc3\xa9"`,
	} {
		if got := Quote(arg); got != want {
			t.Errorf("Quote(%q) = %s, want %s", arg, got, want)
		}
	}
}

func FuzzSplitArgs(f *testing.F) {
	for _, s := range []string{"", "get k", `set k "a b"`, `'x\'y'`, `"\x41\n"`, `foo"bar"`, "\"a\"b", "a\x00b", "\v\f"} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, line, arg string) {
		args, err := SplitArgs(line)
		if err != nil {
			if err != ErrInvalidArgs || args != nil {
				t.Fatalf("SplitArgs(%q) = %q, %v", line, args, err)
			}
		} else {
			// What SplitArgs returns, JoinArgs writes back as a line meaning the same.
			again, err := SplitArgs(JoinArgs(args))
			if err != nil || !reflect.DeepEqual(again, args) {
				t.Fatalf("round trip of %q: %q, %v", args, again, err)
			}
		}
		// Any argument survives Quote, alone and among others.
		for _, in := range [][]string{{arg}, {"cmd", arg, arg}} {
			got, err := SplitArgs(JoinArgs(in))
			if err != nil || !reflect.DeepEqual(got, in) {
				t.Fatalf("SplitArgs(JoinArgs(%q)) = %q, %v (line %q)", in, got, err, JoinArgs(in))
			}
		}
		if q := Quote(arg); strings.ContainsAny(q, "\x00\n") {
			t.Fatalf("Quote(%q) = %q holds a NUL or newline", arg, q)
		}
	})
}
