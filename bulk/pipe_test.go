package bulk

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestReadNativeReply(t *testing.T) {
	for _, c := range []struct {
		in   string
		want nativeReply
		bad  bool
	}{
		{in: "+OK\r\n", want: nativeReply{kind: replyValue}},
		{in: ":1\r\n", want: nativeReply{kind: replyValue, n: 1}},
		{in: ":0\r\n", want: nativeReply{kind: replyValue}},
		{in: "$-1\r\n", want: nativeReply{kind: replyNil}},
		{in: "_\r\n", want: nativeReply{kind: replyNil}},
		{in: "*-1\r\n", want: nativeReply{kind: replyNil}},
		{in: "$8\r\nol\r\n\x00\xff:1\r\n", want: nativeReply{kind: replyValue}}, // SET … GET's old value, skipped whole
		{in: "$0\r\n\r\n", want: nativeReply{kind: replyValue}},
		{in: "-BUSYKEY Target key name already exists.\r\n", want: nativeReply{kind: replyError, msg: "BUSYKEY Target key name already exists."}},
		{in: "-ERR DUMP payload version or checksum are wrong\r\n", want: nativeReply{kind: replyError, msg: "ERR DUMP payload version or checksum are wrong"}},
		{in: "!11\r\nERR a\r\nb\x00\xffc\r\n", want: nativeReply{kind: replyError, msg: "ERR a\r\nb\x00\xffc"}},
		{in: "*2\r\n", bad: true},
		{in: "%1\r\n", bad: true},
		{in: "+OK\n", bad: true},
		{in: ":x\r\n", bad: true},
		{in: "$-2\r\n", bad: true},
		{in: "\r\n", bad: true},
	} {
		got, err := readNativeReply(bufio.NewReader(strings.NewReader(c.in)))
		if c.bad {
			if !errors.Is(err, errBadReply) {
				t.Errorf("%q: %+v, %v; want errBadReply", c.in, got, err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%q: %+v, %v; want %+v", c.in, got, err, c.want)
		}
	}
	// Cut short: the connection's error, not a reply.
	for _, in := range []string{"", "+OK", "$5\r\nab", ":1\r"} {
		if got, err := readNativeReply(bufio.NewReader(strings.NewReader(in))); err == nil || errors.Is(err, errBadReply) {
			t.Errorf("%q cut short: %+v, %v", in, got, err)
		}
	}
}

// respCommands splits a batch into its commands (arrays of bulk strings).
func respCommands(t testing.TB, b []byte) [][]string {
	t.Helper()
	r := bufio.NewReader(bytes.NewReader(b))
	var out [][]string
	num := func(prefix byte) int {
		l, err := r.ReadString('\n')
		if err != nil || len(l) < 3 || l[0] != prefix || !strings.HasSuffix(l, "\r\n") {
			t.Fatalf("bad RESP %q (%v)", l, err)
		}
		n, err := strconv.Atoi(l[1 : len(l)-2])
		must(t, err)
		return n
	}
	for {
		if _, err := r.Peek(1); err == io.EOF {
			return out
		}
		args := make([]string, num('*'))
		for i := range args {
			a := make([]byte, num('$')+2)
			_, err := io.ReadFull(r, a)
			must(t, err)
			if !bytes.HasSuffix(a, []byte("\r\n")) {
				t.Fatalf("bulk string %q without its CRLF", a)
			}
			args[i] = string(a[:len(a)-2])
		}
		out = append(out, args)
	}
}

// The commands are encoded byte for byte, binary names and values included.
func TestAppendNative(t *testing.T) {
	odd := "k\r\n*1\r\n$3\x00\xff"
	future := int64(1) << 50 // a deadline far ahead: PX is what is left of it
	grp := native{group: []queued{{key: odd, elems: []string{"v\r\n"}}, {key: "", elems: []string{""}}}}
	set := native{q: queued{key: odd, deadline: -1, elems: []string{"\x00"}}}
	setTTL := native{q: queued{key: "t", deadline: future, elems: []string{"v"}}}
	restore := native{q: queued{key: odd, deadline: -1}, payload: "\x02\x00\r\n\xff"}
	var b []byte
	for _, n := range []native{grp, set, setTTL, restore} {
		b = appendNative(b, n, ConflictSkip, time.Now().UnixMilli())
	}
	b = appendNative(b, set, ConflictReplace, time.Now().UnixMilli())
	// A deadline passed since the batch was filtered: expire at once, never no TTL.
	b = appendNative(b, native{q: queued{key: "gone", deadline: 5, elems: []string{"v"}}}, ConflictSkip, 10)
	b = appendNative(b, native{q: queued{key: "gone", deadline: 5}, payload: "p"}, ConflictSkip, 10)
	got := respCommands(t, b)
	pttl := func(s string) string {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			t.Fatalf("PX %q", s)
		}
		return "ms"
	}
	got[2][5] = pttl(got[2][5])
	want := [][]string{
		{"MSETNX", odd, "v\r\n", "", ""},
		{"SET", odd, "\x00", "NX"},
		{"SET", "t", "v", "NX", "PX", "ms"},
		{"RESTORE", odd, "0", "\x02\x00\r\n\xff"},
		{"SET", odd, "\x00", "GET"},
		{"SET", "gone", "v", "NX", "PX", "1"},
		{"RESTORE", "gone", "1", "p"},
	}
	if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
		t.Fatalf("encoded\n%q\nwant\n%q", got, want)
	}
}

