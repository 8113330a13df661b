package viewer

import (
	"math"
	"testing"
)

// The expected strings are what redis-server prints (ZSCORE) for each score.
func TestFormatScoreAsRedisPrints(t *testing.T) {
	for f, want := range map[float64]string{
		12345678.9: "12345678.9", 1e20: "1e+20", 1e21: "1e+21", 123456789012345678: "1.2345678901234568e+17",
		-0.5: "-0.5", 0: "0", 3: "3", 0.0001: "0.0001", 0.00001: "1e-05", 1e16: "10000000000000000",
		math.Inf(1): "inf", math.Inf(-1): "-inf", 1.5e-300: "1.5e-300",
	} {
		if got := FormatScore(f); got != want {
			t.Errorf("FormatScore(%v) = %q, want %q", f, got, want)
		}
	}
}
