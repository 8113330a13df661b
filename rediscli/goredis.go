package rediscli

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"sort"
	"strconv"

	"github.com/redis/go-redis/v9"
)

// FromGoRedis converts what go-redis's Do(ctx, …).Result() returned into a Reply. A server
// error becomes a KindError reply and redis.Nil a KindNil reply; any other error (network,
// timeout, protocol) is returned as an error.
//
// go-redis has already reshaped the reply, so the result is not always what redis-cli would
// print for it: statuses arrive as strings and become bulk strings ("OK" in quotes rather than
// OK), sets and pushes become arrays, verbatim strings lose their format, attributes are gone,
// and RESP3 maps lose their order (keys are sorted here so the output is stable). Use Reader on
// the raw connection when the output must match redis-cli.
func FromGoRedis(v any, err error) (Reply, error) {
	if err != nil {
		if errors.Is(err, redis.Nil) {
			return Nil(), nil
		}
		var rerr redis.Error
		if errors.As(err, &rerr) {
			return Error(rerr.Error()), nil
		}
		return Reply{}, err
	}
	return fromValue(v)
}

func fromValue(v any) (Reply, error) {
	switch v := v.(type) {
	case nil:
		return Nil(), nil
	case string:
		return Bulk(v), nil
	case []byte:
		return Bulk(string(v)), nil
	case int64:
		return Integer(v), nil
	case bool:
		return Boolean(v), nil
	case float64:
		return Reply{Kind: KindDouble, Float: v, Str: formatDouble(v)}, nil
	case *big.Int:
		if v == nil {
			return Nil(), nil
		}
		return Reply{Kind: KindBigNumber, Str: v.String(), Big: v}, nil
	case error:
		return Error(v.Error()), nil
	case []any:
		elems := make([]Reply, len(v))
		for i, e := range v {
			r, err := fromValue(e)
			if err != nil {
				return Reply{}, err
			}
			elems[i] = r
		}
		return Array(elems...), nil
	case map[any]any:
		pairs := make([]Pair, 0, len(v))
		for k, val := range v {
			kr, err := fromValue(k)
			if err != nil {
				return Reply{}, err
			}
			vr, err := fromValue(val)
			if err != nil {
				return Reply{}, err
			}
			pairs = append(pairs, Pair{Key: kr, Value: vr})
		}
		sort.Slice(pairs, func(i, j int) bool {
			return rawString(pairs[i].Key, "\n") < rawString(pairs[j].Key, "\n")
		})
		return Map(pairs...), nil
	}
	return Reply{}, fmt.Errorf("rediscli: unexpected go-redis reply value of type %T", v)
}

// formatDouble writes a double as Redis does (%.17g, inf, -inf, nan).
func formatDouble(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	return strconv.FormatFloat(f, 'g', 17, 64)
}
