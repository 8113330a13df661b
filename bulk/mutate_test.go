package bulk

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// seedNamespaces writes n keys spread over namespaces and returns how many each holds:
// tmp:* (strings), user:* (half hashes, half strings), sess:* (lists), keep:* (strings, some
// with TTLs), and names with newlines, ESC and invalid UTF-8 inside tmp:.
func seedNamespaces(t testing.TB, c redis.UniversalClient, n int) map[string]int {
	t.Helper()
	ctx := context.Background()
	counts := map[string]int{}
	p := c.Pipeline()
	for i := range n {
		var k string
		switch i % 4 {
		case 0:
			k = "tmp:" + strconv.Itoa(i) + weird[i%len(weird)]
			p.Set(ctx, k, "v", 0)
		case 1:
			k = "user:" + strconv.Itoa(i)
			if i%8 == 1 {
				p.HSet(ctx, k, "f", "v")
				counts["user:hash"]++
			} else {
				p.Set(ctx, k, "v", 0)
			}
		case 2:
			k = "sess:" + strconv.Itoa(i)
			p.RPush(ctx, k, "a")
		case 3:
			k = "keep:" + strconv.Itoa(i)
			p.Set(ctx, k, "v", 0)
			if i%7 == 3 {
				p.Expire(ctx, k, time.Hour)
				counts["keep:ttl"]++
			}
		}
		counts[k[:strings.IndexByte(k, ':')+1]]++
		if p.Len() >= 5000 {
			_, err := p.Exec(ctx)
			must(t, err)
		}
	}
	_, err := p.Exec(ctx)
	must(t, err)
	return counts
}

// expires sums the expires= figures of INFO keyspace over the primaries.
func expires(t testing.TB, c redis.UniversalClient) int64 {
	t.Helper()
	ctx := context.Background()
	var mu sync.Mutex
	var n int64
	one := func(c redis.UniversalClient) error {
		info, err := c.Info(ctx, "keyspace").Result()
		for _, l := range strings.Split(info, "\n") {
			if _, rest, ok := strings.Cut(l, "expires="); ok {
				v, _ := strconv.ParseInt(strings.Split(rest, ",")[0], 10, 64)
				mu.Lock()
				n += v
				mu.Unlock()
			}
		}
		return err
	}
	if cc, ok := c.(*redis.ClusterClient); ok {
		must(t, cc.ForEachMaster(ctx, func(ctx context.Context, m *redis.Client) error { return one(m) }))
	} else {
		must(t, one(c))
	}
	return n
}

// Delete and expire by pattern act on exactly the matching keys, and the preview's count is
// the number acted on; on a standalone server and on a cluster (every primary).
func TestPatternActionsExact(t *testing.T) {
	for _, kind := range []string{"standalone", "cluster"} {
		t.Run(kind, func(t *testing.T) {
			var c redis.UniversalClient
			if kind == "cluster" {
				c = startCluster(t)
			} else {
				c = startServer(t)
			}
			ctx := context.Background()
			n := nKeys(8000, 100_000)
			counts := seedNamespaces(t, c, n)
			total := int64(n)
			exp0 := expires(t, c)

			preview := func(sel Selection) int64 {
				t.Helper()
				p, err := Preview(ctx, c, sel, PreviewOptions{Memory: true}, nil)
				must(t, err)
				if p.Count > 0 && (p.MemoryBytes <= 0 || len(p.Sample) == 0) {
					t.Fatalf("preview of %s: no memory or sample: %+v", sel.Describe(), p)
				}
				return p.Count
			}

			// expire sess:*: exactly its keys gain a TTL.
			sess := Selection{Match: "sess:*"}
			if got := preview(sess); got != int64(counts["sess:"]) {
				t.Fatalf("preview sess:* = %d, want %d", got, counts["sess:"])
			}
			rep, err := Expire(ctx, c, sess, ExpireSpec{TTL: time.Hour}, MutateOptions{})
			must(t, err)
			if rep.Affected != int64(counts["sess:"]) || rep.Matched != rep.Affected {
				t.Fatalf("expire: %s", rep.String())
			}
			if e := expires(t, c); e != exp0+int64(counts["sess:"]) {
				t.Fatalf("expires %d -> %d, want +%d", exp0, e, counts["sess:"])
			}
			// persist it again: exactly those lose it.
			rep, err = Expire(ctx, c, sess, ExpireSpec{Persist: true}, MutateOptions{})
			must(t, err)
			if rep.Affected != int64(counts["sess:"]) || expires(t, c) != exp0 {
				t.Fatalf("persist: %s", rep.String())
			}
			// persist keep:*: only the keys that had a TTL change.
			rep, err = Expire(ctx, c, Selection{Match: "keep:*"}, ExpireSpec{Persist: true}, MutateOptions{})
			must(t, err)
			if rep.Affected != int64(counts["keep:ttl"]) || rep.Unchanged != int64(counts["keep:"]-counts["keep:ttl"]) {
				t.Fatalf("persist keep:*: %s, want %d changed", rep.String(), counts["keep:ttl"])
			}

			// delete user:* of type hash, then tmp:*.
			for _, tc := range []struct {
				sel  Selection
				want int
			}{
				{Selection{Match: "user:*", Type: "hash"}, counts["user:hash"]},
				{Selection{Match: "tmp:*"}, counts["tmp:"]},
				{Selection{Match: "nothing:*"}, 0},
			} {
				if got := preview(tc.sel); got != int64(tc.want) {
					t.Fatalf("preview %s = %d, want %d", tc.sel.Describe(), got, tc.want)
				}
				rep, err := Delete(ctx, c, tc.sel, MutateOptions{})
				must(t, err)
				if rep.Affected != int64(tc.want) || rep.Matched != rep.Affected {
					t.Fatalf("delete %s: %s, want %d", tc.sel.Describe(), rep.String(), tc.want)
				}
				total -= int64(tc.want)
				if got := dbsize(t, c); got != total {
					t.Fatalf("after delete %s: %d keys, want %d", tc.sel.Describe(), got, total)
				}
				if got := preview(tc.sel); got != 0 {
					t.Fatalf("after delete %s: %d still match", tc.sel.Describe(), got)
				}
			}
			if got := preview(Selection{Match: "user:*"}); got != int64(counts["user:"]-counts["user:hash"]) {
				t.Fatalf("user:* strings: %d left, want %d", got, counts["user:"]-counts["user:hash"])
			}
		})
	}
}

