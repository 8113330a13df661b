package decode

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/snappy"
	"github.com/klauspost/compress/zlib"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
)

var (
	magicGzip      = []byte{0x1f, 0x8b, 0x08}
	magicZstd      = []byte{0x28, 0xb5, 0x2f, 0xfd}
	magicLZ4       = []byte{0x04, 0x22, 0x4d, 0x18}
	magicLZ4Legacy = []byte{0x02, 0x21, 0x4c, 0x18}
	magicSnappy    = []byte("\xff\x06\x00\x00sNaPpY")
)

// detectCompression names the compression whose signature starts b, or "". zlib's two-byte
// header is weak (a checksum over 31 values), so the caller treats a zlib that fails to
// inflate as "not zlib".
func detectCompression(b []byte) Codec {
	switch {
	case bytes.HasPrefix(b, magicGzip):
		return Gzip
	case bytes.HasPrefix(b, magicZstd):
		return Zstd
	case bytes.HasPrefix(b, magicLZ4), bytes.HasPrefix(b, magicLZ4Legacy):
		return LZ4
	case bytes.HasPrefix(b, magicSnappy):
		return Snappy
	case isZlibHeader(b):
		return Zlib
	}
	return ""
}

// isZlibHeader checks RFC 1950's CMF/FLG: deflate, a window of at most 32 KiB, no preset
// dictionary (which we could not supply), and the header checksum.
func isZlibHeader(b []byte) bool {
	if len(b) < 3 {
		return false
	}
	cmf, flg := b[0], b[1]
	return cmf&0x0f == 8 && cmf>>4 <= 7 && flg&0x20 == 0 && (uint16(cmf)<<8|uint16(flg))%31 == 0
}

// gzipSettings, zlibSettings… are what a header says about how the payload was written; an
// edit is compressed again with them.
type gzipSettings struct {
	header gzip.Header
	level  int
}

type zlibSettings struct{ level int }

type zstdSettings struct{ checksum bool }

type lz4Settings struct {
	blockSize     lz4.BlockSize
	blockChecksum bool
	checksum      bool
	legacy        bool
}

// readAllMax reads r to the end, failing with ErrTooLarge past max bytes: a decompression bomb
// stops at the limit instead of filling memory.
func readAllMax(r io.Reader, max int64) ([]byte, error) {
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if n > max {
		return nil, tooLarge(max)
	}
	return buf.Bytes(), nil
}

func tooLarge(max int64) error {
	return fmt.Errorf("decompressed size %w of %s; stopped (a decompression bomb, or raise the limit)", ErrTooLarge, byteSize(max))
}

// decompress unwraps one layer of codec c, bounded by max output bytes.
func decompress(c Codec, b []byte, max int64) ([]byte, any, error) {
	switch c {
	case Gzip:
		return gunzip(b, max)
	case Zlib:
		if len(b) >= 2 && b[1]&0x20 != 0 {
			return nil, nil, errors.New("the stream needs a preset dictionary")
		}
		r, err := zlib.NewReader(bytes.NewReader(b))
		if err != nil {
			return nil, nil, err
		}
		out, err := readAllMax(r, max)
		if err != nil {
			return nil, nil, err
		}
		return out, zlibSettings{level: zlibLevel(b[1] >> 6)}, nil
	case Deflate:
		out, err := readAllMax(flate.NewReader(bytes.NewReader(b)), max)
		return out, nil, err
	case Zstd:
		return unzstd(b, max)
	case LZ4:
		return unlz4(b, max)
	case LZ4Block:
		return unlz4Block(b, max)
	case Snappy:
		if !bytes.HasPrefix(b, magicSnappy) {
			return nil, nil, errors.New("no Snappy stream identifier (for unframed Snappy pick snappy-raw)")
		}
		out, err := readAllMax(snappy.NewReader(bytes.NewReader(b)), max)
		return out, nil, err
	case SnappyRaw:
		n, err := snappy.DecodedLen(b)
		if err != nil {
			return nil, nil, err
		}
		if int64(n) > max {
			return nil, nil, tooLarge(max)
		}
		out, err := snappy.Decode(make([]byte, n), b)
		return out, nil, err
	case Brotli:
		out, err := readAllMax(brotli.NewReader(bytes.NewReader(b)), max)
		return out, nil, err
	}
	return nil, nil, fmt.Errorf("%s is not a compression", c)
}

func gunzip(b []byte, max int64) ([]byte, any, error) {
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, nil, err
	}
	s := gzipSettings{header: r.Header, level: gzip.DefaultCompression}
	if len(b) > 8 {
		switch b[8] { // XFL: 2 = slowest, 4 = fastest
		case 2:
			s.level = gzip.BestCompression
		case 4:
			s.level = gzip.BestSpeed
		}
	}
	out, err := readAllMax(r, max)
	if err != nil {
		return nil, nil, err
	}
	return out, s, nil
}

// zlibLevel maps FLEVEL (0 fastest … 3 slowest) to a compression level.
func zlibLevel(flevel byte) int {
	switch flevel {
	case 0:
		return zlib.BestSpeed
	case 1:
		return 5
	case 3:
		return zlib.BestCompression
	}
	return zlib.DefaultCompression
}

