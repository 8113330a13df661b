package bulk

import (
	"context"
	"errors"
	"fmt"
	"slices"
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

// putScript writes whole values atomically, several keys per call (one hash slot per call in a
// cluster): for each key it applies the conflict rule, writes the value (in chunks of at most
// 1000 arguments, below Lua's stack limit) and sets the TTL. A write the server refuses (a
// file's bad stream ID, say) is caught, the key removed again, and the error returned for that
// key alone: no key is left half-written, and a replaced key keeps its old value. KEYS: per key
// its name and a temporary name in its slot (where a replacement is built). ARGV[1]: the rule; then per key:
// type, TTL in ms (-1: none), the number of elements' strings, and those strings: a string's
// value; list/set items; hash field, value; zset member, score; stream: per entry its id, the
// number of its field/value strings, then them. Returns per key 0 (exists, kept), 1
// (created), 2 (replaced) or the error message.
var putScript = redis.NewScript(`
local rule = ARGV[1]
local pos = 2
local out = {}
local function write(key, typ, first, last)
  local function chunks(cmd)
    local i = first
    while i <= last do
      local j = math.min(i + 999, last)
      redis.call(cmd, key, unpack(ARGV, i, j))
      i = j + 1
    end
  end
  if typ == 'string' then
    redis.call('SET', key, ARGV[first])
  elseif typ == 'list' then chunks('RPUSH')
  elseif typ == 'set' then chunks('SADD')
  elseif typ == 'hash' then chunks('HSET')
  elseif typ == 'zset' then
    local i = first
    while i <= last do
      local args = {}
      local j = math.min(i + 999, last)
      for k = i, j, 2 do args[#args+1] = ARGV[k+1]; args[#args+1] = ARGV[k] end
      redis.call('ZADD', key, unpack(args))
      i = j + 1
    end
  elseif typ == 'stream' then
    if last < first then
      redis.call('XADD', key, 'MAXLEN', '0', '0-1', 'f', 'v')
    end
    local i = first
    while i <= last do
      local cnt = tonumber(ARGV[i+1])
      redis.call('XADD', key, ARGV[i], unpack(ARGV, i + 2, i + 1 + cnt))
      i = i + 2 + cnt
    end
  else
    error('unknown type ' .. typ)
  end
end
for k = 1, #KEYS / 2 do
  local key, tmp = KEYS[2*k-1], KEYS[2*k]
  local typ, ttl, n = ARGV[pos], tonumber(ARGV[pos+1]), tonumber(ARGV[pos+2])
  local first, last = pos + 3, pos + 2 + n
  pos = last + 1
  local existed = redis.call('EXISTS', key)
  if existed == 1 and rule ~= 'replace' then
    out[k] = 0
  else
    -- A replaced key is built aside and renamed over the old one, so that a write the server
    -- refuses leaves the old value as it was.
    local dest = key
    if existed == 1 then dest = tmp; redis.call('DEL', tmp) end
    local ok, err = pcall(write, dest, typ, first, last)
    if ok then
      if existed == 1 then redis.call('RENAME', tmp, key) end
      if ttl > 0 then redis.call('PEXPIRE', key, ttl) end
      out[k] = existed + 1
    else
      redis.call('DEL', dest)
      out[k] = tostring(err.err or err)
    end
  end
end
return out
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

// restoreScript restores DUMP payloads under the conflict rule, several keys per call as
// putScript: ARGV[1] the rule, then per key its TTL (0: none) and payload. Returns per key as
// putScript (RESTORE writes a key whole or fails).
var restoreScript = redis.NewScript(`
local rule = ARGV[1]
local out = {}
for k = 1, #KEYS do
  local key = KEYS[k]
  local existed = redis.call('EXISTS', key)
  if existed == 1 and rule ~= 'replace' then
    out[k] = 0
  else
    local r = redis.pcall('RESTORE', key, ARGV[2*k], ARGV[2*k+1], 'REPLACE')
    if type(r) == 'table' and r.err then out[k] = r.err else out[k] = existed + 1 end
  end
end
return out
`)

// writer is the sink that writes keys to a server. Small values are queued and sent by
// putScript, many keys a call, in pipelines; a value that outgrows one window is built under a
// temporary name (after the queue is sent) and committed with commitScript, so that a reader,
// a crash or a re-run never sees a half-written key.
type writer struct {
	ctx     context.Context
	c       redis.UniversalClient
	cluster bool // group a call's keys by hash slot
	rule    Conflict
	keep    bool // keep TTLs (--ttl keep)
	t       *tally
	loaded  *atomic.Bool // the scripts are loaded on every primary (shared by an operation's writers)
	// badPayload, when set, receives the keys whose DUMP payload the target cannot read
	// (another RDB version) instead of counting them as failed: a copy then sends them typed.
	badPayload func(key string)

	queue      []queued
	queueBytes int
	// the sender goroutine (see flush)
	batches chan []queued
	sent    chan error
	busy    bool  // a batch is in flight
	sendErr error // a batch's error, returned by every later flush

	// the key being received
	key, typ string
	deadline int64 // Unix ms when the key expires; -1: no TTL
	args     []any // the current window's elements in putScript's order
	winSize  int
	winElems int
	elems    int
	big      bool // building under tmp
	tmp      string
	drop     bool // the key exists and is kept, or expired: its elements are read and dropped
	expired  bool // its TTL ran out before it was written (--ttl keep)
	failed   bool // the server refused a window: counted as failed, nothing left
}

type queued struct {
	key      string
	typ      string
	deadline int64
	elems    []any // putScript's strings for the key, or the DUMP payload
	dump     bool  // a restoreScript call
}

const (
	queueKeys  = 1000
	queueBytes = 4 << 20
)

func newWriter(ctx context.Context, c redis.UniversalClient, rule Conflict, keepTTL bool, t *tally, loaded *atomic.Bool) *writer {
	_, cluster := c.(*redis.ClusterClient)
	return &writer{ctx: ctx, c: c, cluster: cluster, rule: rule, keep: keepTTL, t: t, loaded: loaded}
}

// deadlineOf turns a TTL read now into the moment the key expires, so that the TTL written
// later (after a batch is collected, after a big value's windows) is what is left of it then.
func (w *writer) deadlineOf(pttl int64) int64 {
	if !w.keep || pttl < 0 {
		return -1
	}
	return time.Now().UnixMilli() + pttl
}

// ttlNow is the TTL to write now for deadline: -1 none, 0 expired, else ms left.
func ttlNow(deadline int64) int64 {
	if deadline < 0 {
		return -1
	}
	return max(0, deadline-time.Now().UnixMilli())
}

func (w *writer) begin(key, typ string, pttl int64) error {
	w.key, w.typ, w.deadline = key, typ, w.deadlineOf(pttl)
	w.args = w.args[:0]
	w.winSize, w.winElems, w.elems, w.big, w.tmp = 0, 0, 0, false, ""
	w.expired = w.keep && pttl == 0
	w.drop, w.failed = w.expired, false
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
		if err := w.sync(); err != nil {
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
		if isReplyErr(err) { // the file's data refused (a bad stream ID…): drop the value
			_ = w.c.Del(ctx, w.tmp).Err()
			w.drop, w.big, w.failed = true, false, true
			w.t.fail(w.key, err.Error())
			return nil
		}
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
	case w.failed:
		return nil
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
			if w.drop {
				return w.end()
			}
		}
		return w.commit()
	case !typedKind(w.typ):
		if len(w.args) != 1 {
			w.t.fail(w.key, "no DUMP payload")
			return nil
		}
		return w.enqueue(queued{key: w.key, deadline: w.deadline, elems: []any{w.args[0]}, dump: true}, len(w.args[0].(string)))
	case w.elems == 0 && w.typ != typeStream && w.typ != typeString:
		w.t.fail(w.key, "an empty "+w.typ+" cannot exist in Redis")
		return nil
	}
	return w.enqueue(queued{key: w.key, typ: w.typ, deadline: w.deadline, elems: slices.Clone(w.args)}, w.winSize+16)
}

// commit renames a big value's temporary key over its target.
func (w *writer) commit() error {
	ctx := context.WithoutCancel(w.ctx)
	ttl := ttlNow(w.deadline)
	if ttl == 0 {
		_ = w.c.Del(ctx, w.tmp).Err()
		w.t.add(func(r *Report) { r.Expired++ })
		return nil
	}
	if err := w.load(); err != nil {
		return err
	}
	n, err := commitScript.EvalSha(ctx, w.c, []string{w.key, w.tmp}, string(w.rule), ttl).Int64()
	if redis.HasErrorPrefix(err, "NOSCRIPT") {
		w.loaded.Store(false)
		if err := w.load(); err != nil {
			return err
		}
		n, err = commitScript.EvalSha(ctx, w.c, []string{w.key, w.tmp}, string(w.rule), ttl).Int64()
	}
	if err != nil {
		if isReplyErr(err) {
			w.t.fail(w.key, err.Error())
			return nil
		}
		return fmt.Errorf("bulk: writing %q: %w", w.key, err)
	}
	return w.outcome(w.key, n)
}

// restore queues a DUMP payload's RESTORE under the conflict rule.
func (w *writer) restore(key string, pttl int64, payload string) error {
	if w.keep && pttl == 0 {
		w.t.add(func(r *Report) { r.Expired++ })
		return nil
	}
	return w.enqueue(queued{key: key, deadline: w.deadlineOf(pttl), elems: []any{payload}, dump: true}, len(payload))
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

// call is one script call: keys of one hash slot (any keys on a standalone server).
type call struct {
	items []queued
	dump  bool
}

// calls groups the queue into script calls.
func (w *writer) calls(items []queued) []call {
	var out []call
	index := map[[2]int]int{} // {slot, dump} -> call
	for _, q := range items {
		slot := 0
		if w.cluster {
			slot = keySlot(q.key)
		}
		d := 0
		if q.dump {
			d = 1
		}
		i, ok := index[[2]int{slot, d}]
		if !ok {
			i = len(out)
			index[[2]int{slot, d}] = i
			out = append(out, call{dump: q.dump})
		}
		out[i].items = append(out[i].items, q)
	}
	return out
}

// flush hands the queued writes to the sender goroutine, which sends them while the caller
// goes on collecting the next batch (parsing the file, reading the source): one batch in
// flight at a time, so batches reach the server in order. It returns the error of an earlier
// batch (a conflict under ConflictFail, a broken connection).
func (w *writer) flush() error {
	if w.sendErr != nil {
		return w.sendErr
	}
	if len(w.queue) == 0 {
		return nil
	}
	if w.batches == nil {
		w.batches, w.sent = make(chan []queued), make(chan error, 1)
		go func() {
			for b := range w.batches {
				w.sent <- w.send(b)
			}
		}()
	}
	if w.busy {
		if err := <-w.sent; err != nil {
			w.busy, w.sendErr = false, err
			return err
		}
	}
	w.batches <- w.queue
	w.busy = true
	w.queue, w.queueBytes = nil, 0
	return nil
}

// sync sends what is queued and waits until every batch is answered and counted.
func (w *writer) sync() error {
	if err := w.flush(); err != nil {
		return err
	}
	if w.busy {
		w.busy = false
		if err := <-w.sent; err != nil {
			w.sendErr = err
			return err
		}
	}
	if w.batches != nil {
		close(w.batches)
		w.batches = nil
	}
	return nil
}

// send sends a batch in one pipeline and counts its outcomes. A call refused
// with NOSCRIPT (a node that lost its scripts: restart, failover) was not run; the scripts
// are loaded again and it is sent once more. Keys that expired while queued are not sent.
func (w *writer) send(batch []queued) error {
	if err := w.load(); err != nil {
		return err
	}
	ctx := context.WithoutCancel(w.ctx)
	var live, scripted []queued
	for _, q := range batch {
		if ttlNow(q.deadline) == 0 {
			w.t.add(func(r *Report) { r.Expired++ })
			continue
		}
		live = append(live, q)
	}
	// Strings go as native SETs, which apply the rule and the TTL atomically by themselves
	// (NX; GET tells created from replaced), several times cheaper for the server than a
	// script; a SET the server refuses (GET on a key of another type) goes by script.
	var sets []queued
	for _, q := range live {
		if q.typ == typeString {
			sets = append(sets, q)
		} else {
			scripted = append(scripted, q)
		}
	}
	if len(sets) > 0 {
		cmds := make([]*redis.Cmd, len(sets))
		_, perr := w.c.Pipelined(ctx, func(p redis.Pipeliner) error {
			for i, q := range sets {
				args := []any{"SET", q.key, q.elems[0]}
				if w.rule == ConflictReplace {
					args = append(args, "GET")
				} else {
					args = append(args, "NX")
				}
				if ttl := ttlNow(q.deadline); ttl > 0 {
					args = append(args, "PX", ttl)
				}
				cmds[i] = p.Do(ctx, args...)
			}
			return nil
		})
		var lost int64
		var conflict error
		for i, q := range sets {
			_, err := cmds[i].Result()
			switch {
			case err == nil && w.rule == ConflictReplace:
				w.t.add(func(r *Report) { r.Replaced++ })
			case err == nil:
				w.t.add(func(r *Report) { r.Created++ })
			case errors.Is(err, redis.Nil) && w.rule == ConflictReplace:
				w.t.add(func(r *Report) { r.Created++ })
			case errors.Is(err, redis.Nil):
				if e := w.existing(q.key); e != nil {
					conflict = e
				}
			case isReplyErr(err):
				scripted = append(scripted, q)
			default:
				lost++
			}
		}
		if lost > 0 {
			w.t.add(func(r *Report) { r.Uncertain += lost })
			return fmt.Errorf("bulk: the connection failed mid-batch; %d keys may or may not have been written: %w", lost, perr)
		}
		if conflict != nil {
			return conflict
		}
	}
	todo := w.calls(scripted)
	for attempt := 0; len(todo) > 0; attempt++ {
		cmds := make([]*redis.Cmd, len(todo))
		_, perr := w.c.Pipelined(ctx, func(p redis.Pipeliner) error {
			for i, cl := range todo {
				keys := make([]string, 0, 2*len(cl.items))
				args := []any{string(w.rule)}
				for _, q := range cl.items {
					keys = append(keys, q.key)
					if !cl.dump {
						keys = append(keys, tmpName(q.key))
					}
					if cl.dump {
						args = append(args, max(ttlNow(q.deadline), 0), q.elems[0])
					} else {
						args = append(args, q.typ, ttlNow(q.deadline), len(q.elems))
						args = append(args, q.elems...)
					}
				}
				if cl.dump {
					cmds[i] = restoreScript.EvalSha(ctx, p, keys, args...)
				} else {
					cmds[i] = putScript.EvalSha(ctx, p, keys, args...)
				}
			}
			return nil
		})
		var retry []call
		var lost int64
		var conflict error
		for i, cl := range todo {
			res, err := cmds[i].Slice()
			switch {
			case err == nil:
				for j, q := range cl.items {
					if e := w.result(q, res, j); e != nil {
						conflict = e
					}
				}
			case redis.HasErrorPrefix(err, "NOSCRIPT") && attempt == 0:
				retry = append(retry, cl)
			case isReplyErr(err):
				for _, q := range cl.items {
					w.t.fail(q.key, err.Error())
				}
			default:
				lost += int64(len(cl.items))
			}
		}
		if lost > 0 {
			w.t.add(func(r *Report) { r.Uncertain += lost })
			return fmt.Errorf("bulk: the connection failed mid-batch; %d keys may or may not have been written: %w", lost, perr)
		}
		if conflict != nil || len(retry) == 0 {
			for _, cl := range retry {
				for _, q := range cl.items {
					w.t.fail(q.key, "NOSCRIPT: the server lost the import's scripts")
				}
			}
			return conflict
		}
		w.loaded.Store(false)
		if err := w.load(); err != nil {
			return err
		}
		todo = retry
	}
	return nil
}

// result counts the outcome of the j-th key of a script call.
func (w *writer) result(q queued, res []any, j int) error {
	if j >= len(res) {
		w.t.fail(q.key, "no reply for this key")
		return nil
	}
	switch v := res[j].(type) {
	case int64:
		return w.outcome(q.key, v)
	case string:
		if q.dump && w.badPayload != nil && restoreUnusable(v) {
			w.badPayload(q.key)
			return nil
		}
		w.t.fail(q.key, v)
	default:
		w.t.fail(q.key, fmt.Sprintf("unexpected reply %v", v))
	}
	return nil
}

// restoreUnusable tells a RESTORE refused because the target cannot take this payload or any
// (another RDB version; RESTORE unknown or denied) from a refusal of the data itself.
func restoreUnusable(msg string) bool {
	for _, s := range []string{"payload version or checksum are wrong", "unknown command", "NOPERM", "not allowed"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
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
