package bulk

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"slices"
	"strconv"
	"strings"
	"sync"
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

// writer is the sink that writes keys to a server. Small values are queued and sent in
// pipelines by sender goroutines (see flush): strings as SET, lists, sets, hashes and sorted
// sets as RESTORE of a payload built here (payload.go), streams and every key under
// ConflictReplace by putScript, many keys a call. A value that outgrows one window is built
// under a temporary name (after the queue is sent) and committed with commitScript, so that a
// reader, a crash or a re-run never sees a half-written key.
type writer struct {
	ctx     context.Context
	c       redis.UniversalClient
	cluster bool // group a call's keys by hash slot
	rule    Conflict
	keep    bool // keep TTLs (--ttl keep)
	t       *tally
	st      *writeState // shared by an operation's writers
	// badPayload, when set, receives the keys whose DUMP payload the target cannot read
	// (another RDB version) instead of counting them as failed: a copy then sends them typed.
	// Senders call it under badMu.
	badPayload func(key string)
	badMu      sync.Mutex
	// newPipe, when set on a standalone server, gives each sender its own Pipe for the native
	// commands (see sender); scripts and big values still go through c.
	newPipe func() (Pipe, error)

	// queues[i] is sender i's next batch: a key always goes to the same sender (by a hash of
	// its name), so two writes of one key reach the server in the file's order.
	queues [senders]pending
	seed   maphash.Seed
	// the sender goroutines (see flush)
	in      [senders]chan []queued
	snd     [senders]*sender // each sender's Pipe and buffers, kept from one goroutine to the next
	running sync.WaitGroup
	errMu   sync.Mutex
	sendErr error // a batch's error, returned by every later flush

	// the key being received
	key, typ string
	deadline int64    // Unix ms when the key expires; -1: no TTL
	args     []string // the current window's elements in putScript's order
	argChunk []string // where keepArgs copies them to (append-only)
	winSize  int
	winElems int
	elems    int
	big      bool // building under tmp
	tmp      string
	drop     bool // the key exists and is kept, or expired: its elements are read and dropped
	expired  bool // its TTL ran out before it was written (--ttl keep)
	failed   bool // the server refused a window: counted as failed, nothing left
}

// writeState is what an operation's writers share.
type writeState struct {
	loaded atomic.Bool // the scripts are loaded on every primary
	// noPayloads is set once the target refused a payload built here as unreadable (a server
	// older than RDB version 9, RESTORE not allowed): later keys go by putScript.
	noPayloads atomic.Bool
}

type queued struct {
	key      string
	typ      string
	deadline int64
	elems    []string // putScript's strings for the key, or the DUMP payload
	dump     bool     // a DUMP payload (restoreScript, or RESTORE)
	hash     uint64   // of key (the writer's seed): picks the sender, finds repeated keys
}

type pending struct {
	items []queued
	bytes int
}

const (
	queueKeys  = 1000
	queueBytes = 4 << 20
	// senders is how many batches are in flight at once, each on its own connection: while
	// the server works through one, the others are being written and their replies read.
	senders = 4
)

func newWriter(ctx context.Context, c redis.UniversalClient, rule Conflict, keepTTL bool, t *tally, st *writeState) *writer {
	_, cluster := c.(*redis.ClusterClient)
	return &writer{ctx: ctx, c: c, cluster: cluster, rule: rule, keep: keepTTL, t: t, st: st, seed: maphash.MakeSeed()}
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

// ttlAt is ttlNow at now (Unix ms), for a batch that reads the clock once.
func ttlAt(deadline, now int64) int64 {
	if deadline < 0 {
		return -1
	}
	return max(0, deadline-now)
}

// sendTTL is the TTL a native command carries: -1 none, else at least 1 ms. A key that was
// live when its batch was filtered and runs out before it is encoded is written to expire at
// once, never without a TTL (RESTORE's 0 means none).
func sendTTL(deadline, now int64) int64 {
	if deadline < 0 {
		return -1
	}
	return max(1, deadline-now)
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
	a := anys(w.args)
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
			n, _ := strconv.Atoi(w.args[i+1])
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
		return w.enqueue(queued{key: w.key, deadline: w.deadline, elems: []string{w.args[0]}, dump: true}, len(w.args[0]))
	case w.elems == 0 && w.typ != typeStream && w.typ != typeString:
		w.t.fail(w.key, "an empty "+w.typ+" cannot exist in Redis")
		return nil
	}
	return w.enqueue(queued{key: w.key, typ: w.typ, deadline: w.deadline, elems: w.keepArgs()}, w.winSize+16)
}

