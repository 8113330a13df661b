package analyze

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/redis/go-redis/v9"
)

// sizeCommands is the length command of each core type and what it counts. Other types
// (RedisJSON's ReJSON-RL, time series, Bloom filters…) have no length the engine knows how to
// ask for cheaply; their memory is still measured.
var sizeCommands = map[string]struct{ cmd, unit string }{
	"string": {"STRLEN", "bytes"},
	"list":   {"LLEN", "items"},
	"set":    {"SCARD", "members"},
	"zset":   {"ZCARD", "members"},
	"hash":   {"HLEN", "fields"},
	"stream": {"XLEN", "entries"},
}

// probe holds the replies of one key's commands in the batch's pipelines.
type probe struct {
	key  string
	typ  *redis.StatusCmd
	pttl *redis.DurationCmd
	mem  *redis.IntCmd
	enc  *redis.StringCmd
	size *redis.IntCmd
}

// prober sends a batch of keys' commands in two pipelines: TYPE (with PTTL, MEMORY USAGE and
// OBJECT ENCODING unless a type filter makes them wasted on other types), then the length
// command the type calls for (and the rest for keys of the filtered type).
type prober struct {
	c        *redis.Client
	opts     Options
	wait     func(ctx context.Context, ops int) error
	memState *memoryState
	// chunk is the most keys one pipeline carries (0: the whole batch). Redis runs the
	// commands of one read of a client's socket (16 KiB, ~400 of these commands) before it
	// serves anyone else; short pipelines bound how long other clients wait behind them.
	chunk int
}

// maxPipelineKeys bounds a paced run's pipelines to about 128 commands (~0.15 ms of server
// time) each; an uncapped run (Rate < 0) sends whole batches for throughput.
const maxPipelineKeys = 32

// memoryState records whether the server refused MEMORY USAGE (shared by every shard).
type memoryState struct {
	denied  atomic.Bool
	mu      sync.Mutex
	message string
}

func (m *memoryState) reason() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.message
}

// probed is what probing a batch found.
type probed struct {
	infos    []keyInfo
	vanished int64  // keys gone before they were probed
	skipped  int64  // keys the server would not tell about (an error reply: NOPERM, MOVED…)
	skipErr  string // the first such error
}

func (r *probed) skip(cmd, key string, err error) {
	r.skipped++
	if r.skipErr == "" {
		r.skipErr = fmt.Sprintf("%s %s: %v", cmd, Quote(key), err)
	}
}

func (r *probed) add(o probed) {
	r.infos = append(r.infos, o.infos...)
	r.vanished += o.vanished
	r.skipped += o.skipped
	if r.skipErr == "" {
		r.skipErr = o.skipErr
	}
}

func (p *prober) run(ctx context.Context, keys []string) (probed, error) {
	if p.chunk <= 0 || len(keys) <= p.chunk {
		return p.runChunk(ctx, keys)
	}
	var out probed
	for len(keys) > 0 {
		n := min(p.chunk, len(keys))
		r, err := p.runChunk(ctx, keys[:n])
		if err != nil {
			return probed{}, err
		}
		out.add(r)
		keys = keys[n:]
	}
	return out, nil
}

// runChunk probes keys. An error reply about one key (an ACL that hides it, a slot that moved)
// skips that key and is reported; only a failure of the connection ends the run.
func (p *prober) runChunk(ctx context.Context, keys []string) (probed, error) {
	pr := make([]probe, len(keys))
	filter := p.opts.Type != ""
	first := p.c.Pipeline()
	for i, k := range keys {
		pr[i].key = k
		pr[i].typ = first.Type(ctx, k)
		if !filter {
			p.addDetails(ctx, first, &pr[i])
		}
	}
	if err := p.exec(ctx, first); err != nil {
		return probed{}, err
	}
	second := p.c.Pipeline()
	var res probed
	keep := pr[:0]
	for i := range pr {
		t, err := pr[i].typ.Result()
		switch {
		case err != nil && isReply(err):
			res.skip("TYPE", pr[i].key, err)
			continue
		case err != nil:
			return probed{}, err
		case t == "none":
			res.vanished++
			continue
		case filter && t != p.opts.Type:
			continue
		}
		if filter {
			p.addDetails(ctx, second, &pr[i])
		}
		if sc, ok := sizeCommands[t]; ok {
			pr[i].size = redis.NewIntCmd(ctx, sc.cmd, pr[i].key)
			_ = second.Process(ctx, pr[i].size)
		}
		keep = append(keep, pr[i])
	}
	if second.Len() > 0 {
		if err := p.exec(ctx, second); err != nil {
			return probed{}, err
		}
	}
	res.infos = make([]keyInfo, 0, len(keep))
	for i := range keep {
		ki, gone, err := p.info(&keep[i])
		var re replyErr
		switch {
		case errors.As(err, &re):
			res.skip(re.cmd, keep[i].key, re.err)
		case err != nil:
			return probed{}, err
		case gone:
			res.vanished++
		default:
			res.infos = append(res.infos, ki)
		}
	}
	return res, nil
}

