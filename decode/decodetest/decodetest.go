// Package decodetest is the corpus of package decode's tests, shared with the viewer's and
// `amr-tui get`'s: every value is made by a real encoder — the Go libraries here, and Python,
// Java and a JavaScript port of PHP's serialize for the fixtures in corpus/, made by the
// scripts in gen/ (committed, since CI may lack those runtimes).
package decodetest

import (
	"bytes"
	"embed"
	"encoding/binary"
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

//go:embed corpus
var corpusFS embed.FS

// The Corpus: every value is made by a real encoder (the Go libraries here, Python, Java and
// a JavaScript port of PHP serialize for the committed fixtures in testdata/Corpus, made by
// the scripts in testdata/gen).

// JSONDoc is the JSON document the compressed cases hold.
const JSONDoc = `{"user":"ada","roles":["admin","dev"],"n":1.25}`

// Gzip compresses b with a file name in the header.
func Gzip(t testing.TB, b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Name = "value.json"
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// Zlib compresses b as zlib.
func Zlib(b []byte) []byte {
	var buf bytes.Buffer
	w := zlib.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// Deflate compresses b as raw deflate.
func Deflate(b []byte) []byte {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, 6)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// Zstd compresses b as one zstd frame.
func Zstd(b []byte) []byte {
	enc, _ := zstd.NewWriter(nil)
	defer enc.Close()
	return enc.EncodeAll(b, nil)
}

// LZ4Frame compresses b as an LZ4 frame.
func LZ4Frame(b []byte) []byte {
	var buf bytes.Buffer
	w := lz4.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// LZ4Block compresses b as an LZ4 block after a little-endian uint32 size.
func LZ4Block(b []byte) []byte {
	out := make([]byte, 4+lz4.CompressBlockBound(len(b)))
	binary.LittleEndian.PutUint32(out, uint32(len(b)))
	n, _ := lz4.CompressBlock(b, out[4:], nil)
	return out[:4+n]
}

// SnappyFramed compresses b as a Snappy stream (framed).
func SnappyFramed(b []byte) []byte {
	var buf bytes.Buffer
	w := snappy.NewBufferedWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// Brotli compresses b with Brotli.
func Brotli(b []byte) []byte {
	var buf bytes.Buffer
	w := brotli.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// MsgPackUser is the struct MsgPack encodes.
type MsgPackUser struct {
	Name  string   `msgpack:"name"`
	Age   int      `msgpack:"age"`
	Ratio float64  `msgpack:"ratio"`
	Tags  []string `msgpack:"tags"`
	Admin bool     `msgpack:"admin"`
	Note  *string  `msgpack:"note"`
}

// MsgPack is a MsgPackUser encoded by vmihailenco/msgpack.
func MsgPack(t testing.TB) []byte {
	b, err := msgpack.Marshal(MsgPackUser{Name: "Ada", Age: 36, Ratio: 1, Tags: []string{"math", "engines"}, Admin: true})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// CBOR is a map encoded by fxamacker/cbor (core deterministic).
func CBOR(t testing.TB) []byte {
	em, _ := cbor.CoreDetEncOptions().EncMode()
	b, err := em.Marshal(map[string]any{"name": "Ada", "age": 36, "bytes": []byte{1, 2}, "tags": []string{"a"}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Protobuf is a FileDescriptorProto (nested messages) encoded by google.golang.org/protobuf.
func Protobuf(t testing.TB) []byte {
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

// BSON is a document encoded by the MongoDB driver.
func BSON(t testing.TB) []byte {
	b, err := bson.Marshal(bson.D{{Key: "name", Value: "Ada"}, {Key: "age", Value: int32(36)}, {Key: "tags", Value: bson.A{"math"}}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Fixture returns a committed fixture of corpus/.
func Fixture(t testing.TB, name string) []byte {
	b, err := corpusFS.ReadFile("corpus/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Case is one corpus value: made by a real encoder, decoded with Choice ("auto" or a codec
// name), expected to show Chain and every string of Want.
type Case struct {
	Name   string
	Raw    []byte
	Choice string
	Chain  string
	Want   []string // substrings of the decoded text
}

// Corpus is every case: each decoder, and a few chains.
func Corpus(t testing.TB) []Case {
	j := []byte(JSONDoc)
	return []Case{
		{"json", j, "auto", "JSON", []string{`"roles": [`, `"admin"`}},
		{"gzip_json", Gzip(t, j), "auto", "gzip → JSON", []string{`"user": "ada"`}},
		{"zlib_json", Zlib(j), "auto", "zlib → JSON", []string{`"n": 1.25`}},
		{"deflate_json", Deflate(j), "deflate", "deflate → JSON", []string{`"user": "ada"`}},
		{"zstd_json", Zstd(j), "auto", "zstd → JSON", []string{`"dev"`}},
		{"lz4_json", LZ4Frame(j), "auto", "LZ4 → JSON", []string{`"dev"`}},
		{"lz4block_json", LZ4Block(j), "lz4-block", "LZ4 block → JSON", []string{`"dev"`}},
		{"snappy_json", SnappyFramed(j), "auto", "Snappy → JSON", []string{`"dev"`}},
		{"snappyraw_json", snappy.Encode(nil, j), "snappy-raw", "Snappy raw → JSON", []string{`"dev"`}},
		{"brotli_json", Brotli(j), "brotli", "Brotli → JSON", []string{`"dev"`}},
		{"msgpack", MsgPack(t), "auto", "MessagePack", []string{`"name": "Ada"`, `"ratio": 1.0`, `"note": null`}},
		{"zstd_msgpack", Zstd(MsgPack(t)), "auto", "zstd → MessagePack", []string{`"age": 36`}},
		{"gzip_zstd_msgpack", Gzip(t, Zstd(MsgPack(t))), "auto", "gzip → zstd → MessagePack", []string{`"admin": true`}},
		{"cbor", CBOR(t), "auto", "CBOR", []string{`"name": "Ada"`, `h'0102'`}},
		{"protobuf", Protobuf(t), "protobuf", "protobuf", []string{`1: "user.proto" (string)`, `4: { (message)`, `1: "User" (string)`, `3: 1 (varint)`}},
		{"bson", BSON(t), "auto", "BSON", []string{`"name": "Ada"`, `"age": 36`}},
		{"text", []byte("plain words"), "auto", "text", []string{"plain words"}},
		{"binary", []byte{0, 1, 2, 0xff}, "auto", "hex", []string{"00 01 02 ff"}},
		{"py_pickle_p0", Fixture(t, "py_pickle_p0.bin"), "pickle", "pickle", []string{`"name": "Ada"`, `__main__.Point`, `1208925819614629174706176`}},
		{"py_pickle_p2", Fixture(t, "py_pickle_p2.bin"), "auto", "pickle", []string{`"name": "Ada"`, `-70000`, `_codecs.encode(`, `collections.OrderedDict() with items {`, `"b": 1`}},
		{"py_pickle_p4", Fixture(t, "py_pickle_p4.bin"), "auto", "pickle", []string{`"tags": [`, `"math"`, `__main__.Point`, `"x": 3`, `b"\x00\x01\xff"`}},
		{"py_pickle_p5", Fixture(t, "py_pickle_p5.bin"), "auto", "pickle", []string{`"ratio": 0.5`, `"set": {`}},
		{"py_pickle_shared", Fixture(t, "py_pickle_shared.bin"), "auto", "pickle", []string{`"a": [`, `"b": [`}},
		{"py_zlib9_json", Fixture(t, "py_zlib9_json.bin"), "auto", "zlib → JSON", []string{`"roles"`}},
		{"py_zlib1_json", Fixture(t, "py_zlib1_json.bin"), "auto", "zlib → JSON", []string{`"roles"`}},
		{"py_gzip_json", Fixture(t, "py_gzip_json.bin"), "auto", "gzip → JSON", []string{`"roles"`}},
		{"py_zlib_pickle", Fixture(t, "py_zlib_pickle.bin"), "auto", "zlib → pickle", []string{`"name": "Ada"`}},
		{"java_user", Fixture(t, "java_user.bin"), "auto", "Java serialization", []string{
			"MakeJava$User {", `tenant: "contoso"`, "id: int 1815", "createdMillis: long 1700000000000",
			`name: "Ada Lovelace"`, "active: boolean true", "score: double 99.5", "initial: char 'A'",
			"int[] (2 elements)", "MakeJava$Role.ADMIN", "java.util.ArrayList {", `"engines"`, "java.util.LinkedHashMap", `"logins"`}},
		{"java_string", Fixture(t, "java_string.bin"), "auto", "Java serialization", []string{`"hello, world"`}},
		{"java_list", Fixture(t, "java_list.bin"), "auto", "Java serialization", []string{"java.lang.Integer {", "value: int 3"}},
		{"php_array", Fixture(t, "php_array.bin"), "auto", "PHP serialize", []string{`array(7) {`, `"name" => "Ada"`, `"ratio" => 0.5`, `"active" => true`, `"nothing" => null`, `"ünï" => "cödé"`}},
		{"php_object", Fixture(t, "php_object.bin"), "auto", "PHP serialize", []string{`object User {`, `"age" => 36`}},
		{"php_string", Fixture(t, "php_string.bin"), "auto", "PHP serialize", []string{`"hello, world"`}},
	}
}
