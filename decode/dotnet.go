package decode

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// CacheEntry is a .NET IDistributedCache entry stored by Microsoft.Extensions.Caching.
// StackExchangeRedis as a hash: the payload plus its absolute and sliding expirations.
type CacheEntry struct {
	// Writer says which library the field layout belongs to.
	Writer string
	// DataField is the hash field holding the payload ("data" or "dv").
	DataField string
	// Data is the payload, as the application gave it to IDistributedCache.Set.
	Data []byte
	// Absolute is when the entry expires regardless of use; nil when it has none.
	Absolute *time.Time
	// Sliding is how long the entry lives after its last read; nil when it has none.
	Sliding *time.Duration
}

// .NET ticks are 100 ns intervals since 0001-01-01 UTC; this is the Unix epoch in ticks.
const (
	unixEpochTicks = 621355968000000000
	maxTicks       = 3155378975999999999 // DateTime.MaxValue
)

// CacheEntryFieldLimit is the most fields a hash may have to be an IDistributedCache entry: a
// caller reads a hash whole for detection only at or below it.
const CacheEntryFieldLimit = 3

// DetectCacheEntry recognises the two hash layouts Microsoft.Extensions.Caching.StackExchangeRedis
// has written: absexp/sldexp/data (set by a Lua script, -1 for "none"), and dv with optional
// swv/aev (set by HSET in a transaction, absent for "none"). Any other field, or a malformed
// tick count, means it is not an entry.
func DetectCacheEntry(fields map[string]string) (CacheEntry, bool) {
	if _, ok := fields["data"]; ok && len(fields) == 3 {
		abs, okA := fields["absexp"]
		sld, okS := fields["sldexp"]
		if !okA || !okS {
			return CacheEntry{}, false
		}
		e := CacheEntry{
			Writer:    "Microsoft.Extensions.Caching.StackExchangeRedis (hash fields absexp, sldexp, data)",
			DataField: "data", Data: []byte(fields["data"]),
		}
		var ok bool
		if e.Absolute, ok = parseAbsolute(abs, true); !ok {
			return CacheEntry{}, false
		}
		if e.Sliding, ok = parseSliding(sld, true); !ok {
			return CacheEntry{}, false
		}
		return e, true
	}
	dv, ok := fields["dv"]
	if !ok || len(fields) > 3 {
		return CacheEntry{}, false
	}
	e := CacheEntry{
		Writer:    "Microsoft.Extensions.Caching.StackExchangeRedis (hash fields dv, swv, aev)",
		DataField: "dv", Data: []byte(dv),
	}
	for k, v := range fields {
		switch k {
		case "dv":
		case "aev":
			if e.Absolute, ok = parseAbsolute(v, false); !ok || e.Absolute == nil {
				return CacheEntry{}, false
			}
		case "swv":
			if e.Sliding, ok = parseSliding(v, false); !ok || e.Sliding == nil {
				return CacheEntry{}, false
			}
		default:
			return CacheEntry{}, false
		}
	}
	return e, true
}

func parseTicks(s string, minusOneIsNone bool) (int64, bool, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, false, false
	}
	if n == -1 && minusOneIsNone {
		return 0, false, true
	}
	if n < 0 {
		return 0, false, false
	}
	return n, true, true
}

func parseAbsolute(s string, minusOneIsNone bool) (*time.Time, bool) {
	n, present, ok := parseTicks(s, minusOneIsNone)
	if !ok || !present {
		return nil, ok
	}
	if n > maxTicks {
		return nil, false
	}
	// Ticks before or after the Unix epoch, in whole seconds and the remaining 100 ns units.
	d := n - unixEpochTicks
	t := time.Unix(d/10_000_000, (d%10_000_000)*100).UTC()
	return &t, true
}

func parseSliding(s string, minusOneIsNone bool) (*time.Duration, bool) {
	n, present, ok := parseTicks(s, minusOneIsNone)
	if !ok || !present {
		return nil, ok
	}
	if n > math.MaxInt64/100 {
		return nil, false
	}
	d := time.Duration(n * 100)
	return &d, true
}

// Summary describes the entry in lines for a header: library, expirations relative to now.
func (e CacheEntry) Summary(now time.Time) []string {
	lines := []string{".NET IDistributedCache entry, written by " + e.Writer}
	if e.Absolute != nil {
		rel := "expired " + roundDur(now.Sub(*e.Absolute)) + " ago"
		if e.Absolute.After(now) {
			rel = "in " + roundDur(e.Absolute.Sub(now))
		}
		lines = append(lines, "absolute expiration: "+e.Absolute.Format("2006-01-02 15:04:05.0000000 UTC")+" ("+rel+")")
	} else {
		lines = append(lines, "absolute expiration: none")
	}
	if e.Sliding != nil {
		lines = append(lines, "sliding expiration: "+roundDur(*e.Sliding)+" after each read")
	} else {
		lines = append(lines, "sliding expiration: none")
	}
	return lines
}

func roundDur(d time.Duration) string {
	switch {
	case d >= time.Hour:
		d = d.Round(time.Minute)
	case d >= time.Second:
		d = d.Round(time.Second)
	}
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

// DecodeCacheEntry decodes the entry's payload with choice; the result's Note carries the
// summary, and an edit of the result rewrites only the payload field.
func DecodeCacheEntry(ctx context.Context, e CacheEntry, choice Codec, opt Options, now time.Time) Result {
	r := Decode(ctx, e.Data, choice, opt)
	r.Note = strings.Join(e.Summary(now), "\n")
	return r
}

// String is a one-line description for logs and errors.
func (e CacheEntry) String() string {
	return fmt.Sprintf(".NET IDistributedCache entry (%d-byte payload in field %s)", len(e.Data), e.DataField)
}
