package bulk

import (
	"encoding/base64"
	"unicode/utf8"
)

// Byte strings (names, values, members) are written as JSON strings when they are valid
// UTF-8, and as {"base64":"…"} otherwise: JSON strings cannot carry arbitrary bytes, and
// encoding/json would replace invalid UTF-8 with U+FFFD. Control characters (NUL, ESC, \n…)
// are escaped, so the file can be printed on a terminal safely. Written by hand rather than
// with encoding/json because the export writes millions of these and must not allocate per
// string.

const hexDigits = "0123456789abcdef"

// appendBytes appends s in the form described above.
func appendBytes(b []byte, s string) []byte {
	if !utf8.ValidString(s) {
		b = append(b, `{"base64":"`...)
		b = base64.StdEncoding.AppendEncode(b, []byte(s))
		return append(b, `"}`...)
	}
	return appendJSONString(b, s)
}

// appendJSONString appends s, valid UTF-8, as a JSON string.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c != 0x7f {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"':
			b = append(b, '\\', '"')
		case '\\':
			b = append(b, '\\', '\\')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
