package rediscli

import (
	"errors"
	"strings"
)

// ErrInvalidArgs is SplitArgs's error for unbalanced quotes or a closing quote followed by
// something other than a space. Its message is what redis-cli prints for such a line.
var ErrInvalidArgs = errors.New("Invalid argument(s)")

// SplitArgs splits a command line into arguments exactly as redis-cli does (sdssplitargs):
//
//   - arguments are separated by white space;
//   - "double quotes" understand \n \r \t \b \a, \xHH (two hex digits) and \<any> for <any>;
//   - 'single quotes' understand only \' and take everything else literally;
//   - a quote may open in the middle of an argument (foo"bar baz" is one argument), but a closing
//     quote must be followed by white space or the end of the line;
//   - the line ends at its first NUL byte, as a C string would.
//
// An empty or blank line gives no arguments and no error.
func SplitArgs(line string) ([]string, error) {
	if i := strings.IndexByte(line, 0); i >= 0 {
		line = line[:i]
	}
	at := func(i int) byte { // C's view: past the end is the terminating NUL
		if i < len(line) {
			return line[i]
		}
		return 0
	}
	args := []string{}
	p := 0
	for {
		for p < len(line) && isCSpace(line[p]) {
			p++
		}
		if p >= len(line) {
			return args, nil
		}
		var cur []byte
		inq, insq, done := false, false, false
		for !done {
			c := at(p)
			switch {
			case inq:
				switch {
				case c == '\\' && at(p+1) == 'x' && isHex(at(p+2)) && isHex(at(p+3)):
					cur = append(cur, unhex(at(p+2))<<4|unhex(at(p+3)))
					p += 3
				case c == '\\' && at(p+1) != 0:
					p++
					cur = append(cur, unescape(at(p)))
				case c == '"':
					if n := at(p + 1); n != 0 && !isCSpace(n) {
						return nil, ErrInvalidArgs
					}
					done = true
				case c == 0:
					return nil, ErrInvalidArgs
				default:
					cur = append(cur, c)
				}
			case insq:
				switch {
				case c == '\\' && at(p+1) == '\'':
					p++
					cur = append(cur, '\'')
				case c == '\'':
					if n := at(p + 1); n != 0 && !isCSpace(n) {
						return nil, ErrInvalidArgs
					}
					done = true
				case c == 0:
					return nil, ErrInvalidArgs
				default:
					cur = append(cur, c)
				}
			default:
				switch c {
				case ' ', '\n', '\r', '\t', 0:
					done = true
				case '"':
					inq = true
				case '\'':
					insq = true
				default:
					cur = append(cur, c)
				}
			}
			if at(p) != 0 {
				p++
			}
		}
		args = append(args, string(cur))
	}
}

// Quote returns arg written so that SplitArgs (and redis-cli) reads it back as exactly arg: as
// it is when it is a plain word, otherwise in double quotes with redis-cli's escapes, the same
// text redis-cli prints for a bulk string.
func Quote(arg string) string {
	if arg == "" {
		return `""`
	}
	for i := 0; i < len(arg); i++ {
		c := arg[i]
		if c <= ' ' || c >= 0x7f || c == '"' || c == '\'' || c == '\\' {
			return Repr(arg)
		}
	}
	return arg
}

// JoinArgs quotes each argument with Quote and joins them with spaces: a command line that
// SplitArgs turns back into args.
func JoinArgs(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = Quote(a)
	}
	return strings.Join(q, " ")
}

// isCSpace is C's isspace in the "C" locale.
func isCSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

func unescape(c byte) byte {
	switch c {
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	case 'b':
		return '\b'
	case 'a':
		return '\a'
	}
	return c
}
