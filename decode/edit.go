package decode

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
)

// Editable reports whether an edit of r.Text can be written back losslessly, and if not why.
func (r Result) Editable() error {
	if r.Err != nil {
		return fmt.Errorf("the value did not decode: %w", r.Err)
	}
	if r.editErr != nil {
		return r.editErr
	}
	return nil
}

// Reencode turns edited display text back into the bytes to store: the edit is encoded in r's
// format and compressed again through r's layers with the settings their headers gave. When
// the edit leaves r.Text as it was, Reencode returns the original bytes and changed=false, and
// the caller writes nothing. A lossy edit is refused with the reason, before anything is built.
func Reencode(ctx context.Context, r Result, edited []byte) (out []byte, changed bool, err error) {
	if err := r.Editable(); err != nil {
		return nil, false, err
	}
	if string(edited) == r.Text {
		return r.raw, false, nil
	}
	inner, err := encodeFormat(ctx, r, edited)
	if err != nil {
		return nil, false, err
	}
	out = inner
	for i := len(r.Layers) - 1; i >= 0; i-- {
		if out, err = compress(r.Layers[i], out); err != nil {
			return nil, false, fmt.Errorf("%s: %w", r.Layers[i].Codec.Name(), err)
		}
	}
	// Read back what is about to be stored: the same layers must give back the same inner bytes.
	if err := verifyLayers(r.Layers, out, inner); err != nil {
		return nil, false, err
	}
	return out, !bytes.Equal(out, r.raw), nil
}

func verifyLayers(layers []Layer, out, want []byte) error {
	b := out
	for _, l := range layers {
		next, _, err := decompress(l.Codec, b, int64(len(want))+1)
		if err != nil {
			return fmt.Errorf("the re-encoded value does not read back: %s: %w", l.Codec.Name(), err)
		}
		b = next
	}
	if !bytes.Equal(b, want) {
		return errors.New("the re-encoded value does not read back to the edit")
	}
	return nil
}

// encodeFormat encodes the edited text in r's innermost format.
func encodeFormat(ctx context.Context, r Result, edited []byte) ([]byte, error) {
	switch {
	case r.Format == Text:
		if !isText(edited) {
			return nil, errors.New("the edit is not plain UTF-8 text")
		}
		return edited, nil
	case r.Format == JSON:
		t := bytes.TrimSpace(edited)
		if !json.Valid(t) {
			return nil, invalidJSON(t)
		}
		return jsonLayout(r.inner)(t)
	case r.Format == MsgPack:
		n, err := parseJSONTree(edited)
		if err != nil {
			return nil, fmt.Errorf("the edit is not valid JSON: %w", err)
		}
		return encodeMsgpack(n)
	case isUser(r.Format) && r.user != nil:
		out, err := r.user.run(ctx, r.user.Encode, edited)
		if err != nil {
			return nil, fmt.Errorf("decoder %s: %w", r.user.Name, err)
		}
		return out, nil
	}
	return nil, fmt.Errorf("%s cannot be written back", r.Format.Name())
}

// jsonLayout finds how the stored JSON was laid out — compact, spaced single line (Python's
// json.dumps), or indented by two or four spaces or a tab — and returns a formatter that lays
// an edit out the same way; a layout it cannot name keeps the edit as typed.
func jsonLayout(orig []byte) func([]byte) ([]byte, error) {
	var compact bytes.Buffer
	if err := json.Compact(&compact, bytes.TrimSpace(orig)); err != nil {
		return asTyped
	}
	trail := orig[len(bytes.TrimRight(orig, " \t\r\n")):]
	layouts := []func([]byte) ([]byte, error){
		compactJSON,
		spacedJSON,
		indentJSON("  "),
		indentJSON("    "),
		indentJSON("\t"),
	}
	for _, l := range layouts {
		if got, err := l(compact.Bytes()); err == nil && bytes.Equal(append(got, trail...), orig) {
			return func(b []byte) ([]byte, error) {
				out, err := l(b)
				return append(out, trail...), err
			}
		}
	}
	return asTyped
}

func asTyped(b []byte) ([]byte, error) { return b, nil }

func compactJSON(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	err := json.Compact(&buf, b)
	return buf.Bytes(), err
}

// spacedJSON writes one line with ", " and ": " between items, as Python's json.dumps does.
func spacedJSON(b []byte) ([]byte, error) {
	c, err := compactJSON(b)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(c)+len(c)/4)
	inString, escaped := false, false
	for _, ch := range c {
		out = append(out, ch)
		switch {
		case escaped:
			escaped = false
		case inString && ch == '\\':
			escaped = true
		case ch == '"':
			inString = !inString
		case !inString && (ch == ',' || ch == ':'):
			out = append(out, ' ')
		}
	}
	return out, nil
}

func indentJSON(unit string) func([]byte) ([]byte, error) {
	return func(b []byte) ([]byte, error) {
		c, err := compactJSON(b)
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		err = json.Indent(&buf, c, "", unit)
		return buf.Bytes(), err
	}
}
