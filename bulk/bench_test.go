package bulk

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/internal/redistest"
)

// benchKeys is AMR_BULK_BENCH_KEYS (bench/bulk.sh sets 1M), 100k by default.
func benchKeys(b *testing.B) int {
	if s := os.Getenv("AMR_BULK_BENCH_KEYS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			b.Fatal(err)
		}
		return n
	}
	return 100_000
}

// benchSeed fills c with n keys under "bench:": 70% strings of 40 bytes, 10% hashes of 4
// fields, 10% lists of 4 elements, 10% sets of 4 members; one in five has a TTL. Names are
// plain so that the shell pipelines of the anchors handle them.
func benchSeed(b testing.TB, c *redis.Client, n int) {
	ctx := context.Background()
	p := c.Pipeline()
	val := strings.Repeat("v", 40)
	for i := range n {
		k := "bench:" + strconv.Itoa(i)
		switch i % 10 {
		case 0:
			p.HSet(ctx, k, "a", val, "b", "2", "c", "3", "d", "4")
		case 1:
			p.RPush(ctx, k, val, "2", "3", "4")
		case 2:
			p.SAdd(ctx, k, val, "x", "y", "z")
		default:
			p.Set(ctx, k, val, 0)
		}
		if i%5 == 4 {
			p.Expire(ctx, k, time.Hour)
		}
		if p.Len() >= 10000 {
			if _, err := p.Exec(ctx); err != nil {
				b.Fatal(err)
			}
		}
	}
	if _, err := p.Exec(ctx); err != nil {
		b.Fatal(err)
	}
}

// contender is one way of doing a job: setup (untimed) then run (timed), returning how many
// keys it handled.
type contender struct {
	name  string
	setup func()
	run   func() int64
}

// race runs each contender once per iteration, the starting one rotating, and reports the
// median keys/s of each and the median same-iteration ratio of the first to each other.
func race(b *testing.B, want int64, cs []contender) {
	rates := make([][]float64, len(cs))
	ratios := make([][]float64, len(cs))
	for i := 0; b.Loop(); i++ {
		r := make([]float64, len(cs))
		for j := range cs {
			k := (i + j) % len(cs)
			b.StopTimer()
			cs[k].setup()
			b.StartTimer()
			t0 := time.Now()
			n := cs[k].run()
			d := time.Since(t0)
			if n != want {
				b.Fatalf("%s handled %d keys, want %d", cs[k].name, n, want)
			}
			r[k] = float64(n) / d.Seconds()
			rates[k] = append(rates[k], r[k])
		}
		for k := 1; k < len(cs); k++ {
			ratios[k] = append(ratios[k], r[0]/r[k])
		}
	}
	med := func(v []float64) float64 {
		s := slices.Clone(v)
		slices.Sort(s)
		return s[len(s)/2]
	}
	for k, c := range cs {
		b.ReportMetric(med(rates[k]), c.name+"-keys/s")
		if k > 0 {
			b.ReportMetric(med(ratios[k]), cs[0].name+"/"+c.name)
		}
	}
	b.ReportMetric(0, "ns/op")
}

func shell(b testing.TB, script string) string {
	out, err := exec.Command("bash", "-c", "set -o pipefail; "+script).Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		b.Fatalf("%s: %v\n%s", script, err, stderr)
	}
	return strings.TrimSpace(string(out))
}

func hostPort(c *redis.Client) (string, string) {
	h, p, _ := strings.Cut(c.Options().Addr, ":")
	return h, p
}

// Export of every key: bulk.Export (jsonl and dump) to a file vs redis-cli --scan piped into
// a redis-cli that sends DUMP for each name (what a shell user has without amr-tui).
func BenchmarkBulkExportVsRedisCLI(b *testing.B) {
	n := benchKeys(b)
	c := startServer(b)
	redistest.RedisCLIPath(b)
	benchSeed(b, c, n)
	h, p := hostPort(c)
	dir := b.TempDir()
	ctx := context.Background()
	export := func(f Format) func() int64 {
		return func() int64 {
			out, err := os.Create(dir + "/out." + string(f))
			if err != nil {
				b.Fatal(err)
			}
			w := bufio.NewWriterSize(out, 1<<20)
			rep, err := Export(ctx, c, Selection{}, w, ExportOptions{Format: f})
			if err != nil {
				b.Fatal(err)
			}
			must(b, w.Flush())
			must(b, out.Close())
			return rep.Affected
		}
	}
	cli := func() int64 {
		shell(b, fmt.Sprintf(`redis-cli -h %s -p %s --scan | sed 's/^/DUMP /' | redis-cli -h %s -p %s > %s/cli.out`, h, p, h, p, dir))
		lines := shell(b, fmt.Sprintf(`redis-cli -h %s -p %s --scan | wc -l`, h, p))
		v, _ := strconv.ParseInt(lines, 10, 64)
		return v
	}
	none := func() {}
	race(b, int64(n), []contender{{"amr-jsonl", none, export(FormatJSONL)}, {"amr-dump", none, export(FormatDump)}, {"redis-cli", none, cli}})
}

