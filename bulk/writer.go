package bulk

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// Conflict says what an import or copy does with a key that already exists.
type Conflict string

// The conflict rules.
const (
	ConflictSkip    Conflict = "skip"    // leave the existing key as it is (Skipped)
	ConflictReplace Conflict = "replace" // overwrite it (Replaced)
	ConflictFail    Conflict = "fail"    // stop the import: nothing existing is overwritten
)

// ParseConflict checks a conflict rule's name.
func ParseConflict(s string) (Conflict, error) {
	switch Conflict(s) {
	case ConflictSkip, ConflictReplace, ConflictFail:
		return Conflict(s), nil
	}
	return "", fmt.Errorf("bulk: unknown conflict rule %q (skip, replace or fail)", s)
}

// ErrConflict stops an import or copy with ConflictFail at a key that exists.
var ErrConflict = errors.New("bulk: a key to be written already exists (--on-conflict fail)")

// tmpTTL is the expiry of a temporary key, refreshed at each window: one left by an
// interrupted import goes away by itself.
const tmpTTL = time.Hour

// putScript writes one whole value atomically: it applies the conflict rule, writes the value
// (in chunks of at most 1000 arguments, below Lua's stack limit) and sets the TTL. Returns 0
// when the key exists and is kept, 1 when created, 2 when replaced. ARGV: rule, type, TTL in
// ms (-1: none), then the elements: string value; list/set items; hash field, value; zset
// member, score; stream: for each entry its id, the number of field/value strings, then them.
var putScript = redis.NewScript(`
local key, rule, typ, ttl = KEYS[1], ARGV[1], ARGV[2], tonumber(ARGV[3])
local existed = redis.call('EXISTS', key)
if existed == 1 then
  if rule ~= 'replace' then return 0 end
  redis.call('DEL', key)
end
local n = #ARGV
local function chunks(cmd, width)
  local i = 4
  while i <= n do
    local j = math.min(i + width - 1, n)
    redis.call(cmd, key, unpack(ARGV, i, j))
    i = j + 1
  end
end
if typ == 'string' then
  redis.call('SET', key, ARGV[4])
elseif typ == 'list' then chunks('RPUSH', 1000)
elseif typ == 'set' then chunks('SADD', 1000)
elseif typ == 'hash' then chunks('HSET', 1000)
elseif typ == 'zset' then
  local i = 4
  while i <= n do
    local args = {}
    local j = math.min(i + 999, n)
    for k = i, j, 2 do args[#args+1] = ARGV[k+1]; args[#args+1] = ARGV[k] end
    redis.call('ZADD', key, unpack(args))
    i = j + 1
  end
elseif typ == 'stream' then
  if n < 4 then
    redis.call('XADD', key, 'MAXLEN', '0', '0-1', 'f', 'v')
  end
  local i = 4
  while i <= n do
    local cnt = tonumber(ARGV[i+1])
    redis.call('XADD', key, ARGV[i], unpack(ARGV, i + 2, i + 1 + cnt))
    i = i + 2 + cnt
  end
else
  return redis.error_reply('unknown type ' .. typ)
end
if ttl > 0 then redis.call('PEXPIRE', key, ttl) end
return existed + 1
`)

// commitScript renames a value built under a temporary name over its target: KEYS[1] target,
// KEYS[2] temporary; ARGV rule, TTL. Returns -1 when the temporary key is gone (expired:
// nothing written), 0 when the target exists and is kept, 1 created, 2 replaced.
var commitScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[2]) == 0 then return -1 end
local existed = redis.call('EXISTS', KEYS[1])
if existed == 1 and ARGV[1] ~= 'replace' then
  redis.call('DEL', KEYS[2])
  return 0
