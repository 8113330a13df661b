package decode

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/fxamacker/cbor/v2"
)

// textBuf is a builder that stops growing at max bytes: renderers check full() and return, so
// a value that expands (a pickle memo shared a thousand times) cannot exhaust memory.
type textBuf struct {
	strings.Builder
	max       int
	truncated bool
}

func (t *textBuf) full() bool { return t.truncated }

func (t *textBuf) WriteString(s string) (int, error) {
	if t.truncated {
		return 0, nil
	}
	if t.max > 0 && t.Len()+len(s) > t.max {
		t.Builder.WriteString(s[:t.max-t.Len()])
		t.truncated = true
		return len(s), nil
	}
	return t.Builder.WriteString(s)
}

func (t *textBuf) WriteByte(c byte) error {
	_, _ = t.WriteString(string(c))
	return nil
}

func (t *textBuf) printf(format string, args ...any) {
	t.WriteString(fmt.Sprintf(format, args...))
}

// result fills r from a finished textBuf.
func (t *textBuf) result(r Result) Result {
	r.Text = t.String()
	if t.truncated {
		r.Truncated = true
		r.Text += "\n… (stopped at " + byteSize(int64(t.max)) + " of text)"
		if r.editErr == nil {
			r.editErr = errors.New("the decoded text was cut at the display limit")
		}
	}
	return r
}

// detectFormat names the structured format b is in, judged from signatures and from a parse
// that must consume every byte; "" when nothing fits.
func detectFormat(b []byte) Codec {
	switch {
	case len(b) == 0:
		return ""
	case bytes.HasPrefix(b, magicJava):
		return Java
	case len(b) > 2 && b[0] == 0x80 && b[1] >= 2 && b[1] <= 5 && b[len(b)-1] == '.':
		return Pickle
	case isJSONDoc(b):
		return JSON
	case looksBSON(b):
		return BSON
	case looksPHP(b):
		return PHP
	case looksMsgpack(b):
		return MsgPack
	case looksCBOR(b):
		return CBOR
	}
	return ""
}

// isJSONDoc accepts a JSON object or array (a bare number or string is just text).
func isJSONDoc(b []byte) bool {
	t := bytes.TrimSpace(b)
	return len(t) > 1 && (t[0] == '{' || t[0] == '[') && json.Valid(t)
}

// looksMsgpack accepts a map or array that parses to the last byte. Printable text never
// starts with those type bytes, so plain values are not mistaken for MessagePack.
func looksMsgpack(b []byte) bool {
	c := b[0]
	if !(c >= 0x80 && c <= 0x9f) && c != 0xdc && c != 0xdd && c != 0xde && c != 0xdf {
		return false
	}
	if c >= 0xdc && isText(b) {
		return false // 0xdc–0xdf also start two-byte UTF-8 characters (NKo, Arabic…): text wins
	}
	_, err := decodeMsgpack(b)
	return err == nil
}

var cborSelfDescribe = []byte{0xd9, 0xd9, 0xf7}

// looksCBOR accepts the self-describe tag, or an array or map that is well formed to the last
// byte.
func looksCBOR(b []byte) bool {
	if bytes.HasPrefix(b, cborSelfDescribe) {
		return cbor.Wellformed(b) == nil
	}
	major := b[0] >> 5
	if major != 4 && major != 5 {
		return false
	}
	return cbor.Wellformed(b) == nil
}

