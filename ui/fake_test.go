package ui

import (
	"context"
	"errors"
	"slices"
	"sort"
	"strconv"
	"sync"
	"time"
)

// fakeStore is an in-memory Store with real SCAN semantics as far as the UI can tell: a cursor,
// COUNT-sized steps over a fixed order, MATCH and TYPE applied per step, 0 at the end. It logs
// every call so tests can prove what was (and was not) asked of Redis.
type fakeStore struct {
	mu      sync.Mutex
	order   []string // SCAN order
	vals    map[string]any
	ttls    map[string]time.Duration
	calls   []string
	scanFn  func(cursor uint64) // optional hook run on each Scan
	err     error               // returned by every call when set
	infoErr error               // returned by INFO when set

	dbs       map[int]*fakeStore // databases for SELECT, shared by every store of one server
	selectErr error              // returned by SelectDB when set
	clientErr error              // returned by CLIENT LIST when set
	slowErr   error              // returned by SLOWLOG GET when set
}

type zmember = ScoredMember

func newFakeStore() *fakeStore {
	return &fakeStore{vals: map[string]any{}, ttls: map[string]time.Duration{}}
}

func (f *fakeStore) set(k string, v any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.vals[k]; !ok {
		f.order = append(f.order, k)
	}
	f.vals[k] = v
}

// addStrings adds n string keys named prefix0…prefix(n-1).
func (f *fakeStore) addStrings(prefix string, n int) {
	for i := 0; i < n; i++ {
		f.set(prefix+strconv.Itoa(i), "v"+strconv.Itoa(i))
	}
}

func (f *fakeStore) log(s string) {
	f.calls = append(f.calls, s)
}

// callsOf returns the logged calls starting with prefix.
func (f *fakeStore) callsOf(prefix string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, c := range f.calls {
		if len(c) >= len(prefix) && c[:len(prefix)] == prefix {
			out = append(out, c)
		}
	}
	return out
}

func typeOf(v any) string {
	switch v.(type) {
	case string:
		return TypeString
	case map[string]string:
		return TypeHash
	case []string:
		return TypeList
	case setVal:
		return TypeSet
	case []zmember:
		return TypeZSet
	case []StreamEntry:
		return TypeStream
	case jsonDoc:
		return TypeJSON
	}
	return TypeNone
}

type setVal []string

// jsonDoc is a RedisJSON document (type ReJSON-RL).
type jsonDoc string

func (f *fakeStore) JSONGet(_ context.Context, k string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.log("JSON.GET " + k)
	d, _ := f.vals[k].(jsonDoc)
	return string(d), f.err
}

func (f *fakeStore) Scan(_ context.Context, cur, match string, count int64, typ string) ([]string, string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if cur == "" {
		cur = "0"
	}
	cursor, err := strconv.ParseUint(cur, 10, 64)
	if err != nil {
		return nil, "", err
	}
	f.log("SCAN " + cur + " " + match + " " + strconv.FormatInt(count, 10) + " " + typ)
	if f.scanFn != nil {
		f.scanFn(cursor)
	}
	if f.err != nil {
		return nil, "", f.err
	}
	end := min(int(cursor)+int(count), len(f.order))
	var out []string
	for _, k := range f.order[cursor:end] {
		if _, ok := f.vals[k]; !ok {
			continue
		}
		if globMatch(match, k) && (typ == "" || typeOf(f.vals[k]) == typ) {
			out = append(out, k)
		}
	}
	if end >= len(f.order) {
		return out, "", nil
	}
	return out, strconv.Itoa(end), nil
}

func (f *fakeStore) DBSize(context.Context) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.log("DBSIZE")
	return int64(len(f.vals)), f.err
}

func (f *fakeStore) Exists(_ context.Context, k string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.log("EXISTS " + k)
	_, ok := f.vals[k]
	return ok, f.err
}

