package bulk

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// sink receives keys one by one as typed values, element by element, so that a big value
// passes through in windows and is never held whole. An element is one string chunk, list
// element or set member; a hash's [field, value]; a sorted set's [member, score] (the score
// as the server prints it); or a stream entry's [id, field, value, field, value…].
type sink interface {
	begin(key, typ string, pttl int64) error
	add(elem []string) error
	end() error
}

// Types the typed formats carry; anything else (module types) travels as a DUMP payload.
const (
	typeString = "string"
	typeList   = "list"
	typeSet    = "set"
	typeZSet   = "zset"
	typeHash   = "hash"
	typeStream = "stream"
)

func typedKind(typ string) bool {
	switch typ {
	case typeString, typeList, typeSet, typeZSet, typeHash, typeStream:
		return true
	}
	return false
}

// window is how many elements (and stringWindow how many bytes of a string) one read or
// write of a value carries.
const (
	window       = 1000
	stringWindow = 1 << 20
)

// fetchTyped reads keys' values from c and hands them to s: one pipeline for TYPE and PTTL of
// the batch, one for each key's first window, then further windows key by key for the values
// that did not fit. Keys gone or changed between the reads are counted as Skipped. Values of
// other types (modules) are handed over as one element holding their DUMP payload.
func fetchTyped(ctx context.Context, c redis.UniversalClient, keys []string, s sink, t *tally) error {
	types := make([]*redis.StatusCmd, len(keys))
	ttls := make([]*redis.DurationCmd, len(keys))
	t0 := time.Now()
	if _, err := c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, k := range keys {
			types[i] = p.Type(ctx, k)
			ttls[i] = p.PTTL(ctx, k)
		}
		return nil
	}); err != nil && !errors.Is(err, redis.Nil) {
		return fmt.Errorf("bulk: TYPE/PTTL: %w", err)
	}
	readAt := midpoint(t0, time.Now())
	first := make([]*redis.Cmd, len(keys))
	if _, err := c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, k := range keys {
			first[i] = p.Do(ctx, firstWindow(types[i].Val(), k)...)
		}
		return nil
	}); err != nil && !isReplyErr(err) {
		return fmt.Errorf("bulk: reading values: %w", err)
	}
	for i, k := range keys {
		typ, terr := types[i].Result()
		pttl, err := pttlOf(ttls[i])
		if err == nil {
			err = terr
		}
		if err != nil && !errors.Is(err, redis.Nil) { // refused (NOPERM…): not "gone"
			t.fail(k, err.Error())
			continue
		}
		if typ == "none" || pttl == -2 {
			t.add(func(r *Report) { r.Skipped++ })
			continue
		}
		if err := fetchOne(ctx, c, k, typ, ttlLeft(pttl, readAt), first[i], s); err != nil {
			var refused refusedError
			switch {
			case errors.Is(err, errChanged):
				t.add(func(r *Report) { r.Skipped++ })
				continue
			case errors.As(err, &refused):
				t.fail(k, refused.Error())
				continue
			}
			return err
		}
		t.add(func(r *Report) { r.Affected++ })
	}
	return nil
}

// errChanged marks a key that vanished or changed type while its value was read.
var errChanged = errors.New("bulk: key changed while read")

// refusedError is a read the server refused for another reason than the key's type (NOPERM,
// an unknown command behind a proxy…): the key is a failure, not a key that went away.
type refusedError struct{ err error }

func (e refusedError) Error() string { return e.err.Error() }

// midpoint is when a reply read between t0 and t1 was most likely computed by the server.
func midpoint(t0, t1 time.Time) time.Time { return t0.Add(t1.Sub(t0) / 2) }

// ttlLeft turns a PTTL the server computed at readAt into what is left of it now (at least
// 1 ms: a key that expires meanwhile was alive when read).
func ttlLeft(pttl int64, readAt time.Time) int64 {
	if pttl < 0 {
		return pttl
	}
	return max(1, pttl-time.Since(readAt).Milliseconds())
}

func pttlOf(cmd *redis.DurationCmd) (int64, error) {
	// go-redis turns -1 and -2 into durations of -1 and -2 nanoseconds.
	d, err := cmd.Result()
	if err != nil {
		return 0, err
	}
	if d < 0 {
		return int64(d), nil
	}
	return d.Milliseconds(), nil
}

func isReplyErr(err error) bool {
	var re redis.Error
	return errors.As(err, &re)
}

