package sessionstore

import (
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/bulk"
	"github.com/amr-tui/amr-tui/emulator/emutest"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"
)

// BulkCopyTo copies between two real sessions' stores (binary names, TTLs kept); a target
// that is not a session's store is refused with nothing sent.
func TestBulkCopyToBetweenSessions(t *testing.T) {
	a, b := emutest.StartRedisServer(t), emutest.StartRedisServer(t)
	src, dst := New(open(t, plainProfile(t, a.Addr), guarded(t))), New(open(t, plainProfile(t, b.Addr), guarded(t)))
	ctx := ctxT(t)
	admin := redis.NewClient(&redis.Options{Addr: a.Addr, Protocol: 2})
	target := redis.NewClient(&redis.Options{Addr: b.Addr, Protocol: 2})
	t.Cleanup(func() { _ = admin.Close(); _ = target.Close() })
	names := []string{"k\x00\xff", "h:\x1b", "plain"}
	admin.Set(ctx, names[0], "v\xfe", time.Hour)
	admin.HSet(ctx, names[1], "f", "v")
	admin.RPush(ctx, names[2], "a", "b")
	rep, err := src.BulkCopyTo(ctx, dst, bulk.Selection{Keys: names}, bulk.CopyOptions{})
	if err != nil || rep.Created != 3 {
		t.Fatalf("%s: %v", rep.String(), err)
	}
	for _, k := range names {
		if x, y := admin.Dump(ctx, k).Val(), target.Dump(ctx, k).Val(); x == "" || x != y {
			t.Fatalf("%q differs on the target", k)
		}
	}
	if d := target.PTTL(ctx, names[0]).Val(); d <= 0 || d > time.Hour {
		t.Fatalf("TTL %v", d)
	}
	if _, err := src.BulkCopyTo(ctx, uitest.NewFakeStore(), bulk.Selection{Keys: names}, bulk.CopyOptions{}); err == nil {
		t.Fatal("a fake target was accepted")
	}
}
