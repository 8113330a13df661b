package decode

import (
	"bytes"
	stdgzip "compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"testing"

	"github.com/vmihailenco/msgpack/v5"
)

// benchJSON is about 1 MiB of JSON objects.
func benchJSON() []byte {
	var b bytes.Buffer
	b.WriteString(`{"items":[`)
	for i := 0; b.Len() < 1<<20; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":%d,"name":"item-%d","price":%d.%02d,"tags":["a","b"],"ok":true}`, i, i, i%997, i%100)
	}
	b.WriteString(`]}`)
	return b.Bytes()
}

// BenchmarkDecode measures what a viewer pays to show a value; "anchor" is the standard
// library doing the same gzip → indented JSON work, measured in the same run.
//
//	go test ./decode -run '^$' -bench BenchmarkDecode -benchmem
func BenchmarkDecode(b *testing.B) {
	j := benchJSON()
	gzJSON := gz(b, j)
	var v any
	_ = json.Unmarshal(j, &v)
	mpBytes, _ := msgpack.Marshal(v)
	zsMP := zs(mpBytes)
	bomb := gz(b, make([]byte, 1<<30)) // 1 GiB of zeros, about 1 MiB compressed

	run := func(name string, raw []byte, c Codec, opt Options) {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			b.ReportAllocs()
			for b.Loop() {
				if r := Decode(ctx, raw, c, opt); r.Err != nil && opt.MaxBytes == 0 {
					b.Fatal(r.Err)
				}
			}
		})
	}
	run("gzip_json_1MiB", gzJSON, Auto, Options{})
	b.Run("anchor_stdlib_gzip_json_1MiB", func(b *testing.B) {
		b.SetBytes(int64(len(gzJSON)))
		b.ReportAllocs()
		for b.Loop() {
			r, _ := stdgzip.NewReader(bytes.NewReader(gzJSON))
			plain, _ := io.ReadAll(r)
			var out bytes.Buffer
			if err := json.Indent(&out, plain, "", "  "); err != nil {
				b.Fatal(err)
			}
		}
	})
	run("zstd_msgpack_1MiB", zsMP, Auto, Options{})
	run("gzip_bomb_1GiB_stops_at_16MiB", bomb, Auto, Options{MaxBytes: DefaultMaxBytes})
}
