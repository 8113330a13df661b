package bulk

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"time"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// reader parses export files record by record, streaming a value's elements into a sink so
// that a big value is never held whole. It accepts what the export writes (and any JSON with
// the same structure: whitespace, field order with the value last, escapes); it is written by
// hand because encoding/json's token stream allocates per token and cannot hand a value over
// in pieces.
type reader struct {
	r    *bufio.Reader
	line int // 1-based line of the record being read
	sbuf []byte
	raw  []byte // bytesView's decoded base64
	// chunk holds the strings keep made; appended to only (see keep)
	chunk []byte
	rec   record // the record read last (read returns it; valid until the next read)
	// noKeys leaves record.key empty: the check pass of an import that looks nothing up reads
	// the file without allocating per record.
	noKeys bool
	// fastRecord's buffers, reused from record to record
	fout    []byte
	felems  [][]byte
	fcounts []int
	fargs   []string
	noFast  bool // every record byte by byte (tests compare both paths)
}

// internType returns the constant for a known type name (no allocation per record).
func internType(b []byte) string {
	switch string(b) {
	case typeString:
		return typeString
	case typeList:
		return typeList
	case typeSet:
		return typeSet
	case typeZSet:
		return typeZSet
	case typeHash:
		return typeHash
	case typeStream:
		return typeStream
	}
	return string(b)
}

// parseDecimal parses an optionally negative decimal integer as strconv.ParseInt does, without
// the string ParseInt needs.
func parseDecimal(b []byte) (int64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 19 {
		return 0, false
	}
	var n uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	if neg && n == 1<<63 {
		return math.MinInt64, true
	}
	if n > math.MaxInt64 {
		return 0, false
	}
	if neg {
		return -int64(n), true
	}
	return int64(n), true
}

func newReader(r io.Reader) *reader { return &reader{r: bufio.NewReaderSize(r, 1<<20)} }

// syntaxError is a malformed file; Import stops on it, before writing anything when the file
// is checked first.
type syntaxError struct {
	line int
	msg  string
}

func (e *syntaxError) Error() string { return fmt.Sprintf("bulk: line %d: %s", e.line, e.msg) }

func (d *reader) errf(format string, a ...any) error {
	return &syntaxError{line: d.line, msg: fmt.Sprintf(format, a...)}
}

func (d *reader) byte() (byte, error) {
	c, err := d.r.ReadByte()
	if err == io.EOF {
		return 0, d.errf("unexpected end of file")
	}
	return c, err
}

// next returns the next byte that is not JSON whitespace (newlines inside a record allowed).
func (d *reader) next() (byte, error) {
	for {
		c, err := d.byte()
		if err != nil {
			return 0, err
		}
		switch c {
		case ' ', '\t', '\r':
		case '\n':
			d.line++
		default:
			return c, nil
		}
	}
}

func (d *reader) expect(want byte) error {
	c, err := d.next()
	if err != nil {
		return err
	}
	if c != want {
		return d.errf("expected %q, found %q", want, c)
	}
	return nil
}

// str reads a JSON string (the opening quote already read when open is true).
func (d *reader) str(open bool) (string, error) {
	b, err := d.strView(open)
	return d.keep(b), err
}

// keep returns b as a string. Short strings are copied into a shared chunk rather than
// allocated one by one: an import makes several per key, and the allocations were a tenth of
// its CPU. A chunk is only ever appended to, never rewritten, so the strings pointing into it
// stay immutable; the chunk is freed with the last of them.
func (d *reader) keep(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > keepMax {
		return string(b)
	}
	if len(d.chunk)+len(b) > cap(d.chunk) {
		d.chunk = make([]byte, 0, chunkSize)
	}
	off := len(d.chunk)
	d.chunk = append(d.chunk, b...)
	return unsafe.String(&d.chunk[off], len(b))
}

const (
	keepMax   = 1 << 10
	chunkSize = 64 << 10
)

