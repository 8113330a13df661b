package bulkcli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/internal/redistest"
)

type world struct {
	servers map[string]*redis.Client
	ro      map[string]bool
	sent    atomic.Int64
}

func newWorld(t *testing.T, names ...string) *world {
	w := &world{servers: map[string]*redis.Client{}, ro: map[string]bool{}}
	for _, n := range names {
		s := redistest.StartRedisServer(t)
		c := redis.NewClient(&redis.Options{Addr: s.Addr, DisableIdentity: true})
		t.Cleanup(func() { _ = c.Close() })
		w.servers[n] = c
	}
	return w
}

func (w *world) open(_ context.Context, name string) (*Target, error) {
	c, ok := w.servers[name]
	if !ok {
		return nil, errors.New("no profile named " + name)
	}
	return &Target{Client: c, Name: name, ReadOnly: w.ro[name]}, nil
}

// run runs one command with args; stdin is the typed answer (InTTY when not empty).
func (w *world) run(t *testing.T, stdin string, args ...string) (stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	env := Env{In: strings.NewReader(stdin), Out: &out, Err: &errb, InTTY: stdin != ""}
	for _, c := range Commands(w.open, func() Env { return env }) {
		if c.Name() == args[0] {
			c.SetArgs(args[1:])
			c.SetOut(&out)
			c.SetErr(&errb)
			c.SilenceUsage = true
			err = c.ExecuteContext(context.Background())
			return errb.String(), err
		}
	}
	t.Fatalf("no command %s", args[0])
	return "", nil
}

func fill(t *testing.T, c *redis.Client, n int, prefix string) {
	ctx := context.Background()
	p := c.Pipeline()
	for i := range n {
		p.Set(ctx, prefix+string(rune('a'+i%26))+"\x1b[2J"+strings.Repeat("x", i%5)+string(rune('0'+i%10))+"-"+strconv.Itoa(i), "v", 0)
	}
	_, err := p.Exec(ctx)
	if err != nil {
		t.Fatal(err)
	}
}

func TestDeleteAsksForTheProfileName(t *testing.T) {
	w := newWorld(t, "dev")
	c := w.servers["dev"]
	ctx := context.Background()
	fill(t, c, 300, "tmp:")
	fill(t, c, 50, "keep:")

	// No terminal, no --yes: refused after the preview, nothing deleted.
	stderr, err := w.run(t, "", "delete", "-p", "dev", "--match", "tmp:*")
	if err == nil || !strings.Contains(err.Error(), "--yes") || c.DBSize(ctx).Val() != 350 {
		t.Fatalf("without a terminal: %v\n%s", err, stderr)
	}
	if !strings.Contains(stderr, "300 keys") || strings.Contains(stderr, "\x1b") {
		t.Fatalf("the preview does not count, or prints a raw ESC:\n%q", stderr)
	}
	// A wrong name: nothing deleted.
	if _, err := w.run(t, "prod\n", "delete", "-p", "dev", "--match", "tmp:*"); !errors.Is(err, ErrNotConfirmed) || c.DBSize(ctx).Val() != 350 {
		t.Fatalf("wrong name: %v", err)
	}
	// --dry-run: nothing deleted.
	if _, err := w.run(t, "", "delete", "-p", "dev", "--match", "tmp:*", "--dry-run"); err != nil || c.DBSize(ctx).Val() != 350 {
		t.Fatalf("dry run: %v", err)
	}
	// The right name: exactly tmp:* goes.
	journal := filepath.Join(t.TempDir(), "j")
	stderr, err = w.run(t, "dev\n", "delete", "-p", "dev", "--match", "tmp:*", "--journal", journal)
	if err != nil || c.DBSize(ctx).Val() != 50 || !strings.Contains(stderr, "300 deleted") {
		t.Fatalf("confirmed: %v\n%s", err, stderr)
	}
	if b, _ := os.ReadFile(journal); bytes.Count(b, []byte("\n")) != 300 {
		t.Fatalf("journal has %d lines", bytes.Count(b, []byte("\n")))
	}
}

func TestReadOnlyProfileSendsNothing(t *testing.T) {
	w := newWorld(t, "prod", "local")
	w.ro["prod"] = true
	fill(t, w.servers["prod"], 10, "k:")
	fill(t, w.servers["local"], 10, "k:")
	var sent atomic.Int64
	w.servers["prod"].AddHook(counter{&sent})
	file := filepath.Join(t.TempDir(), "x.jsonl")
	if _, err := w.run(t, "", "export", "-p", "local", "-o", file); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"delete", "-p", "prod", "--match", "*", "--yes"},
		{"expire", "-p", "prod", "--match", "*", "--ttl", "1h", "--yes"},
		{"import", "-p", "prod", file, "--yes"},
		{"copy", "--from", "local", "--to", "prod", "--yes"},
	} {
		if _, err := w.run(t, "", args...); err == nil || !strings.Contains(err.Error(), "read-only") {
			t.Fatalf("%v: %v", args, err)
		}
	}
	if n := sent.Load(); n != 0 {
		t.Fatalf("%d commands reached the read-only profile's server", n)
	}
	// Copy from it is allowed.
	if _, err := w.run(t, "", "copy", "--from", "prod", "--to", "local", "--yes", "--on-conflict", "replace"); err != nil {
		t.Fatal(err)
	}
}

func TestExportImportCopyCommands(t *testing.T) {
	w := newWorld(t, "a", "b", "c")
	ctx := context.Background()
	fill(t, w.servers["a"], 500, "u:")
	file := filepath.Join(t.TempDir(), "a.jsonl")
	if _, err := w.run(t, "", "export", "-p", "a", "-o", file, "--match", "u:*"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(file + ".partial"); !os.IsNotExist(err) {
		t.Fatal("the .partial file was left")
	}
	stderr, err := w.run(t, "b\n", "import", "-p", "b", file)
	if err != nil || w.servers["b"].DBSize(ctx).Val() != 500 || !strings.Contains(stderr, "500 created") {
		t.Fatalf("import: %v\n%s", err, stderr)
	}
	// fail: refused at the preview, nothing written.
	w.servers["c"].Set(ctx, "other", "x", 0)
	stderr, err = w.run(t, "", "import", "-p", "b", file, "--on-conflict", "fail", "--yes")
	if err == nil || !strings.Contains(stderr, "500 of them exist") {
		t.Fatalf("fail: %v\n%s", err, stderr)
	}
	stderr, err = w.run(t, "", "copy", "--from", "a", "--to", "c", "--yes")
	if err != nil || w.servers["c"].DBSize(ctx).Val() != 501 || !strings.Contains(stderr, "500 created") {
		t.Fatalf("copy: %v\n%s", err, stderr)
	}
	if _, err := w.run(t, "", "expire", "-p", "c", "--match", "u:*", "--ttl", "2d", "--yes"); err != nil {
		t.Fatal(err)
	}
	if d := w.servers["c"].TTL(ctx, "other").Val(); d != -1 {
		t.Fatalf("other got a TTL: %v", d)
	}
}

type counter struct{ n *atomic.Int64 }

func (h counter) DialHook(next redis.DialHook) redis.DialHook { return next }
func (h counter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error { h.n.Add(1); return next(ctx, cmd) }
}
func (h counter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error { h.n.Add(int64(len(cmds))); return next(ctx, cmds) }
}
