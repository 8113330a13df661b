package decode

import (
	"bytes"
	"strings"
	"testing"
)

// Fuzz targets call decode, not Decode, so that Decode's recover cannot hide a panic. Every
// target runs with a 1 MiB limit: decompression past it must stop, and the text must stay
// within its cap. .ci/run runs each for a few seconds.

const fuzzMax = 1 << 20

func fuzzSeeds(f *testing.F, want Codec) {
	for _, c := range corpus(f) {
		if c.choice == want || want == Auto {
			f.Add(c.raw)
		}
		// Inner bytes of chains seed the formats they resolve to.
		r := Decode(ctx, c.raw, c.choice, Options{})
		if r.Format == want {
			f.Add(r.Inner())
		}
	}
	f.Add([]byte{})
	f.Add([]byte{0})
}

func fuzzCodec(f *testing.F, c Codec) {
	fuzzSeeds(f, c)
	f.Fuzz(func(t *testing.T, b []byte) {
		r := decode(ctx, b, c, Options{MaxBytes: fuzzMax})
		checkBounded(t, r)
		if r.Editable() == nil {
			// Editing back without a change must give the stored bytes, untouched.
			out, changed, err := Reencode(ctx, r, []byte(r.Text))
			if err != nil || changed || !bytes.Equal(out, b) {
				t.Fatalf("unchanged edit: changed=%v err=%v", changed, err)
			}
		}
	})
}

func checkBounded(t *testing.T, r Result) {
	t.Helper()
	if len(r.Inner()) > fuzzMax {
		t.Fatalf("inner %d bytes past the %d limit", len(r.Inner()), fuzzMax)
	}
	if len(r.Text) > 2*fuzzMax+200 && r.Format != Hex {
		t.Fatalf("text %d bytes past the cap", len(r.Text))
	}
	if r.Err != nil && r.Format != Hex {
		t.Fatalf("error without hex fallback: %v", r.Err)
	}
}

func FuzzAuto(f *testing.F)      { fuzzCodec(f, Auto) }
func FuzzGzip(f *testing.F)      { fuzzCodec(f, Gzip) }
func FuzzZlib(f *testing.F)      { fuzzCodec(f, Zlib) }
func FuzzDeflate(f *testing.F)   { fuzzCodec(f, Deflate) }
func FuzzZstd(f *testing.F)      { fuzzCodec(f, Zstd) }
func FuzzLZ4(f *testing.F)       { fuzzCodec(f, LZ4) }
func FuzzLZ4Block(f *testing.F)  { fuzzCodec(f, LZ4Block) }
func FuzzSnappy(f *testing.F)    { fuzzCodec(f, Snappy) }
func FuzzSnappyRaw(f *testing.F) { fuzzCodec(f, SnappyRaw) }
func FuzzBrotli(f *testing.F)    { fuzzCodec(f, Brotli) }
func FuzzJSON(f *testing.F)      { fuzzCodec(f, JSON) }
func FuzzMsgPack(f *testing.F)   { fuzzCodec(f, MsgPack) }
func FuzzCBOR(f *testing.F)      { fuzzCodec(f, CBOR) }
func FuzzProtobuf(f *testing.F)  { fuzzCodec(f, Protobuf) }
func FuzzJava(f *testing.F)      { fuzzCodec(f, Java) }
func FuzzPHP(f *testing.F)       { fuzzCodec(f, PHP) }
func FuzzPickle(f *testing.F)    { fuzzCodec(f, Pickle) }
func FuzzBSON(f *testing.F)      { fuzzCodec(f, BSON) }

// FuzzMsgPackEdit feeds arbitrary JSON edits to an editable MessagePack value: each is either
// refused or stored so that it reads back as the same JSON.
func FuzzMsgPackEdit(f *testing.F) {
	f.Add(`{"name": "Ada", "n": [1, -2, 3.5, null, true]}`)
	f.Add(`[18446744073709551615, -9223372036854775808, 1e300]`)
	f.Add(`"x"`)
	base := Decode(ctx, mp(f), MsgPack, Options{})
	f.Fuzz(func(t *testing.T, edit string) {
		out, _, err := Reencode(ctx, base, []byte(edit))
		if err != nil {
			return
		}
		back := decode(ctx, out, MsgPack, Options{MaxBytes: fuzzMax})
		if back.Err != nil {
			t.Fatalf("stored edit does not decode: %v", back.Err)
		}
		again, _, err := Reencode(ctx, back, []byte(back.Text))
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("stored edit does not round-trip: %v", err)
		}
	})
}

// FuzzCacheEntry checks detection of .NET cache hashes never panics on any field values.
func FuzzCacheEntry(f *testing.F) {
	f.Add("638000000000000000", "12000000000", "data", "absexp", "sldexp", "data")
	f.Add("-1", "-1", "x", "absexp", "sldexp", "data")
	f.Add("hello", "9223372036854775807", "", "dv", "swv", "aev")
	f.Fuzz(func(t *testing.T, a, b, c, ka, kb, kc string) {
		e, ok := DetectCacheEntry(map[string]string{ka: a, kb: b, kc: c})
		if ok {
			_ = e.Summary(testNow)
			r := DecodeCacheEntry(ctx, e, Auto, Options{MaxBytes: fuzzMax}, testNow)
			if !strings.Contains(r.Note, "IDistributedCache") {
				t.Fatal(r.Note)
			}
		}
	})
}

var (
	fuzzCompressions = []Codec{Gzip, Zlib, Deflate, Zstd, LZ4, LZ4Block, Snappy, SnappyRaw, Brotli}
	fuzzFormats      = []Codec{JSON, MsgPack, CBOR, Protobuf, Java, PHP, Pickle, BSON, Text, Hex}
)

// fuzzGroup fuzzes a set of codecs in one target, the codec picked by the first input: CI runs
// the groups (one build and one warm-up each), developers the single-codec targets.
func fuzzGroup(f *testing.F, codecs []Codec) {
	for i, c := range codecs {
		for _, cc := range corpus(f) {
			if cc.choice == c {
				f.Add(uint8(i), cc.raw)
			}
			if r := Decode(ctx, cc.raw, cc.choice, Options{}); r.Format == c {
				f.Add(uint8(i), r.Inner())
			}
		}
	}
	f.Fuzz(func(t *testing.T, pick uint8, b []byte) {
		c := codecs[int(pick)%len(codecs)]
		r := decode(ctx, b, c, Options{MaxBytes: fuzzMax})
		checkBounded(t, r)
		if r.Editable() == nil {
			out, changed, err := Reencode(ctx, r, []byte(r.Text))
			if err != nil || changed || !bytes.Equal(out, b) {
				t.Fatalf("%s: unchanged edit: changed=%v err=%v", c, changed, err)
			}
		}
	})
}

func FuzzCompressions(f *testing.F) { fuzzGroup(f, fuzzCompressions) }
func FuzzFormats(f *testing.F)      { fuzzGroup(f, fuzzFormats) }
