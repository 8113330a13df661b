package browser

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// Every byte value, at every position of a word and of the tail, in keys of lower-case
// padding: the word-at-a-time test must flag exactly the bytes the definition does (the
// edges '@' 'A' 'Z' '[' and 0x7f 0x80 0xc1 0xda included).
func TestFlagsOfMatchesTheBytewiseDefinition(t *testing.T) {
	for n := 1; n <= 19; n++ {
		for pos := 0; pos < n; pos++ {
			for c := 0; c < 256; c++ {
				b := []byte(strings.Repeat("a", n))
				b[pos] = byte(c)
				k := string(b)
				if got, want := flagsOf(k), flagsBytewise(k); got != want {
					t.Fatalf("flagsOf(%q) = %b, want %b", k, got, want)
				}
			}
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 100_000 {
		b := make([]byte, r.IntN(40))
		for i := range b {
			b[i] = byte(r.UintN(256))
		}
		if got, want := flagsOf(string(b)), flagsBytewise(string(b)); got != want {
			t.Fatalf("flagsOf(%q) = %b, want %b", b, got, want)
		}
	}
}
