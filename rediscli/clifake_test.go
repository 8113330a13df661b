package rediscli

import (
	"bufio"
	"flag"
	"fmt"
	"math"
	"math/rand"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/amr-tui/amr-tui/internal/redistest"
)

// These tests put redis-cli in front of a fake server that answers every command with crafted
// bytes, to compare the renderers with redis-cli on replies a real server seldom or never sends:
// every golden case, and random nested replies.

// fakeServer answers HELLO and COMMAND (which redis-cli sends on its own) with small replies
// and every other command with the next queued payload.
type fakeServer struct {
	addr  string
	mu    sync.Mutex
	queue [][]byte
}

func startFakeServer(t *testing.T) *fakeServer {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	fs := &fakeServer{addr: l.Addr().String()}
	var wg sync.WaitGroup
	t.Cleanup(func() { l.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				rd, w := NewReader(c), bufio.NewWriter(c)
				for {
					cmd, err := rd.ReadReply()
					if err != nil {
						return
					}
					name := ""
					if len(cmd.Elems) > 0 {
						name = strings.ToUpper(cmd.Elems[0].Str)
					}
					switch name {
					case "HELLO": // redis-cli -3 on connecting
						w.WriteString("%1\r\n+proto\r\n:3\r\n")
					case "COMMAND": // redis-cli reading a script asks for COMMAND DOCS, for its help
						w.WriteString("*0\r\n")
					default:
						w.Write(fs.next())
					}
					if w.Flush() != nil {
						return
					}
				}
			}()
		}
	}()
	return fs
}

func (fs *fakeServer) serve(payloads ...[]byte) {
	fs.mu.Lock()
	fs.queue = payloads
	fs.mu.Unlock()
}

func (fs *fakeServer) next() []byte {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if len(fs.queue) == 0 {
		return []byte("-ERR fake server: no reply queued\r\n")
	}
	p := fs.queue[0]
	fs.queue = fs.queue[1:]
	return p
}

// compareWithCLI has redis-cli send one FAKE command per wire reply (a script on its standard
// input, one process per mode) and compares its output reply by reply with ours. A push is
// followed by +OK, since redis-cli waits for a reply to its command after it.
func compareWithCLI(t *testing.T, cli string, fs *fakeServer, wires [][]byte) (compared int) {
	t.Helper()
	args := []string{"FAKE"}
	type exchange struct {
		pushes []Reply
		reply  Reply
	}
	var payloads [][]byte
	var exchanges []exchange
	for _, wire := range wires {
		r, err := NewReader(strings.NewReader(string(wire))).ReadReply()
		if err != nil {
			t.Fatalf("reading %q: %v", wire, err)
		}
		if r.Kind == KindPush {
			exchanges = append(exchanges, exchange{[]Reply{r}, Status("OK")})
			wire = append(append([]byte{}, wire...), "+OK\r\n"...)
		} else {
			exchanges = append(exchanges, exchange{nil, r})
		}
		payloads = append(payloads, wire)
	}
	script := strings.Repeat("FAKE\n", len(wires))
	for _, m := range modes {
		fs.serve(payloads...)
		stdout, stderr, err := runCLI(t, cli, fs.addr, script, cliFlags(3, m.flag, true), nil)
		if err != nil {
			t.Fatalf("%s: redis-cli failed: %v\n%s", m.flag, err, stderr)
		}
		var segs []segment
		for i, x := range exchanges {
			s := segments(t, m.mode, args, x.pushes, x.reply)
			for j := range s {
				s[j].label = fmt.Sprintf("reply %d %q", i, wires[i])
			}
			segs = append(segs, s...)
		}
		compared += matchSegments(t, m.mode, stdout, segs)
	}
	return compared
}

// cliCannotPrint are the golden cases redis-cli 7.0.15 rejects (it exits with an error).
var cliCannotPrint = map[string]string{
	"blob_error":         `Protocol error, got "!" as reply type byte`,
	"bignum":             "Unknown reply type: 13",
	"bignum_negative":    "Unknown reply type: 13",
	"double_nan":         "Bad double value",
	"attribute":          `Protocol error, got "|" as reply type byte`,
	"attribute_in_array": `Protocol error, got "|" as reply type byte`,
}