func (f *fakeStore) Meta(_ context.Context, keys []string) ([]KeyMeta, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.log("META " + strconv.Itoa(len(keys)))
	if f.err != nil {
		return nil, f.err
	}
	out := make([]KeyMeta, len(keys))
	for i, k := range keys {
		v, ok := f.vals[k]
		if !ok {
			out[i] = KeyMeta{Type: TypeNone, TTL: -2, Memory: -1}
			continue
		}
		t, has := f.ttls[k]
		if !has {
			t = -1
		}
		out[i] = KeyMeta{Type: typeOf(v), TTL: t, Memory: int64(48 + len(k))}
		if d, ok := v.(jsonDoc); ok {
			out[i].Memory = int64(len(d))
		}
	}
	return out, nil
}

func (f *fakeStore) get(k string) any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.vals[k]
}

func (f *fakeStore) StrLen(_ context.Context, k string) (int64, error) {
	f.mu.Lock()
	f.log("STRLEN " + k)
	f.mu.Unlock()
	s, _ := f.get(k).(string)
	return int64(len(s)), nil
}

func (f *fakeStore) GetRange(_ context.Context, k string, start, end int64) (string, error) {
	f.mu.Lock()
	f.log("GETRANGE " + k + " " + strconv.FormatInt(start, 10) + " " + strconv.FormatInt(end, 10))
	f.mu.Unlock()
	s, _ := f.get(k).(string)
	if start >= int64(len(s)) {
		return "", nil
	}
	return s[start:min(int64(len(s)), end+1)], nil
}

func (f *fakeStore) HLen(_ context.Context, k string) (int64, error) {
	f.mu.Lock()
	f.log("HLEN " + k)
	f.mu.Unlock()
	h, _ := f.get(k).(map[string]string)
	return int64(len(h)), nil
}

func (f *fakeStore) HScan(_ context.Context, k string, cursor uint64, count int64) ([]string, uint64, error) {
	f.mu.Lock()
	f.log("HSCAN " + k + " " + strconv.FormatUint(cursor, 10) + " " + strconv.FormatInt(count, 10))
	f.mu.Unlock()
	h, _ := f.get(k).(map[string]string)
	names := make([]string, 0, len(h))
	for n := range h {
		names = append(names, n)
	}
	sort.Strings(names)
	end := min(int(cursor)+int(count), len(names))
	var out []string
	for _, n := range names[cursor:end] {
		out = append(out, n, h[n])
	}
	if end >= len(names) {
		return out, 0, nil
	}
	return out, uint64(end), nil
}

func (f *fakeStore) LLen(_ context.Context, k string) (int64, error) {
	f.mu.Lock()
	f.log("LLEN " + k)
	f.mu.Unlock()
	l, _ := f.get(k).([]string)
	return int64(len(l)), nil
}

func (f *fakeStore) LRange(_ context.Context, k string, start, stop int64) ([]string, error) {
	f.mu.Lock()
	f.log("LRANGE " + k + " " + strconv.FormatInt(start, 10) + " " + strconv.FormatInt(stop, 10))
	f.mu.Unlock()
	l, _ := f.get(k).([]string)
	if start < 0 || stop < 0 {
		return nil, errors.New("fake: negative LRANGE bounds are not used by the UI")
	}
	if start >= int64(len(l)) {
		return nil, nil
	}
	return slices.Clone(l[start:min(int64(len(l)), stop+1)]), nil
}

func (f *fakeStore) SCard(_ context.Context, k string) (int64, error) {
	f.mu.Lock()
	f.log("SCARD " + k)
	f.mu.Unlock()
	s, _ := f.get(k).(setVal)
	return int64(len(s)), nil
}

func (f *fakeStore) SScan(_ context.Context, k string, cursor uint64, count int64) ([]string, uint64, error) {
	f.mu.Lock()
	f.log("SSCAN " + k + " " + strconv.FormatUint(cursor, 10) + " " + strconv.FormatInt(count, 10))
	f.mu.Unlock()
	s, _ := f.get(k).(setVal)
	end := min(int(cursor)+int(count), len(s))
	out := slices.Clone([]string(s[cursor:end]))
	if end >= len(s) {
		return out, 0, nil
	}
	return out, uint64(end), nil
}

