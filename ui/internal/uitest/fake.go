package uitest

import (
	"github.com/amr-tui/amr-tui/ui/common"

	"context"
	"errors"
	"slices"
	"sort"
	"strconv"
	"sync"
	"time"
)

// FakeStore is an in-memory Store with real SCAN semantics as far as the UI can tell: a cursor,
// COUNT-sized steps over a fixed order, MATCH and TYPE applied per step, 0 at the end. It logs
// every call so tests can prove what was (and was not) asked of Redis.
type FakeStore struct {
	Mu      sync.Mutex
	order   []string // SCAN order
	Vals    map[string]any
	Ttls    map[string]time.Duration
	Calls   []string
	ScanFn  func(cursor uint64) // optional hook run on each Scan
	Err     error               // returned by every call when set
	InfoErr error               // returned by INFO when set

	dbs       map[int]*FakeStore // databases for SELECT, shared by every store of one server
	SelectErr error              // returned by SelectDB when set
	ClientErr error              // returned by CLIENT LIST when set
	SlowErr   error              // returned by SLOWLOG GET when set
}

type Zmember = common.ScoredMember

func NewFakeStore() *FakeStore {
	return &FakeStore{Vals: map[string]any{}, Ttls: map[string]time.Duration{}}
}

func (f *FakeStore) Set(k string, v any) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	if _, ok := f.Vals[k]; !ok {
		f.order = append(f.order, k)
	}
	f.Vals[k] = v
}

// AddStrings adds n string keys named prefix0…prefix(n-1).
func (f *FakeStore) AddStrings(prefix string, n int) {
	for i := 0; i < n; i++ {
		f.Set(prefix+strconv.Itoa(i), "v"+strconv.Itoa(i))
	}
}

func (f *FakeStore) log(s string) {
	f.Calls = append(f.Calls, s)
}

// CallsOf returns the logged calls starting with prefix.
func (f *FakeStore) CallsOf(prefix string) []string {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	var out []string
	for _, c := range f.Calls {
		if len(c) >= len(prefix) && c[:len(prefix)] == prefix {
			out = append(out, c)
		}
	}
	return out
}

func typeOf(v any) string {
	switch v.(type) {
	case string:
		return common.TypeString
	case map[string]string:
		return common.TypeHash
	case []string:
		return common.TypeList
	case SetVal:
		return common.TypeSet
	case []Zmember:
		return common.TypeZSet
	case []common.StreamEntry:
		return common.TypeStream
	case JSONDoc:
		return common.TypeJSON
	}
	return common.TypeNone
}

type SetVal []string

// JSONDoc is a RedisJSON document (type ReJSON-RL).
type JSONDoc string

func (f *FakeStore) JSONGet(_ context.Context, k string) (string, error) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.log("JSON.GET " + k)
	d, _ := f.Vals[k].(JSONDoc)
	return string(d), f.Err
}

func (f *FakeStore) Scan(_ context.Context, cur, match string, count int64, typ string) ([]string, string, error) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	if cur == "" {
		cur = "0"
	}
	cursor, err := strconv.ParseUint(cur, 10, 64)
	if err != nil {
		return nil, "", err
	}
	f.log("SCAN " + cur + " " + match + " " + strconv.FormatInt(count, 10) + " " + typ)
	if f.ScanFn != nil {
		f.ScanFn(cursor)
	}
	if f.Err != nil {
		return nil, "", f.Err
	}
	end := min(int(cursor)+int(count), len(f.order))
	var out []string
	for _, k := range f.order[cursor:end] {
		if _, ok := f.Vals[k]; !ok {
			continue
		}
		if globMatch(match, k) && (typ == "" || typeOf(f.Vals[k]) == typ) {
			out = append(out, k)
		}
	}
	if end >= len(f.order) {
		return out, "", nil
	}
	return out, strconv.Itoa(end), nil
}

func (f *FakeStore) DBSize(context.Context) (int64, error) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.log("DBSIZE")
	return int64(len(f.Vals)), f.Err
}

func (f *FakeStore) Exists(_ context.Context, k string) (bool, error) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.log("EXISTS " + k)
	_, ok := f.Vals[k]
	return ok, f.Err
}

func (f *FakeStore) Meta(_ context.Context, keys []string) ([]common.KeyMeta, error) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.log("META " + strconv.Itoa(len(keys)))
	if f.Err != nil {
		return nil, f.Err
	}
	out := make([]common.KeyMeta, len(keys))
	for i, k := range keys {
		v, ok := f.Vals[k]
		if !ok {
			out[i] = common.KeyMeta{Type: common.TypeNone, TTL: -2, Memory: -1}
			continue
		}
		t, has := f.Ttls[k]
		if !has {
			t = -1
		}
		out[i] = common.KeyMeta{Type: typeOf(v), TTL: t, Memory: int64(48 + len(k))}
		if d, ok := v.(JSONDoc); ok {
			out[i].Memory = int64(len(d))
		}
	}
	return out, nil
}

