package bulk

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// The fast path of reader.read. An export writes each record on one line, and an import reads
// its file twice (check, then write); reading byte by byte through bufio (ReadByte, Peek and
// Discard per token) was most of the client's CPU. fastRecord parses a record that lies on one
// buffered line by indexing the line itself, in two steps: it checks the whole record first,
// collecting its strings as views of the line, and only then hands them to the sink, so that
// a record it cannot take leaves nothing behind. It never reports an error: anything it does
// not accept exactly as read does (an error, a record over several lines, a UTF-16 surrogate
// escape, a line longer than the buffer) goes to the byte-by-byte path, which reads it again
// from its first byte and gives the error and its line. So the fast path decides nothing
// about what a file means; it only reads the common form faster.

// fastLine is the parser's state over one line.
type fastLine struct {
	b   []byte
	p   int
	out []byte // decoded strings (escapes, base64); its capacity never grows, see fastRecord
	ok  bool
}

func (f *fastLine) ws() {
	for f.p < len(f.b) {
		c := f.b[f.p]
		if c > ' ' { // the export writes no whitespace: one comparison per token
			return
		}
		if c != ' ' && c != '\t' && c != '\r' {
			return
		}
		f.p++
	}
}

// peek returns the next byte that is not whitespace, or 0 at the end of the line.
func (f *fastLine) peek() byte {
	f.ws()
	if f.p < len(f.b) {
		return f.b[f.p]
	}
	return 0
}

func (f *fastLine) expect(c byte) bool {
	if f.peek() != c {
		f.ok = false
		return false
	}
	f.p++
	return true
}

// str reads a JSON string as reader.strView does; the opening quote is next (after whitespace).
func (f *fastLine) str() []byte {
	if !f.expect('"') {
		return nil
	}
	rest := f.b[f.p:]
	end := special(rest)
	switch {
	case end == len(rest):
		f.ok = false
		return nil
	case rest[end] == '"': // no escape, no control character: the text is the value
		f.p += end + 1
		return rest[:end]
	}
	return f.escaped()
}

// special returns the index of the first '"', '\\' or control character in s (len(s) if
// none). Strings are most of a record and most are short, where bytes.IndexByte's setup
// costs more than the search: this looks at eight bytes at a time with the classic word
// tricks ("has a byte less than n", "has a zero byte" of s XOR the byte sought). Their
// lowest flagged byte is exact — a false flag can only sit above a true one — so the first
// flag is the answer.
func special(s []byte) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := binary.LittleEndian.Uint64(s[i:])
		q := x ^ (ones * '"')
		b := x ^ (ones * '\\')
		if m := ((x-ones*0x20)&^x | (q-ones)&^q | (b-ones)&^b) & highs; m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c == '"' || c == '\\' || c < 0x20 {
			return i
		}
	}
	return len(s)
}

// escaped decodes a string with escapes into f.out.
func (f *fastLine) escaped() []byte {
	start := len(f.out)
	for f.p < len(f.b) {
		c := f.b[f.p]
		f.p++
		switch {
		case c == '"':
			return f.out[start:len(f.out):len(f.out)]
		case c < 0x20:
			f.ok = false
			return nil
		case c != '\\':
			f.out = append(f.out, c)
			continue
		}
		if f.p >= len(f.b) {
			break
		}
		e := f.b[f.p]
		f.p++
		switch e {
		case '"', '\\', '/':
			f.out = append(f.out, e)
		case 'b':
			f.out = append(f.out, '\b')
		case 'f':
			f.out = append(f.out, '\f')
		case 'n':
			f.out = append(f.out, '\n')
		case 'r':
			f.out = append(f.out, '\r')
		case 't':
			f.out = append(f.out, '\t')
		case 'u':
			if f.p+4 > len(f.b) {
				f.ok = false
				return nil
			}
			v, err := strconv.ParseUint(unsafe.String(&f.b[f.p], 4), 16, 16)
			if err != nil || f.b[f.p] == '+' || utf16.IsSurrogate(rune(v)) {
				f.ok = false // a pair of escapes: the byte-by-byte path reads them
				return nil
			}
			f.p += 4
			f.out = utf8.AppendRune(f.out, rune(v))
		default:
			f.ok = false
			return nil
		}
	}
	f.ok = false
	return nil
}

// bytestr reads a byte string: a JSON string or {"base64":"…"}.
func (f *fastLine) bytestr() []byte {
	switch f.peek() {
	case '"':
		return f.str()
	case '{':
		f.p++
		if !f.expect('"') || !bytes.HasPrefix(f.b[f.p:], []byte(`base64"`)) {
			f.ok = false
			return nil
		}
		f.p += len(`base64"`)
		if !f.expect(':') {
			return nil
		}
		s := f.str()
		if !f.ok {
			return nil
		}
		start := len(f.out)
		n := base64.StdEncoding.DecodedLen(len(s))
		f.out = f.out[:start+n]
		m, err := base64.StdEncoding.Decode(f.out[start:], s)
		f.out = f.out[:start+m]
		if err != nil || !f.expect('}') {
			f.ok = false
			return nil
		}
		return f.out[start : start+m : start+m]
	}
	f.ok = false
	return nil
}

// integer reads an integer as reader.integer does: any first byte, then digits and '-'.
func (f *fastLine) integer() int64 {
	if f.peek() == 0 {
		f.ok = false
		return 0
	}
	start := f.p
	f.p++
	for f.p < len(f.b) && (f.b[f.p] >= '0' && f.b[f.p] <= '9' || f.b[f.p] == '-') {
		f.p++
	}
	n, ok := parseDecimal(f.b[start:f.p])
	if !ok {
		f.ok = false
	}
	return n
}

