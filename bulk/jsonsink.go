package bulk

import (
	"encoding/base64"
	"io"
	"strconv"
	"sync"
	"time"
)

// sharedOut is the export's output, shared by the workers of a cluster's primaries: each
// writes whole lines (a batch of them at once), and holds it across a big value it streams.
type sharedOut struct {
	mu  sync.Mutex
	w   io.Writer
	n   int64
	err error
}

func (o *sharedOut) writeLocked(b []byte) error {
	if o.err != nil {
		return o.err
	}
	n, err := o.w.Write(b)
	o.n += int64(n)
	o.err = err
	return err
}

// flushAt is how much a worker collects before writing; a value that grows past it is
// streamed with the output held.
const flushAt = 256 << 10

// jsonSink writes keys as jsonl records (see the README's "Export formats").
type jsonSink struct {
	out  *sharedOut
	buf  []byte
	held bool

	typ    string
	n      int    // elements of the current value written
	first  string // a string value's first chunk, held until it is known whether more follow
	chunks int
}

func (j *jsonSink) begin(key, typ string, pttl int64) error {
	j.typ, j.n, j.chunks, j.first = typ, 0, 0, ""
	j.buf = append(j.buf, `{"key":`...)
	j.buf = appendBytes(j.buf, key)
	j.buf = append(j.buf, `,"type":`...)
	j.buf = appendJSONString(j.buf, typ)
	j.buf = append(j.buf, `,"ttl_ms":`...)
	j.buf = strconv.AppendInt(j.buf, pttl, 10)
	if pttl > 0 {
		j.buf = append(j.buf, `,"expire_at_ms":`...)
		j.buf = strconv.AppendInt(j.buf, time.Now().UnixMilli()+pttl, 10)
	}
	switch {
	case typ == typeString:
		j.buf = append(j.buf, `,"value":`...)
	case typedKind(typ):
		j.buf = append(j.buf, `,"value":[`...)
	default:
		j.buf = append(j.buf, `,"dump":"`...)
	}
	return nil
}

func (j *jsonSink) add(e []string) error {
	switch j.typ {
	case typeString:
		j.chunks++
		switch j.chunks {
		case 1:
			j.first = e[0]
			return nil
		case 2:
			j.buf = append(j.buf, '[')
			j.buf = appendBytes(j.buf, j.first)
			j.first = ""
		}
		j.buf = append(j.buf, ',')
		j.buf = appendBytes(j.buf, e[0])
	case typeList, typeSet:
		j.sep()
		j.buf = appendBytes(j.buf, e[0])
	case typeHash, typeZSet:
		j.sep()
		j.buf = append(j.buf, '[')
		j.buf = appendBytes(j.buf, e[0])
		j.buf = append(j.buf, ',')
		j.buf = appendBytes(j.buf, e[1])
		j.buf = append(j.buf, ']')
	case typeStream:
		j.sep()
		j.buf = append(j.buf, '[')
		j.buf = appendBytes(j.buf, e[0])
		j.buf = append(j.buf, ",["...)
		for i, f := range e[1:] {
			if i > 0 {
				j.buf = append(j.buf, ',')
			}
			j.buf = appendBytes(j.buf, f)
		}
		j.buf = append(j.buf, "]]"...)
	default:
		j.buf = base64.StdEncoding.AppendEncode(j.buf, []byte(e[0]))
	}
	if len(j.buf) >= flushAt {
		if !j.held {
			j.out.mu.Lock()
			j.held = true
		}
		err := j.out.writeLocked(j.buf)
		j.buf = j.buf[:0]
		return err
	}
	return nil
}

func (j *jsonSink) sep() {
	if j.n > 0 {
		j.buf = append(j.buf, ',')
	}
	j.n++
}

func (j *jsonSink) end() error {
	switch {
	case j.typ == typeString && j.chunks <= 1:
		j.buf = appendBytes(j.buf, j.first)
		j.first = ""
	case j.typ == typeString:
		j.buf = append(j.buf, ']')
	case typedKind(j.typ):
		j.buf = append(j.buf, ']')
	default:
		j.buf = append(j.buf, '"')
	}
	j.buf = append(j.buf, "}\n"...)
	if j.held {
		err := j.out.writeLocked(j.buf)
		j.buf = j.buf[:0]
		j.held = false
		j.out.mu.Unlock()
		return err
	}
	if len(j.buf) >= flushAt {
		return j.flush()
	}
	return nil
}

// flush writes what the sink collected.
func (j *jsonSink) flush() error {
	if len(j.buf) == 0 {
		return nil
	}
	j.out.mu.Lock()
	defer j.out.mu.Unlock()
	err := j.out.writeLocked(j.buf)
	j.buf = j.buf[:0]
	return err
}

// release gives the output back after a value that failed half way (the export then stops).
func (j *jsonSink) release() {
	if j.held {
		j.held = false
		j.out.mu.Unlock()
	}
}