func (f *FakeStore) Get(k string) any {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	return f.Vals[k]
}

func (f *FakeStore) StrLen(_ context.Context, k string) (int64, error) {
	f.Mu.Lock()
	f.log("STRLEN " + k)
	f.Mu.Unlock()
	s, _ := f.Get(k).(string)
	return int64(len(s)), nil
}

func (f *FakeStore) GetRange(_ context.Context, k string, start, end int64) (string, error) {
	f.Mu.Lock()
	f.log("GETRANGE " + k + " " + strconv.FormatInt(start, 10) + " " + strconv.FormatInt(end, 10))
	f.Mu.Unlock()
	s, _ := f.Get(k).(string)
	if start >= int64(len(s)) {
		return "", nil
	}
	return s[start:min(int64(len(s)), end+1)], nil
}

func (f *FakeStore) HLen(_ context.Context, k string) (int64, error) {
	f.Mu.Lock()
	f.log("HLEN " + k)
	f.Mu.Unlock()
	h, _ := f.Get(k).(map[string]string)
	return int64(len(h)), nil
}

func (f *FakeStore) HScan(_ context.Context, k string, cursor uint64, count int64) ([]string, uint64, error) {
	f.Mu.Lock()
	f.log("HSCAN " + k + " " + strconv.FormatUint(cursor, 10) + " " + strconv.FormatInt(count, 10))
	f.Mu.Unlock()
	h, _ := f.Get(k).(map[string]string)
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

func (f *FakeStore) LLen(_ context.Context, k string) (int64, error) {
	f.Mu.Lock()
	f.log("LLEN " + k)
	f.Mu.Unlock()
	l, _ := f.Get(k).([]string)
	return int64(len(l)), nil
}

func (f *FakeStore) LRange(_ context.Context, k string, start, stop int64) ([]string, error) {
	f.Mu.Lock()
	f.log("LRANGE " + k + " " + strconv.FormatInt(start, 10) + " " + strconv.FormatInt(stop, 10))
	f.Mu.Unlock()
	l, _ := f.Get(k).([]string)
	if start < 0 || stop < 0 {
		return nil, errors.New("fake: negative LRANGE bounds are not used by the UI")
	}
	if start >= int64(len(l)) {
		return nil, nil
	}
	return slices.Clone(l[start:min(int64(len(l)), stop+1)]), nil
}

func (f *FakeStore) SCard(_ context.Context, k string) (int64, error) {
	f.Mu.Lock()
	f.log("SCARD " + k)
	f.Mu.Unlock()
	s, _ := f.Get(k).(SetVal)
	return int64(len(s)), nil
}

func (f *FakeStore) SScan(_ context.Context, k string, cursor uint64, count int64) ([]string, uint64, error) {
	f.Mu.Lock()
	f.log("SSCAN " + k + " " + strconv.FormatUint(cursor, 10) + " " + strconv.FormatInt(count, 10))
	f.Mu.Unlock()
	s, _ := f.Get(k).(SetVal)
	end := min(int(cursor)+int(count), len(s))
	out := slices.Clone([]string(s[cursor:end]))
	if end >= len(s) {
		return out, 0, nil
	}
	return out, uint64(end), nil
}

func (f *FakeStore) ZCard(_ context.Context, k string) (int64, error) {
	f.Mu.Lock()
	f.log("ZCARD " + k)
	f.Mu.Unlock()
	z, _ := f.Get(k).([]Zmember)
	return int64(len(z)), nil
}

func (f *FakeStore) ZRangeWithScores(_ context.Context, k string, start, stop int64) ([]common.ScoredMember, error) {
	f.Mu.Lock()
	f.log("ZRANGE " + k + " " + strconv.FormatInt(start, 10) + " " + strconv.FormatInt(stop, 10) + " WITHSCORES")
	f.Mu.Unlock()
	z, _ := f.Get(k).([]Zmember)
	if start >= int64(len(z)) {
		return nil, nil
	}
	return slices.Clone(z[start:min(int64(len(z)), stop+1)]), nil
}

func (f *FakeStore) XLen(_ context.Context, k string) (int64, error) {
	f.Mu.Lock()
	f.log("XLEN " + k)
	f.Mu.Unlock()
	x, _ := f.Get(k).([]common.StreamEntry)
	return int64(len(x)), nil
}

func (f *FakeStore) XRange(_ context.Context, k, start, end string, count int64) ([]common.StreamEntry, error) {
	f.Mu.Lock()
	f.log("XRANGE " + k + " " + start + " " + end + " " + strconv.FormatInt(count, 10))
	f.Mu.Unlock()
	x, _ := f.Get(k).([]common.StreamEntry)
	i := 0
	if start != "-" {
		after := start[1:]
		for i < len(x) && x[i].ID != after {
			i++
		}
		i++
	}
	var out []common.StreamEntry
	for ; i < len(x) && int64(len(out)) < count; i++ {
		out = append(out, x[i])
	}
	return out, nil
}

func (f *FakeStore) Del(_ context.Context, k string) error {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.log("DEL " + k)
	if f.Err != nil {
		return f.Err
	}
	delete(f.Vals, k)
	return nil
}

func (f *FakeStore) Rename(_ context.Context, k, nk string) error {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.log("RENAME " + k + " " + nk)
	if f.Err != nil {
		return f.Err
	}
	v, ok := f.Vals[k]
	if !ok {
		return errors.New("ERR no such key")
	}
	delete(f.Vals, k)
	if _, ok := f.Vals[nk]; !ok {
		f.order = append(f.order, nk)
	}
	f.Vals[nk] = v
	return nil
}

func (f *FakeStore) Expire(_ context.Context, k string, d time.Duration) error {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.log("EXPIRE " + k + " " + d.String())
	if f.Err != nil {
		return f.Err
	}
	f.Ttls[k] = d
	return nil
}

func (f *FakeStore) Persist(_ context.Context, k string) error {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.log("PERSIST " + k)
	delete(f.Ttls, k)
	return f.Err
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

// FakeSession is a Session whose snapshot and updates the test controls.
type FakeSession struct {
	St common.SessionState
	Ch chan common.SessionUpdate
}

func NewFakeSession(st common.SessionState) *FakeSession {
	return &FakeSession{St: st, Ch: make(chan common.SessionUpdate, 8)}
}

func (s *FakeSession) State() common.SessionState { return s.St }

func (s *FakeSession) Updates() <-chan common.SessionUpdate { return s.Ch }

func (f *FakeStore) SetNX(_ context.Context, k, v string) (bool, error) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.log("SETNX " + k)
	if f.Err != nil {
		return false, f.Err
	}
	if _, ok := f.Vals[k]; ok {
		return false, nil
	}
	f.order = append(f.order, k)
	f.Vals[k] = v
	return true, nil
}

func (f *FakeStore) SetKeepTTL(_ context.Context, k, v string) error {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.log("SET " + k + " KEEPTTL")
	if f.Err != nil {
		return f.Err
	}
	f.Vals[k] = v
	return nil
}

func (f *FakeStore) HSet(_ context.Context, k, field, v string) error {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.log("HSET " + k + " " + field + " " + v)
	h, ok := f.Vals[k].(map[string]string)
	if !ok {
		h = map[string]string{}
		f.order = append(f.order, k)
		f.Vals[k] = h
	}
	h[field] = v
	return f.Err
}

func (f *FakeStore) HDel(_ context.Context, k, field string) error {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.log("HDEL " + k + " " + field)
	if h, ok := f.Vals[k].(map[string]string); ok {
		delete(h, field)
	}
	return f.Err
}

func (f *FakeStore) LSet(_ context.Context, k string, i int64, v string) error {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.log("LSET " + k + " " + strconv.FormatInt(i, 10) + " " + v)
	l, _ := f.Vals[k].([]string)
	if i < 0 || i >= int64(len(l)) {
		return errors.New("ERR index out of range")
	}
	l[i] = v
	return f.Err
}

func (f *FakeStore) SAdd(_ context.Context, k, m string) error {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.log("SADD " + k + " " + m)
	s, _ := f.Vals[k].(SetVal)
	if !slices.Contains(s, m) {
		f.Vals[k] = append(s, m)
	}
	return f.Err
}

func (f *FakeStore) SRem(_ context.Context, k, m string) error {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.log("SREM " + k + " " + m)
	s, _ := f.Vals[k].(SetVal)
	f.Vals[k] = slices.DeleteFunc(slices.Clone(s), func(x string) bool { return x == m })
	return f.Err
}

func (f *FakeStore) ZAdd(_ context.Context, k, m string, score float64) error {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.log("ZADD " + k + " " + strconv.FormatFloat(score, 'g', -1, 64) + " " + m)
	z, _ := f.Vals[k].([]Zmember)
	z = slices.DeleteFunc(slices.Clone(z), func(x Zmember) bool { return x.Member == m })
	z = append(z, Zmember{Member: m, Score: score})
	sort.SliceStable(z, func(i, j int) bool { return z[i].Score < z[j].Score })
	f.Vals[k] = z
	return f.Err
}

func (f *FakeStore) ZRem(_ context.Context, k, m string) error {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.log("ZREM " + k + " " + m)
	z, _ := f.Vals[k].([]Zmember)
	f.Vals[k] = slices.DeleteFunc(slices.Clone(z), func(x Zmember) bool { return x.Member == m })
	return f.Err
}

// Info answers INFO with a fixed text (denied when InfoErr is set).
func (f *FakeStore) Info(_ context.Context, section string) (string, error) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.log("INFO " + section)
	if f.InfoErr != nil {
		return "", f.InfoErr
	}
	return "# Server\r\nredis_version:7.4.0\r\nuptime_in_seconds:3600\r\n\r\n# Memory\r\nused_memory_human:1.50M\r\n\r\n# Keyspace\r\ndb0:keys=" + strconv.Itoa(len(f.Vals)) + ",expires=0\r\n", nil
}