end
redis.call('RENAME', KEYS[2], KEYS[1])
local ttl = tonumber(ARGV[2])
if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) else redis.call('PERSIST', KEYS[1]) end
return existed + 1
`)

// restoreScript restores a DUMP payload under the conflict rule: ARGV rule, TTL (0: none),
// payload. Returns as putScript.
var restoreScript = redis.NewScript(`
local existed = redis.call('EXISTS', KEYS[1])
if existed == 1 and ARGV[1] ~= 'replace' then return 0 end
redis.call('RESTORE', KEYS[1], ARGV[2], ARGV[3], 'REPLACE')
return existed + 1
`)

// writer is the sink that writes keys to a server. Small values are queued as putScript calls
// and sent in pipelines; a value that outgrows one window is built under a temporary name
// (after the queue is sent) and committed with commitScript, so that a reader, a crash or a
// re-run never sees a half-written key.
type writer struct {
	ctx    context.Context
	c      redis.UniversalClient
	rule   Conflict
	keep   bool // keep TTLs (--ttl keep)
	t      *tally
	loaded *atomic.Bool // the scripts are loaded on every primary (shared by an operation's writers)
	// badPayload, when set, receives the keys whose DUMP payload the target cannot read
	// (another RDB version) instead of counting them as failed: a copy then sends them typed.
	badPayload func(key string)

	queue      []queued
	queueBytes int

	// the key being received
	key, typ string
	pttl     int64
	args     []any // the current window's elements in putScript's order
	winSize  int
	winElems int
	elems    int
	big      bool // building under tmp
	tmp      string
	drop     bool // the key exists and is kept, or expired: its elements are read and dropped
	expired  bool // its TTL ran out before it was written (--ttl keep)
}

type queued struct {
	key  string
	args []any // restoreScript's or putScript's ARGV
	dump bool  // a restoreScript call
}

const (
	queueKeys  = 200
	queueBytes = 4 << 20
)

func newWriter(ctx context.Context, c redis.UniversalClient, rule Conflict, keepTTL bool, t *tally, loaded *atomic.Bool) *writer {
	return &writer{ctx: ctx, c: c, rule: rule, keep: keepTTL, t: t, loaded: loaded}
}

// ttl is the TTL to write: the record's under --ttl keep, none otherwise.
func (w *writer) ttl(pttl int64) int64 {
	if !w.keep || pttl <= 0 {
		return -1
	}
	return pttl
}

func (w *writer) begin(key, typ string, pttl int64) error {
	w.key, w.typ, w.pttl = key, typ, pttl
	w.args = w.args[:0]
	w.winSize, w.winElems, w.elems, w.big, w.drop, w.tmp = 0, 0, 0, false, false, ""
	w.expired = w.keep && pttl == 0
	w.drop = w.expired
	return nil
}

func (w *writer) add(e []string) error {
	if w.drop {
		return nil
	}
	if !typedKind(w.typ) { // a module value: its DUMP payload
		w.args = append(w.args[:0], e[0])
		return nil
	}
	w.elems++
	w.winElems++
	if w.typ == typeStream {
		w.args = append(w.args, e[0], strconv.Itoa(len(e)-1))
		e = e[1:]
	}
	for _, s := range e {
		w.args = append(w.args, s)
		w.winSize += len(s)
	}
	if w.winElems >= window || w.winSize >= stringWindow {
		return w.spill()
	}
	return nil
}

// spill sends the current window to the temporary key, starting it on the first window.
func (w *writer) spill() error {
	ctx := context.WithoutCancel(w.ctx)
	start := !w.big
	if start {
		if err := w.flush(); err != nil {
			return err
		}
		if w.rule != ConflictReplace { // no need to build a value that will not be written
			n, err := w.c.Exists(ctx, w.key).Result()
			if err != nil {
				return fmt.Errorf("bulk: EXISTS %q: %w", w.key, err)
			}
			if n == 1 {
				w.drop, w.args = true, w.args[:0]
				return nil
			}
		}
		w.big, w.tmp = true, tmpName(w.key)
	}
	_, err := w.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		if start {
			p.Del(ctx, w.tmp)
		}
		w.appendWindow(ctx, p)
		p.PExpire(ctx, w.tmp, tmpTTL)
		return nil
	})
	w.args, w.winSize, w.winElems = w.args[:0], 0, 0
	if err != nil {
		return fmt.Errorf("bulk: writing %q (under a temporary name): %w", w.key, err)
	}
	return nil
}

// appendWindow queues the commands that add the current window to the temporary key.
func (w *writer) appendWindow(ctx context.Context, p redis.Pipeliner) {
	a := w.args
	if len(a) == 0 {
		return
	}
	cmd := func(name string, rest []any) {
		p.Do(ctx, append([]any{name, w.tmp}, rest...)...)
	}
	switch w.typ {
	case typeString:
		for _, s := range a {
			cmd("APPEND", []any{s})
		}
	case typeList:
		cmd("RPUSH", a)
	case typeSet:
		cmd("SADD", a)
	case typeHash:
		cmd("HSET", a)
	case typeZSet:
		sw := make([]any, len(a))
		for i := 0; i+1 < len(a); i += 2 {
			sw[i], sw[i+1] = a[i+1], a[i]
		}
		cmd("ZADD", sw)
	case typeStream:
		for i := 0; i < len(a); {
			n, _ := strconv.Atoi(a[i+1].(string))
			cmd("XADD", append([]any{a[i]}, a[i+2:i+2+n]...))
			i += 2 + n
		}
	}
}

func (w *writer) end() error {
	switch {
	case w.expired:
		w.t.add(func(r *Report) { r.Expired++ })
		return nil
	case w.drop:
		return w.existing(w.key)
	case w.big:
		if len(w.args) > 0 {
			if err := w.spill(); err != nil {
				return err
			}
		}
		if w.drop {
			return w.existing(w.key)
		}
		if err := w.load(); err != nil {
			return err
		}
		ctx := context.WithoutCancel(w.ctx)
		n, err := commitScript.EvalSha(ctx, w.c, []string{w.key, w.tmp}, string(w.rule), w.ttl(w.pttl)).Int64()
		if err != nil {
			if isReplyErr(err) {
				w.t.fail(w.key, err.Error())
				return nil
			}
			return fmt.Errorf("bulk: writing %q: %w", w.key, err)
		}
		return w.outcome(w.key, n)
	case !typedKind(w.typ):
		if len(w.args) != 1 {
			w.t.fail(w.key, "no DUMP payload")
			return nil
		}
		return w.restore(w.key, w.pttl, w.args[0].(string))
	case w.elems == 0 && w.typ != typeStream && w.typ != typeString:
		w.t.fail(w.key, "an empty "+w.typ+" cannot exist in Redis")
		return nil
	}
	args := make([]any, 0, 3+len(w.args))
	args = append(args, string(w.rule), w.typ, w.ttl(w.pttl))
	args = append(args, w.args...)
	return w.enqueue(queued{key: w.key, args: args}, w.winSize)
}

// restore queues a DUMP payload's RESTORE under the conflict rule.
func (w *writer) restore(key string, pttl int64, payload string) error {
	if w.keep && pttl == 0 {
		w.t.add(func(r *Report) { r.Expired++ })
		return nil
	}
	ttl := w.ttl(pttl)
	if ttl < 0 {
		ttl = 0
	}
	return w.enqueue(queued{key: key, args: []any{string(w.rule), ttl, payload}, dump: true}, len(payload))
}

func (w *writer) enqueue(q queued, size int) error {
	w.queue = append(w.queue, q)
	w.queueBytes += size
	if len(w.queue) >= queueKeys || w.queueBytes >= queueBytes {
		return w.flush()
	}
	return nil
}

// load loads the scripts on every primary once, so that calls send their SHA1, not their text.
func (w *writer) load() error {
	if w.loaded.Load() {
		return nil
	}
	ctx := context.WithoutCancel(w.ctx)
	for _, s := range []*redis.Script{putScript, commitScript, restoreScript} {
		if err := s.Load(ctx, w.c).Err(); err != nil {
			return fmt.Errorf("bulk: SCRIPT LOAD: %w", err)
		}
	}
	w.loaded.Store(true)
	return nil
}

// flush sends the queued writes in one pipeline and counts their outcomes. A write refused
// with NOSCRIPT (a node that lost its scripts: restart, failover) was not run; the scripts
// are loaded again and those writes sent once more.
func (w *writer) flush() error {
	if len(w.queue) == 0 {
		return nil
	}
	if err := w.load(); err != nil {
		return err
	}
	ctx := context.WithoutCancel(w.ctx)
	todo := w.queue
	for attempt := 0; ; attempt++ {
		cmds := make([]*redis.Cmd, len(todo))
		_, perr := w.c.Pipelined(ctx, func(p redis.Pipeliner) error {
			for i, q := range todo {
				if q.dump {
					cmds[i] = restoreScript.EvalSha(ctx, p, []string{q.key}, q.args...)
				} else {
					cmds[i] = putScript.EvalSha(ctx, p, []string{q.key}, q.args...)
				}
			}
			return nil
		})
		var retry []queued
		var lost int64
		var conflict error
		for i, q := range todo {
			n, err := cmds[i].Int64()
			switch {
			case err == nil:
				if e := w.outcome(q.key, n); e != nil {
					conflict = e
				}
			case redis.HasErrorPrefix(err, "NOSCRIPT") && attempt == 0:
				retry = append(retry, q)
			case q.dump && w.badPayload != nil && strings.Contains(err.Error(), "payload version or checksum are wrong"):
				w.badPayload(q.key)
			case isReplyErr(err):
				w.t.fail(q.key, err.Error())
			default:
				lost++
			}
		}
		if lost > 0 {
			w.t.add(func(r *Report) { r.Uncertain += lost })
			w.queue, w.queueBytes = w.queue[:0], 0
			return fmt.Errorf("bulk: the connection failed mid-batch; %d keys may or may not have been written: %w", lost, perr)
		}
		if len(retry) == 0 || conflict != nil {
			w.queue, w.queueBytes = w.queue[:0], 0
			for _, q := range retry {
				w.t.fail(q.key, "NOSCRIPT: the server lost the import's scripts")
			}
			return conflict
		}
		w.loaded.Store(false)
		if err := w.load(); err != nil {
			return err
		}
		todo = retry
	}
}

// outcome counts one script reply: 0 kept, 1 created, 2 replaced, -1 temporary key gone.
func (w *writer) outcome(key string, n int64) error {
	switch n {
	case 0:
		return w.existing(key)
	case 1:
		w.t.add(func(r *Report) { r.Created++ })
	case 2:
		w.t.add(func(r *Report) { r.Replaced++ })
	default:
		w.t.fail(key, "its temporary copy expired before it was complete; nothing was written")
	}
	return nil
}

// existing counts a key kept because it exists: skipped, or a failure that stops the run.
func (w *writer) existing(key string) error {
	if w.rule == ConflictFail {
		w.t.fail(key, "exists")
		return ErrConflict
	}
	w.t.add(func(r *Report) { r.Skipped++ })
	return nil
}
