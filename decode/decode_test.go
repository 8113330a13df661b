package decode

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/snappy"
	"github.com/klauspost/compress/zstd"
	"github.com/vmihailenco/msgpack/v5"
)

var (
	ctx     = context.Background()
	testNow = time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
)

func TestReencodeUnchangedWritesNothing(t *testing.T) {
	for _, c := range corpus(t) {
		t.Run(c.name, func(t *testing.T) {
			r := Decode(ctx, c.raw, c.choice, Options{})
			if r.Editable() != nil {
				return
			}
			out, changed, err := Reencode(ctx, r, []byte(r.Text))
			if err != nil || changed || !bytes.Equal(out, c.raw) {
				t.Fatalf("unchanged edit: changed=%v err=%v", changed, err)
			}
		})
	}
}

// Which corpus values may be edited, and which are refused with a reason.
func TestEditable(t *testing.T) {
	editable := map[string]bool{
		"json": true, "gzip_json": true, "zlib_json": true, "deflate_json": true, "zstd_json": true,
		"lz4_json": true, "lz4block_json": true, "snappy_json": true, "snappyraw_json": true, "brotli_json": true,
		"msgpack": true, "zstd_msgpack": true, "gzip_zstd_msgpack": true, "text": true,
		"py_zlib9_json": true, "py_zlib1_json": true, "py_gzip_json": true,
	}
	for _, c := range corpus(t) {
		r := Decode(ctx, c.raw, c.choice, Options{})
		err := r.Editable()
		if editable[c.name] != (err == nil) {
			t.Errorf("%s: editable=%v, err=%v", c.name, editable[c.name], err)
		}
	}
}

// An edit of JSON inside each compression is written with the same codec, and reads back.
func TestReencodeJSONThroughEveryCompression(t *testing.T) {
	for _, c := range corpus(t) {
		r := Decode(ctx, c.raw, c.choice, Options{})
		if r.Format != JSON || r.Editable() != nil {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			edited := strings.Replace(r.Text, `"ada"`, `"grace"`, 1)
			out, changed, err := Reencode(ctx, r, []byte(edited))
			if err != nil || !changed {
				t.Fatalf("changed=%v err=%v", changed, err)
			}
			back := Decode(ctx, out, c.choice, Options{})
			if back.Chain() != r.Chain() || back.Text != edited {
				t.Fatalf("read back %q:\n%s", back.Chain(), back.Text)
			}
			// The stored edit keeps the source's layout (compact, or Python's ", " and ": ").
			if want := bytes.Replace(r.Inner(), []byte(`"ada"`), []byte(`"grace"`), 1); !bytes.Equal(back.Inner(), want) {
				t.Fatalf("stored\n%s\nwant\n%s", back.Inner(), want)
			}
		})
	}
}

