package common

import (
	"testing"
	"time"
)

func TestParseTTL(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"3600": time.Hour, "90s": 90 * time.Second, "15m": 15 * time.Minute, "1d2h": 26 * time.Hour,
		"1h30m": 90 * time.Minute, " 2d ": 48 * time.Hour, "1d02h": 26 * time.Hour, "5m00s": 5 * time.Minute,
		"2h05m": 125 * time.Minute, "1": time.Second,
	} {
		if got, err := ParseTTL(in); err != nil || got != want {
			t.Errorf("ParseTTL(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0", "-5", "0s", "500ms", "1.5s", "abc", "1x", "d", "1d-2h", "99999999999d", "1e3"} {
		if got, err := ParseTTL(in); err == nil {
			t.Errorf("ParseTTL(%q) = %v, want an error", in, got)
		}
	}
	if got := TTLUnderstood(90 * time.Minute); got != "1h30m (5400s)" {
		t.Errorf("TTLUnderstood = %q", got)
	}
}
