package analyze

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/internal/redistest"
)

func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func client(t testing.TB, addr string, db int) *redis.Client {
	c := redis.NewClient(&redis.Options{Addr: addr, DB: db, DisableIdentity: true})
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// pipe runs fn's commands in pipelines of about 1000 and fails the test on any error.
type pipe struct {
	t   testing.TB
	ctx context.Context
	c   redis.Cmdable
	p   redis.Pipeliner
}

func newPipe(t testing.TB, c redis.Cmdable) *pipe {
	return &pipe{t: t, ctx: testCtx(t), c: c, p: c.Pipeline()}
}

func (p *pipe) do(args ...any) {
	_ = p.p.Do(p.ctx, args...)
	if p.p.Len() >= 1000 {
		p.flush()
	}
}

func (p *pipe) flush() {
	if p.p.Len() == 0 {
		return
	}
	cmds, err := p.p.Exec(p.ctx)
	if err != nil {
		for _, c := range cmds {
			if c.Err() != nil {
				p.t.Fatalf("seeding: %v: %v", c.Args(), c.Err())
			}
		}
	}
}

// bigKeysLine is one "Biggest <type> found '"<key>"' has <n> <unit>" line of redis-cli.
type bigKey struct {
	key  string
	size int64
}

// redisCLIBiggest runs redis-cli with mode (--bigkeys or --memkeys) and returns its biggest key
// of each type.
func redisCLIBiggest(t *testing.T, addr, mode string) map[string]bigKey {
	t.Helper()
	host, port, _ := strings.Cut(addr, ":")
	out := runTool(t, redistest.RedisCLIPath(t), "-h", host, "-p", port, mode)
	got := map[string]bigKey{}
	for _, line := range strings.Split(out, "\n") {
		var typ, key, unit string
		var n int64
		if !strings.HasPrefix(line, "Biggest ") || !strings.Contains(line, " found ") {
			continue
		}
		rest := strings.TrimSpace(strings.TrimPrefix(line, "Biggest "))
		typ, rest, _ = strings.Cut(rest, " found '\"")
		key, rest, _ = strings.Cut(rest, "\"' has ")
		if _, err := fmt.Sscanf(rest, "%d %s", &n, &unit); err != nil {
			t.Fatalf("unreadable redis-cli line %q: %v", line, err)
		}
		got[strings.TrimSpace(typ)] = bigKey{key, n}
	}
	if len(got) == 0 {
		t.Fatalf("redis-cli %s printed no biggest keys:\n%s", mode, out)
	}
	return got
}
