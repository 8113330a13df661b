package uitest

import (
	"fmt"
	"math/rand/v2"
	"strconv"
)

// BenchKey is a realistic key name of about 30 bytes.
func BenchKey(i int) string {
	return "user:" + strconv.Itoa(i) + ":session:" + strconv.FormatInt(int64(i)*7919%1_000_003, 36)
}

// MixedKeys returns n key names in the mix bench/scale.sh seeds into db 0 (a third each of
// user:{id}:profile, session:{uuid} and cache:svc{a}:route{b}:{i}), shuffled as SCAN would
// return them, so benchmarks of the filter and tree see the same shapes as the whole-process
// figures in BENCHMARKS.md.
func MixedKeys(n int) []string {
	r := rand.New(rand.NewPCG(1, 7))
	third := n / 3
	keys := make([]string, n)
	for i := range keys {
		switch {
		case i < third:
			keys[i] = "user:" + strconv.Itoa(100000+i) + ":profile"
		case i < 2*third:
			keys[i] = fmt.Sprintf("session:%08x-%04x-4%03x-%04x-%06x%06x", r.Uint32(), r.IntN(1<<16),
				r.IntN(1<<12), r.IntN(1<<16), r.IntN(1<<24), r.IntN(1<<24))
		default:
			keys[i] = "cache:svc" + strconv.Itoa(r.IntN(50)) + ":route" + strconv.Itoa(r.IntN(200)) + ":" + strconv.Itoa(i)
		}
	}
	r.Shuffle(n, func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
	return keys
}
