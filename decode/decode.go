package decode

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Codec names a decoder. Compressions (gzip…brotli) unwrap bytes into bytes and chain on;
// formats (JSON…BSON, text, hex) turn the innermost bytes into display text.
type Codec string

// The codecs. Auto detects from the bytes; None shows the raw bytes (text or hex).
const (
	Auto      Codec = "auto"
	None      Codec = "none"
	Gzip      Codec = "gzip"
	Zlib      Codec = "zlib"
	Deflate   Codec = "deflate"
	Zstd      Codec = "zstd"
	LZ4       Codec = "lz4"
	LZ4Block  Codec = "lz4-block"
	Snappy    Codec = "snappy"
	SnappyRaw Codec = "snappy-raw"
	Brotli    Codec = "brotli"
	JSON      Codec = "json"
	MsgPack   Codec = "msgpack"
	CBOR      Codec = "cbor"
	Protobuf  Codec = "protobuf"
	Java      Codec = "java"
	PHP       Codec = "php"
	Pickle    Codec = "pickle"
	BSON      Codec = "bson"
	Text      Codec = "text"
	Hex       Codec = "hex"
)

// Codecs lists every built-in codec a user can pick, in picker order (Auto and None first).
var Codecs = []Codec{Auto, None, JSON, Gzip, Zlib, Deflate, Zstd, LZ4, LZ4Block, Snappy, SnappyRaw, Brotli,
	MsgPack, CBOR, Protobuf, Java, PHP, Pickle, BSON, Text, Hex}

var displayNames = map[Codec]string{
	Gzip: "gzip", Zlib: "zlib", Deflate: "deflate", Zstd: "zstd", LZ4: "LZ4", LZ4Block: "LZ4 block",
	Snappy: "Snappy", SnappyRaw: "Snappy raw", Brotli: "Brotli", JSON: "JSON", MsgPack: "MessagePack",
	CBOR: "CBOR", Protobuf: "protobuf", Java: "Java serialization", PHP: "PHP serialize",
	Pickle: "pickle", BSON: "BSON", Text: "text", Hex: "hex", Auto: "auto", None: "none",
}

// Name is the codec's display name ("MessagePack", "LZ4 block"); a user decoder shows its own name.
func (c Codec) Name() string {
	if n, ok := displayNames[c]; ok {
		return n
	}
	if u, ok := strings.CutPrefix(string(c), userPrefix); ok {
		return u
	}
	return string(c)
}

// IsCompression reports whether c unwraps bytes into bytes (and so chains on to another codec).
func (c Codec) IsCompression() bool {
	switch c {
	case Gzip, Zlib, Deflate, Zstd, LZ4, LZ4Block, Snappy, SnappyRaw, Brotli:
		return true
	}
	return false
}

// ParseCodec accepts a codec name as typed on a command line ("auto", "gzip", "msgpack",
// "user:NAME"); known is the list of user decoder names.
func ParseCodec(s string, users []UserDecoder) (Codec, error) {
	l := strings.ToLower(strings.TrimSpace(s))
	for _, c := range Codecs {
		if string(c) == l {
			return c, nil
		}
	}
	switch l {
	case "messagepack":
		return MsgPack, nil
	case "proto":
		return Protobuf, nil
	case "raw":
		return None, nil
	}
	name, _ := strings.CutPrefix(s, userPrefix)
	for _, u := range users {
		if u.Name == name {
			return UserCodec(u.Name), nil
		}
	}
	names := make([]string, 0, len(Codecs)+len(users))
	for _, c := range Codecs {
		names = append(names, string(c))
	}
	for _, u := range users {
		names = append(names, userPrefix+u.Name)
	}
	return "", fmt.Errorf("unknown decoder %q; one of: %s", s, strings.Join(names, ", "))
}

// DefaultMaxBytes bounds what one decode may decompress (16 MiB).
const DefaultMaxBytes = 16 << 20

// maxDepth bounds nesting in every structured format and the number of chained layers.
const (
	maxDepth  = 256
	maxLayers = 6
)

// Options bound and extend a decode.
type Options struct {
	// MaxBytes caps the bytes any decompression may produce (default DefaultMaxBytes); the
	// rendered text is capped at twice this.
	MaxBytes int64
	// Users are the configured external decoders, picked by UserCodec(name).
	Users []UserDecoder
}

func (o Options) maxBytes() int64 {
	if o.MaxBytes <= 0 {
		return DefaultMaxBytes
	}
	return o.MaxBytes
}

func (o Options) maxText() int { return int(min(o.maxBytes()*2, 1<<30)) }

// Layer is one step of a chain: a compression with the settings read from its header, so that
// an edit can be compressed the same way.
type Layer struct {
	Codec    Codec
	settings any
}

// Result is a decoded value.
type Result struct {
	// Layers are the compressions unwrapped, outermost first.
	Layers []Layer
	// Format is how the innermost bytes are shown: a structured format, Text or Hex.
	Format Codec
	// Text is the display text: pretty JSON, a summary, the text itself, or a hex dump. It may
	// hold any bytes; callers escape it before putting it on a terminal.
	Text string
	// Note adds what the layout says beyond the format (".NET IDistributedCache, written by …").
	Note string
	// Err is why the chosen codec failed (corrupt, truncated, too large); Text then holds the
	// hex dump of the raw bytes.
	Err error
	// Truncated is set when Text stopped at the text cap.
	Truncated bool

	raw     []byte // the bytes decoded
	inner   []byte // the innermost bytes, after the layers
	editErr error  // why an edit cannot be written back; nil when it can
	tree    *mpNode
	user    *UserDecoder
}