func (f *fakeStore) ZCard(_ context.Context, k string) (int64, error) {
	f.mu.Lock()
	f.log("ZCARD " + k)
	f.mu.Unlock()
	z, _ := f.get(k).([]zmember)
	return int64(len(z)), nil
}

func (f *fakeStore) ZRangeWithScores(_ context.Context, k string, start, stop int64) ([]ScoredMember, error) {
	f.mu.Lock()
	f.log("ZRANGE " + k + " " + strconv.FormatInt(start, 10) + " " + strconv.FormatInt(stop, 10) + " WITHSCORES")
	f.mu.Unlock()
	z, _ := f.get(k).([]zmember)
	if start >= int64(len(z)) {
		return nil, nil
	}
	return slices.Clone(z[start:min(int64(len(z)), stop+1)]), nil
}

func (f *fakeStore) XLen(_ context.Context, k string) (int64, error) {
	f.mu.Lock()
	f.log("XLEN " + k)
	f.mu.Unlock()
	x, _ := f.get(k).([]StreamEntry)
	return int64(len(x)), nil
}

func (f *fakeStore) XRange(_ context.Context, k, start, end string, count int64) ([]StreamEntry, error) {
	f.mu.Lock()
	f.log("XRANGE " + k + " " + start + " " + end + " " + strconv.FormatInt(count, 10))
	f.mu.Unlock()
	x, _ := f.get(k).([]StreamEntry)
	i := 0
	if start != "-" {
		after := start[1:]
		for i < len(x) && x[i].ID != after {
			i++
		}
		i++
	}
	var out []StreamEntry
	for ; i < len(x) && int64(len(out)) < count; i++ {
		out = append(out, x[i])
	}
	return out, nil
}

func (f *fakeStore) Del(_ context.Context, k string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.log("DEL " + k)
	if f.err != nil {
		return f.err
	}
	delete(f.vals, k)
	return nil
}

func (f *fakeStore) Rename(_ context.Context, k, nk string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.log("RENAME " + k + " " + nk)
	if f.err != nil {
		return f.err
	}
	v, ok := f.vals[k]
	if !ok {
		return errors.New("ERR no such key")
	}
	delete(f.vals, k)
	if _, ok := f.vals[nk]; !ok {
		f.order = append(f.order, nk)
	}
	f.vals[nk] = v
	return nil
}

func (f *fakeStore) Expire(_ context.Context, k string, d time.Duration) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.log("EXPIRE " + k + " " + d.String())
	if f.err != nil {
		return f.err
	}
	f.ttls[k] = d
	return nil
}

func (f *fakeStore) Persist(_ context.Context, k string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.log("PERSIST " + k)
	delete(f.ttls, k)
	return f.err
}

// globMatch implements Redis glob matching (*, ?, [abc], [^a-z], \x) as stringmatchlen does.
func globMatch(p, s string) bool {
	for len(p) > 0 {
		switch p[0] {
		case '*':
			for len(p) > 1 && p[1] == '*' {
				p = p[1:]
			}
			if len(p) == 1 {
				return true
			}
			for i := 0; i <= len(s); i++ {
				if globMatch(p[1:], s[i:]) {
					return true
				}
			}
			return false
		case '?':
			if len(s) == 0 {
				return false
			}
			s = s[1:]
			p = p[1:]
			continue
		case '[':
			if len(s) == 0 {
				return false
			}
			p = p[1:]
			not := len(p) > 0 && p[0] == '^'
			if not {
				p = p[1:]
			}
			match := false
			for len(p) > 0 && p[0] != ']' {
				switch {
				case p[0] == '\\' && len(p) >= 2:
					p = p[1:]
					if p[0] == s[0] {
						match = true
					}
				case len(p) >= 3 && p[1] == '-':
					if p[0] <= s[0] && s[0] <= p[2] {
						match = true
					}
					p = p[2:]
				default:
					if p[0] == s[0] {
						match = true
					}
				}
				p = p[1:]
			}
			if len(p) > 0 {
				p = p[1:]
			}
			if match == not {
				return false
			}
			s = s[1:]
			continue
		case '\\':
			if len(p) >= 2 {
				p = p[1:]
			}
		}
		if len(s) == 0 || p[0] != s[0] {
			return false
		}
		p, s = p[1:], s[1:]
	}
	return len(s) == 0
}

