package emulator

import (
	"hash/maphash"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/alicebob/miniredis/v2"
	"github.com/alicebob/miniredis/v2/server"
)

// scanner answers SCAN for the embedded backend page by page. miniredis itself ignores COUNT
// and returns every key in one reply, which at a million keys is a gigabyte-sized reply that
// clients time out on, and which no real Redis ever sends.
//
// The cursor is a position in hash order: every key has a fixed 63-bit hash (never 0), a page
// holds the keys whose hashes come next from the cursor on, and the next cursor is the last
// page hash plus one (0 when the walk is over). Because a key's position depends on the key
// alone, inserts and deletes never move other keys, so the guarantee is Redis's own:
//   - a key present from the first SCAN of a walk to its last is returned exactly once;
//   - a key added or removed during the walk may or may not be returned;
//   - a page examines at most COUNT keys (10 by default), so it returns at most COUNT keys,
//     fewer when MATCH or TYPE filter some out, possibly none before the walk ends.
//
// To find the next page cheaply the scanner keeps a per-database snapshot of the key names
// sorted by hash. The snapshot is rebuilt at the start of a walk (cursor 0) when any command
// that may write has run since it was built, so building costs O(n log n) once per walk rather
// than per page; keys deleted since are skipped when a page is built, and keys added since belong
// to walks that start later.
type scanner struct {
	m    *miniredis.Miniredis
	seed maphash.Seed

	mu       sync.Mutex
	writes   uint64 // commands seen that may have changed some keyspace
	snaps    map[int]*scanSnapshot
	sessions map[*server.Peer]*peerState
}

// scanSnapshot is one database's key names in hash order, as of writes == built.
type scanSnapshot struct {
	built  uint64
	hashes []uint64
	keys   []string
}

// peerState follows what miniredis keeps private per connection: its database and whether it
// is inside MULTI (a SCAN there is left to miniredis so that it is queued like any command).
type peerState struct {
	db, pendingDB int
	multi         bool
}

// scanDefaultCount is Redis's default COUNT.
const scanDefaultCount = 10

// readOnlyCommands never change any key; every other command marks the snapshots stale.
var readOnlyCommands = map[string]bool{
	"SCAN": true, "GET": true, "MGET": true, "TYPE": true, "TTL": true, "PTTL": true, "EXPIRETIME": true,
	"PEXPIRETIME": true, "EXISTS": true, "DBSIZE": true, "INFO": true, "PING": true, "ECHO": true,
	"HSCAN": true, "SSCAN": true, "ZSCAN": true, "HGET": true, "HMGET": true, "HGETALL": true,
	"HLEN": true, "HEXISTS": true, "HKEYS": true, "HVALS": true, "HSTRLEN": true, "LRANGE": true,
	"LLEN": true, "LINDEX": true, "SCARD": true, "SMEMBERS": true, "SISMEMBER": true,
	"SMISMEMBER": true, "ZRANGE": true, "ZRANGEBYSCORE": true, "ZREVRANGE": true, "ZCARD": true,
	"ZSCORE": true, "ZRANK": true, "ZCOUNT": true, "XRANGE": true, "XREVRANGE": true, "XLEN": true,
	"XINFO": true, "STRLEN": true, "GETRANGE": true, "CLIENT": true, "SELECT": true, "AUTH": true,
	"HELLO": true, "MEMORY": true, "OBJECT": true, "COMMAND": true, "SLOWLOG": true, "MULTI": true,
	"DISCARD": true, "WATCH": true, "UNWATCH": true, "QUIT": true, "TIME": true, "LASTSAVE": true,
	"SUBSCRIBE": true, "PSUBSCRIBE": true, "UNSUBSCRIBE": true, "PUNSUBSCRIBE": true, "PUBLISH": true,
	"RANDOMKEY": true, "KEYS": true, "DUMP": true, "PFCOUNT": true, "GEOPOS": true, "GEODIST": true,
	"GEOSEARCH": true, "GEORADIUS_RO": true, "BITCOUNT": true, "GETBIT": true, "JSON.GET": true,
}

