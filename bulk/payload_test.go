package bulk

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// Redis's own check value (src/crc64.c): crc64(0, "123456789").
func TestRedisCRC64(t *testing.T) {
	if got := redisCRC64([]byte("123456789")); got != 0xe9c6d914c4b8d9ca {
		t.Fatalf("crc64 %#x", got)
	}
}

// Every payload typedPayload builds is restored by a real server to the value the native
// commands write (DEBUG DIGEST-VALUE), duplicates folded as the commands fold them, binary
// names and values, sizes across the length encodings.
func TestTypedPayloadRestores(t *testing.T) {
	ctx := context.Background()
	c := startServer(t)
	long := strings.Repeat("x\xff\x00", 6000) // a 4-byte length
	cases := []struct {
		typ   string
		elems []string
		write func(k string, a []any) error
	}{
		{typeList, []string{"a", "", "a", "nul\x00", long}, func(k string, a []any) error { return c.RPush(ctx, k, a...).Err() }},
		{typeSet, []string{"1", "2", "2", "esc\x1b", "1", "300000"}, func(k string, a []any) error { return c.SAdd(ctx, k, a...).Err() }},
		{typeSet, []string{"1", "2", "3"}, func(k string, a []any) error { return c.SAdd(ctx, k, a...).Err() }},
		{typeHash, []string{"f", "1", "g\xff", "2", "f", "3", "", long}, func(k string, a []any) error { return c.HSet(ctx, k, a...).Err() }},
		{typeZSet, []string{"m", "1.5", "n", "-inf", "m", "2", "o", "1e+300", "p", "inf", "q", "-0.1"}, func(k string, a []any) error {
			sw := make([]any, len(a))
			for i := 0; i < len(a); i += 2 {
				sw[i], sw[i+1] = a[i+1], a[i]
			}
			return c.Do(ctx, append([]any{"ZADD", k}, sw...)...).Err()
		}},
	}
	// Past the linear search of foldPairs, and a 2-byte length.
	var many []string
	for i := range 300 {
		many = append(many, "f"+strconv.Itoa(i%200), strconv.Itoa(i))
	}
	cases = append(cases, struct {
		typ   string
		elems []string
		write func(k string, a []any) error
	}{typeHash, many, func(k string, a []any) error { return c.HSet(ctx, k, a...).Err() }})
	for i, tc := range cases {
		a := make([]any, len(tc.elems))
		for j, s := range tc.elems {
			a[j] = s
		}
		want, got := "want"+strconv.Itoa(i), "got\xff"+strconv.Itoa(i)
		must(t, tc.write(want, a))
		p, ok := typedPayload(tc.typ, tc.elems)
		if !ok {
			t.Fatalf("%d %s: no payload", i, tc.typ)
		}
		must(t, c.Restore(ctx, got, 0, p).Err())
		dw := fmt.Sprint(c.Do(ctx, "DEBUG", "DIGEST-VALUE", want).Val())
		dg := fmt.Sprint(c.Do(ctx, "DEBUG", "DIGEST-VALUE", got).Val())
		if dw != dg {
			t.Fatalf("%d %s: digest %v after the commands, %v after RESTORE", i, tc.typ, dw, dg)
		}
		if c.Type(ctx, got).Val() != tc.typ {
			t.Fatalf("%d: type %s", i, c.Type(ctx, got).Val())
		}
	}
	if _, ok := typedPayload(typeZSet, []string{"m", "high"}); ok {
		t.Fatal("a bad score made a payload")
	}
}
