package decode

// Java serialization is read by hand: no Go library parses the stream format, and a summary
// (classes, fields, values) is all a viewer needs. It follows the grammar of the Java Object
// Serialization Specification, chapter 6, and never loads or runs anything.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"
	"unicode/utf16"
)

var magicJava = []byte{0xac, 0xed, 0x00, 0x05}

const (
	tcNull           = 0x70
	tcReference      = 0x71
	tcClassDesc      = 0x72
	tcObject         = 0x73
	tcString         = 0x74
	tcArray          = 0x75
	tcClass          = 0x76
	tcBlockData      = 0x77
	tcEndBlockData   = 0x78
	tcReset          = 0x79
	tcBlockDataLong  = 0x7a
	tcException      = 0x7b
	tcLongString     = 0x7c
	tcProxyClassDesc = 0x7d
	tcEnum           = 0x7e
	baseWireHandle   = 0x7e0000

	scWriteMethod    = 0x01
	scSerializable   = 0x02
	scExternalizable = 0x04
	scBlockData      = 0x08
)

type javaField struct {
	typ       byte
	name      string
	className string
}

type javaClass struct {
	name   string
	uid    int64
	flags  byte
	fields []javaField
	super  *javaClass
}

// javaObject is what a handle refers to, for summaries of back references.
type javaObject struct{ class string }

type javaReader struct {
	b       []byte
	pos     int
	handles []any
	t       *textBuf
}

var errJavaEOF = errors.New("truncated")

func renderJava(t *textBuf, b []byte) error {
	if len(b) < 4 || string(b[:4]) != string(magicJava) {
		return errors.New("no Java serialization header (AC ED 00 05)")
	}
	r := &javaReader{b: b, pos: 4, t: t}
	first := true
	for r.pos < len(r.b) && !t.full() {
		if !first {
			t.WriteByte('\n')
		}
		first = false
		if err := r.content("", 0); err != nil {
			return fmt.Errorf("at byte %d: %w", r.pos, err)
		}
	}
	return nil
}

func (r *javaReader) need(n int) ([]byte, error) {
	if n < 0 || r.pos+n > len(r.b) {
		return nil, errJavaEOF
	}
	s := r.b[r.pos : r.pos+n]
	r.pos += n
	return s, nil
}

func (r *javaReader) u8() (byte, error) {
	s, err := r.need(1)
	if err != nil {
		return 0, err
	}
	return s[0], nil
}

func (r *javaReader) u16() (uint16, error) {
	s, err := r.need(2)
	if err != nil {
		return 0, err
	}
	return binary.BigEndian.Uint16(s), nil
}

func (r *javaReader) u32() (uint32, error) {
	s, err := r.need(4)
	if err != nil {
		return 0, err
	}
	return binary.BigEndian.Uint32(s), nil
}

func (r *javaReader) u64() (uint64, error) {
	s, err := r.need(8)
	if err != nil {
		return 0, err
	}
	return binary.BigEndian.Uint64(s), nil
}

// utf reads a length-prefixed modified UTF-8 string.
func (r *javaReader) utf(long bool) (string, error) {
	var n uint64
	if long {
		v, err := r.u64()
		if err != nil {
			return "", err
		}
		n = v
	} else {
		v, err := r.u16()
		if err != nil {
			return "", err
		}
		n = uint64(v)
	}
	if n > uint64(len(r.b)) {
		return "", errJavaEOF
	}
	s, err := r.need(int(n))
	if err != nil {
		return "", err
	}
	return modifiedUTF8(s), nil
}

// modifiedUTF8 decodes Java's modified UTF-8 (NUL as C0 80, supplementary characters as
// surrogate pairs) into a Go string.
func modifiedUTF8(b []byte) string {
	var units []uint16
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c < 0x80:
			units = append(units, uint16(c))
			i++
		case c&0xe0 == 0xc0 && i+1 < len(b):
			units = append(units, uint16(c&0x1f)<<6|uint16(b[i+1]&0x3f))
			i += 2
		case c&0xf0 == 0xe0 && i+2 < len(b):
			units = append(units, uint16(c&0x0f)<<12|uint16(b[i+1]&0x3f)<<6|uint16(b[i+2]&0x3f))
			i += 3
		default:
			units = append(units, 0xfffd)
			i++
		}
	}
	return string(utf16.Decode(units))
}

