package analyze

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Escape returns s safe to print on a terminal: printable UTF-8 as it is, everything else
// (control bytes, invalid UTF-8, backslashes) as redis-cli escapes it inside double quotes
// (\n, \xNN, \\), so the printed name maps back to exactly one key.
func Escape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\\':
			b.WriteString(`\\`)
		case r == '"':
			b.WriteString(`\"`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case !unicode.IsPrint(r) && r != ' ':
			for j := range size {
				fmt.Fprintf(&b, `\x%02x`, s[i+j])
			}
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// Quote returns s as one argument redis-cli (and amr-tui exec) reads back byte for byte: as it
// is when it is plain, in double quotes with Escape's escapes otherwise.
func Quote(s string) string {
	if s != "" && Escape(s) == s && !strings.ContainsAny(s, " '\"") {
		return s
	}
	return `"` + Escape(s) + `"`
}

// DisplayKey is a key name as the text report shows it: Quote's form.
func DisplayKey(s string) string { return Quote(s) }

// command renders a Redis command with every argument quoted.
func command(args ...string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = Quote(a)
	}
	return strings.Join(q, " ")
}
