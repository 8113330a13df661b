package rediscli

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// MaxDepth is how deeply Reader lets aggregates nest before it calls the input malformed.
// Real replies nest a handful of levels; the limit keeps hostile input from exhausting the stack.
const MaxDepth = 512

// maxBulkLen bounds a bulk string's declared length so that length+CRLF cannot overflow; memory
// is only spent as bytes actually arrive.
const maxBulkLen = 1 << 40

// ProtocolError is a reply that breaks the RESP2/RESP3 grammar. After one the connection is out
// of step and must be closed.
type ProtocolError struct {
	Msg string
}

func (e *ProtocolError) Error() string { return "Protocol error, " + e.Msg }

func protoErr(format string, args ...any) error {
	return &ProtocolError{Msg: fmt.Sprintf(format, args...)}
}

// Reader reads RESP2 and RESP3 replies from a byte stream, exactly as sent: it keeps statuses
// apart from bulk strings, map order, verbatim formats, attributes, and the text of doubles
// and big numbers. It does not handle RESP3 streamed strings or aggregates (Redis never sends
// them) and reports them as protocol errors.
type Reader struct {
	br *bufio.Reader
}

// NewReader returns a Reader reading from rd (buffered unless rd is already a *bufio.Reader).
func NewReader(rd io.Reader) *Reader {
	br, ok := rd.(*bufio.Reader)
	if !ok {
		br = bufio.NewReader(rd)
	}
	return &Reader{br: br}
}

// ReadReply reads one reply. An error reply from the server is a Reply of KindError, not a Go
// error; the Go error is for I/O failures (io.EOF, io.ErrUnexpectedEOF mid-reply) and
// *ProtocolError. A push (KindPush) is returned like any other reply: callers waiting for the
// answer to a command read on past it.
func (r *Reader) ReadReply() (Reply, error) {
	return r.read(0)
}

func (r *Reader) read(depth int) (Reply, error) {
	if depth > MaxDepth {
		return Reply{}, protoErr("replies nested more than %d deep", MaxDepth)
	}
	line, err := r.line()
	if err != nil {
		return Reply{}, err
	}
	if len(line) == 0 {
		return Reply{}, protoErr("empty line where a reply type byte was expected")
	}
	typ, body := line[0], line[1:]
	switch typ {
	case '+':
		return Reply{Kind: KindStatus, Str: body}, nil
	case '-':
		return Reply{Kind: KindError, Str: body}, nil
	case ':':
		n, err := strconv.ParseInt(body, 10, 64)
		if err != nil {
			return Reply{}, protoErr("bad integer value %q", body)
		}
		return Reply{Kind: KindInteger, Int: n}, nil
	case '_':
		if body != "" {
			return Reply{}, protoErr("bad null value %q", body)
		}
		return Reply{Kind: KindNil}, nil
	case ',':
		f, ok := parseDouble(body)
		if !ok {
			return Reply{}, protoErr("bad double value %q", body)
		}
		return Reply{Kind: KindDouble, Str: body, Float: f}, nil
	case '#':
		switch body {
		case "t":
			return Reply{Kind: KindBoolean, Bool: true}, nil
		case "f":
			return Reply{Kind: KindBoolean}, nil
		}
		return Reply{}, protoErr("bad bool value %q", body)
	case '(':
		b, ok := new(big.Int).SetString(body, 10)
		if !ok || strings.HasPrefix(body, "+") || strings.ContainsRune(body, '_') {
			return Reply{}, protoErr("bad big number value %q", body)
		}
		return Reply{Kind: KindBigNumber, Str: body, Big: b}, nil
	case '$', '!', '=':
		return r.blob(typ, body)
	case '*', '~', '>', '%':
		return r.aggregate(typ, body, depth)
	case '|':
		attr, err := r.pairs(body, depth)
		if err != nil {
			return Reply{}, err
		}
		next, err := r.read(depth)
		if err != nil {
			return Reply{}, noEOF(err)
		}
		next.Attr = append(attr, next.Attr...)
		return next, nil
	}
	return Reply{}, protoErr("got %q as reply type byte", string(typ))
}