func TestReencodeKeepsGzipHeaderAndZstdChecksum(t *testing.T) {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Name, w.Comment, w.ModTime = "cart.json", "from the shop", time.Unix(1700000000, 0)
	w.Write([]byte(`{"items":[1,2]}`))
	w.Close()
	r := Decode(ctx, buf.Bytes(), Auto, Options{})
	out, _, err := Reencode(ctx, r, []byte(strings.Replace(r.Text, "2", "3", 1)))
	if err != nil {
		t.Fatal(err)
	}
	gr, err := gzip.NewReader(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if gr.Name != "cart.json" || gr.Comment != "from the shop" || !gr.ModTime.Equal(time.Unix(1700000000, 0)) {
		t.Fatalf("header not kept: %+v", gr.Header)
	}
	if out[8] != 2 { // XFL: best compression
		t.Fatalf("XFL %d", out[8])
	}

	enc, _ := zstd.NewWriter(nil, zstd.WithEncoderCRC(false))
	z := enc.EncodeAll([]byte(`{"a":1}`), nil)
	enc.Close()
	r = Decode(ctx, z, Auto, Options{})
	out, _, err = Reencode(ctx, r, []byte(strings.Replace(r.Text, "1", "2", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if out[4]&0x04 != 0 {
		t.Fatal("a frame without a checksum came back with one")
	}
}

func TestReencodeMsgpackKeepsTypesAndOrder(t *testing.T) {
	raw := mp(t)
	r := Decode(ctx, raw, Auto, Options{})
	edited := strings.Replace(r.Text, `"age": 36`, `"age": 37`, 1)
	edited = strings.Replace(edited, `"ratio": 1.0`, `"ratio": 2.0`, 1)
	out, changed, err := Reencode(ctx, r, []byte(edited))
	if err != nil || !changed {
		t.Fatalf("changed=%v err=%v", changed, err)
	}
	var u mpUser
	if err := msgpack.Unmarshal(out, &u); err != nil {
		t.Fatal(err)
	}
	if u.Age != 37 || u.Ratio != 2 || u.Name != "Ada" || len(u.Tags) != 2 || !u.Admin {
		t.Fatalf("%+v", u)
	}
	// Same bytes as the application's own encoder would write for the edited struct.
	want, _ := msgpack.Marshal(mpUser{Name: "Ada", Age: 37, Ratio: 2, Tags: []string{"math", "engines"}, Admin: true})
	if !bytes.Equal(out, want) {
		t.Fatalf("re-encoded\n%x\nwant\n%x", out, want)
	}
}

func TestMsgpackLossyRefused(t *testing.T) {
	for name, v := range map[string]any{
		"bin":     map[string]any{"b": []byte{1, 2}},
		"float32": map[string]any{"f": float32(1.5)},
		"intkeys": map[int]string{1: "a"},
		"time":    map[string]any{"t": time.Unix(1, 0)},
	} {
		raw, err := msgpack.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		r := Decode(ctx, raw, MsgPack, Options{})
		if r.Err != nil {
			t.Fatalf("%s: %v", name, r.Err)
		}
		if _, _, err := Reencode(ctx, r, []byte(`{}`)); err == nil || !strings.Contains(err.Error(), "cannot be edited") {
			t.Errorf("%s: edit not refused: %v", name, err)
		}
	}
	// Fixed-width integers: what an edit would write differs from the original encoding.
	wide := []byte{0x81, 0xa1, 'n', 0xd2, 0, 0, 0, 5} // {"n": int32 5}
	r := Decode(ctx, wide, MsgPack, Options{})
	if err := r.Editable(); err == nil || !strings.Contains(err.Error(), "encodings") {
		t.Fatalf("fixed-width ints: %v", err)
	}
}

func TestReencodeRefusesBadEdits(t *testing.T) {
	r := Decode(ctx, gz(t, []byte(jsonDoc)), Auto, Options{})
	if _, _, err := Reencode(ctx, r, []byte(`{"user":`)); err == nil || !strings.Contains(err.Error(), "not valid JSON") {
		t.Fatalf("broken JSON: %v", err)
	}
	m := Decode(ctx, mp(t), Auto, Options{})
	if _, _, err := Reencode(ctx, m, []byte(`{"n": 1e999}`)); err == nil {
		t.Fatal("out-of-range number accepted")
	}
	if _, _, err := Reencode(ctx, m, []byte(`{"n": 123456789012345678901234567890}`)); err == nil {
		t.Fatal("integer beyond 64 bits accepted")
	}
	p := Decode(ctx, pb(t), Protobuf, Options{})
	if _, _, err := Reencode(ctx, p, []byte("x")); err == nil || !strings.Contains(err.Error(), "schema") {
		t.Fatalf("protobuf: %v", err)
	}
}

func TestCorruptAndTruncatedFallBackToHex(t *testing.T) {
	full := gz(t, []byte(jsonDoc))
	for name, c := range map[string]struct {
		raw    []byte
		choice Codec
	}{
		"gzip truncated":    {full[:len(full)-6], Auto},
		"gzip corrupt":      {append(append([]byte{}, full[:12]...), bytes.Repeat([]byte{0xff}, 20)...), Auto},
		"zstd truncated":    {zs([]byte(jsonDoc))[:10], Auto},
		"lz4 truncated":     {lz4Frame([]byte(jsonDoc))[:12], Auto},
		"brotli garbage":    {[]byte("definitely not brotli"), Brotli},
		"snappy raw bad":    {[]byte{0xff, 0xff, 0xff, 0xff, 0x0f}, SnappyRaw},
		"lz4 block short":   {[]byte{10, 0, 0, 0, 0x40}, LZ4Block},
		"msgpack truncated": {mp(t)[:9], MsgPack},
		"json broken":       {[]byte(`{"a":`), JSON},
		"pickle truncated":  {fixture(t, "py_pickle_p4.bin")[:100], Pickle},
		"java truncated":    {fixture(t, "java_user.bin")[:200], Java},
		"php truncated":     {fixture(t, "php_array.bin")[:40], PHP},
		"protobuf bad":      {[]byte{0x0a, 0x10, 'a'}, Protobuf},
		"bson bad":          {[]byte{5, 0, 0, 0, 1}, BSON},
		"cbor bad":          {[]byte{0xa1, 0x61}, CBOR},
	} {
		r := Decode(ctx, c.raw, c.choice, Options{})
		if r.Err == nil {
			t.Errorf("%s: no error; chain %s", name, r.Chain())
			continue
		}
		if r.Format != Hex || !strings.HasPrefix(r.Text, "00000000  ") {
			t.Errorf("%s: no hex fallback: %s", name, r.Text)
		}
		if r.Editable() == nil {
			t.Errorf("%s: a failed decode is editable", name)
		}
	}
}

func TestDecompressionBombStops(t *testing.T) {
	zeros := make([]byte, 4<<20)
	bombs := map[string][]byte{
		"gzip": gz(t, zeros), "zstd": zs(zeros), "lz4": lz4Frame(zeros), "snappy": snappyFramed(zeros),
		"zlib": zl(zeros),
	}
	for name, b := range bombs {
		r := Decode(ctx, b, Auto, Options{MaxBytes: 1 << 20})
		if !errors.Is(r.Err, ErrTooLarge) || !strings.Contains(r.Err.Error(), "1 MiB") {
			t.Errorf("%s (%d bytes compressed): %v", name, len(b), r.Err)
		}
	}
	for name, c := range map[string]Codec{"brotli": Brotli, "deflate": Deflate, "lz4-block": LZ4Block, "snappy-raw": SnappyRaw} {
		var b []byte
		switch c {
		case Brotli:
			b = br(zeros)
		case Deflate:
			b = defl(zeros)
		case LZ4Block:
			b = lz4Block(zeros)
		case SnappyRaw:
			b = snappy.Encode(nil, zeros)
		}
		r := Decode(ctx, b, c, Options{MaxBytes: 1 << 20})
		if !errors.Is(r.Err, ErrTooLarge) {
			t.Errorf("%s: %v", name, r.Err)
		}
	}
	// Below the limit the same value decodes.
	if r := Decode(ctx, gz(t, zeros), Auto, Options{}); r.Err != nil || len(r.Inner()) != len(zeros) {
		t.Fatalf("4 MiB under the default limit: %v", r.Err)
	}
}

// A few bytes that declare a huge string, array or extension must fail fast, not allocate it.
func TestDeclaredLengthsAreChecked(t *testing.T) {
	for _, b := range [][]byte{
		{0xdb, 0xff, 0xff, 0xff, 0xff, 'a'},  // str32 of 4 GiB
		{0xc6, 0xff, 0xff, 0xff, 0xff, 'a'},  // bin32
		{0xc9, 0xff, 0xff, 0xff, 0xff, 1, 2}, // ext32
		{0xdd, 0xff, 0xff, 0xff, 0xff, 1},    // array32
		{0xdf, 0xff, 0xff, 0xff, 0xff, 1},    // map32
	} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		if r := decode(ctx, b, MsgPack, Options{}); r.Err == nil || !strings.Contains(r.Err.Error(), "truncated") {
			t.Errorf("% x: %v", b, r.Err)
		}
		runtime.ReadMemStats(&after)
		if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
			t.Errorf("% x allocated %d bytes: the declared length was trusted", b, grew)
		}
	}
}

func TestTextCapStopsExpansion(t *testing.T) {
	// A pickle that shares one list 2^20 times renders far more text than its bytes.
	var p bytes.Buffer
	p.WriteString("\x80\x02]q\x00(K\x01K\x02e0") // memo 0 = [1, 2]
	for i := 0; i < 20; i++ {
		p.WriteString("h\x00h\x00\x86q\x000") // memo 0 = (memo0, memo0)
	}
	p.WriteString("h\x00.")
	r := Decode(ctx, p.Bytes(), Auto, Options{MaxBytes: 1 << 16})
	if r.Err != nil || !r.Truncated || len(r.Text) > 1<<17+100 {
		t.Fatalf("err=%v truncated=%v len=%d", r.Err, r.Truncated, len(r.Text))
	}
	if r.Editable() == nil {
		t.Fatal("a truncated text is editable")
	}
}

func TestDetectionNeverMistakesText(t *testing.T) {
	// U+0700 is DC 80: with "A" after it, an array16 of 0x8041 elements, which as many more
	// ASCII bytes (each a positive fixint) fill exactly.
	syriac := "\u0700A" + strings.Repeat("x", 0x8041)
	for _, s := range []string{syriac, "hello", "i:1", "N", "a:b", "x\x00y", "{not json", "[1,2", "s:5:\"ab\";", "12345"} {
		r := Decode(ctx, []byte(s), Auto, Options{})
		if r.Decoded() {
			t.Errorf("%q detected as %s", s, r.Chain())
		}
	}
}

func TestParseCodec(t *testing.T) {
	users := []UserDecoder{{Name: "rot13", Decode: []string{"tr", "a-z", "n-za-m"}}}
	for in, want := range map[string]Codec{"auto": Auto, "GZIP": Gzip, "messagepack": MsgPack, "user:rot13": UserCodec("rot13"), "rot13": UserCodec("rot13"), "raw": None} {
		got, err := ParseCodec(in, users)
		if err != nil || got != want {
			t.Errorf("%s: %v %v", in, got, err)
		}
	}
	if _, err := ParseCodec("zip", users); err == nil || !strings.Contains(err.Error(), "user:rot13") {
		t.Fatalf("unknown codec: %v", err)
	}
}

func TestCacheEntry(t *testing.T) {
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	abs := now.Add(90 * time.Minute)
	ticks := abs.Unix()*10_000_000 + unixEpochTicks
	sliding := int64(20 * time.Minute / 100)
	payload := gz(t, []byte(jsonDoc))

	e, ok := DetectCacheEntry(map[string]string{
		"absexp": itoa(ticks), "sldexp": itoa(sliding), "data": string(payload),
	})
	if !ok || e.DataField != "data" || !e.Absolute.Equal(abs) || *e.Sliding != 20*time.Minute {
		t.Fatalf("%+v %v", e, ok)
	}
	r := DecodeCacheEntry(ctx, e, Auto, Options{}, now)
	if r.Chain() != "gzip → JSON" || !strings.Contains(r.Note, "absolute expiration: 2026-12-04 13:30:00.0000000 UTC (in 1h30m)") ||
		!strings.Contains(r.Note, "sliding expiration: 20m after each read") || !strings.Contains(r.Note, "absexp, sldexp, data") {
		t.Fatalf("%s\n%s", r.Chain(), r.Note)
	}

	// -1 means "none" in the Lua layout.
	e, ok = DetectCacheEntry(map[string]string{"absexp": "-1", "sldexp": "-1", "data": "x"})
	if !ok || e.Absolute != nil || e.Sliding != nil {
		t.Fatalf("none: %+v %v", e, ok)
	}
	// The newer layout: dv alone, or with swv/aev.
	e, ok = DetectCacheEntry(map[string]string{"dv": "hello", "swv": itoa(sliding)})
	if !ok || e.DataField != "dv" || e.Absolute != nil || *e.Sliding != 20*time.Minute || !strings.Contains(e.Writer, "dv, swv, aev") {
		t.Fatalf("dv layout: %+v %v", e, ok)
	}
	// Lookalikes are not entries.
	for _, f := range []map[string]string{
		{"absexp": "x", "sldexp": "-1", "data": "x"},
		{"absexp": "-1", "data": "x", "other": "1"},
		{"absexp": "-1", "sldexp": "-1", "data": "x", "more": "1"},
		{"dv": "x", "aev": "-1"},
		{"dv": "x", "name": "y"},
		{"data": "x"},
	} {
		if _, ok := DetectCacheEntry(f); ok {
			t.Errorf("detected %v", f)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestUserDecoder(t *testing.T) {
	if _, err := exec.LookPath("tr"); err != nil {
		t.Skip("no tr")
	}
	users := []UserDecoder{
		{Name: "upper", Decode: []string{"tr", "a-z", "A-Z"}, Encode: []string{"tr", "A-Z", "a-z"}},
		{Name: "slow", Decode: []string{"sleep", "5"}, Timeout: 200 * time.Millisecond},
		{Name: "chatty", Decode: []string{"yes"}, MaxOutput: 1024},
		{Name: "failing", Decode: []string{"sh", "-c", "echo bad input >&2; exit 3"}},
	}
	opt := Options{Users: users}
	r := Decode(ctx, []byte("hello"), UserCodec("upper"), opt)
	if r.Err != nil || r.Text != "HELLO" || r.Chain() != "upper" {
		t.Fatalf("%v %q %q", r.Err, r.Text, r.Chain())
	}
	out, changed, err := Reencode(ctx, r, []byte("WORLD"))
	if err != nil || !changed || string(out) != "world" {
		t.Fatalf("%q %v %v", out, changed, err)
	}
	if out, changed, _ := Reencode(ctx, r, []byte("HELLO")); changed || string(out) != "hello" {
		t.Fatal("unchanged edit changed something")
	}
	start := time.Now()
	if r := Decode(ctx, []byte("x"), UserCodec("slow"), opt); r.Err == nil || !strings.Contains(r.Err.Error(), "did not finish") {
		t.Fatalf("slow: %v", r.Err)
	}
	if time.Since(start) > 4*time.Second {
		t.Fatal("the timeout did not stop the command")
	}
	if r := Decode(ctx, nil, UserCodec("chatty"), opt); r.Err == nil || !strings.Contains(r.Err.Error(), "more than 1 KiB") {
		t.Fatalf("chatty: %v", r.Err)
	}
	if r := Decode(ctx, nil, UserCodec("failing"), opt); r.Err == nil || !strings.Contains(r.Err.Error(), "bad input") {
		t.Fatalf("failing: %v", r.Err)
	}
	if r := Decode(ctx, nil, UserCodec("missing"), opt); r.Err == nil {
		t.Fatal("missing decoder")
	}
	noEncode := Decode(ctx, []byte("x"), UserCodec("failing"), Options{Users: []UserDecoder{{Name: "failing", Decode: []string{"cat"}}}})
	if err := noEncode.Editable(); err == nil || !strings.Contains(err.Error(), "no encode command") {
		t.Fatalf("no encode: %v", err)
	}
}

func TestSniffAndChoices(t *testing.T) {
	j := []byte(jsonDoc)
	for name, c := range map[string]struct {
		b    []byte
		want Codec
	}{
		"gzip": {gz(t, j)[:16], Gzip}, "zstd": {zs(j)[:8], Zstd}, "zlib": {zl(j)[:4], Zlib},
		"java": {fixture(t, "java_user.bin")[:8], Java}, "pickle": {fixture(t, "py_pickle_p4.bin")[:8], Pickle},
		"text": {[]byte("hello world"), ""}, "json": {j[:10], ""},
	} {
		if got := Sniff(c.b, 1000); got != c.want {
			t.Errorf("%s: %q", name, got)
		}
	}
	if got := Sniff(bs(t), int64(len(bs(t)))); got != BSON {
		t.Errorf("bson: %q", got)
	}
	users := []UserDecoder{{Name: "mine", Decode: []string{"cat"}}}
	if Next(Auto, nil) != None || Next(Hex, users) != UserCodec("mine") || Next(UserCodec("mine"), users) != Auto {
		t.Fatal("Next does not cycle through Choices")
	}
}

// A user decoder with detect bytes is picked by Auto, on the value itself and inside a
// compression, and an edit goes back through its encode command and the compression.
func TestUserDecoderDetect(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	users := []UserDecoder{
		{Name: "short", Decode: []string{"cat"}, Detect: []byte("UP")},
		{Name: "up", Decode: []string{"sh", "-c", "tail -c +6 | tr a-z A-Z"},
			Encode: []string{"sh", "-c", "printf UP01:; tr A-Z a-z"}, Detect: []byte("UP01:")},
	}
	opt := Options{Users: users}
	raw := []byte("UP01:hello")
	r := Decode(ctx, raw, Auto, opt)
	if r.Err != nil || r.Text != "HELLO" || r.Chain() != "up" {
		t.Fatalf("raw: %v %q %q", r.Err, r.Text, r.Chain())
	}
	wrapped := gz(t, raw)
	r = Decode(ctx, wrapped, Auto, opt)
	if r.Err != nil || r.Text != "HELLO" || r.Chain() != "gzip → up" {
		t.Fatalf("gzip: %v %q %q", r.Err, r.Text, r.Chain())
	}
	if out, changed, err := Reencode(ctx, r, []byte("HELLO")); err != nil || changed || !bytes.Equal(out, wrapped) {
		t.Fatalf("unchanged edit: %v %v", changed, err)
	}
	out, changed, err := Reencode(ctx, r, []byte("WORLD"))
	if err != nil || !changed {
		t.Fatalf("edit: %v %v", changed, err)
	}
	if back := Decode(ctx, out, Auto, opt); back.Text != "WORLD" || back.Chain() != "gzip → up" {
		t.Fatalf("read back: %q %q", back.Text, back.Chain())
	}
	if r := Decode(ctx, []byte("plain text"), Auto, opt); r.Chain() != "text" {
		t.Fatalf("a value without the detect bytes went to %q", r.Chain())
	}
}

// A viewer that reads big strings a window at a time reads the whole value for a user
// decoder's detect bytes as it does for a built-in signature.
func TestSniffSeesUserDetectBytes(t *testing.T) {
	users := []UserDecoder{{Name: "mine", Decode: []string{"cat"}, Detect: []byte("MINE")}}
	if got := Sniff([]byte("MINE and more"), 1<<20, users...); got != UserCodec("mine") {
		t.Fatalf("Sniff = %q", got)
	}
	if got := Sniff([]byte("MINE and more"), 1<<20); got != "" {
		t.Fatalf("without users Sniff = %q", got)
	}
}