// replyErr is an error reply to one key's command.
type replyErr struct {
	cmd string
	err error
}

func (e replyErr) Error() string { return e.cmd + ": " + e.err.Error() }

// keyErr classifies the error of one key's command: a reply is that key's problem, anything
// else the connection's.
func keyErr(cmd string, err error) error {
	if isReply(err) {
		return replyErr{cmd, err}
	}
	return err
}

func (p *prober) addDetails(ctx context.Context, pipe redis.Pipeliner, pr *probe) {
	pr.pttl = pipe.PTTL(ctx, pr.key)
	if !p.memState.denied.Load() {
		args := []any{"MEMORY", "USAGE", pr.key}
		if p.opts.MemorySamples != DefaultMemorySamples {
			args = append(args, "SAMPLES", max(p.opts.MemorySamples, 0))
		}
		pr.mem = redis.NewIntCmd(ctx, args...)
		_ = pipe.Process(ctx, pr.mem)
	}
	if p.opts.Encodings || p.memState.denied.Load() {
		pr.enc = pipe.ObjectEncoding(ctx, pr.key)
	}
}

// exec sends a pipeline after the rate limiter allows it. Error replies are left on their
// commands; only a failure of the connection is returned.
func (p *prober) exec(ctx context.Context, pipe redis.Pipeliner) error {
	if err := p.wait(ctx, pipe.Len()); err != nil {
		return err
	}
	_, err := pipe.Exec(ctx)
	if err != nil && !isReply(err) {
		return err
	}
	return nil
}

// isReply reports whether err is a reply of the server (including a nil reply) rather than a
// failure to talk to it.
func isReply(err error) bool {
	var re redis.Error
	return errors.Is(err, redis.Nil) || errors.As(err, &re)
}

// info reads one key's replies. gone reports a key deleted between the two pipelines.
func (p *prober) info(pr *probe) (ki keyInfo, gone bool, err error) {
	ki = keyInfo{key: pr.key, typ: pr.typ.Val(), pttl: -1}
	d, err := pr.pttl.Result()
	if err != nil {
		return ki, false, keyErr("PTTL", err)
	}
	switch {
	case d == -2: // go-redis keeps -2 (no such key) as a nanosecond count
		return ki, true, nil
	case d >= 0:
		ki.pttl = d.Milliseconds()
	}
	if pr.size != nil {
		n, err := pr.size.Result()
		if err != nil {
			return ki, false, keyErr(strings.ToUpper(pr.size.Name()), err)
		}
		ki.length, ki.lengthOK = n, true
	}
	if pr.enc != nil {
		if e, err := pr.enc.Result(); err == nil {
			ki.enc = e
		}
	}
	if pr.mem != nil {
		n, err := pr.mem.Result()
		switch {
		case err == nil:
			ki.mem = n
			return ki, false, nil
		case errors.Is(err, redis.Nil):
			return ki, true, nil
		case isReply(err):
			p.memState.deny(err)
		default:
			return ki, false, err
		}
	}
	ki.mem, ki.memEst = estimateMemory(ki), true
	return ki, false, nil
}

// deny records the first refusal of MEMORY USAGE: from then on no shard sends it.
func (m *memoryState) deny(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.denied.Load() {
		m.message = err.Error()
		m.denied.Store(true)
	}
}

// estimateMemory guesses a key's memory from what the probe knows when MEMORY USAGE is
// denied: the key name, the value's length and per-element overheads of the encoding (jemalloc
// size classes and dict entries averaged; within ±50 % for typical small elements). It is
// what the report calls "estimate".
func estimateMemory(k keyInfo) int64 {
	const keyOverhead = 56 // dictEntry, robj and the key's sds header, rounded to jemalloc classes
	base := int64(keyOverhead + len(k.key))
	if !k.lengthOK {
		return base
	}
	if k.typ == "string" {
		if k.enc == "int" {
			return base
		}
		return base + k.length + 8
	}
	per := int64(48) // a hashtable or skiplist entry with a short element
	switch k.enc {
	case "listpack", "ziplist", "intset":
		per = 12
	case "quicklist":
		per = 16
	}
	if k.typ == "hash" {
		per *= 2 // field and value
	}
	if k.typ == "stream" {
		per = 24
	}
	return base + k.length*per
}

// opsPerKey is how many commands the probe sends per key at most, for sizing batches under a
// rate cap.
func (o Options) opsPerKey() int {
	n := 4 // TYPE, PTTL, MEMORY USAGE, length
	if o.Encodings {
		n++
	}
	return n
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
