package common

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Escape is the one reversible text form of a key name, member or value in every prompt:
// Unescape(Escape(s)) == s for any bytes. Printable text stays as it is; a backslash becomes
// `\\`; newline, carriage return and tab become `\n`, `\r`, `\t`; other control bytes and
// bytes that are not valid UTF-8 become `\xHH`; printable-looking but invisible or
// direction-changing runes (U+202E, zero-width space…) become `\uHHHH`. Unlike Printable,
// which only has to be safe to show, Escape must be parsed back, hence the escaped backslash.
func Escape(s string) string { return escape(s, true) }

// EscapeTyped escapes what cannot be typed into a prompt (control bytes, invalid UTF-8,
// invisible runes) but leaves backslashes as they are: pasted text is taken as if typed, so a
// pasted `\n` is the escape it spells, as it would be if typed.
func EscapeTyped(s string) string { return escape(s, false) }

func escape(s string, backslash bool) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			writeHexByte(&b, s[i])
		case r == '\\' && backslash:
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			writeHexByte(&b, byte(r))
		case r == ' ' || unicode.IsPrint(r):
			b.WriteString(s[i : i+n])
		case r <= 0xffff:
			b.WriteString(`\u`)
			b.WriteString(hex4(uint32(r), 4))
		default:
			b.WriteString(`\U`)
			b.WriteString(hex4(uint32(r), 8))
		}
		i += n
	}
	return b.String()
}

func needsEscape(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f || c >= 0x80 || c == '\\' {
			return true
		}
	}
	return false
}

func writeHexByte(b *strings.Builder, c byte) {
	const digits = "0123456789abcdef"
	b.WriteString(`\x`)
	b.WriteByte(digits[c>>4])
	b.WriteByte(digits[c&0xf])
}

func hex4(v uint32, width int) string {
	s := strconv.FormatUint(uint64(v), 16)
	return strings.Repeat("0", max(0, width-len(s))) + s
}

// EscapeError says where an escaped line cannot be read back, so the prompt can say what to fix.
type EscapeError struct {
	Col int    // 1-based column of the backslash, in runes
	Seq string // the sequence as typed
	Why string
}

func (e *EscapeError) Error() string {
	return "cannot read " + strconv.Quote(e.Seq) + " at column " + strconv.Itoa(e.Col) + ": " + e.Why +
		` (escapes: \\ \n \r \t \0 \xHH \uHHHH \UHHHHHHHH)`
}

// Unescape reads back what Escape wrote (and what people type in a prompt): `\\`, `\n`, `\r`,
// `\t`, `\0`, `\xHH` (one byte, so invalid UTF-8 can be typed), `\uHHHH` and `\UHHHHHHHH`
// (one rune, UTF-8 encoded). Any other backslash is an error rather than a guess: a guessed
// byte would be written to Redis.
func Unescape(s string) (string, error) {
	if strings.IndexByte(s, '\\') < 0 {
		return s, nil
	}
	var b strings.Builder
	b.Grow(len(s))
	col := 0
	for i := 0; i < len(s); {
		col++
		if s[i] != '\\' {
			_, n := utf8.DecodeRuneInString(s[i:])
			b.WriteString(s[i : i+n])
			i += n
			continue
		}
		if i+1 >= len(s) {
			return "", &EscapeError{Col: col, Seq: `\`, Why: `a line cannot end in a lone backslash; type \\ for one backslash`}
		}
		c := s[i+1]
		switch c {
		case '\\':
			b.WriteByte('\\')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case '0':
			b.WriteByte(0)
		case 'x', 'u', 'U':
			width := map[byte]int{'x': 2, 'u': 4, 'U': 8}[c]
			seq := s[i:min(len(s), i+2+width)]
			if len(seq) < 2+width {
				return "", &EscapeError{Col: col, Seq: seq, Why: "needs " + strconv.Itoa(width) + " hex digits"}
			}
			v, err := strconv.ParseUint(seq[2:], 16, 32)
			if err != nil {
				return "", &EscapeError{Col: col, Seq: seq, Why: "needs " + strconv.Itoa(width) + " hex digits"}
			}
			if c == 'x' {
				b.WriteByte(byte(v))
			} else {
				if v > unicode.MaxRune || (v >= 0xd800 && v <= 0xdfff) {
					return "", &EscapeError{Col: col, Seq: seq, Why: "not a Unicode code point (use \\xHH for raw bytes)"}
				}
				b.WriteRune(rune(v))
			}
			i += len(seq)
			col += len(seq) - 1
			continue
		default:
			_, n := utf8.DecodeRuneInString(s[i+1:])
			return "", &EscapeError{Col: col, Seq: s[i : i+1+n], Why: `unknown escape; type \\ for a backslash`}
		}
		i += 2
		col++
	}
	return b.String(), nil
}

// OneLine reports whether the one-line editor can show s exactly and let it be edited without
// surprises: short, valid UTF-8, no control bytes and no invisible runes. Anything else is
// edited in $EDITOR, where newlines stay newlines.
func OneLine(s string) bool {
	const limit = 1024
	if len(s) > limit || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r != ' ' && !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}
