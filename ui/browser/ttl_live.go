package browser

import "time"

// ttlExpired marks, in a row's KeyMeta, a TTL that ran out since it was read: the key is shown
// dim as "expired" until the next scan rather than pretending to exist.
const ttlExpired time.Duration = -3

// liveTTL is the TTL of key k now: the TTL read, less the time since it was read, rounded down
// to the second so a row re-renders once a second; ttlExpired once it has run out.
func (b *Model) liveTTL(k string, ttl time.Duration) time.Duration {
	if ttl < 0 {
		return ttl
	}
	at, ok := b.metaAt[k]
	if !ok {
		return ttl
	}
	left := ttl - b.c.Now().Sub(at)
	if left <= 0 {
		return ttlExpired
	}
	return left.Truncate(time.Second)
}
