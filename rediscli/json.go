package rediscli

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ErrNotUTF8 is FormatJSON's error for a reply holding a string that is not valid UTF-8, which a
// JSON document cannot carry without changing it.
var ErrNotUTF8 = errors.New("reply holds bytes that are not UTF-8 text, which JSON cannot carry; use raw or TTY output")

// FormatJSON renders r as redis-cli --json prints it, ending in a newline: strings as JSON
// strings, integers, doubles and big numbers as numbers, nil as null, booleans as true/false,
// arrays, sets and pushes as arrays, maps as objects (a key that is not a string becomes the
// string of its JSON, as {"1":…}), verbatim strings as their text. Attributes are left out.
//
// It is byte for byte redis-cli 7.0's output wherever that output is JSON. Where it is not,
// FormatJSON stays valid JSON instead:
//   - an error reply is {"error":"ERR …"} (redis-cli prints error:"ERR …");
//   - a double that is inf, -inf or nan is the string "inf", "-inf" or "nan";
//   - a status string is escaped as JSON (redis-cli uses its \xHH quoting);
//   - a non-string map key is escaped properly inside its quotes.
//
// A string that is not valid UTF-8 (binary data) is an error, ErrNotUTF8, rather than the
// invalid document redis-cli writes: JSON readers would silently replace those bytes.
func FormatJSON(r Reply) ([]byte, error) {
	var b strings.Builder
	if err := writeJSON(&b, r); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return []byte(b.String()), nil
}

func writeJSON(b *strings.Builder, r Reply) error {
	switch r.Kind {
	case KindError:
		b.WriteString(`{"error":`)
		if err := jsonString(b, r.Str); err != nil {
			return err
		}
		b.WriteByte('}')
	case KindStatus, KindBulk, KindVerbatim:
		return jsonString(b, r.Str)
	case KindInteger:
		b.WriteString(strconv.FormatInt(r.Int, 10))
	case KindDouble:
		switch {
		case math.IsInf(r.Float, 1):
			b.WriteString(`"inf"`)
		case math.IsInf(r.Float, -1):
			b.WriteString(`"-inf"`)
		case math.IsNaN(r.Float):
			b.WriteString(`"nan"`)
		case isJSONNumber(r.Str):
			b.WriteString(r.Str)
		default:
			b.WriteString(strconv.FormatFloat(r.Float, 'g', 17, 64))
		}
	case KindBigNumber:
		if isJSONNumber(r.Str) {
			b.WriteString(r.Str)
		} else {
			return jsonString(b, r.Str)
		}
	case KindNil:
		b.WriteString("null")
	case KindBoolean:
		b.WriteString(strconv.FormatBool(r.Bool))
	case KindArray, KindSet, KindPush:
		b.WriteByte('[')
		for i, e := range r.Elems {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeJSON(b, e); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case KindMap:
		b.WriteByte('{')
		for i, p := range r.Pairs {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := jsonKey(b, p.Key); err != nil {
				return err
			}
			b.WriteByte(':')
			if err := writeJSON(b, p.Value); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	default:
		return fmt.Errorf("rediscli: cannot render a reply of kind %s as JSON", r.Kind)
	}
	return nil
}

func jsonKey(b *strings.Builder, k Reply) error {
	switch k.Kind {
	case KindStatus, KindBulk, KindVerbatim:
		return jsonString(b, k.Str)
	}
	var inner strings.Builder
	if err := writeJSON(&inner, k); err != nil {
		return err
	}
	s := inner.String()
	if strings.HasPrefix(s, `"`) { // a non-finite double is already a string
		b.WriteString(s)
		return nil
	}
	return jsonString(b, s)
}

// jsonString writes s as redis-cli's escapeJsonString does: \" \\ \n \f \r \t \b, other
// control bytes as \u00XX, everything else (DEL and UTF-8 included) as is.
func jsonString(b *strings.Builder, s string) error {
	if !utf8.ValidString(s) {
		return ErrNotUTF8
	}
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\', '"':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\f':
			b.WriteString(`\f`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		default:
			if c < 0x20 {
				b.WriteString(`\u00`)
				b.WriteByte(hex[c>>4])
				b.WriteByte(hex[c&0xf])
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
	return nil
}

// isJSONNumber reports whether s is a number in JSON's grammar: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?
func isJSONNumber(s string) bool {
	i := 0
	digits := func() int {
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i - start
	}
	if i < len(s) && s[i] == '-' {
		i++
	}
	if i < len(s) && s[i] == '0' {
		i++
	} else if digits() == 0 {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}
