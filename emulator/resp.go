package emulator

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/amr-tui/amr-tui/rediscli"
)

// Limits follow redis-server's defaults, so a client sees the same protocol errors through the
// gate as it would talking to Redis directly.
const (
	maxInlineLen       = 64 << 10  // PROTO_INLINE_MAX_SIZE
	maxBulkLen         = 512 << 20 // proto-max-bulk-len
	maxMultibulkLen    = 1<<31 - 1 // INT_MAX
	maxUnauthMultibulk = 10        // unauthenticated clients may send at most this many args
	maxUnauthBulk      = 16384     // and bulk strings at most this long
	maxReplyDepth      = 1 << 16   // bound on how deeply aggregates in one reply may nest
	shrinkBufferAbove  = 1 << 20   // give back buffers a big value grew beyond this
)

// ProtocolError is a malformed request or reply. Redis answers a malformed request with
// "-ERR Protocol error: …" and closes the connection; the gate does the same.
type ProtocolError struct{ Msg string }

func (e *ProtocolError) Error() string { return "Protocol error: " + e.Msg }

func protoErr(format string, a ...any) error { return &ProtocolError{Msg: fmt.Sprintf(format, a...)} }

// command is one client request: its exact bytes as received (forwarded untouched when the gate
// has no reason to rewrite it) and its arguments.
type command struct {
	raw    []byte
	args   [][]byte
	inline bool
}

// name returns the upper-cased command name, or "" for an empty inline line.
func (c *command) name() string {
	if len(c.args) == 0 {
		return ""
	}
	return string(bytes.ToUpper(c.args[0]))
}

// commandReader reads client requests in either RESP multibulk or inline form.
type commandReader struct {
	r   *bufio.Reader
	cmd command
}

// read returns the next request. The returned command is only valid until the next call. With
// authed false the unauthenticated limits apply, as in Redis.
func (cr *commandReader) read(authed bool) (*command, error) {
	c := &cr.cmd
	if cap(c.raw) > shrinkBufferAbove {
		c.raw = nil
	}
	c.raw, c.args, c.inline = c.raw[:0], c.args[:0], false
	b, err := cr.r.Peek(1)
	if err != nil {
		return nil, err
	}
	if b[0] != '*' {
		return cr.readInline()
	}
	line, err := readLine(cr.r, &c.raw, maxInlineLen)
	if err != nil {
		if errors.Is(err, errLineTooLong) {
			return nil, protoErr("too big mbulk count string")
		}
		return nil, err
	}
	n, err := strconv.ParseInt(string(line[1:]), 10, 64)
	if err != nil || n > maxMultibulkLen {
		return nil, protoErr("invalid multibulk length")
	}
	if !authed && n > maxUnauthMultibulk {
		return nil, protoErr("unauthenticated multibulk length")
	}
	if n <= 0 {
		return c, nil // Redis ignores an empty or negative multibulk, like an empty inline line
	}
	// Offsets, not slices: c.raw may move while it grows.
	type span struct{ from, to int }
	spans := make([]span, 0, min(n, 64))
	for i := int64(0); i < n; i++ {
		line, err := readLine(cr.r, &c.raw, maxInlineLen)
		if err != nil {
			if errors.Is(err, errLineTooLong) {
				return nil, protoErr("too big bulk count string")
			}
			return nil, err
		}
		if len(line) == 0 {
			// Redis names the byte it found, with CR shown as a space as in all its errors.
			return nil, protoErr("expected '$', got ' '")
		}
		if line[0] != '$' {
			return nil, protoErr("expected '$', got '%c'", line[0])
		}
		size, err := strconv.ParseInt(string(line[1:]), 10, 64)
		if err != nil || size < 0 || size > maxBulkLen {
			return nil, protoErr("invalid bulk length")
		}
		if !authed && size > maxUnauthBulk {
			return nil, protoErr("unauthenticated bulk length")
		}
		from := len(c.raw)
		if err := readN(cr.r, &c.raw, int(size)+2); err != nil {
			return nil, err
		}
		if !bytes.HasSuffix(c.raw, []byte("\r\n")) {
			return nil, protoErr("bulk string not terminated by CRLF")
		}
		spans = append(spans, span{from, from + int(size)})
	}
	for _, s := range spans {
		c.args = append(c.args, c.raw[s.from:s.to])
	}
	return c, nil
}

func (cr *commandReader) readInline() (*command, error) {
	c := &cr.cmd
	c.inline = true
	line, err := readLine(cr.r, &c.raw, maxInlineLen)
	if err != nil {
		if errors.Is(err, errLineTooLong) {
			return nil, protoErr("too big inline request")
		}
		return nil, err
	}
	args, ok := splitInline(line)
	if !ok {
		return nil, protoErr("unbalanced quotes in request")
	}
	c.args = append(c.args, args...)
	return c, nil
}

