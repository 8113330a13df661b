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
		if isCompactJSON(r.inner) {
			var buf bytes.Buffer
			if err := json.Compact(&buf, t); err != nil {
				return nil, err
			}
			return buf.Bytes(), nil
		}
		return t, nil
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

// isCompactJSON reports whether b has no insignificant whitespace, so an edit is stored compact
// as well; otherwise it is stored as typed.
func isCompactJSON(b []byte) bool {
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		return false
	}
	return bytes.Equal(buf.Bytes(), b)
}