func newScanner(m *miniredis.Miniredis) *scanner {
	return &scanner{m: m, seed: maphash.MakeSeed(), snaps: map[int]*scanSnapshot{},
		sessions: map[*server.Peer]*peerState{}}
}

// hash is the key's fixed position in the walk: 63 bits so that clients parsing the cursor as a
// signed integer cope, and never 0, which means "start" and "done".
func (s *scanner) hash(k string) uint64 {
	h := maphash.String(s.seed, k) >> 1
	if h == 0 {
		h = 1
	}
	return h
}

// track follows the connection's database and transaction state and counts possible writes.
// It is called for every command, before handle.
func (s *scanner) track(c *server.Peer, cmd string, args []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !readOnlyCommands[cmd] {
		s.writes++
	}
	ps := s.sessions[c]
	if ps == nil {
		ps = &peerState{}
		s.sessions[c] = ps
		c.OnDisconnect(func() {
			s.mu.Lock()
			delete(s.sessions, c)
			s.mu.Unlock()
		})
	}
	switch cmd {
	case "MULTI":
		ps.multi, ps.pendingDB = true, -1
	case "DISCARD":
		ps.multi = false
	case "EXEC":
		if ps.multi && ps.pendingDB >= 0 {
			ps.db = ps.pendingDB
		}
		ps.multi = false
	case "SELECT":
		if len(args) == 1 {
			if n, err := strconv.Atoi(args[0]); err == nil && n >= 0 && n < 16 {
				if ps.multi {
					ps.pendingDB = n
				} else {
					ps.db = n
				}
			}
		}
	}
}

// handle answers a SCAN outside MULTI; it reports whether it did.
func (s *scanner) handle(c *server.Peer, cmd string, args []string) bool {
	if cmd != "SCAN" {
		return false
	}
	s.mu.Lock()
	ps := s.sessions[c]
	if ps == nil || ps.multi {
		s.mu.Unlock()
		return false
	}
	db := ps.db
	s.mu.Unlock()
	opts, errMsg := parseScanArgs(args)
	if errMsg != "" {
		c.WriteError(errMsg)
		return true
	}
	next, keys := s.page(db, opts)
	c.WriteLen(2)
	c.WriteBulk(strconv.FormatUint(next, 10))
	c.WriteLen(len(keys))
	for _, k := range keys {
		c.WriteBulk(k)
	}
	return true
}

type scanArgs struct {
	cursor  uint64
	count   int
	match   string
	typ     string
	byMatch bool
}

// parseScanArgs reads SCAN cursor [MATCH pattern] [COUNT n] [TYPE t] with Redis's errors.
func parseScanArgs(args []string) (scanArgs, string) {
	const syntaxErr = "ERR syntax error"
	if len(args) == 0 {
		return scanArgs{}, "ERR wrong number of arguments for 'scan' command"
	}
	cur, err := strconv.ParseUint(args[0], 10, 64)
	if err != nil {
		return scanArgs{}, "ERR invalid cursor"
	}
	o := scanArgs{cursor: cur, count: scanDefaultCount}
	for rest := args[1:]; len(rest) > 0; rest = rest[2:] {
		if len(rest) < 2 {
			return scanArgs{}, syntaxErr
		}
		switch strings.ToUpper(rest[0]) {
		case "MATCH":
			o.match, o.byMatch = rest[1], true
		case "COUNT":
			n, err := strconv.Atoi(rest[1])
			if err != nil {
				return scanArgs{}, "ERR value is not an integer or out of range"
			}
			if n < 1 {
				return scanArgs{}, syntaxErr
			}
			o.count = n
		case "TYPE":
			o.typ = strings.ToLower(rest[1])
		default:
			return scanArgs{}, syntaxErr
		}
	}
	return o, ""
}

