package rediscli

import (
	"strconv"
	"strings"
)

// Mode is one of redis-cli's output formats.
type Mode int

const (
	ModeTTY  Mode = iota // redis-cli --no-raw, the default on a terminal
	ModeRaw              // redis-cli --raw, the default when stdout is not a terminal
	ModeJSON             // redis-cli --json (see FormatJSON for where it differs)
)

// Output returns exactly what redis-cli prints for reply r to the command args in mode m.
// On top of FormatTTY, FormatRaw and FormatJSON it applies redis-cli's rule that a few
// commands whose reply is a report meant for people (INFO, CLIENT LIST, MEMORY DOCTOR, …, see
// ForcesRaw) are printed raw in every mode, with no delimiter after them. Pass nil args for a
// push that arrived out of band: redis-cli prints those with the plain formatter of the mode.
func Output(m Mode, args []string, r Reply) ([]byte, error) {
	if ForcesRaw(args) {
		return []byte(rawString(r, "\n")), nil
	}
	switch m {
	case ModeRaw:
		return []byte(FormatRaw(r)), nil
	case ModeJSON:
		return FormatJSON(r)
	}
	return []byte(FormatTTY(r)), nil
}

// ForcesRaw reports whether redis-cli prints the reply to args raw whatever the output mode:
// INFO, LOLWUT, DEBUG HTSTATS[-KEY], MEMORY MALLOC-STATS|DOCTOR, CLUSTER NODES|INFO,
// CLIENT LIST|INFO, LATENCY GRAPH <event>, LATENCY DOCTOR and PROXY INFO, with the argument
// counts redis-cli 7.0 checks.
func ForcesRaw(args []string) bool {
	if len(args) == 0 {
		return false
	}
	argc := len(args)
	cmd := strings.ToLower(args[0])
	sub := ""
	if argc >= 2 {
		sub = strings.ToLower(args[1])
	}
	switch cmd {
	case "info", "lolwut":
		return true
	case "debug":
		return sub == "htstats" || sub == "htstats-key"
	case "memory":
		return sub == "malloc-stats" || sub == "doctor"
	case "cluster":
		return argc == 2 && (sub == "nodes" || sub == "info")
	case "client":
		return sub == "list" || sub == "info"
	case "latency":
		return (argc == 3 && sub == "graph") || (argc == 2 && sub == "doctor")
	case "proxy":
		return sub == "info"
	}
	return false
}

// FormatTTY renders r as redis-cli --no-raw (and redis-cli on a terminal) prints it, ending
// in a newline: (integer) 1, (nil), (error) ERR …, "quoted" bulk strings (see Repr), numbered
// and indented arrays, maps as 1# "key" => "value" (a value of several entries starting on
// the next line), sets as 1~ …, (double) 3.14,
// (true)/(false), verbatim strings as their bare text, and (big number) 1234 (which
// redis-cli 7.0 cannot print; this is the later redis-cli's form). A push is printed as an
// array, except a client-tracking invalidation, printed as redis-cli does: -> invalidate: 'k'.
//
// RESP3 attributes, which redis-cli 7.0 rejects, are printed before the reply they annotate,
// numbered like a map but with '|' (1| "key" => …), and the reply follows on its own line.
func FormatTTY(r Reply) string {
	if r.Kind == KindPush && isInvalidation(r) {
		return formatInvalidation(r)
	}
	return tty(r, "")
}

func tty(r Reply, prefix string) string {
	if len(r.Attr) > 0 {
		attr := ttyAggregate(KindInvalid, nil, r.Attr, '|', prefix)
		r.Attr = nil
		return attr + prefix + tty(r, prefix)
	}
	switch r.Kind {
	case KindError:
		return "(error) " + cString(r.Str) + "\n"
	case KindStatus:
		return cString(r.Str) + "\n"
	case KindInteger:
		return "(integer) " + strconv.FormatInt(r.Int, 10) + "\n"
	case KindDouble:
		return "(double) " + cString(r.Str) + "\n"
	case KindBulk:
		return Repr(r.Str) + "\n"
	case KindVerbatim:
		return r.Str + "\n"
	case KindNil:
		return "(nil)\n"
	case KindBoolean:
		if r.Bool {
			return "(true)\n"
		}
		return "(false)\n"
	case KindBigNumber:
		return "(big number) " + r.Str + "\n"
	case KindArray, KindPush:
		return ttyAggregate(r.Kind, r.Elems, nil, ')', prefix)
	case KindSet:
		return ttyAggregate(r.Kind, r.Elems, nil, '~', prefix)
	case KindMap:
		return ttyAggregate(r.Kind, nil, r.Pairs, '#', prefix)
	}
	return "(invalid reply)\n"
}