// TestGoldenMatchesRedisCLI checks every golden case that redis-cli can print against it, so
// the goldens are redis-cli's own output and not just ours.
func TestGoldenMatchesRedisCLI(t *testing.T) {
	cli := redistest.RedisCLIPath(t)
	fs := startFakeServer(t)
	var wires [][]byte
	for _, c := range goldenWire {
		want, cannot := cliCannotPrint[c.name]
		if !cannot {
			wires = append(wires, []byte(c.wire))
			continue
		}
		fs.serve([]byte(c.wire))
		_, stderr, err := runCLI(t, cli, fs.addr, "", []string{"-3", "--no-raw"}, []string{"FAKE"})
		if err == nil || !strings.Contains(stderr, want) {
			t.Errorf("%s: redis-cli was expected to fail with %q: err=%v stderr=%q", c.name, want, err, stderr)
		}
	}
	t.Logf("%d replies compared byte for byte", compareWithCLI(t, cli, fs, wires))
}

// TestRandomRepliesMatchRedisCLI compares redis-cli with the renderers on random nested replies
// of every type redis-cli 7.0 prints (fixed seed: a failure reproduces; -random-replies and
// -random-seed run more).
func TestRandomRepliesMatchRedisCLI(t *testing.T) {
	cli := redistest.RedisCLIPath(t)
	fs := startFakeServer(t)
	rng := rand.New(rand.NewSource(*randomSeed))
	var wires [][]byte
	for i := 0; i < *randomReplies; i++ {
		r := randomReply(rng, 0)
		if i%10 == 0 {
			r = Push(Bulk("message"), randomReply(rng, 1))
		}
		wires = append(wires, AppendReply(nil, r))
	}
	t.Logf("%d replies compared byte for byte", compareWithCLI(t, cli, fs, wires))
}

var (
	randomReplies = flag.Int("random-replies", 1000, "how many random replies TestRandomRepliesMatchRedisCLI tries")
	randomSeed    = flag.Int64("random-seed", 20261122, "seed of TestRandomRepliesMatchRedisCLI")
)

func randomReply(rng *rand.Rand, depth int) Reply {
	kinds := []Kind{KindStatus, KindError, KindInteger, KindBulk, KindNil, KindDouble, KindBoolean, KindVerbatim}
	switch {
	case depth == 0: // mostly aggregates at the top
		kinds = append(kinds, KindArray, KindMap, KindSet, KindArray, KindMap, KindSet, KindArray, KindMap)
	case depth < 4:
		kinds = append(kinds, KindArray, KindMap, KindSet)
	}
	n := func() int {
		switch rng.Intn(6) {
		case 0:
			return 0
		case 1:
			return 1
		case 2:
			return 10 + rng.Intn(3)
		}
		return 2 + rng.Intn(3)
	}
	switch k := kinds[rng.Intn(len(kinds))]; k {
	case KindStatus:
		return Status(randomText(rng, false))
	case KindError:
		return Error("ERR " + randomText(rng, false))
	case KindInteger:
		return Integer(rng.Int63() - rng.Int63())
	case KindBulk:
		return Bulk(randomText(rng, true))
	case KindNil:
		return Nil()
	case KindDouble:
		switch rng.Intn(8) {
		case 0:
			return Double("inf")
		case 1:
			return Double("-inf")
		}
		f := rng.NormFloat64() * math.Pow(10, float64(rng.Intn(40)-20))
		return Double(strconv.FormatFloat(f, 'g', 17, 64))
	case KindBoolean:
		return Boolean(rng.Intn(2) == 0)
	case KindVerbatim:
		return Verbatim("txt", randomText(rng, true))
	case KindMap:
		pairs := make([]Pair, n())
		for i := range pairs {
			pairs[i] = Pair{randomReply(rng, depth+2), randomReply(rng, depth+1)}
		}
		return Map(pairs...)
	default:
		elems := make([]Reply, n())
		for i := range elems {
			elems[i] = randomReply(rng, depth+1)
		}
		return Reply{Kind: k, Elems: elems}
	}
}

// randomText is short text; binary adds control bytes, quotes, backslashes, newlines and
// non-UTF-8 bytes. Simple strings never hold CR or LF.
func randomText(rng *rand.Rand, binary bool) string {
	alphabet := []string{"a", "b", "Z", "0", " ", "-", ":", "é", "€"}
	if binary {
		alphabet = append(alphabet, "\"", "\\", "\n", "\r\n", "\t", "\x00", "\x07", "\x7f", "\xff", "'")
	}
	var b strings.Builder
	for i := rng.Intn(12); i > 0; i-- {
		b.WriteString(alphabet[rng.Intn(len(alphabet))])
	}
	return b.String()
}