// page examines up to opts.count keys from the cursor on and returns the next cursor and the
// ones that still exist and pass MATCH and TYPE.
func (s *scanner) page(db int, opts scanArgs) (uint64, []string) {
	snap := s.snapshot(db, opts.cursor == 0)
	start := opts.cursor
	if start == 0 {
		start = 1
	}
	i, _ := slices.BinarySearch(snap.hashes, start)
	end := min(i+opts.count, len(snap.hashes))
	// Keys sharing the last hash stay on one page, so no cursor ever falls between them.
	for end < len(snap.hashes) && end > i && snap.hashes[end] == snap.hashes[end-1] {
		end++
	}
	var next uint64
	if end < len(snap.hashes) {
		next = snap.hashes[end-1] + 1
	}
	rdb := s.m.DB(db)
	keys := make([]string, 0, end-i)
	for _, k := range snap.keys[i:end] {
		if opts.byMatch && !globMatch(opts.match, k) {
			continue
		}
		t := rdb.Type(k)
		if t == "" || (opts.typ != "" && t != opts.typ) {
			continue
		}
		keys = append(keys, k)
	}
	return next, keys
}

// snapshot returns db's snapshot, rebuilt first when a walk starts and keys may have changed.
func (s *scanner) snapshot(db int, walkStarts bool) *scanSnapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	snap := s.snaps[db]
	if snap != nil && (!walkStarts || snap.built == s.writes) {
		return snap
	}
	built := s.writes
	names := s.m.DB(db).Keys()
	order := make([]int32, len(names))
	hashes := make([]uint64, len(names))
	for i, k := range names {
		order[i], hashes[i] = int32(i), s.hash(k)
	}
	slices.SortFunc(order, func(a, b int32) int {
		if hashes[a] != hashes[b] {
			if hashes[a] < hashes[b] {
				return -1
			}
			return 1
		}
		return strings.Compare(names[a], names[b])
	})
	snap = &scanSnapshot{built: built, hashes: make([]uint64, len(names)), keys: make([]string, len(names))}
	for j, i := range order {
		snap.hashes[j], snap.keys[j] = hashes[i], names[i]
	}
	s.snaps[db] = snap
	return snap
}

// globMatch reports whether s matches Redis's glob pattern: * ? [abc] [^a] [a-z] and \x.
func globMatch(pattern, s string) bool {
	for len(pattern) > 0 {
		switch pattern[0] {
		case '*':
			for len(pattern) > 1 && pattern[1] == '*' {
				pattern = pattern[1:]
			}
			if len(pattern) == 1 {
				return true
			}
			for i := 0; i <= len(s); i++ {
				if globMatch(pattern[1:], s[i:]) {
					return true
				}
			}
			return false
		case '?':
			if len(s) == 0 {
				return false
			}
			s = s[1:]
			pattern = pattern[1:]
		case '[':
			if len(s) == 0 {
				return false
			}
			rest, ok := matchClass(pattern[1:], s[0])
			if !ok {
				return false
			}
			pattern, s = rest, s[1:]
		case '\\':
			if len(pattern) >= 2 {
				pattern = pattern[1:]
			}
			fallthrough
		default:
			if len(s) == 0 || s[0] != pattern[0] {
				return false
			}
			s, pattern = s[1:], pattern[1:]
		}
	}
	return len(s) == 0
}

// matchClass matches c against the class that starts after '[' and returns the pattern after
// its ']' (an unterminated class runs to the end of the pattern, as in Redis).
func matchClass(p string, c byte) (string, bool) {
	negate := len(p) > 0 && p[0] == '^'
	if negate {
		p = p[1:]
	}
	matched := false
	for len(p) > 0 && p[0] != ']' {
		switch {
		case p[0] == '\\' && len(p) >= 2:
			matched = matched || p[1] == c
			p = p[2:]
		case len(p) >= 3 && p[1] == '-' && p[2] != ']':
			lo, hi := p[0], p[2]
			if lo > hi {
				lo, hi = hi, lo
			}
			matched = matched || (c >= lo && c <= hi)
			p = p[3:]
		default:
			matched = matched || p[0] == c
			p = p[1:]
		}
	}
	if len(p) > 0 {
		p = p[1:] // the ']'
	}
	return p, matched != negate
}