var errLineTooLong = errors.New("line too long")

// readLine appends one line (through '\n') to *buf and returns it without the line ending.
func readLine(r *bufio.Reader, buf *[]byte, limit int) ([]byte, error) {
	start := len(*buf)
	for {
		chunk, err := r.ReadSlice('\n')
		*buf = append(*buf, chunk...)
		if err == nil {
			break
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			if len(*buf)-start > limit {
				return nil, errLineTooLong
			}
			continue
		}
		if err == io.EOF && len(*buf) > start {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	line := (*buf)[start : len(*buf)-1]
	if len(line) > limit {
		return nil, errLineTooLong
	}
	return bytes.TrimSuffix(line, []byte("\r")), nil
}

// readN appends exactly n bytes from r to *buf, growing it only as data arrives so a lying
// length header cannot make the gate allocate memory up front.
func readN(r *bufio.Reader, buf *[]byte, n int) error {
	for n > 0 {
		step := min(n, 1<<20)
		start := len(*buf)
		*buf = append(*buf, make([]byte, step)...)
		if _, err := io.ReadFull(r, (*buf)[start:]); err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return err
		}
		n -= step
	}
	return nil
}

// splitInline splits an inline request the way Redis does (sdssplitargs), sharing redis-cli's
// splitter so the gate and the console agree on quoting.
func splitInline(line []byte) ([][]byte, bool) {
	parts, err := rediscli.SplitArgs(string(line))
	if err != nil {
		return nil, false
	}
	args := make([][]byte, len(parts))
	for i, p := range parts {
		args[i] = []byte(p)
	}
	return args, true
}

// readReply appends one complete top-level reply (RESP2 or RESP3, including any attribute that
// precedes it) to *buf, exactly as received. It reads iteratively, keeping a stack of how many
// elements each open aggregate still needs, so deeply nested replies cannot exhaust the stack
// and an aggregate may hold any number of elements Redis allows.
func readReply(r *bufio.Reader, buf *[]byte) error {
	open := []int64{1} // the top-level reply is a one-element aggregate
	for len(open) > 0 {
		// Simple strings and errors have no length limit in Redis (a script can return any);
		// the backend is trusted, so a line may be as long as a bulk string.
		line, err := readLine(r, buf, maxBulkLen)
		if err != nil {
			return err
		}
		if len(line) == 0 {
			return protoErr("empty reply line")
		}
		open[len(open)-1]--
		switch line[0] {
		case '+', '-', ':', '_', ',', '#', '(':
			// single-line types
		case '$', '!', '=':
			n, err := strconv.ParseInt(string(line[1:]), 10, 64)
			if err != nil || n < -1 || n > maxBulkLen {
				return protoErr("invalid bulk length %q", line)
			}
			if n >= 0 {
				if err := readN(r, buf, int(n)+2); err != nil {
					return err
				}
			}
		case '*', '~', '>', '%', '|':
			n, err := strconv.ParseInt(string(line[1:]), 10, 64)
			if err != nil || n < -1 || n > maxMultibulkLen {
				return protoErr("invalid aggregate length %q", line)
			}
			if line[0] == '|' {
				open[len(open)-1]++ // an attribute annotates the reply that follows it
			}
			if n > 0 {
				if line[0] == '%' || line[0] == '|' {
					n *= 2
				}
				if len(open) >= maxReplyDepth {
					return protoErr("reply too deeply nested")
				}
				open = append(open, n)
			}
		default:
			return protoErr("unknown reply type %q", line[0])
		}
		for len(open) > 0 && open[len(open)-1] == 0 {
			open = open[:len(open)-1]
		}
	}
	return nil
}

// appendCommand appends args as a RESP multibulk request.
func appendCommand(dst []byte, args ...[]byte) []byte {
	dst = append(dst, '*')
	dst = strconv.AppendInt(dst, int64(len(args)), 10)
	dst = append(dst, '\r', '\n')
	for _, a := range args {
		dst = appendBulk(dst, a)
	}
	return dst
}

// appendBulk appends b as a RESP bulk string.
func appendBulk(dst, b []byte) []byte {
	dst = append(dst, '$')
	dst = strconv.AppendInt(dst, int64(len(b)), 10)
	dst = append(dst, '\r', '\n')
	dst = append(dst, b...)
	return append(dst, '\r', '\n')
}

// errorReply formats msg as a RESP error line; msg starts with its error code (ERR, NOAUTH…).
// CR and LF become spaces, as Redis does, so that bytes quoted from a request cannot break the
// reply's framing.
func errorReply(msg string) []byte {
	return []byte("-" + strings.NewReplacer("\r", " ", "\n", " ").Replace(msg) + "\r\n")
}
