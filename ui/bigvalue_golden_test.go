package ui

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/internal/redistest"
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/sessionstore"
)

// bigN is the size of every big value of TestGoldenBigValues: far more than one page.
const bigN = 100_000

// seedBigValues writes a list, a sorted set, a hash and a stream of bigN elements each, pipelined.
func seedBigValues(t *testing.T, rdb *redis.Client) {
	t.Helper()
	ctx := context.Background()
	for lo := 0; lo < bigN; lo += 5000 {
		pipe := rdb.Pipeline()
		els := make([]any, 0, 5000)
		zs := make([]redis.Z, 0, 5000)
		fs := make([]any, 0, 10000)
		for i := lo; i < lo+5000; i++ {
			els = append(els, "e"+strconv.Itoa(i))
			zs = append(zs, redis.Z{Score: float64(i) / 2, Member: "m" + strconv.Itoa(i)})
			fs = append(fs, "f"+strconv.Itoa(i), "v"+strconv.Itoa(i))
			pipe.XAdd(ctx, &redis.XAddArgs{Stream: "bigstream", ID: strconv.Itoa(1_700_000_000_000+i) + "-0", Values: []any{"n", i}})
		}
		pipe.RPush(ctx, "biglist", els...)
		pipe.ZAdd(ctx, "bigzset", zs...)
		pipe.HSet(ctx, "bighash", fs...)
		if _, err := pipe.Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	pipe := rdb.Pipeline()
	pipe.RPush(ctx, "biglist", "tab\there \x00 é")                 // the very last element, escaped on screen
	pipe.HSet(ctx, "bighash", "we\x01ird\nfield", "byte\xffexact") // a field only go-to finds
	if _, err := pipe.Exec(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestGoldenBigValues: on a real redis-server with values of 100k elements, G goes to the real
// end (the last page, not the end of the first one) and ctrl+g goes to an index, a member, a
// score, a field or a stream ID; each lands on a page read there, with the target selected.
func TestGoldenBigValues(t *testing.T) {
	srv := redistest.StartRedisServer(t)
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr})
	t.Cleanup(func() { _ = rdb.Close() })
	seedBigValues(t, rdb)
	opts := func() Options {
		return Options{Store: fixedMemory{sessionstore.NewClient(rdb)}, Session: prodSession(), NoColor: true}
	}
	openKey := func(t *testing.T, k string) []screenStep {
		return []screenStep{settled(t), keys(":"), text("open " + k), keys("enter"), until(t, "value", valueShown(k))}
	}
	atIndex := func(k string, i int64) func(*App) bool { // a list page starting at index i
		return func(a *App) bool {
			return valueShown(k)(a) && len(a.viewer.Page.Rows) > 0 && a.viewer.Page.Rows[0][0] == strconv.FormatInt(i, 10)
		}
	}
	selected := func(k, cell string, col int) func(*App) bool {
		return func(a *App) bool {
			v := a.viewer
			return valueShown(k)(a) && v.Sel < len(v.Page.Rows) && len(v.Page.Rows) > 0 && v.Page.Rows[v.Sel][col] == cell
		}
	}
	cases := []struct {
		name  string
		steps func(t *testing.T) []screenStep
	}{
		{"ListEnd", func(t *testing.T) []screenStep {
			return append(openKey(t, "biglist"), keys("G"), until(t, "last page", atIndex("biglist", bigN+1-200)))
		}},
		{"ListEndThenBack", func(t *testing.T) []screenStep {
			return append(openKey(t, "biglist"), keys("G"), until(t, "last page", atIndex("biglist", bigN+1-200)),
				keys("N"), until(t, "first page", atIndex("biglist", 0)))
		}},
		{"ListGotoIndex", func(t *testing.T) []screenStep {
			return append(openKey(t, "biglist"), keys("ctrl+g"), text("54321"), keys("enter"), until(t, "index", selected("biglist", "54321", 0)))
		}},
		{"ListGotoNegative", func(t *testing.T) []screenStep {
			return append(openKey(t, "biglist"), keys("ctrl+g"), text("-2"), keys("enter"), until(t, "index", selected("biglist", strconv.Itoa(bigN-1), 0)))
		}},
		{"ZSetEnd", func(t *testing.T) []screenStep {
			return append(openKey(t, "bigzset"), keys("G"), until(t, "last page", selected("bigzset", "m"+strconv.Itoa(bigN-1), 1)))
		}},
		{"ZSetGotoMember", func(t *testing.T) []screenStep {
			return append(openKey(t, "bigzset"), keys("ctrl+g"), text("m77777"), keys("enter"), until(t, "member", selected("bigzset", "m77777", 1)))
		}},
		{"ZSetGotoScore", func(t *testing.T) []screenStep {
			return append(openKey(t, "bigzset"), keys("ctrl+g"), text("30000.25"), keys("enter"), until(t, "score", selected("bigzset", "m60001", 1)))
		}},
		{"HashGotoField", func(t *testing.T) []screenStep {
			return append(openKey(t, "bighash"), keys("ctrl+g"), text(`we\x01ird\nfield`), keys("enter"), until(t, "field", selected("bighash", "we\x01ird\nfield", 0)))
		}},
		{"StreamEnd", func(t *testing.T) []screenStep {
			return append(openKey(t, "bigstream"), keys("G"), until(t, "last page", selected("bigstream", strconv.Itoa(1_700_000_000_000+bigN-1)+"-0", 0)))
		}},
		{"StreamGotoID", func(t *testing.T) []screenStep {
			return append(openKey(t, "bigstream"), keys("ctrl+g"), text("1700000012345"), keys("enter"), until(t, "id", selected("bigstream", "1700000012345-0", 0)))
		}},
		{"Help", func(t *testing.T) []screenStep {
			return append(openKey(t, "biglist"), keys("?"), until(t, "help", func(a *App) bool { return a.helpView != nil }))
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			golden.RequireEqual(t, []byte(runScreen(t, opts(), 100, 16, c.steps(t)...)))
		})
	}
}

// fixedMemory hides MEMORY USAGE, which redis-server estimates from a random sample of a big
// value's elements: the goldens would change from run to run.
type fixedMemory struct{ *sessionstore.Store }

func (s fixedMemory) Meta(ctx context.Context, keys []string) ([]common.KeyMeta, error) {
	ms, err := s.Store.Meta(ctx, keys)
	for i := range ms {
		ms[i].Memory = -1
	}
	return ms, err
}

// TestBigHashEndIsTheLastCursorPage: G in a 100k-field hash reads the page HSCAN returns last
// (its cursor order depends on the server's hash seed, so this is no golden), selects its last
// field and says "last page"; N goes back to the first page.
func TestBigHashEndIsTheLastCursorPage(t *testing.T) {
	srv := redistest.StartRedisServer(t)
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr})
	t.Cleanup(func() { _ = rdb.Close() })
	seedBigValues(t, rdb)
	ctx := context.Background()
	var last []string
	for cur := uint64(0); ; {
		kv, next, err := rdb.HScan(ctx, "bighash", cur, "", 200).Result()
		if err != nil {
			t.Fatal(err)
		}
		if next == 0 {
			for i := 0; i < len(kv); i += 2 {
				last = append(last, kv[i])
			}
			break
		}
		cur = next
	}
	a, _ := testApp(t, fixedMemory{sessionstore.NewClient(rdb)}, prodSession(), 100, 16)
	start(t, a)
	drain(t, a, a.runCommand("open bighash"))
	first := a.viewer.Page.Rows[0][0]
	press(t, a, "G")
	for a.viewer.Loading { // the walk to HSCAN's last page outlived drain's wait: parked
		deliverWithin(t, a, time.Minute)
	}
	v := a.viewer
	var got []string
	for _, r := range v.Page.Rows {
		got = append(got, r[0])
	}
	if !slices.Equal(got, last) || !strings.HasPrefix(v.PageInfo(), "last page") || v.Sel != len(got)-1 {
		t.Fatalf("G: %s, selected %d, err %v, fields %v\nwant the last HSCAN page %v", v.PageInfo(), v.Sel, v.Err, got, last)
	}
	press(t, a, "N")
	if a.viewer.Page.Rows[0][0] != first {
		t.Fatalf("N after G: first row %q, want %q", a.viewer.Page.Rows[0][0], first)
	}
}
