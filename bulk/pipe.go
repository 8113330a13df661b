package bulk

import (
	"github.com/amr-tui/amr-tui/rediscli"

	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"
)

// Pipe is a dedicated connection to a standalone server that takes a batch of commands
// already encoded as RESP (session.Pipe is the one amr-tui uses). The writer encodes its
// native commands (MSETNX, SET NX, RESTORE) into a reused buffer and parses their simple
// replies itself: go-redis's Pipeliner boxes every argument, builds a command object per
// command and parses each reply generically, which cost about as much client CPU per key as
// reading the file.
type Pipe interface {
	// RoundTrip writes cmds and calls read to read the replies off the connection. An error
	// means the connection failed: replies read before it are valid, the rest are unknown.
	RoundTrip(ctx context.Context, cmds []byte, read func(r *bufio.Reader) error) error
	Close() error
}

// The RESP encoding is rediscli's; only integers are written here, straight into the buffer.
var (
	appendArrayHeader = rediscli.AppendArrayHeader
	appendBulkString  = rediscli.AppendBulkString
)

// appendBulkInt appends n as a RESP bulk string of its decimal digits.
func appendBulkInt(b []byte, n int64) []byte {
	var d [20]byte
	digits := strconv.AppendInt(d[:0], n, 10)
	b = append(b, '$')
	b = strconv.AppendInt(b, int64(len(digits)), 10)
	b = append(b, '\r', '\n')
	b = append(b, digits...)
	return append(b, '\r', '\n')
}

// replyKind is what a native command's reply was.
type replyKind uint8

const (
	replyLost  replyKind = iota // no reply: the connection failed before it
	replyValue                  // +status, a bulk string or an integer (n)
	replyNil                    // a null ($-1, *-1, or RESP3's _)
	replyError                  // an error reply (msg)
)

// nativeReply is one reply of sendNative's pipeline, as sendNative reads it.
type nativeReply struct {
	kind replyKind
	n    int64  // an integer reply's value
	msg  string // an error reply's message
}

// errBadReply is a reply the native commands never get: the connection is not trusted after it.
var errBadReply = errors.New("bulk: unexpected reply on the import pipeline")

// readNativeReply reads one reply of a native command. Bulk strings (SET … GET's old value)
// are skipped, not kept; arrays and maps (never sent back to these commands) are refused.
func readNativeReply(r *bufio.Reader) (nativeReply, error) {
	line, err := r.ReadSlice('\n')
	if err != nil {
		if errors.Is(err, bufio.ErrBufferFull) {
			return nativeReply{}, fmt.Errorf("%w: a line longer than %d bytes", errBadReply, r.Size())
		}
		return nativeReply{}, err
	}
	if len(line) < 3 || line[len(line)-2] != '\r' {
		return nativeReply{}, fmt.Errorf("%w %q", errBadReply, line)
	}
	body := line[1 : len(line)-2]
	switch line[0] {
	case '+':
		return nativeReply{kind: replyValue}, nil
	case '-':
		return nativeReply{kind: replyError, msg: string(body)}, nil
	case ':':
		n, err := strconv.ParseInt(string(body), 10, 64)
		if err != nil {
			return nativeReply{}, fmt.Errorf("%w %q", errBadReply, line)
		}
		return nativeReply{kind: replyValue, n: n}, nil
	case '_':
		return nativeReply{kind: replyNil}, nil
	case '$', '!':
		n, err := strconv.Atoi(string(body))
		if err != nil || n < -1 {
			return nativeReply{}, fmt.Errorf("%w %q", errBadReply, line)
		}
		if n == -1 {
			return nativeReply{kind: replyNil}, nil
		}
		if line[0] == '!' { // RESP3's blob error
			msg := make([]byte, n+2)
			if _, err := io.ReadFull(r, msg); err != nil {
				return nativeReply{}, err
			}
			return nativeReply{kind: replyError, msg: string(msg[:n])}, nil
		}
		if _, err := r.Discard(n + 2); err != nil {
			return nativeReply{}, err
		}
		return nativeReply{kind: replyValue}, nil
	case '*':
		if string(body) == "-1" {
			return nativeReply{kind: replyNil}, nil
		}
	}
	return nativeReply{}, fmt.Errorf("%w %q", errBadReply, line)
}

