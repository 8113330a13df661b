package emulator

import (
	"bytes"
	"context"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/redis/go-redis/v9"
	"github.com/vmihailenco/msgpack/v5"
	"google.golang.org/protobuf/encoding/protowire"
)

// decoderKeys are values as applications store them, for the value decoders to show: gzip
// and zstd JSON, MessagePack, protobuf, a Python pickle, and .NET IDistributedCache entries in
// both layouts Microsoft.Extensions.Caching.StackExchangeRedis writes. They are special keys
// (seed_data.go appends them), so they come with every demo and are reproducible.
var decoderKeys = []struct {
	name  string
	t     keyType
	write func(ctx context.Context, p redis.Pipeliner, key string, r *rand.Rand)
}{
	{"cache:report:2026-q4:gz", typeString, seedGzipJSON},
	{"aspnet:cache:WeatherForecast:today", typeHash, seedDotNetEntry},
	{"aspnet:cache:Pricing:eu", typeHash, seedDotNetEntryDV},
	{"cache:cart:1042:msgpack", typeString, seedMsgpackCart},
	{"cache:catalog:featured:zst", typeString, seedZstdJSON},
	{"proto:user:1042", typeString, seedProtobufUser},
	{"celery:result:7", typeString, seedPickle},
	{"queue:jobs:msgpack", typeList, seedMsgpackQueue},
}

// dotnetEpochTicks is 0001-01-01 → 1970-01-01 in .NET ticks (100 ns).
const dotnetEpochTicks = 621355968000000000

// dotnetAbsolute is a fixed absolute expiration, 2030-01-01T00:00:00Z, so the data stays
// reproducible (a time relative to now would change with every run).
var dotnetAbsolute = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)

func dotnetTicks(t time.Time) string {
	return strconv.FormatInt(t.Unix()*10_000_000+dotnetEpochTicks, 10)
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func zstdBytes(b []byte) []byte {
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1))
	if err != nil {
		panic(err) // only bad options fail, and these are constant
	}
	defer enc.Close()
	return enc.EncodeAll(b, nil)
}

func seedGzipJSON(ctx context.Context, p redis.Pipeliner, key string, r *rand.Rand) {
	var doc bytes.Buffer
	doc.WriteString(`{"quarter":"2026-Q4","currency":"EUR","regions":[`)
	for i, c := range cities[:6] {
		if i > 0 {
			doc.WriteByte(',')
		}
		doc.WriteString(`{"city":"` + c.name + `","orders":` + strconv.Itoa(1000+r.IntN(9000)) +
			`,"revenue":` + strconv.Itoa(10000+r.IntN(90000)) + `.` + strconv.Itoa(10+r.IntN(90)) + `}`)
	}
	doc.WriteString(`],"generated_by":"reporting-service"}`)
	p.Set(ctx, key, gzipBytes(doc.Bytes()), 0)
}

// seedDotNetEntry writes an entry the way RedisCache's Lua script does: HMSET absexp sldexp
// data. The payload is System.Text.Json output. RedisCache would also EXPIRE the key by the
// sliding window; the demo's keys stay, so a long session still finds them.
func seedDotNetEntry(ctx context.Context, p redis.Pipeliner, key string, r *rand.Rand) {
	sliding := 24 * time.Hour
	data := `{"date":"2026-12-04","temperatureC":` + strconv.Itoa(r.IntN(30)) + `,"summary":"Bracing"}`
	p.HSet(ctx, key, "absexp", dotnetTicks(dotnetAbsolute), "sldexp", strconv.FormatInt(int64(sliding/100), 10), "data", data)
}

// seedDotNetEntryDV writes the newer layout (HSET dv/aev in a transaction) with a gzip
// payload, as an application compressing before IDistributedCache.Set would.
func seedDotNetEntryDV(ctx context.Context, p redis.Pipeliner, key string, r *rand.Rand) {
	data := `{"region":"eu","plans":{"free":0,"pro":` + strconv.Itoa(8+r.IntN(4)) + `,"team":29}}`
	p.HSet(ctx, key, "dv", gzipBytes([]byte(data)), "aev", dotnetTicks(dotnetAbsolute))
}

type demoCart struct {
	User  int            `msgpack:"user"`
	Items []demoCartItem `msgpack:"items"`
	Total float64        `msgpack:"total"`
	Promo *string        `msgpack:"promo"`
}

type demoCartItem struct {
	SKU string `msgpack:"sku"`
	Qty int    `msgpack:"qty"`
}