func (r *javaReader) newHandle(v any) int {
	r.handles = append(r.handles, v)
	return len(r.handles) - 1
}

func (r *javaReader) handle() (any, error) {
	h, err := r.u32()
	if err != nil {
		return nil, err
	}
	i := int(h) - baseWireHandle
	if i < 0 || i >= len(r.handles) {
		return nil, fmt.Errorf("reference to unknown handle 0x%x", h)
	}
	return r.handles[i], nil
}

// content writes one object or block of data.
func (r *javaReader) content(indent string, depth int) error {
	if depth > maxDepth {
		return errors.New("nested too deeply")
	}
	if r.t.full() {
		return nil
	}
	tc, err := r.u8()
	if err != nil {
		return err
	}
	switch tc {
	case tcNull:
		r.t.WriteString("null")
	case tcReference:
		v, err := r.handle()
		if err != nil {
			return err
		}
		switch v := v.(type) {
		case string:
			r.t.WriteString(jsonString(v))
		case *javaClass:
			r.t.WriteString("class " + v.name)
		case javaObject:
			r.t.WriteString("(back reference to a " + v.class + ")")
		default:
			r.t.WriteString("(back reference)")
		}
	case tcString, tcLongString:
		s, err := r.utf(tc == tcLongString)
		if err != nil {
			return err
		}
		r.newHandle(s)
		r.t.WriteString(jsonString(s))
	case tcClassDesc, tcProxyClassDesc:
		r.pos--
		c, err := r.classDesc(depth)
		if err != nil {
			return err
		}
		r.t.WriteString("class descriptor " + c.name)
	case tcClass:
		c, err := r.classDesc(depth)
		if err != nil {
			return err
		}
		r.newHandle(c)
		r.t.WriteString("class " + c.name)
	case tcObject:
		return r.object(indent, depth)
	case tcArray:
		return r.array(indent, depth)
	case tcEnum:
		c, err := r.classDesc(depth)
		if err != nil {
			return err
		}
		h := r.newHandle(nil)
		name, err := r.stringObject(depth)
		if err != nil {
			return err
		}
		r.handles[h] = javaObject{class: c.name}
		r.t.WriteString(c.name + "." + name)
	case tcBlockData, tcBlockDataLong:
		var n int
		if tc == tcBlockData {
			v, err := r.u8()
			if err != nil {
				return err
			}
			n = int(v)
		} else {
			v, err := r.u32()
			if err != nil {
				return err
			}
			if int64(v) > int64(len(r.b)) {
				return errJavaEOF
			}
			n = int(v)
		}
		s, err := r.need(n)
		if err != nil {
			return err
		}
		r.t.printf("<block data, %d bytes: %s>", n, hexPreview(string(s)))
	case tcReset:
		r.handles = r.handles[:0]
		r.t.WriteString("(reset)")
	case tcException:
		r.handles = r.handles[:0]
		r.t.WriteString("exception: ")
		return r.content(indent, depth+1)
	default:
		return fmt.Errorf("unexpected type code 0x%02x", tc)
	}
	return nil
}

// stringObject reads a String written as an object (TC_STRING or a reference to one).
func (r *javaReader) stringObject(depth int) (string, error) {
	tc, err := r.u8()
	if err != nil {
		return "", err
	}
	switch tc {
	case tcString, tcLongString:
		s, err := r.utf(tc == tcLongString)
		if err != nil {
			return "", err
		}
		r.newHandle(s)
		return s, nil
	case tcReference:
		v, err := r.handle()
		if err != nil {
			return "", err
		}
		if s, ok := v.(string); ok {
			return s, nil
		}
	}
	return "", fmt.Errorf("expected a string, found type code 0x%02x", tc)
}