// list calls item for each element of an array, as reader.list does.
func (f *fastLine) list(item func()) {
	if !f.expect('[') {
		return
	}
	if f.peek() == ']' {
		f.p++
		return
	}
	for f.ok {
		item()
		if !f.ok {
			return
		}
		switch f.peek() {
		case ']':
			f.p++
			return
		case ',':
			f.p++
		default:
			f.ok = false
		}
	}
}

// fastRecord reads line (a whole record's line without its '\n', starting at its '{') into
// d.rec and, when s is not nil, hands its value to s. ok false: the byte-by-byte path must
// read the record (nothing was handed over).
func (d *reader) fastRecord(line []byte, s sink) (ok bool, err error) {
	// Decoded strings are never longer than their text, so d.fout never grows while views
	// of it are held.
	d.fout = slices.Grow(d.fout[:0], len(line))
	f := &fastLine{b: line, p: 1, out: d.fout[:0], ok: true}
	rec := record{}
	var key []byte
	elems := d.felems[:0]
	var counts []int // a stream's entries: the strings of each
	counts = d.fcounts[:0]
	valueSeen := false
	for first := true; f.ok; first = false {
		c := f.peek()
		if c == '}' {
			if first {
				return false, nil
			}
			f.p++
			break
		}
		if !first {
			if c != ',' {
				return false, nil
			}
			f.p++
		}
		if f.peek() != '"' {
			return false, nil
		}
		name := f.str()
		if !f.ok || !f.expect(':') || valueSeen {
			return false, nil
		}
		switch string(name) {
		case "key":
			key = f.bytestr()
			rec.has.key = true
		case "type":
			t := f.str()
			if f.ok {
				rec.typ = internType(t)
			}
			rec.has.typ = true
		case "ttl_ms":
			rec.pttl = f.integer()
			rec.has.ttl = true
			if rec.pttl == 0 || rec.pttl < -1 {
				return false, nil
			}
		case "expire_at_ms":
			rec.expireAt = f.integer()
			if rec.expireAt <= 0 {
				return false, nil
			}
		case "dump":
			b64 := f.str()
			if !f.ok {
				return false, nil
			}
			raw := make([]byte, base64.StdEncoding.DecodedLen(len(b64)))
			n, err := base64.StdEncoding.Decode(raw, b64)
			if err != nil || n == 0 {
				return false, nil
			}
			rec.dump = string(raw[:n])
			valueSeen = true
		case "value":
			if !rec.has.key || !rec.has.typ || !rec.has.ttl || !typedKind(rec.typ) {
				return false, nil
			}
			elems, counts = f.value(rec.typ, elems, counts)
			valueSeen = true
		default:
			return false, nil
		}
	}
	if !f.ok || !rec.has.key || !rec.has.ttl || !valueSeen || rec.dump != "" && rec.has.typ && typedKind(rec.typ) {
		return false, nil
	}
	for _, c := range line[f.p:] { // the record must end its line
		if c != ' ' && c != '\t' && c != '\r' {
			return false, nil
		}
	}
	d.felems, d.fcounts, d.fout = elems, counts, f.out
	if !d.noKeys {
		rec.key = d.keep(key)
	}
	d.rec = rec
	if s == nil || rec.dump != "" {
		return true, nil
	}
	return true, d.emit(&d.rec, elems, counts, s)
}

// value reads a typed value's strings into elems (pairs for hashes and sorted sets; for a
// stream, each entry's id and field/value strings, their number in counts).
func (f *fastLine) value(typ string, elems [][]byte, counts []int) ([][]byte, []int) {
	item := func() { elems = append(elems, f.bytestr()) }
	switch typ {
	case typeString:
		if f.peek() == '[' {
			f.list(item)
		} else {
			item()
		}
	case typeList, typeSet:
		f.list(item)
	case typeHash, typeZSet:
		f.list(func() {
			n := 0
			f.list(func() {
				b := f.bytestr()
				if n < 2 {
					elems = append(elems, b)
				}
				n++
			})
			if !f.ok || n != 2 {
				f.ok = false
				return
			}
			if typ == typeZSet {
				sc := elems[len(elems)-1]
				if v, err := strconv.ParseFloat(unsafe.String(unsafe.SliceData(sc), len(sc)), 64); err != nil || math.IsNaN(v) {
					f.ok = false
				}
			}
		})
	case typeStream:
		f.list(func() {
			if !f.expect('[') {
				return
			}
			at := len(elems)
			elems = append(elems, f.bytestr())
			if !f.ok || !f.expect(',') {
				return
			}
			f.list(item)
			if n := len(elems) - at; !f.ok || n%2 != 1 || n < 3 {
				f.ok = false
				return
			}
			counts = append(counts, len(elems)-at)
			f.expect(']')
		})
	}
	return elems, counts
}

// emit hands a value read by fastRecord to s, as reader.value does while it reads.
func (d *reader) emit(rec *record, elems [][]byte, counts []int, s sink) error {
	if err := s.begin(rec.key, rec.typ, rec.ttlNow()); err != nil {
		return err
	}
	args := d.fargs[:0]
	step := 1
	if rec.typ == typeHash || rec.typ == typeZSet {
		step = 2
	}
	for i, c := 0, 0; i < len(elems); {
		n := step
		if rec.typ == typeStream {
			n = counts[c]
			c++
		}
		args = args[:0]
		for _, e := range elems[i : i+n] {
			args = append(args, d.keep(e))
		}
		if err := s.add(args); err != nil {
			return err
		}
		i += n
	}
	d.fargs = args
	return s.end()
}
