package common

import (
	"context"
	"time"
)

// Redis type names as TYPE reports them.
const (
	TypeString = "string"
	TypeHash   = "hash"
	TypeList   = "list"
	TypeSet    = "set"
	TypeZSet   = "zset"
	TypeStream = "stream"
	TypeJSON   = "ReJSON-RL"
	TypeNone   = "none"
)

// Store is everything the UI asks of Redis. The UI never calls it from Update: every call runs
// inside a tea.Cmd with values captured beforehand. *session.Session is adapted to it in main;
// tests use fakes and a go-redis adapter over a real redis-server.
//
// Reads are bounded by construction: there is no HGETALL, SMEMBERS or LRANGE 0 -1 here, only a
// size query and a windowed or cursor-paged read per type.
type Store interface {
	KeyScanner
	ValueReader
	Writer
	MemberWriter
}

// KeyScanner lists keys without ever using KEYS.
type KeyScanner interface {
	// Scan runs one step of SCAN cursor MATCH match COUNT count [TYPE typ] (typ may be empty).
	// The cursor is opaque to the UI: "" starts a scan and a returned "" means it is complete.
	// A standalone server's cursor is the decimal SCAN cursor with "0" mapped to ""; a cluster
	// adapter can encode one cursor per primary (per-shard SCAN) in the same string.
	Scan(ctx context.Context, cursor, match string, count int64, typ string) (keys []string, next string, err error)
	// DBSize returns the number of keys in the selected database.
	DBSize(ctx context.Context) (int64, error)
	// Exists reports whether key exists (exact-key jump: no scan).
	Exists(ctx context.Context, key string) (bool, error)
	// Meta returns TYPE, PTTL and MEMORY USAGE for keys in one pipeline, in the same order.
	Meta(ctx context.Context, keys []string) ([]KeyMeta, error)
}

// KeyMeta is the per-row metadata of the key list.
type KeyMeta struct {
	Type   string        // TYPE; "none" when the key no longer exists
	TTL    time.Duration // -1 no expiry, -2 missing key (PTTL semantics)
	Memory int64         // MEMORY USAGE in bytes; -1 when unknown or refused
}

// ValueReader reads values by size first, then by window or cursor page.
type ValueReader interface {
	StrLen(ctx context.Context, key string) (int64, error)
	GetRange(ctx context.Context, key string, start, end int64) (string, error)
	HLen(ctx context.Context, key string) (int64, error)
	// HScan returns field/value pairs flattened: f1, v1, f2, v2…
	HScan(ctx context.Context, key string, cursor uint64, count int64) (pairs []string, next uint64, err error)
	LLen(ctx context.Context, key string) (int64, error)
	LRange(ctx context.Context, key string, start, stop int64) ([]string, error)
	SCard(ctx context.Context, key string) (int64, error)
	SScan(ctx context.Context, key string, cursor uint64, count int64) (members []string, next uint64, err error)
	ZCard(ctx context.Context, key string) (int64, error)
	ZRangeWithScores(ctx context.Context, key string, start, stop int64) ([]ScoredMember, error)
	XLen(ctx context.Context, key string) (int64, error)
	// XRange returns at most count entries with IDs in [start, end] ("-", "+", "(id" allowed).
	XRange(ctx context.Context, key, start, end string, count int64) ([]StreamEntry, error)
}

// ScoredMember is one sorted-set member.
type ScoredMember struct {
	Member string
	Score  float64
}

// StreamEntry is one stream entry; Fields is flattened name/value pairs in stream order.
type StreamEntry struct {
	ID     string
	Fields []string
}

// Writer holds the write actions. The UI refuses them itself in a read-only profile, before any
// call is made; the session may refuse them again.
type Writer interface {
	Del(ctx context.Context, key string) error
	Rename(ctx context.Context, key, newKey string) error
	// Expire sets a TTL; Persist removes it.
	Expire(ctx context.Context, key string, ttl time.Duration) error
	Persist(ctx context.Context, key string) error
	// SetNX creates a string key only if it does not exist (SET key value NX) and reports
	// whether it did.
	SetNX(ctx context.Context, key, value string) (bool, error)
	// SetKeepTTL replaces a string value and keeps its TTL (SET key value KEEPTTL).
	SetKeepTTL(ctx context.Context, key, value string) error
}

// JSONReader is implemented by stores that can read RedisJSON documents (JSON.GET). It is
// optional: without it, ReJSON-RL keys show their metadata only. The viewer reads a document
// whole, so it first checks MEMORY USAGE against a limit.
type JSONReader interface {
	JSONGet(ctx context.Context, key string) (string, error)
}

// MemberWriter edits members of collections in place, one member per call.
type MemberWriter interface {
	HSet(ctx context.Context, key, field, value string) error
	HDel(ctx context.Context, key, field string) error
	LSet(ctx context.Context, key string, index int64, value string) error
	SAdd(ctx context.Context, key, member string) error
	SRem(ctx context.Context, key, member string) error
	ZAdd(ctx context.Context, key, member string, score float64) error
	ZRem(ctx context.Context, key, member string) error

	// LRemAt removes the element at index, but only while it still equals expect (what the
	// user saw); otherwise it changes nothing and says so. Redis has no "delete by index", so
	// an implementation marks the element with a unique sentinel (LSET) and removes that
	// sentinel (LREM key 1), both inside one MULTI/EXEC under WATCH.
	LRemAt(ctx context.Context, key string, index int64, expect string) error
	// RPush appends and LPush prepends one element.
	RPush(ctx context.Context, key, value string) error
	LPush(ctx context.Context, key, value string) error
	// XAdd appends an entry with an auto-generated ID (XADD key * f1 v1 …) and returns the ID.
	XAdd(ctx context.Context, key string, fields []string) (string, error)
	// XDel removes one stream entry.
	XDel(ctx context.Context, key, id string) error
}