// format shows b in format f.
func format(f Codec, b []byte, res Result, opt Options) (Result, error) {
	res.inner = b
	res.Format = f
	t := &textBuf{max: opt.maxText()}
	switch f {
	case JSON:
		trimmed := bytes.TrimSpace(b)
		var buf bytes.Buffer
		buf.Grow(len(trimmed) + len(trimmed)/2)
		if err := json.Indent(&buf, trimmed, "", "  "); err != nil { // Indent validates
			return res, invalidJSON(trimmed)
		}
		if len(trimmed) == 0 {
			return res, errors.New("empty")
		}
		t.WriteString(buf.String())
	case MsgPack:
		n, err := decodeMsgpack(b)
		if err != nil {
			return res, err
		}
		n.renderJSON(t, "")
		res.tree = n
		res.editErr = msgpackEditable(n, b)
	case CBOR:
		s, err := cbor.Diagnose(b)
		if err != nil {
			return res, err
		}
		indentDiag(t, s)
		res.editErr = errors.New("CBOR is shown in diagnostic notation, which is not written back")
	case Protobuf:
		if err := renderProtobuf(t, b, "", 0); err != nil {
			return res, err
		}
		res = t.result(res)
		res.Text = strings.TrimSuffix(res.Text, "\n")
		res.editErr = errors.New("protobuf without its schema cannot be written back")
		return res, nil
	case Java:
		if err := renderJava(t, b); err != nil {
			return res, err
		}
		res.editErr = errors.New("Java serialization is shown as a summary, which is not written back")
	case PHP:
		if err := renderPHP(t, b); err != nil {
			return res, err
		}
		res.editErr = errors.New("PHP serialize is shown as a summary, which is not written back")
	case Pickle:
		if err := renderPickle(t, b); err != nil {
			return res, err
		}
		res.editErr = errors.New("a pickle is shown by reading its opcodes, which is not written back")
	case BSON:
		if err := renderBSON(t, b); err != nil {
			return res, err
		}
		res.editErr = errors.New("BSON is shown as Extended JSON, which is not written back")
	case Text:
		t.WriteString(string(b))
		if !isText(b) {
			res.editErr = errors.New("the value is not plain UTF-8 text")
		}
	case Hex:
		t.WriteString(HexDump(b))
		res.editErr = errors.New("binary data cannot be edited as text")
	default:
		return res, fmt.Errorf("unknown decoder %q", string(f))
	}
	return t.result(res), nil
}

// invalidJSON says where JSON parsing stopped.
func invalidJSON(b []byte) error {
	var v any
	err := json.Unmarshal(b, &v)
	if err == nil {
		return errors.New("not JSON")
	}
	return fmt.Errorf("not valid JSON: %w", err)
}

// msgpackEditable refuses edits that JSON would change: types JSON lacks, or encodings other
// than the smallest ones (which is what an edit is written with).
func msgpackEditable(n *mpNode, orig []byte) error {
	if why := n.lossy(); why != "" {
		return errors.New("MessagePack cannot be edited as JSON: " + why)
	}
	again, err := encodeMsgpack(n)
	if err != nil || !bytes.Equal(again, orig) {
		return errors.New("MessagePack cannot be edited as JSON: it uses encodings (integer or string widths) that writing it back would change")
	}
	return nil
}

// indentDiag lays out CBOR diagnostic notation one item a line, outside of quoted strings.
func indentDiag(t *textBuf, s string) {
	depth := 0
	var quote byte
	nl := func() {
		t.WriteByte('\n')
		t.WriteString(strings.Repeat("  ", depth))
	}
	for i := 0; i < len(s) && !t.full(); i++ {
		c := s[i]
		if quote != 0 {
			t.WriteByte(c)
			if c == '\\' && i+1 < len(s) {
				i++
				t.WriteByte(s[i])
			} else if c == quote {
				quote = 0
			}
			continue
		}
		switch c {
		case '"', '\'':
			quote = c
			t.WriteByte(c)
		case '[', '{':
			t.WriteByte(c)
			if i+1 < len(s) && (s[i+1] == ']' || s[i+1] == '}') {
				continue
			}
			depth++
			nl()
		case ']', '}':
			if i > 0 && (s[i-1] == '[' || s[i-1] == '{') {
				t.WriteByte(c)
				continue
			}
			depth = max(depth-1, 0)
			nl()
			t.WriteByte(c)
		case ',':
			t.WriteByte(c)
			nl()
			if i+1 < len(s) && s[i+1] == ' ' {
				i++
			}
		default:
			t.WriteByte(c)
		}
	}
}
