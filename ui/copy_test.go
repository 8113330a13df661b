package ui

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/bulk"
	"github.com/amr-tui/amr-tui/internal/redistest"
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/copyto"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"
)

// BulkCopyTo copies into another goRedisStore, as ui/sessionstore does between sessions.
func (s goRedisStore) BulkCopyTo(ctx context.Context, target common.Store, sel bulk.Selection, o bulk.CopyOptions) (bulk.Report, error) {
	t, ok := target.(goRedisStore)
	if !ok {
		return bulk.Report{}, errors.New("the target is not a goRedisStore")
	}
	return bulk.Copy(ctx, s.c, t.c, sel, o)
}

var _ common.BulkCopier = goRedisStore{}

// copyOpener lists three profiles (the source, a read-only one, a writable target) and opens
// the target over a real redis-server.
type copyOpener struct {
	target *redis.Client
	mu     sync.Mutex
	opened []string
	closed int
}

func (o *copyOpener) Profiles(context.Context) (common.ProfileList, error) {
	return common.ProfileList{Profiles: []common.ProfileSummary{
		{Name: "local", Addr: "source.test:6379"},
		{Name: "locked", Addr: "prod.test:10000", ReadOnly: true},
		{Name: "target", Addr: "target.test:6379"},
	}}, nil
}

func (o *copyOpener) Open(_ context.Context, name string, _ func(common.DeviceCode)) (common.Opened, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.opened = append(o.opened, name)
	if name != "target" {
		return common.Opened{}, errors.New("only target opens in this test")
	}
	return common.Opened{Store: goRedisStore{o.target}, Session: uitest.NewFakeSession(common.SessionState{Profile: name}),
		Close: func() { o.mu.Lock(); o.closed++; o.mu.Unlock() }}, nil
}