func (r *Reader) blob(typ byte, body string) (Reply, error) {
	if body == "?" {
		return Reply{}, protoErr("streamed RESP3 strings are not supported")
	}
	n, err := strconv.ParseInt(body, 10, 64)
	if err != nil || n < -1 || n > maxBulkLen {
		return Reply{}, protoErr("bad bulk length %q", body)
	}
	if n == -1 {
		if typ != '$' {
			return Reply{}, protoErr("bad length %q for %q", body, string(typ))
		}
		return Reply{Kind: KindNil}, nil
	}
	var buf bytes.Buffer
	if n < 1<<20 {
		buf.Grow(int(n) + 2)
	}
	if _, err := io.CopyN(&buf, r.br, n+2); err != nil {
		return Reply{}, noEOF(err)
	}
	b := buf.Bytes()
	if b[n] != '\r' || b[n+1] != '\n' {
		return Reply{}, protoErr("bulk string of %d bytes not followed by CRLF", n)
	}
	s := string(b[:n])
	switch typ {
	case '!':
		return Reply{Kind: KindError, Str: s}, nil
	case '=':
		if len(s) < 4 || s[3] != ':' {
			return Reply{}, protoErr("verbatim string without a 3-letter format prefix")
		}
		return Reply{Kind: KindVerbatim, Format: s[:3], Str: s[4:]}, nil
	}
	return Reply{Kind: KindBulk, Str: s}, nil
}

func (r *Reader) aggregate(typ byte, body string, depth int) (Reply, error) {
	if typ == '%' {
		if body == "-1" {
			return Reply{Kind: KindNil}, nil
		}
		p, err := r.pairs(body, depth)
		return Reply{Kind: KindMap, Pairs: p}, err
	}
	n, err := count(body)
	if err != nil {
		return Reply{}, err
	}
	if n == -1 {
		return Reply{Kind: KindNil}, nil
	}
	kind := KindArray
	switch typ {
	case '~':
		kind = KindSet
	case '>':
		kind = KindPush
	}
	elems := make([]Reply, 0, min(n, 1024))
	for i := 0; i < n; i++ {
		e, err := r.read(depth + 1)
		if err != nil {
			return Reply{}, noEOF(err)
		}
		elems = append(elems, e)
	}
	return Reply{Kind: kind, Elems: elems}, nil
}

func (r *Reader) pairs(body string, depth int) ([]Pair, error) {
	n, err := count(body)
	if err != nil {
		return nil, err
	}
	if n < 0 {
		return nil, protoErr("bad map length %q", body)
	}
	pairs := make([]Pair, 0, min(n, 1024))
	for i := 0; i < n; i++ {
		k, err := r.read(depth + 1)
		if err != nil {
			return nil, noEOF(err)
		}
		v, err := r.read(depth + 1)
		if err != nil {
			return nil, noEOF(err)
		}
		pairs = append(pairs, Pair{Key: k, Value: v})
	}
	return pairs, nil
}

func count(body string) (int, error) {
	if body == "?" {
		return 0, protoErr("streamed RESP3 aggregates are not supported")
	}
	n, err := strconv.ParseInt(body, 10, 32)
	if err != nil || n < -1 {
		return 0, protoErr("bad aggregate length %q", body)
	}
	return int(n), nil
}

// line reads one CRLF-terminated line, without the CRLF.
func (r *Reader) line() (string, error) {
	s, err := r.br.ReadString('\n')
	if err != nil {
		if err == io.EOF && s != "" {
			return "", io.ErrUnexpectedEOF
		}
		return "", err
	}
	if len(s) < 2 || s[len(s)-2] != '\r' {
		return "", protoErr("line not terminated by CRLF: %.40q", s)
	}
	return s[:len(s)-2], nil
}

// noEOF turns a clean EOF inside a reply into io.ErrUnexpectedEOF: only a reply boundary is a
// clean end of the stream.
func noEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// parseDouble accepts what a RESP3 double may carry: a decimal or exponent float, inf, -inf
// and nan (in any case, as RESP3 allows).
func parseDouble(s string) (float64, bool) {
	switch strings.ToLower(s) {
	case "inf", "+inf":
		return math.Inf(1), true
	case "-inf":
		return math.Inf(-1), true
	case "nan", "-nan":
		return math.NaN(), true
	}
	if s == "" || strings.ContainsAny(s, "_xXpPiInN") {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && ne.Err == strconv.ErrRange {
			return f, true
		}
		return 0, false
	}
	return f, true
}