// fakeSession is a Session whose snapshot and updates the test controls.
type fakeSession struct {
	st SessionState
	ch chan SessionUpdate
}

func newFakeSession(st SessionState) *fakeSession {
	return &fakeSession{st: st, ch: make(chan SessionUpdate, 8)}
}

func (s *fakeSession) State() SessionState           { return s.st }
func (s *fakeSession) Updates() <-chan SessionUpdate { return s.ch }

func (f *fakeStore) SetNX(_ context.Context, k, v string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.log("SETNX " + k)
	if f.err != nil {
		return false, f.err
	}
	if _, ok := f.vals[k]; ok {
		return false, nil
	}
	f.order = append(f.order, k)
	f.vals[k] = v
	return true, nil
}

func (f *fakeStore) SetKeepTTL(_ context.Context, k, v string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.log("SET " + k + " KEEPTTL")
	if f.err != nil {
		return f.err
	}
	f.vals[k] = v
	return nil
}

func (f *fakeStore) HSet(_ context.Context, k, field, v string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.log("HSET " + k + " " + field + " " + v)
	h, ok := f.vals[k].(map[string]string)
	if !ok {
		h = map[string]string{}
		f.order = append(f.order, k)
		f.vals[k] = h
	}
	h[field] = v
	return f.err
}

func (f *fakeStore) HDel(_ context.Context, k, field string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.log("HDEL " + k + " " + field)
	if h, ok := f.vals[k].(map[string]string); ok {
		delete(h, field)
	}
	return f.err
}

func (f *fakeStore) LSet(_ context.Context, k string, i int64, v string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.log("LSET " + k + " " + strconv.FormatInt(i, 10) + " " + v)
	l, _ := f.vals[k].([]string)
	if i < 0 || i >= int64(len(l)) {
		return errors.New("ERR index out of range")
	}
	l[i] = v
	return f.err
}

func (f *fakeStore) SAdd(_ context.Context, k, m string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.log("SADD " + k + " " + m)
	s, _ := f.vals[k].(setVal)
	if !slices.Contains(s, m) {
		f.vals[k] = append(s, m)
	}
	return f.err
}

func (f *fakeStore) SRem(_ context.Context, k, m string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.log("SREM " + k + " " + m)
	s, _ := f.vals[k].(setVal)
	f.vals[k] = slices.DeleteFunc(slices.Clone(s), func(x string) bool { return x == m })
	return f.err
}

func (f *fakeStore) ZAdd(_ context.Context, k, m string, score float64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.log("ZADD " + k + " " + strconv.FormatFloat(score, 'g', -1, 64) + " " + m)
	z, _ := f.vals[k].([]zmember)
	z = slices.DeleteFunc(slices.Clone(z), func(x zmember) bool { return x.Member == m })
	z = append(z, zmember{Member: m, Score: score})
	sort.SliceStable(z, func(i, j int) bool { return z[i].Score < z[j].Score })
	f.vals[k] = z
	return f.err
}

func (f *fakeStore) ZRem(_ context.Context, k, m string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.log("ZREM " + k + " " + m)
	z, _ := f.vals[k].([]zmember)
	f.vals[k] = slices.DeleteFunc(slices.Clone(z), func(x zmember) bool { return x.Member == m })
	return f.err
}

// Info answers INFO with a fixed text (denied when infoErr is set).
func (f *fakeStore) Info(_ context.Context, section string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.log("INFO " + section)
	if f.infoErr != nil {
		return "", f.infoErr
	}
	return "# Server\r\nredis_version:7.4.0\r\nuptime_in_seconds:3600\r\n\r\n# Memory\r\nused_memory_human:1.50M\r\n\r\n# Keyspace\r\ndb0:keys=" + strconv.Itoa(len(f.vals)) + ",expires=0\r\n", nil
}
