package common

import "strings"

// SplitFields splits a line of field value pairs (a stream entry) as redis-cli quotes them
// ("a b" or 'a b' for a value with spaces), each then read back with Unescape.
func SplitFields(line string) ([]string, error) {
	args, ok := splitQuoted(line)
	switch {
	case !ok:
		return nil, ConstErr("unbalanced quotes; quote values with spaces like field \"a value\" or 'a value'")
	case len(args) == 0 || len(args)%2 != 0:
		return nil, ConstErr("a stream entry needs field value pairs, like: type login user 7")
	}
	for i, a := range args {
		raw, err := Unescape(a)
		if err != nil {
			return nil, err
		}
		args[i] = raw
	}
	return args, nil
}

// splitQuoted splits on spaces, keeping "double" or 'single' quoted text (with \" and \\ inside
// double quotes) as one argument. It reports false for an unclosed quote. (ui does not import
// rediscli, which would bring go-redis into the UI.)
func splitQuoted(line string) ([]string, bool) {
	var (
		out    []string
		cur    strings.Builder
		inArg  bool
		quote  rune
		escape bool
	)
	for _, r := range line {
		switch {
		case escape:
			if r != '"' {
				cur.WriteByte('\\') // kept for Unescape: "a\nb" is a line break
			}
			cur.WriteRune(r)
			escape = false
		case quote == '"' && r == '\\':
			escape = true
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '"' || r == '\'':
			quote, inArg = r, true
		case r == ' ' || r == '\t':
			if inArg {
				out = append(out, cur.String())
				cur.Reset()
				inArg = false
			}
		default:
			cur.WriteRune(r)
			inArg = true
		}
	}
	if quote != 0 || escape {
		return nil, false
	}
	if inArg {
		out = append(out, cur.String())
	}
	return out, true
}
