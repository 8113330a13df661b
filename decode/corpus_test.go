package decode

import (
	"bytes"
	"context"
	"encoding/binary"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/fxamacker/cbor/v2"
	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/snappy"
	"github.com/klauspost/compress/zlib"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
	"github.com/vmihailenco/msgpack/v5"
	"go.mongodb.org/mongo-driver/v2/bson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/descriptorpb"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// The corpus: every value is made by a real encoder (the Go libraries here, Python, Java and
// a JavaScript port of PHP serialize for the committed fixtures in testdata/corpus, made by
// the scripts in testdata/gen).

const jsonDoc = `{"user":"ada","roles":["admin","dev"],"n":1.25}`

func gz(t testing.TB, b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Name = "value.json"
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func zl(b []byte) []byte {
	var buf bytes.Buffer
	w := zlib.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func defl(b []byte) []byte {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, 6)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func zs(b []byte) []byte {
	enc, _ := zstd.NewWriter(nil)
	defer enc.Close()
	return enc.EncodeAll(b, nil)
}

func lz4Frame(b []byte) []byte {
	var buf bytes.Buffer
	w := lz4.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func lz4Block(b []byte) []byte {
	out := make([]byte, 4+lz4.CompressBlockBound(len(b)))
	binary.LittleEndian.PutUint32(out, uint32(len(b)))
	n, _ := lz4.CompressBlock(b, out[4:], nil)
	return out[:4+n]
}

func snappyFramed(b []byte) []byte {
	var buf bytes.Buffer
	w := snappy.NewBufferedWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func br(b []byte) []byte {
	var buf bytes.Buffer
	w := brotli.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

type mpUser struct {
	Name  string   `msgpack:"name"`
	Age   int      `msgpack:"age"`
	Ratio float64  `msgpack:"ratio"`
	Tags  []string `msgpack:"tags"`
	Admin bool     `msgpack:"admin"`
	Note  *string  `msgpack:"note"`
}

func mp(t testing.TB) []byte {
	b, err := msgpack.Marshal(mpUser{Name: "Ada", Age: 36, Ratio: 1, Tags: []string{"math", "engines"}, Admin: true})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func cb(t testing.TB) []byte {
	em, _ := cbor.CoreDetEncOptions().EncMode()
	b, err := em.Marshal(map[string]any{"name": "Ada", "age": 36, "bytes": []byte{1, 2}, "tags": []string{"a"}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func pb(t testing.TB) []byte {
	msg := &descriptorpb.FileDescriptorProto{
		Name:    proto.String("user.proto"),
		Package: proto.String("demo.v1"),
		MessageType: []*descriptorpb.DescriptorProto{{
			Name: proto.String("User"),
			Field: []*descriptorpb.FieldDescriptorProto{{
				Name: proto.String("id"), Number: proto.Int32(1),
				Type: descriptorpb.FieldDescriptorProto_TYPE_INT64.Enum(),
			}},
		}},
	}
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(msg)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func bs(t testing.TB) []byte {
	b, err := bson.Marshal(bson.D{{Key: "name", Value: "Ada"}, {Key: "age", Value: int32(36)}, {Key: "tags", Value: bson.A{"math"}}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func fixture(t testing.TB, name string) []byte {
	b, err := os.ReadFile(filepath.Join("testdata", "corpus", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type corpusCase struct {
	name   string
	raw    []byte
	choice Codec
	chain  string
	want   []string // substrings of the text
}

func corpus(t testing.TB) []corpusCase {
	j := []byte(jsonDoc)
	return []corpusCase{
		{"json", j, Auto, "JSON", []string{`"roles": [`, `"admin"`}},
		{"gzip_json", gz(t, j), Auto, "gzip → JSON", []string{`"user": "ada"`}},
		{"zlib_json", zl(j), Auto, "zlib → JSON", []string{`"n": 1.25`}},
		{"deflate_json", defl(j), Deflate, "deflate → JSON", []string{`"user": "ada"`}},
		{"zstd_json", zs(j), Auto, "zstd → JSON", []string{`"dev"`}},
		{"lz4_json", lz4Frame(j), Auto, "LZ4 → JSON", []string{`"dev"`}},
		{"lz4block_json", lz4Block(j), LZ4Block, "LZ4 block → JSON", []string{`"dev"`}},
		{"snappy_json", snappyFramed(j), Auto, "Snappy → JSON", []string{`"dev"`}},
		{"snappyraw_json", snappy.Encode(nil, j), SnappyRaw, "Snappy raw → JSON", []string{`"dev"`}},
		{"brotli_json", br(j), Brotli, "Brotli → JSON", []string{`"dev"`}},
		{"msgpack", mp(t), Auto, "MessagePack", []string{`"name": "Ada"`, `"ratio": 1.0`, `"note": null`}},
		{"zstd_msgpack", zs(mp(t)), Auto, "zstd → MessagePack", []string{`"age": 36`}},
		{"gzip_zstd_msgpack", gz(t, zs(mp(t))), Auto, "gzip → zstd → MessagePack", []string{`"admin": true`}},
		{"cbor", cb(t), Auto, "CBOR", []string{`"name": "Ada"`, `h'0102'`}},
		{"protobuf", pb(t), Protobuf, "protobuf", []string{`1: "user.proto" (string)`, `4: { (message)`, `1: "User" (string)`, `3: 1 (varint)`}},
		{"bson", bs(t), Auto, "BSON", []string{`"name": "Ada"`, `"age": 36`}},
		{"text", []byte("plain words"), Auto, "text", []string{"plain words"}},
		{"binary", []byte{0, 1, 2, 0xff}, Auto, "hex", []string{"00 01 02 ff"}},
		{"py_pickle_p0", fixture(t, "py_pickle_p0.bin"), Pickle, "pickle", []string{`"name": "Ada"`, `__main__.Point`, `1208925819614629174706176`}},
		{"py_pickle_p2", fixture(t, "py_pickle_p2.bin"), Auto, "pickle", []string{`"name": "Ada"`, `-70000`, `_codecs.encode(`, `collections.OrderedDict() with items {`, `"b": 1`}},
		{"py_pickle_p4", fixture(t, "py_pickle_p4.bin"), Auto, "pickle", []string{`"tags": [`, `"math"`, `__main__.Point`, `"x": 3`, `b"\x00\x01\xff"`}},
		{"py_pickle_p5", fixture(t, "py_pickle_p5.bin"), Auto, "pickle", []string{`"ratio": 0.5`, `"set": {`}},
		{"py_pickle_shared", fixture(t, "py_pickle_shared.bin"), Auto, "pickle", []string{`"a": [`, `"b": [`}},
		{"py_zlib9_json", fixture(t, "py_zlib9_json.bin"), Auto, "zlib → JSON", []string{`"roles"`}},
		{"py_zlib1_json", fixture(t, "py_zlib1_json.bin"), Auto, "zlib → JSON", []string{`"roles"`}},
		{"py_gzip_json", fixture(t, "py_gzip_json.bin"), Auto, "gzip → JSON", []string{`"roles"`}},
		{"py_zlib_pickle", fixture(t, "py_zlib_pickle.bin"), Auto, "zlib → pickle", []string{`"name": "Ada"`}},
		{"java_user", fixture(t, "java_user.bin"), Auto, "Java serialization", []string{
			"MakeJava$User {", `tenant: "contoso"`, "id: int 1815", "createdMillis: long 1700000000000",
			`name: "Ada Lovelace"`, "active: boolean true", "score: double 99.5", "initial: char 'A'",
			"int[] (2 elements)", "MakeJava$Role.ADMIN", "java.util.ArrayList {", `"engines"`, "java.util.LinkedHashMap", `"logins"`}},
		{"java_string", fixture(t, "java_string.bin"), Auto, "Java serialization", []string{`"hello, world"`}},
		{"java_list", fixture(t, "java_list.bin"), Auto, "Java serialization", []string{"java.lang.Integer {", "value: int 3"}},
		{"php_array", fixture(t, "php_array.bin"), Auto, "PHP serialize", []string{`array(7) {`, `"name" => "Ada"`, `"ratio" => 0.5`, `"active" => true`, `"nothing" => null`, `"ünï" => "cödé"`}},
		{"php_object", fixture(t, "php_object.bin"), Auto, "PHP serialize", []string{`object User {`, `"age" => 36`}},
		{"php_string", fixture(t, "php_string.bin"), Auto, "PHP serialize", []string{`"hello, world"`}},
	}
}

func TestCorpus(t *testing.T) {
	for _, c := range corpus(t) {
		t.Run(c.name, func(t *testing.T) {
			r := Decode(context.Background(), c.raw, c.choice, Options{})
			if r.Err != nil {
				t.Fatalf("decode: %v", r.Err)
			}
			if got := r.Chain(); got != c.chain {
				t.Errorf("chain %q, want %q", got, c.chain)
			}
			for _, w := range c.want {
				if !strings.Contains(r.Text, w) {
					t.Errorf("text lacks %q:\n%s", w, r.Text)
				}
			}
			checkGolden(t, "Chain: "+r.Chain()+"\n"+r.Text+"\n")
		})
	}
}

// checkGolden compares got with testdata/<Test>/<Subtest>.golden (-update rewrites it).
func checkGolden(t *testing.T, got string) {
	t.Helper()
	path := filepath.Join("testdata", filepath.FromSlash(t.Name())+".golden")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("text differs from %s:\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}