// Marked keys (binary names, every type, TTLs) copied from a read-only profile to another
// profile from the key list, between two real redis-servers: the read-only profile is refused before it is opened, the
// preview and the report (goldens), the keys byte for byte on the target, the existing one
// skipped, then replaced when the rule says so.
func TestCopyMarksToProfileRealRedis(t *testing.T) {
	copyto.TickEvery = time.Millisecond
	ctx := context.Background()
	srcSrv, dstSrv := redistest.StartRedisServer(t), redistest.StartRedisServer(t)
	src := redis.NewClient(&redis.Options{Addr: srcSrv.Addr})
	dst := redis.NewClient(&redis.Options{Addr: dstSrv.Addr})
	t.Cleanup(func() { _ = src.Close(); _ = dst.Close() })
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(src.Set(ctx, "bin:\x00\xff\x1b[31m", "v\x00\xfe", 0).Err())
	must(src.Set(ctx, "nl:\nname", "line\nbreak", time.Hour).Err())
	must(src.HSet(ctx, "hash:\xc3(", "f\x00", "v\xff", "g", "2").Err())
	must(src.RPush(ctx, "list:ünï", "a", "\x00", "c").Err())
	must(src.ZAdd(ctx, "zset:z", redis.Z{Score: 1.5, Member: "m\xff"}, redis.Z{Score: -2, Member: "n"}).Err())
	must(src.Set(ctx, "unmarked", "stays home", 0).Err())
	must(dst.Set(ctx, "bin:\x00\xff\x1b[31m", "theirs", 0).Err()) // exists on the target

	o := &copyOpener{target: dst}
	// The source profile is read-only: copying from it only reads it.
	a, _ := testApp(t, goRedisStore{src}, uitest.NewFakeSession(common.SessionState{Profile: "local", ReadOnly: true}), 100, 30,
		func(opt *Options) { opt.Opener = o })
	start(t, a)

	// Mark every key but "unmarked", then filter the list to nothing: the marks stay (they are
	// names), and the list behind the box no longer depends on SCAN's order.
	var marked []string
	for i := 0; i < 6; i++ {
		k := a.browser.KeyAt(a.browser.Cursor)
		if k == "unmarked" {
			press(t, a, "down")
			continue
		}
		marked = append(marked, k)
		send(t, a, space())
	}
	slices.Sort(marked)
	if len(marked) != 5 || a.browser.Marks.Count() != 5 {
		t.Fatalf("marked %q (count %d)", marked, a.browser.Marks.Count())
	}
	press(t, a, "/")
	typeText(t, a, "no key has this")
	press(t, a, "enter")

	// C opens the picker of the other profiles; the read-only one is refused before it opens.
	press(t, a, "C")
	if a.copy == nil || a.copy.Phase != copyto.PhasePick || len(a.copy.Profiles) != 2 {
		t.Fatalf("no picker: %+v\n%s", a.copy, stripANSI(a.Render()))
	}
	press(t, a, "enter") // locked
	if v := stripANSI(a.Render()); !strings.Contains(v, "locked is read-only: copying into it is refused") {
		t.Fatalf("read-only target not refused:\n%s", v)
	}
	if len(o.opened) != 0 || a.copy.Phase != copyto.PhasePick {
		t.Fatalf("the read-only profile was opened: %v", o.opened)
	}

	// The writable target: preview.
	press(t, a, "down", "enter")
	if a.copy.Phase != copyto.PhasePreview || a.copy.Busy() {
		t.Fatalf("no preview: phase %v busy %v\n%s", a.copy.Phase, a.copy.Busy(), stripANSI(a.Render()))
	}
	t.Run("preview", func(t *testing.T) { golden.RequireEqual(t, []byte(a.View().Content)) })

	// A wrong name sends nothing; the right one copies.
	press(t, a, "enter")
	typeText(t, a, "targ")
	press(t, a, "enter")
	if a.copy.Phase != copyto.PhasePreview || !strings.Contains(a.copy.Notice, "not confirmed") || dst.DBSize(ctx).Val() != 1 {
		t.Fatalf("copied without the right name: %v %q", a.copy.Phase, a.copy.Notice)
	}
	press(t, a, "enter")
	typeText(t, a, "target")
	press(t, a, "enter")
	if a.copy.Phase != copyto.PhaseReport {
		t.Fatalf("no report: %v\n%s", a.copy.Phase, stripANSI(a.Render()))
	}
	r := a.copy.Report
	if r.Created != 4 || r.Skipped != 1 || r.Replaced != 0 || r.Failed != 0 || a.copy.Err != nil {
		t.Fatalf("report %s, err %v", r.String(), a.copy.Err)
	}
	t.Run("report", func(t *testing.T) { golden.RequireEqual(t, []byte(a.View().Content)) })
	sameKeys(t, src, dst, marked, "bin:\x00\xff\x1b[31m")
	if n, _ := dst.Exists(ctx, "unmarked").Result(); n != 0 {
		t.Fatal("an unmarked key was copied")
	}
	if v := dst.Get(ctx, "bin:\x00\xff\x1b[31m").Val(); v != "theirs" {
		t.Fatalf("skip overwrote the existing key: %q", v)
	}
	press(t, a, "enter")
	if a.copy != nil || o.closed != 1 {
		t.Fatalf("the screen stays or the target's session was not closed (%d)", o.closed)
	}

	// Again with the rule replace: every marked key is the source's.
	press(t, a, "C", "down", "enter", "tab")
	if a.copy.Conflict != bulk.ConflictReplace {
		t.Fatalf("rule %v", a.copy.Conflict)
	}
	press(t, a, "enter")
	typeText(t, a, "target")
	press(t, a, "enter")
	if r := a.copy.Report; r == nil || r.Replaced != 5 || r.Created != 0 {
		t.Fatalf("replace: %+v", r)
	}
	sameKeys(t, src, dst, marked, "")
	press(t, a, "esc")
}

// sameKeys checks that every key of names but except has the same DUMP payload on a and b and
// the same TTL within 1 s.
func sameKeys(t *testing.T, a, b *redis.Client, names []string, except string) {
	t.Helper()
	ctx := context.Background()
	for _, k := range names {
		if k == except {
			continue
		}
		da, err := a.Dump(ctx, k).Result()
		if err != nil {
			t.Fatalf("%q on the source: %v", k, err)
		}
		db, err := b.Dump(ctx, k).Result()
		if err != nil || db != da {
			t.Fatalf("%q on the target: %v (same payload: %v)", k, err, db == da)
		}
		ta, tb := a.PTTL(ctx, k).Val(), b.PTTL(ctx, k).Val()
		if (ta < 0) != (tb < 0) || (ta >= 0 && (tb > ta+time.Second || tb < ta-time.Second)) {
			t.Fatalf("%q: TTL %v on the source, %v on the target", k, ta, tb)
		}
	}
}
