package common

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// ErrTTL explains what the TTL prompts accept.
var ErrTTL = errors.New("TTL must be at least 1s: seconds (3600) or a duration like 90s, 15m, 1h30m, 1d2h")

// ParseTTL reads a TTL as people type it and as the key list shows it: plain seconds ("3600"),
// Go durations ("90s", "1h30m", "5m00s") and a leading day count ("1d2h", "2d", "1d02h").
// time.ParseDuration alone refuses both the bare number and the day unit. The result is at
// least one second and whole seconds (EXPIRE's unit).
func ParseTTL(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, ErrTTL
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n < 1 || n > int64(maxTTL/time.Second) {
			return 0, ErrTTL
		}
		return time.Duration(n) * time.Second, nil
	}
	var d time.Duration
	if days, rest, ok := strings.Cut(s, "d"); ok {
		n, err := strconv.ParseInt(days, 10, 64)
		if err != nil || n < 0 || n > int64(maxTTL/(24*time.Hour)) {
			return 0, ErrTTL
		}
		d, s = time.Duration(n)*24*time.Hour, rest
	}
	if s != "" {
		r, err := time.ParseDuration(s)
		if err != nil || r < 0 {
			return 0, ErrTTL
		}
		d += r
	}
	if d < time.Second || d > maxTTL || d%time.Second != 0 {
		return 0, ErrTTL
	}
	return d, nil
}

// maxTTL keeps a TTL far from time.Duration's overflow (about 292 years).
const maxTTL = 100 * 365 * 24 * time.Hour

// TTLUnderstood is how a TTL reads back: "1h30m (5400s)".
func TTLUnderstood(d time.Duration) string {
	return ShortDuration(d) + " (" + strconv.FormatInt(int64(d/time.Second), 10) + "s)"
}