// strView reads a JSON string as str does, into a buffer reused by the next call: the check
// pass reads a whole file this way without allocating per string.
func (d *reader) strView(open bool) ([]byte, error) {
	if !open {
		if err := d.expect('"'); err != nil {
			return nil, err
		}
	}
	b := d.sbuf[:0]
	for {
		// Fast path: copy the buffered run of plain bytes at once.
		if n := d.r.Buffered(); n > 0 {
			buf, _ := d.r.Peek(n)
			i := 0
			for i < len(buf) && buf[i] != '"' && buf[i] != '\\' && buf[i] >= 0x20 {
				i++
			}
			b = append(b, buf[:i]...)
			if i < len(buf) && buf[i] == '"' { // the whole rest of the string was buffered
				_, _ = d.r.Discard(i + 1)
				d.sbuf = b
				return b, nil
			}
			_, _ = d.r.Discard(i)
		}
		c, err := d.byte()
		if err != nil {
			return nil, err
		}
		switch {
		case c == '"':
			d.sbuf = b
			return b, nil
		case c == '\\':
			e, err := d.byte()
			if err != nil {
				return nil, err
			}
			switch e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, err := d.hex4()
				if err != nil {
					return nil, err
				}
				if utf16.IsSurrogate(r) {
					if c1, _ := d.byte(); c1 != '\\' {
						return nil, d.errf("lone UTF-16 surrogate in a string")
					}
					if c2, _ := d.byte(); c2 != 'u' {
						return nil, d.errf("lone UTF-16 surrogate in a string")
					}
					r2, err := d.hex4()
					if err != nil {
						return nil, err
					}
					if r = utf16.DecodeRune(r, r2); r == utf8.RuneError {
						return nil, d.errf("invalid UTF-16 surrogate pair in a string")
					}
				}
				b = utf8.AppendRune(b, r)
			default:
				return nil, d.errf("invalid escape \\%c in a string", e)
			}
		case c < 0x20:
			return nil, d.errf("control character 0x%02x inside a string (a line cut short?)", c)
		default:
			b = append(b, c)
		}
	}
}

func (d *reader) hex4() (rune, error) {
	var r rune
	for range 4 {
		c, err := d.byte()
		if err != nil {
			return 0, err
		}
		var v byte
		switch {
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		default:
			return 0, d.errf("invalid \\u escape")
		}
		r = r<<4 | rune(v)
	}
	return r, nil
}

// bytes reads a byte string: a JSON string, or {"base64":"…"}.
func (d *reader) bytes() (string, error) {
	b, err := d.bytesView()
	return d.keep(b), err
}

// bytesView reads a byte string as bytes does, into a buffer reused by the next call.
func (d *reader) bytesView() ([]byte, error) {
	c, err := d.next()
	if err != nil {
		return nil, err
	}
	switch c {
	case '"':
		return d.strView(true)
	case '{':
		k, err := d.strView(false)
		if err != nil {
			return nil, err
		}
		if string(k) != "base64" {
			return nil, d.errf("a byte string object has %q, want \"base64\"", k)
		}
		if err := d.expect(':'); err != nil {
			return nil, err
		}
		s, err := d.strView(false)
		if err != nil {
			return nil, err
		}
		d.raw = slices.Grow(d.raw[:0], base64.StdEncoding.DecodedLen(len(s)))[:base64.StdEncoding.DecodedLen(len(s))]
		n, err := base64.StdEncoding.Decode(d.raw, s)
		if err != nil {
			return nil, d.errf("invalid base64: %v", err)
		}
		return d.raw[:n], d.expect('}')
	}
	return nil, d.errf("expected a string or {\"base64\":…}, found %q", c)
}

// integer reads a JSON integer.
func (d *reader) integer() (int64, error) {
	c, err := d.next()
	if err != nil {
		return 0, err
	}
	var buf [24]byte
	b := append(buf[:0], c)
	for {
		// The buffered digits at once; byte by byte only where the buffer ends.
		if n := d.r.Buffered(); n > 0 {
			p, _ := d.r.Peek(n)
			i := 0
			for i < len(p) && (p[i] >= '0' && p[i] <= '9' || p[i] == '-') {
				i++
			}
			b = append(b, p[:i]...)
			_, _ = d.r.Discard(i)
			if i < len(p) {
				break
			}
		}
		c, err := d.r.ReadByte()
		if err != nil {
			break
		}
		if (c < '0' || c > '9') && c != '-' {
			_ = d.r.UnreadByte()
			break
		}
		b = append(b, c)
	}
	n, ok := parseDecimal(b)
	if !ok {
		return 0, d.errf("invalid integer %q", b)
	}
	return n, nil
}