// classDesc reads a class descriptor, a null or a reference to one.
func (r *javaReader) classDesc(depth int) (*javaClass, error) {
	if depth > maxDepth {
		return nil, errors.New("nested too deeply")
	}
	tc, err := r.u8()
	if err != nil {
		return nil, err
	}
	switch tc {
	case tcNull:
		return nil, nil
	case tcReference:
		v, err := r.handle()
		if err != nil {
			return nil, err
		}
		if c, ok := v.(*javaClass); ok {
			return c, nil
		}
		return nil, errors.New("reference to something that is not a class")
	case tcProxyClassDesc:
		c := &javaClass{name: "proxy", flags: scSerializable}
		r.newHandle(c)
		n, err := r.u32()
		if err != nil {
			return nil, err
		}
		if int64(n) > int64(len(r.b)) {
			return nil, errJavaEOF
		}
		for range n {
			s, err := r.utf(false)
			if err != nil {
				return nil, err
			}
			c.name += " " + s
		}
		if err := r.skipAnnotation(depth); err != nil {
			return nil, err
		}
		if c.super, err = r.classDesc(depth + 1); err != nil {
			return nil, err
		}
		return c, nil
	case tcClassDesc:
		name, err := r.utf(false)
		if err != nil {
			return nil, err
		}
		uid, err := r.u64()
		if err != nil {
			return nil, err
		}
		c := &javaClass{name: name, uid: int64(uid)}
		r.newHandle(c)
		if c.flags, err = r.u8(); err != nil {
			return nil, err
		}
		n, err := r.u16()
		if err != nil {
			return nil, err
		}
		for range n {
			var f javaField
			if f.typ, err = r.u8(); err != nil {
				return nil, err
			}
			if f.name, err = r.utf(false); err != nil {
				return nil, err
			}
			switch f.typ {
			case 'B', 'C', 'D', 'F', 'I', 'J', 'S', 'Z':
			case 'L', '[':
				if f.className, err = r.stringObject(depth); err != nil {
					return nil, err
				}
			default:
				return nil, fmt.Errorf("field %s has unknown type code %q", f.name, f.typ)
			}
			c.fields = append(c.fields, f)
		}
		if err := r.skipAnnotation(depth); err != nil {
			return nil, err
		}
		if c.super, err = r.classDesc(depth + 1); err != nil {
			return nil, err
		}
		return c, nil
	}
	return nil, fmt.Errorf("expected a class descriptor, found type code 0x%02x", tc)
}

// skipAnnotation reads class annotation contents up to TC_ENDBLOCKDATA, discarding their text.
func (r *javaReader) skipAnnotation(depth int) error {
	saved := r.t
	r.t = &textBuf{max: 1 << 16}
	defer func() { r.t = saved }()
	for {
		if r.pos >= len(r.b) {
			return errJavaEOF
		}
		if r.b[r.pos] == tcEndBlockData {
			r.pos++
			return nil
		}
		if err := r.content("", depth+1); err != nil {
			return err
		}
	}
}

// object writes a new object: its class and each class's field values, superclass first.
func (r *javaReader) object(indent string, depth int) error {
	c, err := r.classDesc(depth)
	if err != nil {
		return err
	}
	if c == nil {
		return errors.New("object without a class")
	}
	r.newHandle(javaObject{class: c.name})
	var chain []*javaClass
	for k := c; k != nil && len(chain) <= maxDepth; k = k.super {
		chain = append(chain, k)
	}
	r.t.WriteString(c.name + " {\n")
	in := indent + "  "
	for i := len(chain) - 1; i >= 0 && !r.t.full(); i-- {
		k := chain[i]
		switch {
		case k.flags&scExternalizable != 0 && k.flags&scBlockData == 0:
			return fmt.Errorf("%s is Externalizable in the old protocol; its data cannot be read without the class", k.name)
		case k.flags&scExternalizable != 0:
			if err := r.annotation(in, depth, k.name+".writeExternal"); err != nil {
				return err
			}
		default:
			for _, f := range k.fields {
				r.t.WriteString(in + f.name + ": ")
				if err := r.value(f, in, depth); err != nil {
					return err
				}
				r.t.WriteByte('\n')
			}
			if k.flags&scWriteMethod != 0 {
				if err := r.annotation(in, depth, k.name+".writeObject"); err != nil {
					return err
				}
			}
		}
	}
	r.t.WriteString(indent + "}")
	return nil
}