// A key whose type changed between the scan and the delete is left alone.
func TestDeleteRechecksType(t *testing.T) {
	ctx := context.Background()
	c := startServer(t)
	for i := range 50 {
		must(t, c.HSet(ctx, fmt.Sprintf("h:%d", i), "f", "v").Err())
	}
	other := redis.NewClient(c.Options())
	defer other.Close()
	c.AddHook(&beforeFirstPipeline{do: func() {
		must(t, other.Del(ctx, "h:7").Err())
		must(t, other.Set(ctx, "h:7", "now a string", 0).Err())
	}})
	rep, err := Delete(ctx, c, Selection{Match: "h:*", Type: "hash"}, MutateOptions{})
	must(t, err)
	if rep.Affected != 49 || rep.Unchanged != 1 {
		t.Fatalf("%s", rep.String())
	}
	if v, _ := c.Get(ctx, "h:7").Result(); v != "now a string" {
		t.Fatalf("h:7 = %q", v)
	}
}

type beforeFirstPipeline struct {
	once sync.Once
	do   func()
}

func (h *beforeFirstPipeline) DialHook(next redis.DialHook) redis.DialHook          { return next }
func (h *beforeFirstPipeline) ProcessHook(next redis.ProcessHook) redis.ProcessHook { return next }
func (h *beforeFirstPipeline) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		h.once.Do(h.do)
		return next(ctx, cmds)
	}
}

// A delete paused, resumed and cancelled half way reports exactly what it removed, and its
// journal names those keys and no others.
func TestDeleteCancelReportsExactly(t *testing.T) {
	ctx := context.Background()
	c := startServer(t)
	counts := seedNamespaces(t, c, 20000)
	before := dbsize(t, c)
	ctl := NewControl(20000) // keys/s: the run takes about a quarter of a second
	var journal bytes.Buffer
	var jmu sync.Mutex
	done := make(chan struct{})
	var rep Report
	var err error
	go func() {
		rep, err = Delete(ctx, c, Selection{Match: "tmp:*"}, MutateOptions{Control: ctl, Journal: lockedWriter{&jmu, &journal}, Batch: 100})
		close(done)
	}()
	for ctl.Progress().Done < 500 {
		time.Sleep(time.Millisecond)
	}
	ctl.Pause()
	time.Sleep(50 * time.Millisecond)
	p1 := ctl.Progress().Done
	time.Sleep(100 * time.Millisecond)
	if p2 := ctl.Progress().Done; p2 != p1 || !ctl.Progress().Paused {
		t.Fatalf("paused, yet progress went from %d to %d", p1, p2)
	}
	ctl.Resume()
	for ctl.Progress().Done < 1000 {
		time.Sleep(time.Millisecond)
	}
	ctl.Cancel()
	<-done
	if !errors.Is(err, ErrCancelled) || !rep.Cancelled {
		t.Fatalf("%v %s", err, rep.String())
	}
	if rep.Affected <= 0 || rep.Affected >= int64(counts["tmp:"]) {
		t.Fatalf("cancelled at %s of %d", rep.String(), counts["tmp:"])
	}
	if gone := before - dbsize(t, c); gone != rep.Affected {
		t.Fatalf("the report says %d deleted, the server lost %d keys", rep.Affected, gone)
	}
	var listed int64
	sc := bufio.NewScanner(&journal)
	for sc.Scan() {
		listed++
		d := newReader(strings.NewReader(sc.Text()))
		name, err := d.bytes()
		must(t, err)
		if n, _ := c.Exists(ctx, name).Result(); n != 0 || !strings.HasPrefix(name, "tmp:") {
			t.Fatalf("the journal lists %q, which exists or does not match", name)
		}
	}
	if listed != rep.Affected {
		t.Fatalf("the journal lists %d keys, the report %d", listed, rep.Affected)
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}
