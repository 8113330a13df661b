package decode

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vmihailenco/msgpack/v5"
	"github.com/vmihailenco/msgpack/v5/msgpcode"
)

// mpNode is one MessagePack value kept in wire order, so that it can be shown as JSON and an
// edit written back with the same key order and the same (smallest) encodings.
type mpNode struct {
	kind  mpKind
	b     bool
	i     int64
	u     uint64
	f     float64
	s     string   // str, bin and ext payloads
	ext   int8     // ext type
	items []mpNode // array items; map keys and values alternating
}

type mpKind uint8

const (
	mpNil mpKind = iota
	mpBool
	mpInt
	mpUint
	mpFloat32
	mpFloat64
	mpStr
	mpBin
	mpExt
	mpArray
	mpMap
)

// decodeMsgpack reads exactly one value that fills b.
func decodeMsgpack(b []byte) (*mpNode, error) {
	r := bytes.NewReader(b)
	d := msgpack.NewDecoder(r)
	var n mpNode
	if err := readMP(d, r, &n, 0); err != nil {
		return nil, err
	}
	if r.Len() > 0 {
		return nil, fmt.Errorf("%d bytes after the value", r.Len())
	}
	return &n, nil
}

func readMP(d *msgpack.Decoder, r *bytes.Reader, n *mpNode, depth int) error {
	if depth > maxDepth {
		return errors.New("nested too deeply")
	}
	c, err := d.PeekCode()
	if err != nil {
		return truncated(err)
	}
	switch {
	case c == msgpcode.Nil:
		n.kind = mpNil
		return d.DecodeNil()
	case c == msgpcode.True || c == msgpcode.False:
		n.kind = mpBool
		n.b, err = d.DecodeBool()
	case msgpcode.IsFixedNum(c) || c == msgpcode.Int8 || c == msgpcode.Int16 || c == msgpcode.Int32 || c == msgpcode.Int64:
		if c <= msgpcode.PosFixedNumHigh {
			n.kind, n.u = mpUint, uint64(c)
			_, err = r.ReadByte()
		} else {
			n.kind = mpInt
			n.i, err = d.DecodeInt64()
		}
	case c == msgpcode.Uint8 || c == msgpcode.Uint16 || c == msgpcode.Uint32 || c == msgpcode.Uint64:
		n.kind = mpUint
		n.u, err = d.DecodeUint64()
	case c == msgpcode.Float:
		n.kind = mpFloat32
		var f float32
		f, err = d.DecodeFloat32()
		n.f = float64(f)
	case c == msgpcode.Double:
		n.kind = mpFloat64
		n.f, err = d.DecodeFloat64()
	case msgpcode.IsString(c) || msgpcode.IsBin(c) || msgpcode.IsExt(c):
		// Read by hand: the library allocates a declared length before reading, so six bytes
		// claiming a 4 GiB string would allocate 4 GiB. Here the length is checked against what
		// is left first.
		return readMPBytes(r, c, n)
	case msgpcode.IsFixedArray(c) || c == msgpcode.Array16 || c == msgpcode.Array32:
		var l int
		if l, err = d.DecodeArrayLen(); err != nil {
			return truncated(err)
		}
		if l > r.Len() {
			return truncated(io.ErrUnexpectedEOF)
		}
		n.kind = mpArray
		n.items = make([]mpNode, l)
		for i := range n.items {
			if err := readMP(d, r, &n.items[i], depth+1); err != nil {
				return err
			}
		}
	case msgpcode.IsFixedMap(c) || c == msgpcode.Map16 || c == msgpcode.Map32:
		var l int
		if l, err = d.DecodeMapLen(); err != nil {
			return truncated(err)
		}
		if 2*l > r.Len() {
			return truncated(io.ErrUnexpectedEOF)
		}
		n.kind = mpMap
		n.items = make([]mpNode, 2*l)
		for i := range n.items {
			if err := readMP(d, r, &n.items[i], depth+1); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("byte 0x%02x at offset %d is not a MessagePack type", c, int(r.Size())-r.Len())
	}
	return truncated(err)
}

// readMPBytes reads a str, bin or ext value whose type byte is c.
func readMPBytes(r *bytes.Reader, c byte, n *mpNode) error {
	if _, err := r.ReadByte(); err != nil {
		return truncated(err)
	}
	size := func(width int) (int, error) {
		var b [4]byte
		if _, err := io.ReadFull(r, b[:width]); err != nil {
			return 0, truncated(err)
		}
		v := 0
		for _, x := range b[:width] {
			v = v<<8 | int(x)
		}
		return v, nil
	}
	var l int
	var err error
	switch {
	case c >= msgpcode.FixedStrLow && c <= msgpcode.FixedStrHigh:
		n.kind, l = mpStr, int(c&msgpcode.FixedStrMask)
	case c == msgpcode.Str8 || c == msgpcode.Bin8:
		l, err = size(1)
	case c == msgpcode.Str16 || c == msgpcode.Bin16:
		l, err = size(2)
	case c == msgpcode.Str32 || c == msgpcode.Bin32:
		l, err = size(4)
	case c == msgpcode.FixExt1, c == msgpcode.FixExt2, c == msgpcode.FixExt4, c == msgpcode.FixExt8, c == msgpcode.FixExt16:
		l = map[byte]int{msgpcode.FixExt1: 1, msgpcode.FixExt2: 2, msgpcode.FixExt4: 4, msgpcode.FixExt8: 8, msgpcode.FixExt16: 16}[c]
	case c == msgpcode.Ext8:
		l, err = size(1)
	case c == msgpcode.Ext16:
		l, err = size(2)
	case c == msgpcode.Ext32:
		l, err = size(4)
	}
	if err != nil {
		return err
	}
	switch {
	case msgpcode.IsString(c):
		n.kind = mpStr
	case msgpcode.IsBin(c):
		n.kind = mpBin
	default:
		n.kind = mpExt
		t, err := r.ReadByte()
		if err != nil {
			return truncated(err)
		}
		n.ext = int8(t)
	}
	if l > r.Len() {
		return errors.New("truncated")
	}
	buf := make([]byte, l)
	if _, err := io.ReadFull(r, buf); err != nil {
		return truncated(err)
	}
	n.s = string(buf)
	return nil
}

func truncated(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("truncated")
	}
	return err
}