// sender is one sender goroutine's own connection and reused buffers.
type sender struct {
	pipe    Pipe // nil: go-redis
	buf     []byte
	replies []nativeReply
	nat     []native
	seen    []uint64 // distinctKeys's table
}

// natives returns the sender's command list, empty, for n commands at most.
func (s *sender) natives(n int) []native {
	if cap(s.nat) < n {
		s.nat = make([]native, 0, n)
	}
	clear(s.nat[:cap(s.nat)]) // no strings of the last batch kept alive
	return s.nat[:0]
}

// distinctKeys tells whether no key comes twice in batch, by the hashes the writer gave the
// keys, in an open-addressing table reused from batch to batch (a map of the names cost more
// than the rest of the grouping). Two names with one hash answer "not distinct", which only
// sends that batch's strings one by one: the answer is never wrongly yes.
func (s *sender) distinctKeys(batch []queued) bool {
	size := 1024
	for size < 2*len(batch) {
		size *= 2
	}
	if len(s.seen) != size {
		s.seen = make([]uint64, size)
	} else {
		clear(s.seen)
	}
	mask := uint64(size - 1)
	for _, q := range batch {
		h := q.hash | 1 // 0 marks an empty slot
		for i := h & mask; ; i = (i + 1) & mask {
			if s.seen[i] == 0 {
				s.seen[i] = h
				break
			}
			if s.seen[i] == h {
				return false
			}
		}
	}
	return true
}

// roundTrip sends nat on s.pipe and returns one reply per command; those after a connection
// failure are replyLost.
func (s *sender) roundTrip(ctx context.Context, nat []native, rule Conflict) ([]nativeReply, error) {
	b := s.buf[:0]
	now := time.Now().UnixMilli()
	for _, n := range nat {
		b = appendNative(b, n, rule, now)
	}
	if cap(b) <= 16<<20 { // a batch of huge values: do not keep its buffer
		s.buf = b
	}
	replies := s.replies[:0]
	err := s.pipe.RoundTrip(ctx, b, func(r *bufio.Reader) error {
		for len(replies) < len(nat) {
			rep, err := readNativeReply(r)
			if err != nil {
				return err
			}
			replies = append(replies, rep)
		}
		return nil
	})
	for len(replies) < len(nat) {
		replies = append(replies, nativeReply{kind: replyLost})
	}
	s.replies = replies
	return replies, err
}

func (s *sender) close() {
	if s.pipe != nil {
		_ = s.pipe.Close()
	}
}

// appendNative appends one native command as RESP, as pipelineNative sends it through
// go-redis: MSETNX of a group, RESTORE key ttl payload, or SET key value NX|GET [PX ttl],
// with TTLs as they are at now (Unix ms).
func appendNative(b []byte, n native, rule Conflict, now int64) []byte {
	switch {
	case n.group != nil:
		b = appendArrayHeader(b, 1+2*len(n.group))
		b = appendBulkString(b, "MSETNX")
		for _, g := range n.group {
			b = appendBulkString(b, g.key)
			b = appendBulkString(b, g.elems[0])
		}
		return b
	case n.payload != "":
		b = appendArrayHeader(b, 4)
		b = appendBulkString(b, "RESTORE")
		b = appendBulkString(b, n.q.key)
		b = appendBulkInt(b, max(sendTTL(n.q.deadline, now), 0))
		return appendBulkString(b, n.payload)
	}
	ttl := sendTTL(n.q.deadline, now)
	args := 4
	if ttl > 0 {
		args += 2
	}
	b = appendArrayHeader(b, args)
	b = appendBulkString(b, "SET")
	b = appendBulkString(b, n.q.key)
	b = appendBulkString(b, n.q.elems[0])
	if rule == ConflictReplace {
		b = appendBulkString(b, "GET")
	} else {
		b = appendBulkString(b, "NX")
	}
	if ttl > 0 {
		b = appendBulkString(b, "PX")
		b = appendBulkInt(b, ttl)
	}
	return b
}
