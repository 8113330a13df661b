package ui

import (
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"

	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/redis/go-redis/v9"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/amr-tui/amr-tui/decode"
	"github.com/amr-tui/amr-tui/internal/redistest"
)

func gzipped(t *testing.T, s string) []byte {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Name = "cart.json"
	w.Write([]byte(s))
	w.Close()
	return buf.Bytes()
}

type cartMP struct {
	User  string   `msgpack:"user"`
	Items []string `msgpack:"items"`
	Total float64  `msgpack:"total"`
}

// Decoded values on a real redis-server: shown as the application meant them, edited in
// $EDITOR and written back with the same codec and settings, byte-identical when unchanged.
func TestDecodedValuesRealRedis(t *testing.T) {
	srv := redistest.StartRedisServer(t)
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr})
	t.Cleanup(func() { _ = rdb.Close() })
	ctx := context.Background()
	gz := gzipped(t, `{"user":"ada","items":[1,2]}`)
	mp, _ := msgpack.Marshal(cartMP{User: "ada", Items: []string{"sku-1"}, Total: 9.5})
	rdb.Set(ctx, "gz", gz, time.Hour)
	rdb.Set(ctx, "mp", mp, 0)
	rdb.Set(ctx, "pb", []byte{0x08, 0x96, 0x01, 0x12, 0x02, 'h', 'i'}, 0)

	a, _ := testApp(t, goRedisStore{rdb}, uitest.NewFakeSession(common.SessionState{Profile: "local"}), 120, 30)
	start(t, a)

	// gzip → JSON: shown decoded, with the badge.
	drain(t, a, a.runCommand("open gz"))
	v := stripANSI(a.Render())
	for _, want := range []string{"gzip → JSON (auto)", `"user": "ada"`, "view auto"} {
		if !strings.Contains(v, want) {
			t.Fatalf("gzip view lacks %q:\n%s", want, v)
		}
	}
	// An unchanged edit writes nothing: the stored bytes stay identical.
	fakeEditor(t, a, `true`, nil)
	press(t, a, "e")
	if got, _ := rdb.Get(ctx, "gz").Bytes(); !bytes.Equal(got, gz) || !strings.Contains(a.Render(), "no changes") {
		t.Fatalf("unchanged edit changed the value:\n%s", a.Render())
	}
	// An edit is gzip-compressed again with the same header, keeps the TTL, and reads back.
	fakeEditor(t, a, `sed -i 's/"ada"/"grace"/' "$1"`, nil)
	press(t, a, "e")
	got, _ := rdb.Get(ctx, "gz").Bytes()
	r := decode.Decode(ctx, got, decode.Auto, decode.Options{})
	if r.Chain() != "gzip → JSON" || string(r.Inner()) != `{"user":"grace","items":[1,2]}` {
		t.Fatalf("stored %s: %s", r.Chain(), r.Inner())
	}
	if zr, _ := gzip.NewReader(bytes.NewReader(got)); zr == nil || zr.Name != "cart.json" || got[8] != 2 {
		t.Fatal("gzip header or level not kept")
	}
	if ttl := rdb.TTL(ctx, "gz").Val(); ttl <= 0 {
		t.Fatalf("TTL lost: %v", ttl)
	}
	if v := stripANSI(a.Render()); !strings.Contains(v, `"user": "grace"`) || !strings.Contains(v, "saved gz") {
		t.Fatalf("viewer not refreshed:\n%s", v)
	}

	// MessagePack: the same, with types and key order kept.
	drain(t, a, a.runCommand("open mp"))
	if v := stripANSI(a.Render()); !strings.Contains(v, "MessagePack (auto)") || !strings.Contains(v, `"total": 9.5`) {
		t.Fatalf("msgpack view:\n%s", v)
	}
	fakeEditor(t, a, `true`, nil)
	press(t, a, "e")
	if b, _ := rdb.Get(ctx, "mp").Bytes(); !bytes.Equal(b, mp) {
		t.Fatal("unchanged MessagePack edit changed the bytes")
	}
	fakeEditor(t, a, `sed -i 's/9.5/12.25/' "$1"`, nil)
	press(t, a, "e")
	var cart cartMP
	b, _ := rdb.Get(ctx, "mp").Bytes()
	if err := msgpack.Unmarshal(b, &cart); err != nil || cart.Total != 12.25 || cart.User != "ada" {
		t.Fatalf("%+v %v", cart, err)
	}
	want, _ := msgpack.Marshal(cartMP{User: "ada", Items: []string{"sku-1"}, Total: 12.25})
	if !bytes.Equal(b, want) {
		t.Fatalf("re-encoded %x, the application's encoder writes %x", b, want)
	}

	// Protobuf is picked by hand (V) and cannot be written back: refused with the reason.
	drain(t, a, a.runCommand("open pb"))
	for i := 0; i < 40 && !strings.Contains(stripANSI(a.Render()), "protobuf (picked"); i++ {
		press(t, a, "V")
	}
	if v := stripANSI(a.Render()); !strings.Contains(v, `2: "hi" (string)`) {
		t.Fatalf("protobuf view:\n%s", v)
	}
	press(t, a, "e")
	if v := stripANSI(a.Render()); !strings.Contains(v, "edit refused: protobuf without its schema") {
		t.Fatalf("protobuf edit not refused:\n%s", v)
	}
}