// list calls item once per element of a JSON array.
func (d *reader) list(item func() error) error {
	if err := d.expect('['); err != nil {
		return err
	}
	c, err := d.next()
	if err != nil {
		return err
	}
	if c == ']' {
		return nil
	}
	_ = d.r.UnreadByte()
	for {
		if err := item(); err != nil {
			return err
		}
		c, err := d.next()
		if err != nil {
			return err
		}
		switch c {
		case ']':
			return nil
		case ',':
		default:
			return d.errf("expected ',' or ']', found %q", c)
		}
	}
}

// record is one key of an export file, up to its value.
type record struct {
	key      string
	typ      string // "" in the dump format
	pttl     int64
	expireAt int64  // Unix ms; 0 when the record has none
	dump     string // dump format, or a module type in jsonl
	has      struct{ key, typ, ttl bool }
}

// ttlNow is the TTL in ms the key has left now: from expire_at_ms when the record has it
// (so that an import later than the export expires the key when the source's copy expired),
// else ttl_ms; 0 when it has expired, -1 when it has none.
func (r *record) ttlNow() int64 {
	if r.pttl < 0 {
		return -1
	}
	if r.expireAt > 0 {
		return max(0, r.expireAt-time.Now().UnixMilli())
	}
	return r.pttl
}

// errEOF marks the clean end of the file.
var errEOF = errors.New("end of file")

// read reads the next record; its value's elements go to s (begin/add/end) as they are parsed.
// s may be nil to check the syntax only. It returns errEOF after the last record.
func (d *reader) read(s sink) (*record, error) {
	var c byte
	for {
		var err error
		c, err = d.r.ReadByte()
		if err == io.EOF {
			return nil, errEOF
		}
		if err != nil {
			return nil, err
		}
		if c == '\n' {
			d.line++
			continue
		}
		if c != ' ' && c != '\t' && c != '\r' {
			break
		}
	}
	d.line++
	if c != '{' {
		return nil, d.errf("a record must start with '{', found %q", c)
	}
	_ = d.r.UnreadByte()
	if line, ok := d.bufferedLine(); ok && !d.noFast {
		if ok, err := d.fastRecord(line, s); ok {
			_, _ = d.r.Discard(len(line)) // the '\n' is left, as below
			if err != nil {
				return nil, err
			}
			return &d.rec, nil
		}
	}
	_, _ = d.r.ReadByte() // the '{' again: the record is read byte by byte
	d.rec = record{}
	rec := &d.rec
	valueSeen := false
	for first := true; ; first = false {
		c, err := d.next()
		if err != nil {
			return nil, err
		}
		if c == '}' && first {
			return nil, d.errf("empty record")
		}
		if !first {
			if c == '}' {
				break
			}
			if c != ',' {
				return nil, d.errf("expected ',' or '}', found %q", c)
			}
			if c, err = d.next(); err != nil {
				return nil, err
			}
		}
		if c != '"' {
			return nil, d.errf("expected a field name, found %q", c)
		}
		name, err := d.strView(true)
		if err != nil {
			return nil, err
		}
		if err := d.expect(':'); err != nil {
			return nil, err
		}
		if valueSeen {
			return nil, d.errf("field %q after the value (the value must come last)", name)
		}
		switch string(name) {
		case "key":
			if d.noKeys {
				_, err = d.bytesView()
			} else {
				rec.key, err = d.bytes()
			}
			rec.has.key = true
		case "type":
			var typ []byte
			typ, err = d.strView(false)
			rec.typ = internType(typ)
			rec.has.typ = true
		case "ttl_ms":
			rec.pttl, err = d.integer()
			rec.has.ttl = true
			if err == nil && (rec.pttl == 0 || rec.pttl < -1) {
				err = d.errf("ttl_ms %d: want -1 (no TTL) or a positive number of milliseconds", rec.pttl)
			}
		case "expire_at_ms":
			rec.expireAt, err = d.integer()
			if err == nil && rec.expireAt <= 0 {
				err = d.errf("expire_at_ms %d: want a Unix time in milliseconds", rec.expireAt)
			}
		case "dump":
			var b64 string
			if b64, err = d.str(false); err == nil {
				var raw []byte
				if raw, err = base64.StdEncoding.DecodeString(b64); err != nil {
					err = d.errf("invalid base64 in dump: %v", err)
				}
				rec.dump = string(raw)
				if rec.dump == "" && err == nil {
					err = d.errf("empty dump payload")
				}
			}
			valueSeen = true
		case "value":
			if !rec.has.key || !rec.has.typ || !rec.has.ttl {
				return nil, d.errf("\"value\" before \"key\", \"type\" and \"ttl_ms\"")
			}
			err = d.value(rec, s)
			valueSeen = true
		default:
			return nil, d.errf("unknown field %q", name)
		}
		if err != nil {
			return nil, err
		}
	}
	switch {
	case !rec.has.key:
		return nil, d.errf("record without \"key\"")
	case !rec.has.ttl:
		return nil, d.errf("record without \"ttl_ms\"")
	case !valueSeen:
		return nil, d.errf("record without \"value\" or \"dump\"")
	case rec.dump != "" && rec.has.typ && typedKind(rec.typ):
		return nil, d.errf("a %s carries \"value\", not \"dump\"", rec.typ)
	}
	// The record must end its line.
	for {
		c, err := d.r.ReadByte()
		if err == io.EOF || c == '\n' {
			if c == '\n' {
				_ = d.r.UnreadByte()
			}
			return rec, nil
		}
		if err != nil {
			return nil, err
		}
		if c != ' ' && c != '\t' && c != '\r' {
			return nil, d.errf("text after the record's closing '}'")
		}
	}
}