// Chain names what was found, outermost first: "gzip → JSON", "MessagePack", "hex".
func (r Result) Chain() string {
	parts := make([]string, 0, len(r.Layers)+1)
	for _, l := range r.Layers {
		parts = append(parts, l.Codec.Name())
	}
	parts = append(parts, r.Format.Name())
	return strings.Join(parts, " → ")
}

// Decoded reports whether anything beyond raw text or hex was recognised.
func (r Result) Decoded() bool {
	return len(r.Layers) > 0 || (r.Format != Text && r.Format != Hex)
}

// Inner returns the innermost bytes, after every layer was unwrapped.
func (r Result) Inner() []byte { return r.inner }

// ErrTooLarge is wrapped by errors for data past Options.MaxBytes.
var ErrTooLarge = errors.New("exceeds the decode limit")

// Decode decodes raw with the chosen codec. Auto follows magic numbers through as many layers
// as they go; a hand-picked compression is unwrapped and what is inside is then detected. A
// failure is reported in Result.Err with a hex fallback in Text; Decode never panics on any
// input (fuzzed).
func Decode(ctx context.Context, raw []byte, choice Codec, opt Options) (res Result) {
	defer func() {
		if p := recover(); p != nil {
			// Belt and braces: the libraries are fuzzed upstream and so is this package, but a
			// viewer must not crash on a value it was only asked to show.
			res = fallback(raw, fmt.Errorf("%s decoder failed: %v", choice.Name(), p))
		}
	}()
	return decode(ctx, raw, choice, opt)
}

func decode(ctx context.Context, raw []byte, choice Codec, opt Options) Result {
	res := Result{raw: raw}
	switch {
	case choice == "" || choice == Auto:
		return detectChain(ctx, raw, res, opt)
	case choice == None:
		return plain(raw, res)
	case isUser(choice):
		return decodeUser(ctx, raw, choice, res, opt)
	case choice.IsCompression():
		inner, settings, err := decompress(choice, raw, opt.maxBytes())
		if err != nil {
			return fallback(raw, fmt.Errorf("%s: %w", choice.Name(), err))
		}
		res.Layers = append(res.Layers, Layer{Codec: choice, settings: settings})
		return detectChain(ctx, inner, res, opt)
	}
	r, err := format(choice, raw, res, opt)
	if err != nil {
		return fallback(raw, fmt.Errorf("%s: %w", choice.Name(), err))
	}
	return r
}

// detectChain unwraps compressions found by magic number, then shows what is inside. A user
// decoder whose detect bytes start the value wins over the built-in detection at every layer:
// the user named those bytes on purpose.
func detectChain(ctx context.Context, b []byte, res Result, opt Options) Result {
	for len(res.Layers) < maxLayers {
		if u := detectUser(b, opt.Users); u != nil {
			return decodeUser(ctx, b, UserCodec(u.Name), res, opt)
		}
		c := detectCompression(b)
		if c == "" {
			break
		}
		inner, settings, err := decompress(c, b, opt.maxBytes())
		if err != nil {
			if c == Zlib && !errors.Is(err, ErrTooLarge) {
				break // zlib's two-byte header is weak: this was not zlib after all
			}
			// The magic number was right and the payload is bad: say so, not just "hex".
			return fallback(res.raw, fmt.Errorf("%s: %w", c.Name(), err))
		}
		res.Layers = append(res.Layers, Layer{Codec: c, settings: settings})
		b = inner
	}
	if f := detectFormat(b); f != "" {
		r, err := format(f, b, res, opt)
		if err == nil {
			return r
		}
		if f == Java || f == Pickle {
			// Their signatures are unambiguous: a failure is a damaged value, worth saying.
			return fallback(res.raw, fmt.Errorf("%s: %w", f.Name(), err))
		}
	}
	return plain(b, res)
}

// plain shows b as text when it is printable UTF-8, else as a hex dump.
func plain(b []byte, res Result) Result {
	res.inner = b
	if isText(b) {
		res.Format = Text
		res.Text = string(b)
		return res
	}
	res.Format = Hex
	res.Text = HexDump(b)
	res.editErr = errors.New("binary data cannot be edited as text")
	return res
}

// fallback is the result of a failed decode: the error and the raw bytes as hex.
func fallback(raw []byte, err error) Result {
	r := plain(raw, Result{raw: raw})
	if r.Format == Text {
		r.Format = Hex
		r.Text = HexDump(raw)
	}
	r.Err = err
	r.editErr = fmt.Errorf("the value did not decode: %w", err)
	return r
}

// isText accepts valid UTF-8 without control characters other than tab, newline and CR.
func isText(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	for _, r := range string(b) {
		if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f || r == utf8.RuneError {
			return false
		}
	}
	return true
}

// HexDump renders b 16 bytes a line: offset, hex, ASCII.
func HexDump(b []byte) string {
	var sb strings.Builder
	const digits = "0123456789abcdef"
	for off := 0; off < len(b); off += 16 {
		end := min(off+16, len(b))
		fmt.Fprintf(&sb, "%08x  ", off)
		for i := off; i < off+16; i++ {
			if i < end {
				sb.WriteByte(digits[b[i]>>4])
				sb.WriteByte(digits[b[i]&0xf])
				sb.WriteByte(' ')
			} else {
				sb.WriteString("   ")
			}
			if i == off+7 {
				sb.WriteByte(' ')
			}
		}
		sb.WriteString(" |")
		for _, c := range b[off:end] {
			if c >= 0x20 && c < 0x7f {
				sb.WriteByte(c)
			} else {
				sb.WriteByte('.')
			}
		}
		sb.WriteString("|\n")
	}
	return strings.TrimSuffix(sb.String(), "\n")
}