// lossy says why n cannot pass through JSON unchanged, or "".
func (n *mpNode) lossy() string {
	switch n.kind {
	case mpFloat32:
		return "it holds 32-bit floats, which JSON cannot tell from 64-bit ones"
	case mpFloat64:
		if math.IsNaN(n.f) || math.IsInf(n.f, 0) {
			return "it holds NaN or infinite floats, which JSON cannot carry"
		}
	case mpStr:
		if !utf8.ValidString(n.s) {
			return "it holds strings that are not valid UTF-8"
		}
	case mpBin:
		return "it holds binary (bin) values, which JSON shows but cannot carry back"
	case mpExt:
		return fmt.Sprintf("it holds extension type %d values, which JSON cannot carry", n.ext)
	case mpMap:
		for i := 0; i < len(n.items); i += 2 {
			if n.items[i].kind != mpStr {
				return "it has map keys that are not strings"
			}
		}
	}
	for i := range n.items {
		if why := n.items[i].lossy(); why != "" {
			return why
		}
	}
	return ""
}

// renderJSON writes n as indented JSON. Values JSON cannot carry are written as tagged
// strings ("<bin 3 bytes: 010203>") so that nothing is hidden; lossy() then refuses edits.
func (n *mpNode) renderJSON(t *textBuf, indent string) {
	if t.full() {
		return
	}
	switch n.kind {
	case mpNil:
		t.WriteString("null")
	case mpBool:
		t.WriteString(strconv.FormatBool(n.b))
	case mpInt:
		t.WriteString(strconv.FormatInt(n.i, 10))
	case mpUint:
		t.WriteString(strconv.FormatUint(n.u, 10))
	case mpFloat32, mpFloat64:
		t.WriteString(formatFloat(n.f, n.kind == mpFloat32))
	case mpStr:
		t.WriteString(jsonString(n.s))
	case mpBin:
		t.WriteString(jsonString(fmt.Sprintf("<bin %d bytes: %s>", len(n.s), hexPreview(n.s))))
	case mpExt:
		if n.ext == -1 {
			if tm, ok := mpTimestamp(n.s); ok {
				t.WriteString(jsonString("<timestamp " + tm.UTC().Format(time.RFC3339Nano) + ">"))
				return
			}
		}
		t.WriteString(jsonString(fmt.Sprintf("<ext %d, %d bytes: %s>", n.ext, len(n.s), hexPreview(n.s))))
	case mpArray:
		if len(n.items) == 0 {
			t.WriteString("[]")
			return
		}
		t.WriteString("[\n")
		for i := range n.items {
			t.WriteString(indent + "  ")
			n.items[i].renderJSON(t, indent+"  ")
			if i < len(n.items)-1 {
				t.WriteByte(',')
			}
			t.WriteByte('\n')
		}
		t.WriteString(indent + "]")
	case mpMap:
		if len(n.items) == 0 {
			t.WriteString("{}")
			return
		}
		t.WriteString("{\n")
		for i := 0; i < len(n.items); i += 2 {
			t.WriteString(indent + "  ")
			k := &n.items[i]
			if k.kind == mpStr {
				t.WriteString(jsonString(k.s))
			} else {
				var kt textBuf
				kt.max = 4096
				k.renderJSON(&kt, "")
				t.WriteString(jsonString(kt.String()))
			}
			t.WriteString(": ")
			n.items[i+1].renderJSON(t, indent+"  ")
			if i < len(n.items)-2 {
				t.WriteByte(',')
			}
			t.WriteByte('\n')
		}
		t.WriteString(indent + "}")
	}
}

