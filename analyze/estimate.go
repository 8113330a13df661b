package analyze

import "math"

// z95 is the standard normal quantile of a two-sided 95 % interval.
const z95 = 1.959964

// Estimate is a total extrapolated from a sample, with its 95 % confidence interval. When the
// keys were all examined, Exact is true and Low = Value = High.
type Estimate struct {
	Value int64 `json:"value"`
	Low   int64 `json:"low"`
	High  int64 `json:"high"`
	Exact bool  `json:"exact"`
}

// est is an estimate being summed over shards (strata): values and variances add up.
type est struct {
	v, variance float64
	observed    float64 // what the sample saw; the total cannot be lower
	exact       bool
}

// stratum is one shard's sample: n of its N keys were examined (complete: all of them).
type stratum struct {
	n, N     int64
	complete bool
}

// estimate extrapolates a sum over the stratum from the sample's sum and sum of squares of
// y (y is a key's value when it is in the group, 0 otherwise): N/n·Σy, with the variance of the
// expansion estimator under simple random sampling without replacement,
// N²·(1−n/N)·s²/n.
func (s stratum) estimate(sum, sumSq float64) est {
	if s.complete || s.n >= s.N {
		return est{v: sum, observed: sum, exact: true}
	}
	if s.n == 0 {
		return est{observed: 0, variance: math.Inf(1)}
	}
	n, N := float64(s.n), float64(s.N)
	e := est{v: sum * N / n, observed: sum}
	if s.n > 1 {
		s2 := (sumSq - sum*sum/n) / (n - 1)
		e.variance = N * N * (1 - n/N) * max(s2, 0) / n
	}
	return e
}

func (s stratum) keys(c cell) est   { return s.estimate(float64(c.keys), float64(c.keys)) }
func (s stratum) memory(c cell) est { return s.estimate(float64(c.mem), c.memSq) }

func (e est) plus(o est) est {
	return est{v: e.v + o.v, variance: e.variance + o.variance, observed: e.observed + o.observed, exact: e.exact && o.exact}
}

// public turns an estimate into its interval, never below what was seen.
func (e est) public() Estimate {
	if e.exact {
		v := int64(math.Round(e.v))
		return Estimate{Value: v, Low: v, High: v, Exact: true}
	}
	half := z95 * math.Sqrt(e.variance)
	lo := math.Max(e.v-half, e.observed)
	hi := e.v + half
	if math.IsInf(hi, 1) || hi > math.MaxInt64/2 {
		hi = math.MaxInt64 / 2
	}
	return Estimate{Value: int64(math.Round(e.v)), Low: int64(math.Floor(lo)), High: int64(math.Ceil(hi))}
}
