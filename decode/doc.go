// Package decode shows values as applications store them: compressed (gzip, zlib, raw
// deflate, zstd, LZ4, Snappy, Brotli), serialized (JSON, MessagePack, CBOR, protobuf without a
// schema, Java serialization, PHP serialize, Python pickle, BSON) or wrapped in a .NET
// IDistributedCache hash — and writes an edited value back with the same codec and settings
// when that is lossless.
//
// Detection trusts only what the bytes say (magic numbers, a layout that parses completely);
// codecs without a signature (Brotli, raw deflate, LZ4 blocks, raw Snappy, protobuf, pickle
// protocol 0/1) are chosen by hand. Layers chain: gzip → JSON resolves to the JSON inside and
// is named "gzip → JSON".
//
// All work is bounded: decompression stops at Options.MaxBytes, rendering stops at a text cap,
// nesting stops at a depth limit, and a corrupt or truncated payload yields an error and a hex
// fallback, never a panic. Pickles are read opcode by opcode and never executed. The package
// imports no UI or Redis code.
package decode