// formatFloat keeps a float recognisable as one in JSON: 1 is written "1.0", so that an edit
// reads it back as a float and re-encodes it with the same MessagePack type.
func formatFloat(f float64, is32 bool) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return jsonString(strconv.FormatFloat(f, 'g', -1, 64))
	}
	bits := 64
	if is32 {
		bits = 32
	}
	s := strconv.FormatFloat(f, 'g', -1, bits)
	if !strings.ContainsAny(s, ".eE") {
		s += ".0"
	}
	return s
}

func mpTimestamp(s string) (time.Time, bool) {
	b := []byte(s)
	switch len(b) {
	case 4:
		return time.Unix(int64(binary.BigEndian.Uint32(b)), 0), true
	case 8:
		v := binary.BigEndian.Uint64(b)
		return time.Unix(int64(v&0x3ffffffff), int64(v>>34)), true
	case 12:
		return time.Unix(int64(binary.BigEndian.Uint64(b[4:])), int64(binary.BigEndian.Uint32(b))), true
	}
	return time.Time{}, false
}

func hexPreview(s string) string {
	const max = 32
	if len(s) > max {
		return hex.EncodeToString([]byte(s[:max])) + "…"
	}
	return hex.EncodeToString([]byte(s))
}

// jsonString quotes s as JSON without HTML escaping.
func jsonString(s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(buf.String(), "\n")
}

// encodeMsgpack writes n with the smallest encodings, as the common MessagePack libraries do.
func encodeMsgpack(n *mpNode) ([]byte, error) {
	var buf bytes.Buffer
	e := msgpack.NewEncoder(&buf)
	if err := writeMP(e, n); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func writeMP(e *msgpack.Encoder, n *mpNode) error {
	switch n.kind {
	case mpNil:
		return e.EncodeNil()
	case mpBool:
		return e.EncodeBool(n.b)
	case mpInt:
		return e.EncodeInt(n.i)
	case mpUint:
		return e.EncodeUint(n.u)
	case mpFloat32:
		return e.EncodeFloat32(float32(n.f))
	case mpFloat64:
		return e.EncodeFloat64(n.f)
	case mpStr:
		return e.EncodeString(n.s)
	case mpBin:
		return e.EncodeBytes([]byte(n.s))
	case mpExt:
		if err := e.EncodeExtHeader(n.ext, len(n.s)); err != nil {
			return err
		}
		_, err := e.Writer().Write([]byte(n.s))
		return err
	case mpArray:
		if err := e.EncodeArrayLen(len(n.items)); err != nil {
			return err
		}
	case mpMap:
		if err := e.EncodeMapLen(len(n.items) / 2); err != nil {
			return err
		}
	}
	for i := range n.items {
		if err := writeMP(e, &n.items[i]); err != nil {
			return err
		}
	}
	return nil
}

// parseJSONTree reads edited JSON into a MessagePack tree, keeping key order. Integers become
// ints (uints above MaxInt64); numbers with a fraction or exponent become 64-bit floats.
func parseJSONTree(b []byte) (*mpNode, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var n mpNode
	if err := readJSONNode(d, &n, 0); err != nil {
		return nil, err
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, errors.New("text after the JSON value")
	}
	return &n, nil
}

func readJSONNode(d *json.Decoder, n *mpNode, depth int) error {
	if depth > maxDepth {
		return errors.New("nested too deeply")
	}
	tok, err := d.Token()
	if err != nil {
		return err
	}
	switch v := tok.(type) {
	case nil:
		n.kind = mpNil
	case bool:
		n.kind, n.b = mpBool, v
	case string:
		n.kind, n.s = mpStr, v
	case json.Number:
		s := string(v)
		if !strings.ContainsAny(s, ".eE") {
			if i, err := strconv.ParseInt(s, 10, 64); err == nil {
				if i >= 0 {
					n.kind, n.u = mpUint, uint64(i)
				} else {
					n.kind, n.i = mpInt, i
				}
				return nil
			}
			if u, err := strconv.ParseUint(s, 10, 64); err == nil {
				n.kind, n.u = mpUint, u
				return nil
			}
			return fmt.Errorf("number %s does not fit a 64-bit integer", s)
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return fmt.Errorf("number %s: %w", s, err)
		}
		n.kind, n.f = mpFloat64, f
	case json.Delim:
		closing := json.Delim(']')
		n.kind = mpArray
		if v == '{' {
			closing, n.kind = '}', mpMap
		}
		for d.More() {
			var item mpNode
			if n.kind == mpMap {
				kt, err := d.Token()
				if err != nil {
					return err
				}
				item = mpNode{kind: mpStr, s: kt.(string)}
				n.items = append(n.items, item)
				item = mpNode{}
			}
			if err := readJSONNode(d, &item, depth+1); err != nil {
				return err
			}
			n.items = append(n.items, item)
		}
		if t, err := d.Token(); err != nil || t != closing {
			return errors.New("unbalanced brackets")
		}
	}
	return nil
}