// A .NET IDistributedCache hash is shown as one entry; editing it rewrites only its payload.
func TestDotNetCacheEntryRealRedis(t *testing.T) {
	srv := redistest.StartRedisServer(t)
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr})
	t.Cleanup(func() { _ = rdb.Close() })
	ctx := context.Background()
	abs := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	ticks := abs.Unix()*10_000_000 + 621355968000000000
	rdb.HSet(ctx, "entry", "absexp", ticks, "sldexp", int64(20*time.Minute/100), "data", gzipped(t, `{"temp":21}`))

	a, _ := testApp(t, goRedisStore{rdb}, uitest.NewFakeSession(common.SessionState{Profile: "local"}), 140, 30)
	start(t, a)
	drain(t, a, a.runCommand("open entry"))
	v := stripANSI(a.Render())
	for _, want := range []string{".NET cache entry · gzip → JSON (auto)", "written by Microsoft.Extensions.Caching.StackExchangeRedis",
		"absolute expiration: 2030-01-01 00:00:00.0000000 UTC", "sliding expiration: 20m after each read", `"temp": 21`} {
		if !strings.Contains(v, want) {
			t.Fatalf("entry view lacks %q:\n%s", want, v)
		}
	}
	press(t, a, "v") // the raw fields
	if v := stripANSI(a.Render()); !strings.Contains(v, "absexp") || !strings.Contains(v, "sldexp") {
		t.Fatalf("fields view:\n%s", v)
	}
	press(t, a, "v")
	fakeEditor(t, a, `sed -i 's/21/22/' "$1"`, nil)
	press(t, a, "e")
	m := rdb.HGetAll(ctx, "entry").Val()
	e, ok := decode.DetectCacheEntry(m)
	if !ok {
		t.Fatalf("no longer an entry: %v", m)
	}
	if r := decode.Decode(ctx, e.Data, decode.Auto, decode.Options{}); string(r.Inner()) != `{"temp":22}` || r.Chain() != "gzip → JSON" {
		t.Fatalf("payload %s %s", r.Chain(), r.Inner())
	}
	if m["absexp"] != itoa(ticks) {
		t.Fatal("absexp changed")
	}
}

// A read-only profile never writes a decoded edit.
func TestDecodedEditReadOnly(t *testing.T) {
	f := uitest.NewFakeStore()
	f.Set("gz", string(gzipped(t, `{"a":1}`)))
	a, _ := testApp(t, f, uitest.NewFakeSession(common.SessionState{Profile: "prod", ReadOnly: true}), 120, 20)
	start(t, a)
	fakeEditor(t, a, `sed -i 's/1/2/' "$1"`, nil)
	drain(t, a, a.runCommand("open gz"))
	press(t, a, "e")
	if !strings.Contains(a.Render(), "read-only") || len(f.CallsOf("SET ")) != 0 {
		t.Fatalf("read-only edit:\n%s", a.Render())
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Members are decoded in the expanded view: a list element, a hash value and the fields of a
// stream entry.
func TestExpandedMemberDecodedRealRedis(t *testing.T) {
	srv := redistest.StartRedisServer(t)
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr})
	t.Cleanup(func() { _ = rdb.Close() })
	ctx := context.Background()
	job, _ := msgpack.Marshal(cartMP{User: "linus", Items: []string{"a"}, Total: 1})
	rdb.RPush(ctx, "jobs", "plain", job)
	rdb.HSet(ctx, "h", "payload", gzipped(t, `{"k":"v"}`))
	rdb.XAdd(ctx, &redis.XAddArgs{Stream: "s", ID: "1-0", Values: []any{"kind", "order", "body", job}})

	a, _ := testApp(t, goRedisStore{rdb}, uitest.NewFakeSession(common.SessionState{Profile: "local"}), 120, 30)
	start(t, a)
	drain(t, a, a.runCommand("open jobs"))
	press(t, a, "j", "enter")
	if v := stripANSI(a.Render()); !strings.Contains(v, "element 1") || !strings.Contains(v, "MessagePack") || !strings.Contains(v, `"user": "linus"`) {
		t.Fatalf("expanded list element:\n%s", v)
	}
	press(t, a, "v")
	if v := stripANSI(a.Render()); !strings.Contains(v, "view text") || strings.Contains(v, `"user": "linus"`) {
		t.Fatalf("member as text:\n%s", v)
	}
	press(t, a, "v")
	if v := stripANSI(a.Render()); !strings.Contains(v, "view json") || !strings.Contains(v, "not a complete JSON document") {
		t.Fatalf("member as JSON:\n%s", v)
	}
	press(t, a, "v")
	if v := stripANSI(a.Render()); !strings.Contains(v, "view hex") || !strings.Contains(v, "00000000  83 a4") {
		t.Fatalf("member as hex:\n%s", v)
	}
	press(t, a, "v")
	if v := stripANSI(a.Render()); !strings.Contains(v, "view auto") || !strings.Contains(v, `"user": "linus"`) {
		t.Fatalf("member decoded again:\n%s", v)
	}
	press(t, a, "esc")
	if !a.viewer.Expanded() && a.screen != screenValue {
		t.Fatal("esc left the value screen instead of closing the member")
	}
	if a.viewer.Expanded() {
		t.Fatal("esc did not close the member")
	}

	drain(t, a, a.runCommand("open h"))
	press(t, a, "enter")
	if v := stripANSI(a.Render()); !strings.Contains(v, "field payload") || !strings.Contains(v, "gzip → JSON") || !strings.Contains(v, `"k": "v"`) {
		t.Fatalf("expanded hash value:\n%s", v)
	}
	press(t, a, "esc")

	drain(t, a, a.runCommand("open s"))
	press(t, a, "enter")
	v := stripANSI(a.Render())
	for _, want := range []string{"entry 1-0", "kind", "order", "body", "MessagePack", `"total": 1.0`} {
		if !strings.Contains(v, want) {
			t.Fatalf("expanded stream entry lacks %q:\n%s", want, v)
		}
	}
}