func firstWindow(typ, key string) []any {
	switch typ {
	case typeString:
		return []any{"GETRANGE", key, 0, stringWindow - 1}
	case typeList:
		return []any{"LRANGE", key, 0, window - 1}
	case typeSet:
		return []any{"SSCAN", key, 0, "COUNT", window}
	case typeZSet:
		return []any{"ZSCAN", key, 0, "COUNT", window}
	case typeHash:
		return []any{"HSCAN", key, 0, "COUNT", window}
	case typeStream:
		return []any{"XRANGE", key, "-", "+", "COUNT", window}
	case "none":
		return []any{"PING"}
	}
	return []any{"DUMP", key}
}

// fetchOne hands one key to s, reading further windows while the value goes on.
func fetchOne(ctx context.Context, c redis.UniversalClient, key, typ string, pttl int64, cmd *redis.Cmd, s sink) error {
	v, err := cmd.Result()
	if err != nil {
		if errors.Is(err, redis.Nil) || redis.HasErrorPrefix(err, "WRONGTYPE") {
			return errChanged
		}
		if isReplyErr(err) {
			return refusedError{err}
		}
		return fmt.Errorf("bulk: reading %q: %w", key, err)
	}
	if !typedKind(typ) {
		p, ok := v.(string)
		if !ok {
			return errChanged
		}
		if err := s.begin(key, typ, pttl); err != nil {
			return err
		}
		if err := s.add([]string{p}); err != nil {
			return err
		}
		return s.end()
	}
	begun := false
	start := func() error {
		if begun {
			return nil
		}
		begun = true
		return s.begin(key, typ, pttl)
	}
	var offset int64
	var cursor string
	for {
		var elems [][]string
		var more bool
		switch typ {
		case typeString:
			str, _ := v.(string)
			elems = [][]string{{str}}
			offset += int64(len(str))
			more = len(str) == stringWindow
			if !begun && len(str) == 0 {
				more = false
			}
		case typeList:
			arr, _ := v.([]any)
			elems = singles(arr)
			offset += int64(len(arr))
			more = len(arr) == window
		case typeSet, typeZSet, typeHash:
			arr, _ := v.([]any)
			if len(arr) != 2 {
				return errChanged
			}
			cursor, _ = arr[0].(string)
			items, _ := arr[1].([]any)
			if typ == typeSet {
				elems = singles(items)
			} else {
				elems = pairs(items)
			}
			more = cursor != "0"
		case typeStream:
			arr, _ := v.([]any)
			for _, e := range arr {
				ent, _ := e.([]any)
				if len(ent) != 2 {
					return errChanged
				}
				id, _ := ent[0].(string)
				fields, _ := ent[1].([]any)
				el := make([]string, 0, 1+len(fields))
				el = append(el, id)
				for _, f := range fields {
					fs, _ := f.(string)
					el = append(el, fs)
				}
				elems = append(elems, el)
			}
			more = len(arr) == window
			if len(arr) > 0 {
				cursor = elems[len(elems)-1][0]
			}
		}
		if !begun && !more && typ != typeString && typ != typeStream && len(elems) == 0 {
			return errChanged // an empty collection does not exist: the key went away
		}
		if err := start(); err != nil {
			return err
		}
		for _, e := range elems {
			if typ == typeString && len(e[0]) == 0 && offset > 0 {
				continue
			}
			if err := s.add(e); err != nil {
				return err
			}
		}
		if !more {
			return s.end()
		}
		var next []any
		switch typ {
		case typeString:
			next = []any{"GETRANGE", key, offset, offset + stringWindow - 1}
		case typeList:
			next = []any{"LRANGE", key, offset, offset + window - 1}
		case typeSet:
			next = []any{"SSCAN", key, cursor, "COUNT", window}
		case typeZSet:
			next = []any{"ZSCAN", key, cursor, "COUNT", window}
		case typeHash:
			next = []any{"HSCAN", key, cursor, "COUNT", window}
		case typeStream:
			next = []any{"XRANGE", key, "(" + cursor, "+", "COUNT", window}
		}
		if v, err = c.Do(ctx, next...).Result(); err != nil {
			if isReplyErr(err) {
				return fmt.Errorf("bulk: %q changed while it was read (%v); the export holds part of it", key, err)
			}
			return fmt.Errorf("bulk: reading %q: %w", key, err)
		}
	}
}

func singles(arr []any) [][]string {
	out := make([][]string, len(arr))
	for i, a := range arr {
		s, _ := a.(string)
		out[i] = []string{s}
	}
	return out
}

func pairs(arr []any) [][]string {
	out := make([][]string, 0, len(arr)/2)
	for i := 0; i+1 < len(arr); i += 2 {
		a, _ := arr[i].(string)
		b, _ := arr[i+1].(string)
		out = append(out, []string{a, b})
	}
	return out
}
