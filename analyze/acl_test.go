package analyze

import (
	"context"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/internal/redistest"
)

// A user whose ACL denies MEMORY (as managed services may) still gets a report: memory is
// estimated from lengths and encodings, the report says so, and the estimate is within a
// factor of two of what MEMORY USAGE measures.
func TestMemoryUsageDeniedFallsBackToEstimates(t *testing.T) {
	srv := redistest.StartRedisServer(t)
	seedKnown(t, srv.Addr)
	ctx := testCtx(t)
	admin := client(t, srv.Addr, 0)
	if err := admin.Do(ctx, "ACL", "SETUSER", "analyst", "on", ">pw", "~*", "+@read", "-memory").Err(); err != nil {
		t.Fatal(err)
	}
	truth, err := Analyze(ctx, admin, Options{Mode: Full})
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(&redis.Options{Addr: srv.Addr, Username: "analyst", Password: "pw", DisableIdentity: true})
	defer c.Close()
	if err := c.MemoryUsage(ctx, "app:blob").Err(); err == nil || !strings.Contains(err.Error(), "NOPERM") {
		t.Fatalf("the ACL did not deny MEMORY USAGE: %v", err)
	}
	rep, err := Analyze(ctx, c, Options{Mode: Full})
	if err != nil {
		t.Fatal(err)
	}
	if rep.MemorySource != "estimate" {
		t.Errorf("memory source %q, want estimate", rep.MemorySource)
	}
	if len(rep.Warnings) == 0 || !strings.Contains(rep.Warnings[0], "refused MEMORY USAGE") || !strings.Contains(rep.Warnings[0], "NOPERM") {
		t.Errorf("no warning saying MEMORY USAGE was refused: %q", rep.Warnings)
	}
	if rep.Keys != truth.Keys {
		t.Errorf("keys %+v, want %+v", rep.Keys, truth.Keys)
	}
	if r := float64(rep.Memory.Value) / float64(truth.Memory.Value); r < 0.5 || r > 2 {
		t.Errorf("estimated memory %d is %.2f× the measured %d", rep.Memory.Value, r, truth.Memory.Value)
	}
	// Estimates know lengths and encodings, not element sizes: the hash of 5,000 small
	// fields outweighs the one of 60 big ones here, where MEMORY USAGE says the opposite.
	if top := rep.TopByMemory[0]; !top.MemoryEstimated || top.Key != "user:wide" || top.Encoding != "hashtable" {
		t.Errorf("biggest key by estimate: %+v", top)
	}
	var text strings.Builder
	if err := WriteText(&text, rep, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "ESTIMATED") {
		t.Errorf("the text report does not say memory is estimated:\n%s", text.String())
	}
}

// Every command the analysis sends is one the server flags read-only, so a read-only profile
// (or an ACL user limited to +@read) can run it and it can change nothing.
func TestSendsOnlyReadOnlyCommands(t *testing.T) {
	srv := redistest.StartRedisServer(t)
	seedKnown(t, srv.Addr)
	ctx := testCtx(t)
	c := client(t, srv.Addr, 0)
	rec := &recorder{seen: map[string]bool{}}
	c.AddHook(rec)
	for _, o := range []Options{{Mode: Full, Encodings: true}, {SampleSize: 100}, {Mode: Full, Type: "hash", MemorySamples: -1}} {
		if _, err := Analyze(ctx, c, o); err != nil {
			t.Fatal(err)
		}
	}
	plain := client(t, srv.Addr, 0)
	names := rec.names()
	for _, n := range []string{"scan", "dbsize", "type", "pttl", "memory|usage", "object|encoding", "strlen", "hlen", "llen", "scard", "zcard", "xlen"} {
		if !slices.Contains(names, n) {
			t.Errorf("the analysis never sent %s (sent %v)", n, names)
		}
	}
	for _, n := range names {
		info, err := plain.Do(ctx, "COMMAND", "INFO", n).Slice()
		if err != nil || len(info) == 0 || info[0] == nil {
			t.Errorf("COMMAND INFO %s: %v %v", n, info, err)
			continue
		}
		flags, _ := info[0].([]any)[2].([]any)
		ro := false
		for _, f := range flags {
			if f == "readonly" {
				ro = true
			}
		}
		if !ro {
			t.Errorf("%s is not a read-only command (flags %v)", n, flags)
		}
	}
}

// recorder is a go-redis hook noting the name (with subcommand) of every command sent.
type recorder struct {
	mu   sync.Mutex
	seen map[string]bool
}

func (r *recorder) note(cmds ...redis.Cmder) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range cmds {
		n := strings.ToLower(c.Name())
		if a := c.Args(); (n == "memory" || n == "object") && len(a) > 1 {
			n += "|" + strings.ToLower(a[1].(string))
		}
		r.seen[n] = true
	}
}

func (r *recorder) names() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for n := range r.seen {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

func (r *recorder) DialHook(next redis.DialHook) redis.DialHook { return next }

func (r *recorder) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if n := cmd.Name(); n != "hello" && n != "client" {
			r.note(cmd)
		}
		return next(ctx, cmd)
	}
}

func (r *recorder) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		r.note(cmds...)
		return next(ctx, cmds)
	}
}

// countHook counts commands sent (each command of a pipeline counts).
type countHook struct{ n atomic.Int64 }

func (h *countHook) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h *countHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if n := cmd.Name(); n != "hello" && n != "client" {
			h.n.Add(1)
		}
		return next(ctx, cmd)
	}
}

func (h *countHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		h.n.Add(int64(len(cmds)))
		return next(ctx, cmds)
	}
}

// A user whose ACL lets it read only some keys (~app:*) still gets a report of those: the
// others are skipped, counted and named in a warning, and MEMORY USAGE is still used.
func TestKeysHiddenByACLAreSkipped(t *testing.T) {
	srv := redistest.StartRedisServer(t)
	keys := seedKnown(t, srv.Addr)
	ctx := testCtx(t)
	if err := client(t, srv.Addr, 0).Do(ctx, "ACL", "SETUSER", "apponly", "on", ">pw", "~app:*", "+@read").Err(); err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(&redis.Options{Addr: srv.Addr, Username: "apponly", Password: "pw", DisableIdentity: true})
	defer c.Close()
	rep, err := Analyze(ctx, c, Options{Mode: Full})
	if err != nil {
		t.Fatal(err)
	}
	var app int64
	for _, k := range keys {
		if strings.HasPrefix(k, "app:") {
			app++
		}
	}
	if rep.Keys.Value != app || rep.Keyspace.Skipped != int64(len(keys))-app || rep.MemorySource != "memory_usage" {
		t.Errorf("keys %+v, skipped %d (want %d keys, %d skipped), memory from %s", rep.Keys, rep.Keyspace.Skipped, app, int64(len(keys))-app, rep.MemorySource)
	}
	found := false
	for _, w := range rep.Warnings {
		found = found || strings.Contains(w, "skipped") && strings.Contains(w, "NOPERM")
	}
	if !found {
		t.Errorf("no warning about the skipped keys: %q", rep.Warnings)
	}
}
