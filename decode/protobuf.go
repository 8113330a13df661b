package decode

import (
	"errors"
	"math"
	"strconv"

	"google.golang.org/protobuf/encoding/protowire"
)

// renderProtobuf shows a message without its schema: one field a line as "number: value
// (wire type)". A length-delimited field is shown as a string when it is printable UTF-8, as a
// nested message when it parses as one to its last byte, else as bytes.
func renderProtobuf(t *textBuf, b []byte, indent string, depth int) error {
	if depth > maxDepth {
		return errors.New("nested too deeply")
	}
	if err := validProtobuf(b, depth); err != nil {
		return err
	}
	for len(b) > 0 && !t.full() {
		num, typ, n := protowire.ConsumeTag(b)
		b = b[n:]
		t.WriteString(indent + strconv.Itoa(int(num)) + ": ")
		switch typ {
		case protowire.VarintType:
			v, m := protowire.ConsumeVarint(b)
			b = b[m:]
			t.WriteString(strconv.FormatUint(v, 10))
			if int64(v) < 0 {
				t.WriteString(" (varint; int64 " + strconv.FormatInt(int64(v), 10) + ")")
			} else {
				t.WriteString(" (varint)")
			}
		case protowire.Fixed32Type:
			v, m := protowire.ConsumeFixed32(b)
			b = b[m:]
			t.printf("0x%08x (fixed32; float %s, int %d)", v,
				strconv.FormatFloat(float64(math.Float32frombits(v)), 'g', -1, 32), int32(v))
		case protowire.Fixed64Type:
			v, m := protowire.ConsumeFixed64(b)
			b = b[m:]
			t.printf("0x%016x (fixed64; double %s, int %d)", v,
				strconv.FormatFloat(math.Float64frombits(v), 'g', -1, 64), int64(v))
		case protowire.BytesType:
			v, m := protowire.ConsumeBytes(b)
			b = b[m:]
			switch {
			case len(v) > 0 && isText(v):
				t.WriteString(jsonString(string(v)) + " (string)")
			case len(v) > 0 && validProtobuf(v, depth+1) == nil:
				t.WriteString("{ (message)\n")
				_ = renderProtobuf(t, v, indent+"  ", depth+1)
				t.WriteString(indent + "}")
			default:
				t.printf("<%d bytes: %s> (bytes)", len(v), hexPreview(string(v)))
			}
		case protowire.StartGroupType:
			v, m := protowire.ConsumeGroup(num, b)
			b = b[m:]
			t.WriteString("{ (group)\n")
			_ = renderProtobuf(t, v, indent+"  ", depth+1)
			t.WriteString(indent + "}")
		}
		t.WriteByte('\n')
	}
	return nil
}

// validProtobuf checks that b is a sequence of well-formed fields with valid numbers.
func validProtobuf(b []byte, depth int) error {
	if len(b) == 0 {
		return errors.New("empty")
	}
	if depth > maxDepth {
		return errors.New("nested too deeply")
	}
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return protowire.ParseError(n)
		}
		if !num.IsValid() {
			return errors.New("field number " + strconv.Itoa(int(num)) + " is out of range")
		}
		if typ == protowire.EndGroupType {
			return errors.New("end of a group that was not started")
		}
		m := protowire.ConsumeFieldValue(num, typ, b[n:])
		if m < 0 {
			return protowire.ParseError(m)
		}
		b = b[n+m:]
	}
	return nil
}