// Import of the same keys into an empty server: bulk.Import of a jsonl export vs redis-cli
// --pipe of the same data as mass-insertion protocol (typed writes and PEXPIREAT). The import
// goes through a session as amr-tui import does: its pooled client and its Pipes.
func BenchmarkBulkImportVsRedisPipe(b *testing.B) {
	n := benchKeys(b)
	src, dst := startServer(b), startServer(b)
	redistest.RedisCLIPath(b)
	benchSeed(b, src, n)
	ctx := context.Background()
	var file bytes.Buffer
	_, err := Export(ctx, src, Selection{}, &file, ExportOptions{})
	must(b, err)
	dir := b.TempDir()
	resp := dir + "/data.resp"
	must(b, os.WriteFile(resp, massInsert(b, src, n), 0o600))
	h, p := hostPort(dst)
	sess := openSession(b, dst)
	flush := func() { must(b, dst.FlushAll(ctx).Err()) }
	race(b, int64(n), []contender{
		{"amr-import", flush, func() int64 {
			rep, err := Import(ctx, sess.Client(), opener(file.Bytes()), ImportOptions{Pipe: pipes(sess, new(atomic.Int64))})
			must(b, err)
			return rep.Created
		}},
		{"redis-cli-pipe", flush, func() int64 {
			shell(b, fmt.Sprintf(`redis-cli -h %s -p %s --pipe < %s > /dev/null`, h, p, resp))
			return dst.DBSize(ctx).Val()
		}},
	})
}

// massInsert writes the seeded data as redis-cli --pipe protocol.
func massInsert(b testing.TB, c *redis.Client, n int) []byte {
	ctx := context.Background()
	var out bytes.Buffer
	cmd := func(args ...string) {
		fmt.Fprintf(&out, "*%d\r\n", len(args))
		for _, a := range args {
			fmt.Fprintf(&out, "$%d\r\n%s\r\n", len(a), a)
		}
	}
	for i := 0; i < n; i += 1000 {
		names := make([]string, 0, 1000)
		for j := i; j < min(i+1000, n); j++ {
			names = append(names, "bench:"+strconv.Itoa(j))
		}
		w := &respSink{cmd: cmd, now: time.Now().UnixMilli()}
		must(b, fetchTyped(ctx, c, names, w, &tally{}))
	}
	return out.Bytes()
}

// respSink turns fetched values into mass-insertion commands.
type respSink struct {
	cmd      func(...string)
	now      int64
	key, typ string
	pttl     int64
	args     []string
}

func (s *respSink) begin(key, typ string, pttl int64) error {
	s.key, s.typ, s.pttl, s.args = key, typ, pttl, nil
	return nil
}
func (s *respSink) add(e []string) error { s.args = append(s.args, e...); return nil }
func (s *respSink) end() error {
	name := map[string]string{typeString: "SET", typeHash: "HSET", typeList: "RPUSH", typeSet: "SADD"}[s.typ]
	s.cmd(append([]string{name, s.key}, s.args...)...)
	if s.pttl > 0 {
		s.cmd("PEXPIREAT", s.key, strconv.FormatInt(s.now+s.pttl, 10))
	}
	return nil
}

var _ io.Writer = (*bytes.Buffer)(nil)

// Delete by pattern, half of the keys matching: bulk.Delete vs redis-cli --scan --pattern P |
// xargs redis-cli UNLINK (xargs packs many names into each UNLINK).
func BenchmarkBulkDeleteVsRedisCLI(b *testing.B) {
	n := benchKeys(b)
	c := startServer(b)
	redistest.RedisCLIPath(b)
	h, p := hostPort(c)
	ctx := context.Background()
	// bench:*0 … bench:*4 — every key whose number ends in 0-4: half of them.
	const pattern = "bench:*[01234]"
	setup := func() {
		must(b, c.FlushAll(ctx).Err())
		benchSeed(b, c, n)
	}
	race(b, int64(n/2), []contender{
		{"amr-delete", setup, func() int64 {
			rep, err := Delete(ctx, c, Selection{Match: pattern}, MutateOptions{})
			must(b, err)
			return rep.Affected
		}},
		{"redis-cli-xargs", setup, func() int64 {
			before := c.DBSize(ctx).Val()
			shell(b, fmt.Sprintf(`redis-cli -h %s -p %s --scan --pattern '%s' | xargs redis-cli -h %s -p %s UNLINK > /dev/null`, h, p, pattern, h, p))
			return before - c.DBSize(ctx).Val()
		}},
	})
}