// fakeServer answers the native commands of every Pipe it gives as an empty server would
// (each key new), until it has answered cut commands: then the connection breaks in the
// middle of a batch, and every later batch fails at once.
type fakeServer struct {
	t        testing.TB
	cut      int
	mu       sync.Mutex
	answered int
	keys     int64 // keys of the commands answered
	dead     bool
	trips    atomic.Int64
}

type fakePipe struct{ s *fakeServer }

func (p fakePipe) Close() error { return nil }

func (p fakePipe) RoundTrip(ctx context.Context, cmds []byte, read func(*bufio.Reader) error) error {
	s := p.s
	s.trips.Add(1)
	s.mu.Lock()
	var out bytes.Buffer
	broke := s.dead
	for _, c := range respCommands(s.t, cmds) {
		if broke || s.answered == s.cut {
			broke, s.dead = true, true
			break
		}
		s.answered++
		switch c[0] {
		case "MSETNX":
			s.keys += int64(len(c)-1) / 2
			out.WriteString(":1\r\n")
		case "SET", "RESTORE":
			s.keys++
			out.WriteString("+OK\r\n")
		default:
			s.t.Errorf("unexpected command %q", c[0])
		}
	}
	s.mu.Unlock()
	err := read(bufio.NewReader(io.MultiReader(&out, errReader{})))
	if err == nil && broke {
		s.t.Errorf("read returned nil on a broken batch")
	}
	return err
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }

// A connection lost in the middle of a batch: the keys whose replies were read are counted
// as created, those of the batch with no reply as uncertain, and the import stops with
// "may or may not have been written". Nothing is counted twice.
func TestImportPipeLostMidBatch(t *testing.T) {
	ctx := context.Background()
	var file bytes.Buffer
	file.WriteString(`{"amr_tui_export":1,"format":"jsonl","selection":"test"}` + "\n")
	for i := range 20_000 {
		switch i % 4 {
		case 0:
			fmt.Fprintf(&file, `{"key":"l%d","type":"list","ttl_ms":-1,"value":["a","b"]}`+"\n", i)
		case 1:
			fmt.Fprintf(&file, `{"key":"t%d","type":"string","ttl_ms":3600000,"value":"v"}`+"\n", i)
		default:
			fmt.Fprintf(&file, `{"key":"s%d","type":"string","ttl_ms":-1,"value":"v"}`+"\n", i)
		}
	}
	dst := startServer(t) // the scripts' client: nothing may reach it
	srv := &fakeServer{t: t, cut: 3000}
	rep, err := Import(ctx, dst, opener(file.Bytes()), ImportOptions{Pipe: func() (Pipe, error) { return fakePipe{srv}, nil }})
	if err == nil || !strings.Contains(err.Error(), "may or may not have been written") {
		t.Fatalf("import over a connection lost mid-batch: %v", err)
	}
	if rep.Created != srv.keys || rep.Uncertain == 0 || rep.Failed != 0 {
		t.Fatalf("report %s; the server answered for %d keys", rep.String(), srv.keys)
	}
	if rep.Created+rep.Uncertain > 20_000 {
		t.Fatalf("report %s counts more keys than the file has", rep.String())
	}
	if n := dbsize(t, dst); n != 0 {
		t.Fatalf("%d keys reached the go-redis client", n)
	}
}

// A key twice in a batch is found whatever its place; distinct keys are told distinct, also
// across reuses of the table and for batches larger than it starts.
func TestDistinctKeys(t *testing.T) {
	w := newWriter(context.Background(), nil, ConflictSkip, true, &tally{}, new(writeState))
	batch := func(names ...string) []queued {
		out := make([]queued, len(names))
		for i, n := range names {
			out[i] = queued{key: n, hash: maphash.String(w.seed, n)}
		}
		return out
	}
	var s sender
	var many []string
	for i := range 3000 {
		many = append(many, "k"+strconv.Itoa(i))
	}
	for round := range 2 {
		if !s.distinctKeys(batch(many...)) || !s.distinctKeys(batch("a", "b", "", "\x00")) {
			t.Fatalf("round %d: distinct keys reported as repeated", round)
		}
		for _, at := range []int{0, 1, 1500, 2999} {
			if s.distinctKeys(batch(append(slices.Clone(many), many[at])...)) {
				t.Fatalf("round %d: %q twice not found", round, many[at])
			}
		}
		if s.distinctKeys(batch("", "x", "")) {
			t.Fatalf("round %d: the empty name twice not found", round)
		}
	}
}
