package redistest

import (
	"slices"
	"testing"
	"time"
)

// Contender is one way of walking the whole keyspace in a scan race; Run returns how many keys
// it saw.
type Contender struct {
	Name string
	Run  func(tb testing.TB) int64
}

// Race runs every contender once per benchmark iteration, one after another (the starting one
// rotates, so none always runs first), and reports each one's median rate in keys/s and the
// median, over iterations, of the first contender's rate divided by each other's in the same
// iteration. Other jobs on a shared machine change every rate, so comparing within one
// iteration is what makes the ratio meaningful. Every contender must see at least want keys.
func Race(b *testing.B, want int64, cs []Contender) {
	b.Helper()
	rates := make([][]float64, len(cs))
	ratios := make([][]float64, len(cs))
	for i := 0; b.Loop(); i++ {
		r := make([]float64, len(cs))
		for j := range cs {
			k := (i + j) % len(cs)
			t0 := time.Now()
			n := cs[k].Run(b)
			d := time.Since(t0)
			if n < want {
				b.Fatalf("%s saw %d keys of %d", cs[k].Name, n, want)
			}
			r[k] = float64(n) / d.Seconds()
			rates[k] = append(rates[k], r[k])
		}
		for k := 1; k < len(cs); k++ {
			ratios[k] = append(ratios[k], r[0]/r[k])
		}
	}
	for k, c := range cs {
		b.ReportMetric(median(rates[k]), c.Name+"-keys/s")
		if k > 0 {
			b.ReportMetric(median(ratios[k]), cs[0].Name+"/"+c.Name)
		}
	}
	b.ReportMetric(0, "ns/op")
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