// ttyAggregate is redis-cli's numbering: indexes right-aligned to the width of the largest,
// nested replies indented by that width plus two, and the first line of a nested reply written
// after its parent's index rather than on a line of its own.
func ttyAggregate(kind Kind, elems []Reply, pairs []Pair, sep byte, prefix string) string {
	n := len(elems)
	if pairs != nil {
		n = len(pairs)
	}
	if n == 0 {
		switch kind {
		case KindArray:
			return "(empty array)\n"
		case KindMap:
			return "(empty hash)\n"
		case KindSet:
			return "(empty set)\n"
		case KindPush:
			return "(empty push)\n"
		}
		return "(empty aggregate type)\n"
	}
	width := len(strconv.Itoa(n))
	inner := prefix + strings.Repeat(" ", width+2)
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(prefix)
		}
		idx := strconv.Itoa(i + 1)
		b.WriteString(strings.Repeat(" ", width-len(idx)))
		b.WriteString(idx)
		b.WriteByte(sep)
		b.WriteByte(' ')
		if pairs == nil {
			b.WriteString(tty(elems[i], inner))
			continue
		}
		key := tty(pairs[i].Key, inner)
		b.WriteString(key[:len(key)-1]) // the key's newline gives way to " => "
		b.WriteString(" => ")
		if spansLines(pairs[i].Value) {
			// redis-cli starts a value of several entries on a line of its own.
			b.WriteString("\n" + inner)
		}
		b.WriteString(tty(pairs[i].Value, inner))
	}
	return b.String()
}

// spansLines reports whether redis-cli lays r out over several entries: an aggregate of more
// than one element (map entry), or whose only element (map value) is such an aggregate. A
// string with newlines in it does not count, nor does a map's only key. (Rule derived from
// redis-cli 7.0.15's output; TestRandomRepliesMatchRedisCLI checks it on random replies.)
func spansLines(r Reply) bool {
	if len(r.Attr) > 0 {
		return true
	}
	switch r.Kind {
	case KindArray, KindSet, KindPush:
		if len(r.Elems) > 1 {
			return true
		}
		for _, e := range r.Elems {
			if spansLines(e) {
				return true
			}
		}
	case KindMap:
		if len(r.Pairs) > 1 {
			return true
		}
		for _, p := range r.Pairs {
			if spansLines(p.Value) { // a key over several lines does not count
				return true
			}
		}
	}
	return false
}

func isInvalidation(r Reply) bool {
	return len(r.Elems) == 2 && r.Elems[0].Kind == KindBulk &&
		strings.HasPrefix(r.Elems[0].Str, "invalidate") && r.Elems[1].Kind == KindArray
}

// formatInvalidation is redis-cli's line for a client-tracking invalidation: the keys in single
// quotes, unescaped, each cut at its first NUL as C's %s does.
func formatInvalidation(r Reply) string {
	var b strings.Builder
	b.WriteString("-> invalidate: ")
	for i, k := range r.Elems[1].Elems {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("'" + cString(k.Str) + "'")
	}
	b.WriteString("\n")
	return b.String()
}

// FormatRaw renders r as redis-cli --raw prints it, ending in a newline: strings as their
// bytes, integers and doubles as bare numbers, errors as their text (no "(error)", and with a
// blank line after, as redis-cli prints them), nil as nothing, aggregates as one element per
// line, map entries as key and value separated by a space, booleans as (true)/(false).
// Big numbers print as their digits; attributes are left out.
func FormatRaw(r Reply) string {
	return FormatRawDelim(r, "\n", "\n")
}

// FormatRawDelim is FormatRaw with redis-cli's -d (between the elements of an aggregate) and
// -D (after the reply) delimiters.
func FormatRawDelim(r Reply, bulkDelim, replyDelim string) string {
	return rawString(r, bulkDelim) + replyDelim
}

func rawString(r Reply, delim string) string {
	switch r.Kind {
	case KindError:
		return r.Str + "\n"
	case KindStatus, KindBulk, KindVerbatim, KindDouble, KindBigNumber:
		return r.Str
	case KindInteger:
		return strconv.FormatInt(r.Int, 10)
	case KindBoolean:
		if r.Bool {
			return "(true)"
		}
		return "(false)"
	case KindArray, KindSet, KindPush:
		var b strings.Builder
		for i, e := range r.Elems {
			if i > 0 {
				b.WriteString(delim)
			}
			b.WriteString(rawString(e, delim))
		}
		return b.String()
	case KindMap:
		var b strings.Builder
		for i, p := range r.Pairs {
			if i > 0 {
				b.WriteString(delim)
			}
			b.WriteString(rawString(p.Key, delim))
			b.WriteByte(' ')
			b.WriteString(rawString(p.Value, delim))
		}
		return b.String()
	}
	return ""
}

// Repr quotes s as redis-cli prints a bulk string (sdscatrepr): in double quotes, with \\ \"
// \n \r \t \a \b escaped, printable ASCII as is and every other byte as \xHH. SplitArgs reads
// the result back as s.
func Repr(s string) string {
	const hex = "0123456789abcdef"
	b := make([]byte, 0, len(s)+2)
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\', '"':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		case '\a':
			b = append(b, '\\', 'a')
		case '\b':
			b = append(b, '\\', 'b')
		default:
			if c >= 0x20 && c < 0x7f {
				b = append(b, c)
			} else {
				b = append(b, '\\', 'x', hex[c>>4], hex[c&0xf])
			}
		}
	}
	return string(append(b, '"'))
}

// cString is s as C's %s sees it: up to its first NUL.
func cString(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}