// bufferedLine returns the rest of the current line, without its '\n', when all of it is (or
// can be) in the reader's buffer.
func (d *reader) bufferedLine() ([]byte, bool) {
	buf, _ := d.r.Peek(d.r.Buffered())
	i := bytes.IndexByte(buf, '\n')
	if i < 0 {
		buf, _ = d.r.Peek(d.r.Size()) // fills the buffer (less at the end of the file)
		if i = bytes.IndexByte(buf, '\n'); i < 0 {
			return nil, false
		}
	}
	return buf[:i], true
}

// value streams a typed value into s.
func (d *reader) value(rec *record, s sink) error {
	if !typedKind(rec.typ) {
		return d.errf("type %q carries a \"dump\", not a \"value\"", rec.typ)
	}
	if s != nil {
		if err := s.begin(rec.key, rec.typ, rec.ttlNow()); err != nil {
			return err
		}
	}
	add := func(e ...string) error {
		if s == nil {
			return nil
		}
		return s.add(e)
	}
	// elem reads one byte string; the check pass (s nil) only checks it.
	elem := func() (string, error) {
		if s == nil {
			_, err := d.bytesView()
			return "", err
		}
		return d.bytes()
	}
	var err error
	switch rec.typ {
	case typeString:
		c, err2 := d.next()
		if err2 != nil {
			return err2
		}
		_ = d.r.UnreadByte()
		if c == '[' {
			err = d.list(func() error {
				b, err := elem()
				if err != nil {
					return err
				}
				return add(b)
			})
		} else {
			var b string
			if b, err = elem(); err == nil {
				err = add(b)
			}
		}
	case typeList, typeSet:
		err = d.list(func() error {
			b, err := elem()
			if err != nil {
				return err
			}
			return add(b)
		})
	case typeHash, typeZSet:
		err = d.list(func() error {
			var pair [2]string
			n := 0
			if err := d.list(func() error {
				var b string
				var err error
				if rec.typ == typeZSet && n == 1 {
					b, err = d.bytes() // the score is checked below
				} else {
					b, err = elem()
				}
				if n < 2 {
					pair[n] = b
				}
				n++
				return err
			}); err != nil {
				return err
			}
			if n != 2 {
				return d.errf("a %s element must be a [name, value] pair, found %d items", rec.typ, n)
			}
			if rec.typ == typeZSet {
				if f, err := strconv.ParseFloat(pair[1], 64); err != nil || math.IsNaN(f) {
					return d.errf("invalid score %q", pair[1])
				}
			}
			return add(pair[0], pair[1])
		})
	case typeStream:
		err = d.list(func() error {
			if err := d.expect('['); err != nil {
				return err
			}
			id, err := d.bytes()
			if err != nil {
				return err
			}
			entry := []string{id}
			if err := d.expect(','); err != nil {
				return err
			}
			if err := d.list(func() error {
				b, err := d.bytes()
				entry = append(entry, b)
				return err
			}); err != nil {
				return err
			}
			if len(entry)%2 != 1 || len(entry) < 3 {
				return d.errf("stream entry %q must have field/value pairs", id)
			}
			if err := d.expect(']'); err != nil {
				return err
			}
			return add(entry...)
		})
	}
	if err != nil {
		return err
	}
	if s != nil {
		return s.end()
	}
	return nil
}