func msgpackBytes(v any) []byte {
	b, err := msgpack.Marshal(v)
	if err != nil {
		panic(err) // the demo types always encode
	}
	return b
}

func seedMsgpackCart(ctx context.Context, p redis.Pipeliner, key string, r *rand.Rand) {
	cart := demoCart{User: 1042, Total: 149.5}
	for range 3 {
		cart.Items = append(cart.Items, demoCartItem{SKU: "sku-" + strconv.Itoa(10000+r.IntN(5000)), Qty: 1 + r.IntN(3)})
	}
	p.Set(ctx, key, msgpackBytes(cart), 0)
}

func seedZstdJSON(ctx context.Context, p redis.Pipeliner, key string, r *rand.Rand) {
	doc := []byte(`{"featured":[`)
	for i := range 20 {
		if i > 0 {
			doc = append(doc, ',')
		}
		doc = append(doc, productJSON(r, i)...)
	}
	doc = append(doc, "]}"...)
	p.Set(ctx, key, zstdBytes(doc), 0)
}

// seedProtobufUser is a message with varints, strings, a nested message and repeated fields,
// as a service would store it without any schema in Redis.
func seedProtobufUser(ctx context.Context, p redis.Pipeliner, key string, _ *rand.Rand) {
	var addr []byte
	addr = protowire.AppendTag(addr, 1, protowire.BytesType)
	addr = protowire.AppendString(addr, "Dublin")
	addr = protowire.AppendTag(addr, 2, protowire.BytesType)
	addr = protowire.AppendString(addr, "IE")
	var b []byte
	b = protowire.AppendTag(b, 1, protowire.VarintType)
	b = protowire.AppendVarint(b, 1042)
	b = protowire.AppendTag(b, 2, protowire.BytesType)
	b = protowire.AppendString(b, "grace.hopper@contoso.com")
	b = protowire.AppendTag(b, 3, protowire.BytesType)
	b = protowire.AppendBytes(b, addr)
	for _, tag := range []string{"vip", "eu"} {
		b = protowire.AppendTag(b, 4, protowire.BytesType)
		b = protowire.AppendString(b, tag)
	}
	b = protowire.AppendTag(b, 5, protowire.Fixed64Type)
	b = protowire.AppendFixed64(b, 0x4058e00000000000) // double 99.5
	p.Set(ctx, key, b, 0)
}

// seedPickle is what Python's pickle.dumps(..., protocol=4) gives for
// {'job_id': 7, 'status': 'done', 'duration_s': 12.5, 'outputs': ['report.pdf', 'summary.csv'], 'retries': 0}.
func seedPickle(ctx context.Context, p redis.Pipeliner, key string, _ *rand.Rand) {
	p.Set(ctx, key, "\x80\x04\x95\x6b\x00\x00\x00\x00\x00\x00\x00\x7d\x94\x28\x8c\x06\x6a\x6f\x62\x5f\x69\x64\x94"+
		"\x4b\x07\x8c\x06\x73\x74\x61\x74\x75\x73\x94\x8c\x04\x64\x6f\x6e\x65\x94\x8c\x0a\x64\x75\x72\x61\x74\x69\x6f"+
		"\x6e\x5f\x73\x94\x47\x40\x29\x00\x00\x00\x00\x00\x00\x8c\x07\x6f\x75\x74\x70\x75\x74\x73\x94\x5d\x94\x28\x8c"+
		"\x0a\x72\x65\x70\x6f\x72\x74\x2e\x70\x64\x66\x94\x8c\x0b\x73\x75\x6d\x6d\x61\x72\x79\x2e\x63\x73\x76\x94\x65"+
		"\x8c\x07\x72\x65\x74\x72\x69\x65\x73\x94\x4b\x00\x75\x2e", 0)
}

type demoJob struct {
	Job     int    `msgpack:"job"`
	Kind    string `msgpack:"kind"`
	Attempt int    `msgpack:"attempt"`
}

// seedMsgpackQueue is a list whose elements are MessagePack jobs, for the member view.
func seedMsgpackQueue(ctx context.Context, p redis.Pipeliner, key string, r *rand.Rand) {
	items := make([]any, 0, 25)
	for j := range 25 {
		items = append(items, msgpackBytes(demoJob{
			Job: j, Kind: []string{"resize", "transcode", "index"}[r.IntN(3)], Attempt: 1 + r.IntN(3),
		}))
	}
	p.RPush(ctx, key, items...)
}