func unzstd(b []byte, limit int64) ([]byte, any, error) {
	// One goroutine, and bounded memory: a frame asking for a larger window than we allow is
	// refused before anything is allocated.
	// Encoders pick windows up to 8 MiB even for small values, so the window allowance does not
	// go below that; the output is still cut at limit.
	mem := uint64(max(limit, 8<<20))
	d, err := zstd.NewReader(bytes.NewReader(b), zstd.WithDecoderConcurrency(1),
		zstd.WithDecoderMaxMemory(mem), zstd.WithDecoderMaxWindow(mem))
	if err != nil {
		return nil, nil, err
	}
	defer d.Close()
	out, err := readAllMax(d, limit)
	if err != nil {
		if errors.Is(err, zstd.ErrDecoderSizeExceeded) || errors.Is(err, zstd.ErrWindowSizeExceeded) {
			return nil, nil, tooLarge(limit)
		}
		return nil, nil, err
	}
	s := zstdSettings{}
	if len(b) > 4 {
		s.checksum = b[4]&0x04 != 0 // Frame_Header_Descriptor: Content_Checksum_flag
	}
	return out, s, nil
}

func unlz4(b []byte, max int64) ([]byte, any, error) {
	r := lz4.NewReader(bytes.NewReader(b))
	out, err := readAllMax(r, max)
	if err != nil {
		return nil, nil, err
	}
	s := lz4Settings{blockSize: lz4.Block4Mb}
	if bytes.HasPrefix(b, magicLZ4Legacy) {
		s.legacy = true
		s.blockSize = lz4.Block4Mb
	} else if len(b) > 5 {
		flg, bd := b[4], b[5]
		s.blockChecksum = flg&0x10 != 0
		s.checksum = flg&0x04 != 0
		switch (bd >> 4) & 0x7 {
		case 4:
			s.blockSize = lz4.Block64Kb
		case 5:
			s.blockSize = lz4.Block256Kb
		case 6:
			s.blockSize = lz4.Block1Mb
		}
	}
	return out, s, nil
}

// unlz4Block reads an LZ4 block preceded by its uncompressed size as a little-endian uint32 (as
// python-lz4's lz4.block and K4os/lz4net write it).
func unlz4Block(b []byte, max int64) ([]byte, any, error) {
	if len(b) < 5 {
		return nil, nil, errors.New("too short for a size prefix and a block")
	}
	n := int64(binary.LittleEndian.Uint32(b))
	if n > max {
		return nil, nil, tooLarge(max)
	}
	out := make([]byte, n)
	got, err := lz4.UncompressBlock(b[4:], out)
	if err != nil {
		return nil, nil, err
	}
	if int64(got) != n {
		return nil, nil, fmt.Errorf("block holds %d bytes, its size prefix says %d", got, n)
	}
	return out, nil, nil
}

// compress wraps b again the way layer l was written.
func compress(l Layer, b []byte) ([]byte, error) {
	var buf bytes.Buffer
	var w io.WriteCloser
	var err error
	switch l.Codec {
	case Gzip:
		s, _ := l.settings.(gzipSettings)
		gw, e := gzip.NewWriterLevel(&buf, s.level)
		if e != nil {
			return nil, e
		}
		gw.Header = s.header
		w = gw
	case Zlib:
		s, _ := l.settings.(zlibSettings)
		w, err = zlib.NewWriterLevel(&buf, s.level)
	case Deflate:
		w, err = flate.NewWriter(&buf, flate.DefaultCompression)
	case Zstd:
		s, _ := l.settings.(zstdSettings)
		enc, e := zstd.NewWriter(nil, zstd.WithEncoderCRC(s.checksum), zstd.WithEncoderConcurrency(1))
		if e != nil {
			return nil, e
		}
		defer enc.Close()
		return enc.EncodeAll(b, nil), nil
	case LZ4:
		s, _ := l.settings.(lz4Settings)
		lw := lz4.NewWriter(&buf)
		opts := []lz4.Option{lz4.BlockSizeOption(s.blockSize), lz4.BlockChecksumOption(s.blockChecksum),
			lz4.ChecksumOption(s.checksum), lz4.ConcurrencyOption(1)}
		if s.legacy {
			opts = append(opts, lz4.LegacyOption(true))
		}
		if err := lw.Apply(opts...); err != nil {
			return nil, err
		}
		w = lw
	case LZ4Block:
		out := make([]byte, 4+lz4.CompressBlockBound(len(b)))
		binary.LittleEndian.PutUint32(out, uint32(len(b)))
		n, err := lz4.CompressBlock(b, out[4:], nil)
		if err != nil {
			return nil, err
		}
		if n == 0 && len(b) > 0 {
			return nil, errors.New("LZ4 could not compress this block")
		}
		return out[:4+n], nil
	case Snappy:
		w = snappy.NewBufferedWriter(&buf)
	case SnappyRaw:
		return snappy.Encode(nil, b), nil
	case Brotli:
		w = brotli.NewWriterLevel(&buf, brotli.DefaultCompression)
	default:
		return nil, fmt.Errorf("%s is not a compression", l.Codec)
	}
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(b); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// byteSize renders n bytes as "16 MiB", "1.5 KiB", "12 B".
func byteSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	v := float64(n) / float64(div)
	if v == float64(int64(v)) {
		return fmt.Sprintf("%d %ciB", int64(v), "KMGTPE"[exp])
	}
	return fmt.Sprintf("%.1f %ciB", v, "KMGTPE"[exp])
}