// keepArgs returns a copy of w.args for the queue, carved out of a shared chunk rather than
// allocated per key: the chunk is only appended to, and each copy is capped at its length, so
// no copy can grow into another.
func (w *writer) keepArgs() []string {
	n := len(w.args)
	if n > 256 {
		return slices.Clone(w.args)
	}
	if len(w.argChunk)+n > cap(w.argChunk) {
		w.argChunk = make([]string, 0, 4096)
	}
	off := len(w.argChunk)
	w.argChunk = append(w.argChunk, w.args...)
	return w.argChunk[off : off+n : off+n]
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
		w.st.loaded.Store(false)
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
	return w.enqueue(queued{key: key, deadline: w.deadlineOf(pttl), elems: []string{payload}, dump: true}, len(payload))
}

func (w *writer) enqueue(q queued, size int) error {
	q.hash = maphash.String(w.seed, q.key)
	i := int(q.hash % senders)
	p := &w.queues[i]
	if p.items == nil {
		p.items = make([]queued, 0, queueKeys)
	}
	p.items = append(p.items, q)
	p.bytes += size
	if len(p.items) >= queueKeys || p.bytes >= queueBytes {
		return w.flush(i)
	}
	return nil
}

// load loads the scripts on every primary once, so that calls send their SHA1, not their text.
func (w *writer) load() error {
	if w.st.loaded.Load() {
		return nil
	}
	ctx := context.WithoutCancel(w.ctx)
	for _, s := range []*redis.Script{putScript, commitScript, restoreScript} {
		if err := s.Load(ctx, w.c).Err(); err != nil {
			return fmt.Errorf("bulk: SCRIPT LOAD: %w", err)
		}
	}
	w.st.loaded.Store(true)
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

// flush hands sender i's queue to its goroutine, which sends it while the caller goes on
// collecting the next batches (parsing the file, reading the source): at most one batch in
// flight per sender, so one key's writes reach the server in order. It returns the error of
// an earlier batch (a conflict under ConflictFail, a broken connection).
func (w *writer) flush(i int) error {
	if err := w.err(); err != nil {
		return err
	}
	q := &w.queues[i]
	if len(q.items) == 0 {
		return nil
	}
	if w.in[i] == nil {
		w.in[i] = make(chan []queued, 1)
		w.running.Add(1)
		if w.snd[i] == nil {
			w.snd[i] = w.newSender()
		}
		go func(in chan []queued, s *sender) {
			defer w.running.Done()
			for b := range in {
				if err := w.send(b, s); err != nil {
					w.errMu.Lock()
					if w.sendErr == nil {
						w.sendErr = err
					}
					w.errMu.Unlock()
				}
			}
		}(w.in[i], w.snd[i])
	}
	w.in[i] <- q.items
	q.items, q.bytes = nil, 0
	return nil
}

// newSender is a sender's state: its own Pipe on a standalone server when the writer has
// them, else go-redis's pool (a cluster routes each key by its slot). It outlives the
// sender's goroutine, which sync ends (before a big value, at the end): the Pipe's connection
// is kept for the next batches, not dialled again.
func (w *writer) newSender() *sender {
	s := &sender{}
	if w.newPipe != nil && !w.cluster {
		if p, err := w.newPipe(); err == nil {
			s.pipe = p
		}
	}
	return s
}

// close releases the senders' Pipes, once the last batch is answered (after sync).
func (w *writer) close() {
	for i, s := range w.snd {
		if s != nil {
			s.close()
			w.snd[i] = nil
		}
	}
}

func (w *writer) err() error {
	w.errMu.Lock()
	defer w.errMu.Unlock()
	return w.sendErr
}

// sync sends what is queued and waits until every batch is answered and counted.
func (w *writer) sync() error {
	var err error
	for i := range w.queues {
		if e := w.flush(i); e != nil && err == nil {
			err = e
		}
	}
	for i, in := range w.in {
		if in != nil {
			close(in)
			w.in[i] = nil
		}
	}
	w.running.Wait()
	for i := range w.queues { // left by a flush that returned an earlier error
		w.queues[i] = pending{}
	}
	if e := w.err(); e != nil {
		return e
	}
	return err
}

// send sends a batch and counts its outcomes. Strings, small collections (ConflictSkip and
// ConflictFail) and DUMP payloads (same) go as native commands in one pipeline; the rest by
// script, many keys a call, in a second. A call refused with NOSCRIPT (a node that lost its
// scripts: restart, failover) was not run; the scripts are loaded again and it is sent once
// more. Keys that expired while queued are not sent.
func (w *writer) send(batch []queued, s *sender) error {
	ctx := context.WithoutCancel(w.ctx)
	var scripted []queued
	var expired int64
	live := batch[:0] // the batch is the sender's own
	now := time.Now().UnixMilli()
	for _, q := range batch {
		if ttlAt(q.deadline, now) == 0 {
			expired++
			continue
		}
		live = append(live, q)
	}
	if expired > 0 {
		w.t.add(func(r *Report) { r.Expired += expired })
	}
	// Native commands apply the rule and the TTL atomically by themselves, several times
	// cheaper for the server than a script: SET NX (GET tells created from replaced under
	// ConflictReplace), RESTORE without REPLACE (BUSYKEY: the key exists). What the server
	// refuses (a SET … GET on a key of another type, a payload it cannot read) goes by script.
	nat := s.natives(len(live))
	// Strings without a TTL go many at once by MSETNX (one reply for the group: all were
	// created, or none was written and they go again one by one), unless a key comes twice
	// in the batch (a group is sent at its first member's place) or keys may lie in different
	// slots (a cluster).
	group := -1 // nat's open MSETNX group
	grouping := w.rule != ConflictReplace && !w.cluster && s.distinctKeys(live)
	for _, q := range live {
		switch {
		case q.typ == typeString && grouping && q.deadline < 0:
			if group < 0 || len(nat[group].group) >= msetGroup {
				group = len(nat)
				nat = append(nat, native{})
			}
			nat[group].group = append(nat[group].group, q)
		case q.typ == typeString:
			nat = append(nat, native{q: q})
		case w.rule == ConflictReplace:
			scripted = append(scripted, q)
		case q.dump:
			nat = append(nat, native{q: q, payload: q.elems[0]})
		case !w.st.noPayloads.Load():
			if p, ok := typedPayload(q.typ, q.elems); ok {
				nat = append(nat, native{q: q, payload: p, built: true})
				continue
			}
			scripted = append(scripted, q)
		default:
			scripted = append(scripted, q)
		}
	}
	refused, err := w.sendNative(ctx, nat, s)
	if err != nil {
		return err
	}
	scripted = append(scripted, refused...)
	if len(scripted) == 0 {
		return nil
	}
	if err := w.load(); err != nil {
		return err
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
						args = append(args, anys(q.elems)...)
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
		w.st.loaded.Store(false)
		if err := w.load(); err != nil {
			return err
		}
		todo = retry
	}
	return nil
}

// native is one command of sendNative's pipeline: a SET, a RESTORE, or an MSETNX of a group.
type native struct {
	q       queued
	payload string   // RESTORE's; "" for a SET
	built   bool     // a payload built here (not the file's or the source's)
	group   []queued // MSETNX's keys (strings without TTLs)
}

// msetGroup is the most keys one MSETNX carries: a sender's whole batch of strings without a
// TTL (queueKeys), the server's time per key falling with the group's size (0.45 µs at 100,
// 0.36 at 1000 on redis-server 7.0.15, INFO commandstats). A group refused because one of its
// keys exists is sent again key by key, as before.
const msetGroup = 1000

// sendNative sends nat in one pipeline and counts the outcomes; it returns the keys the
// server refused in a way a script can still write (a SET … GET on another type, a payload
// built here that it cannot read). The keys of an MSETNX that wrote nothing (one of them
// exists) are sent again one by one, to count each. With a Pipe (s.pipe) the commands are
// encoded here and their replies read here; without one they go through go-redis.
func (w *writer) sendNative(ctx context.Context, nat []native, s *sender) ([]queued, error) {
	if len(nat) == 0 {
		return nil, nil
	}
	var replies []nativeReply
	var perr error
	if s != nil && s.pipe != nil {
		replies, perr = s.roundTrip(ctx, nat, w.rule)
	} else {
		replies, perr = w.pipelineNative(ctx, nat)
	}
	var created, replaced, lost int64
	var conflict error
	var scripted []queued
	var again []native
	for i, n := range nat {
		rep := replies[i]
		switch {
		case n.group != nil && rep.kind == replyValue && rep.n == 1:
			created += int64(len(n.group))
		case n.group != nil && rep.kind == replyLost:
			lost += int64(len(n.group))
		case n.group != nil: // 0 (one of them exists) or an error: each on its own
			for _, g := range n.group {
				again = append(again, native{q: g})
			}
		case rep.kind == replyValue && n.payload == "" && w.rule == ConflictReplace:
			replaced++
		case rep.kind == replyValue:
			created++
		case rep.kind == replyNil && w.rule == ConflictReplace:
			created++
		case rep.kind == replyNil, rep.kind == replyError && hasErrorPrefix(rep.msg, "BUSYKEY"):
			if e := w.existing(n.q.key); e != nil {
				conflict = e
			}
		case rep.kind == replyLost:
			lost++
		case n.payload == "":
			scripted = append(scripted, n.q)
		case n.built:
			if restoreUnusable(rep.msg) {
				w.st.noPayloads.Store(true)
			}
			scripted = append(scripted, n.q)
		case w.badPayload != nil && restoreUnusable(rep.msg):
			w.badMu.Lock()
			w.badPayload(n.q.key)
			w.badMu.Unlock()
		default:
			w.t.fail(n.q.key, rep.msg)
		}
	}
	w.t.add(func(r *Report) { r.Created += created; r.Replaced += replaced })
	if lost > 0 {
		w.t.add(func(r *Report) { r.Uncertain += lost })
		return nil, fmt.Errorf("bulk: the connection failed mid-batch; %d keys may or may not have been written: %w", lost, perr)
	}
	if conflict != nil {
		return nil, conflict
	}
	more, err := w.sendNative(ctx, again, s)
	return append(scripted, more...), err
}

// hasErrorPrefix is go-redis's redis.HasErrorPrefix on an error reply's message.
func hasErrorPrefix(msg, prefix string) bool {
	return strings.HasPrefix(strings.TrimPrefix(msg, "ERR "), prefix)
}

// pipelineNative sends nat through go-redis (a cluster, or a client without a Pipe) and
// returns one reply per command.
func (w *writer) pipelineNative(ctx context.Context, nat []native) ([]nativeReply, error) {
	cmds := make([]*redis.Cmd, len(nat))
	now := time.Now().UnixMilli()
	_, perr := w.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, n := range nat {
			ttl := sendTTL(n.q.deadline, now)
			switch {
			case n.group != nil:
				args := make([]any, 1, 1+2*len(n.group))
				args[0] = "MSETNX"
				for _, g := range n.group {
					args = append(args, g.key, g.elems[0])
				}
				cmds[i] = p.Do(ctx, args...)
			case n.payload != "":
				cmds[i] = p.Do(ctx, "RESTORE", n.q.key, max(ttl, 0), n.payload)
			default:
				args := []any{"SET", n.q.key, n.q.elems[0]}
				if w.rule == ConflictReplace {
					args = append(args, "GET")
				} else {
					args = append(args, "NX")
				}
				if ttl > 0 {
					args = append(args, "PX", ttl)
				}
				cmds[i] = p.Do(ctx, args...)
			}
		}
		return nil
	})
	replies := make([]nativeReply, len(nat))
	for i := range nat {
		v, err := cmds[i].Result()
		switch {
		case err == nil:
			n, _ := v.(int64)
			replies[i] = nativeReply{kind: replyValue, n: n}
		case errors.Is(err, redis.Nil):
			replies[i] = nativeReply{kind: replyNil}
		case isReplyErr(err):
			replies[i] = nativeReply{kind: replyError, msg: err.Error()}
		default:
			replies[i] = nativeReply{kind: replyLost}
		}
	}
	return replies, perr
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
			w.badMu.Lock()
			w.badPayload(q.key)
			w.badMu.Unlock()
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

// anys boxes strings for go-redis's variadic arguments (only where a command needs them: the
// native path builds its payloads from the strings themselves).
func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