// annotation writes what a writeObject/writeExternal method wrote, up to TC_ENDBLOCKDATA.
func (r *javaReader) annotation(indent string, depth int, by string) error {
	r.t.WriteString(indent + "written by " + by + ":\n")
	for {
		if r.pos >= len(r.b) {
			return errJavaEOF
		}
		if r.b[r.pos] == tcEndBlockData {
			r.pos++
			return nil
		}
		r.t.WriteString(indent + "  ")
		if err := r.content(indent+"  ", depth+1); err != nil {
			return err
		}
		r.t.WriteByte('\n')
	}
}

// value writes one field value of type f.typ.
func (r *javaReader) value(f javaField, indent string, depth int) error {
	var err error
	switch f.typ {
	case 'B':
		var v byte
		v, err = r.u8()
		r.t.WriteString("byte " + strconv.Itoa(int(int8(v))))
	case 'C':
		var v uint16
		v, err = r.u16()
		r.t.WriteString("char " + strconv.QuoteRune(rune(v)))
	case 'D':
		var v uint64
		v, err = r.u64()
		r.t.WriteString("double " + strconv.FormatFloat(math.Float64frombits(v), 'g', -1, 64))
	case 'F':
		var v uint32
		v, err = r.u32()
		r.t.WriteString("float " + strconv.FormatFloat(float64(math.Float32frombits(v)), 'g', -1, 32))
	case 'I':
		var v uint32
		v, err = r.u32()
		r.t.WriteString("int " + strconv.Itoa(int(int32(v))))
	case 'J':
		var v uint64
		v, err = r.u64()
		r.t.WriteString("long " + strconv.FormatInt(int64(v), 10))
	case 'S':
		var v uint16
		v, err = r.u16()
		r.t.WriteString("short " + strconv.Itoa(int(int16(v))))
	case 'Z':
		var v byte
		v, err = r.u8()
		r.t.WriteString("boolean " + strconv.FormatBool(v != 0))
	default:
		return r.content(indent, depth+1)
	}
	return err
}

// array writes a new array; primitive elements are read by the type its class name gives.
func (r *javaReader) array(indent string, depth int) error {
	c, err := r.classDesc(depth)
	if err != nil {
		return err
	}
	if c == nil || len(c.name) < 2 || c.name[0] != '[' {
		return errors.New("array without an array class")
	}
	r.newHandle(javaObject{class: c.name})
	n, err := r.u32()
	if err != nil {
		return err
	}
	if int64(n) > int64(len(r.b)-r.pos) {
		return errJavaEOF
	}
	elem := javaField{typ: c.name[1]}
	r.t.printf("%s (%d elements) [", javaTypeName(c.name), n)
	if n == 0 {
		r.t.WriteString("]")
		return nil
	}
	r.t.WriteByte('\n')
	for i := range int(n) {
		if r.t.full() {
			return nil
		}
		r.t.WriteString(indent + "  ")
		if err := r.value(elem, indent+"  ", depth); err != nil {
			return err
		}
		if i < int(n)-1 {
			r.t.WriteByte(',')
		}
		r.t.WriteByte('\n')
	}
	r.t.WriteString(indent + "]")
	return nil
}

// javaTypeName turns a descriptor ("[I", "[Ljava.lang.String;") into source form.
func javaTypeName(d string) string {
	dims := 0
	for dims < len(d) && d[dims] == '[' {
		dims++
	}
	base := d[dims:]
	names := map[string]string{"B": "byte", "C": "char", "D": "double", "F": "float", "I": "int", "J": "long", "S": "short", "Z": "boolean"}
	if n, ok := names[base]; ok {
		base = n
	} else if len(base) > 2 && base[0] == 'L' && base[len(base)-1] == ';' {
		base = base[1 : len(base)-1]
	}
	for range dims {
		base += "[]"
	}
	return base
}
