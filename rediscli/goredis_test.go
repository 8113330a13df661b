package rediscli

import (
	"context"
	"errors"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/internal/redistest"
)

// TestFromGoRedis converts real go-redis results and pins what go-redis's reshaping costs.
func TestFromGoRedis(t *testing.T) {
	srv := redistest.StartRedisServer(t, "--enable-debug-command", "yes")
	ctx := context.Background()
	for _, proto := range []int{2, 3} {
		c := redis.NewClient(&redis.Options{Addr: srv.Addr, Protocol: proto, DisableIdentity: true})
		t.Cleanup(func() { c.Close() })
		must := func(args ...any) {
			if err := c.Do(ctx, args...).Err(); err != nil {
				t.Fatalf("%v: %v", args, err)
			}
		}
		must("DEL", "s", "n", "l", "h")
		must("SET", "s", "v")
		must("RPUSH", "l", "a", "b")
		must("HSET", "h", "z", "1", "a", "2")
		cases := []struct {
			args []any
			tty  string
		}{
			{[]any{"SET", "s", "v"}, "\"OK\"\n"}, // a status arrives as a string: quoted, unlike redis-cli
			{[]any{"GET", "s"}, "\"v\"\n"},
			{[]any{"GET", "nokey"}, "(nil)\n"},
			{[]any{"INCR", "n"}, "(integer) 1\n"},
			{[]any{"LPUSH", "s", "x"}, "(error) WRONGTYPE Operation against a key holding the wrong kind of value\n"},
			{[]any{"LRANGE", "l", "0", "-1"}, "1) \"a\"\n2) \"b\"\n"},
			{[]any{"LRANGE", "nokey", "0", "-1"}, "(empty array)\n"},
			{[]any{"EVAL", "return {1, redis.error_reply('MY err'), false}", "0"}, "1) (integer) 1\n2) (error) MY err\n3) (nil)\n"},
		}
		if proto == 3 {
			cases = append(cases, []struct {
				args []any
				tty  string
			}{
				{[]any{"HGETALL", "h"}, "1# \"a\" => \"2\"\n2# \"z\" => \"1\"\n"}, // keys sorted, not in server order
				{[]any{"DEBUG", "PROTOCOL", "double"}, "(double) 3.141\n"},
				{[]any{"DEBUG", "PROTOCOL", "true"}, "(true)\n"},
				{[]any{"DEBUG", "PROTOCOL", "bignum"}, "(big number) 1234567999999999999999999999999999999\n"},
				{[]any{"DEBUG", "PROTOCOL", "verbatim"}, "\"This is a verbatim\\nstring\"\n"}, // format lost
				{[]any{"DEBUG", "PROTOCOL", "set"}, "1) (integer) 0\n2) (integer) 1\n3) (integer) 2\n"},
			}...)
		} else {
			cases = append(cases, struct {
				args []any
				tty  string
			}{[]any{"HGETALL", "h"}, "1) \"z\"\n2) \"1\"\n3) \"a\"\n4) \"2\"\n"})
		}
		for _, tc := range cases {
			r, err := FromGoRedis(c.Do(ctx, tc.args...).Result())
			if err != nil {
				t.Fatalf("RESP%d %v: %v", proto, tc.args, err)
			}
			if got := FormatTTY(r); got != tc.tty {
				t.Errorf("RESP%d %v: FormatTTY = %q, want %q", proto, tc.args, got, tc.tty)
			}
		}
	}
}

func TestFromGoRedisErrors(t *testing.T) {
	netErr := errors.New("dial tcp: connection refused")
	if _, err := FromGoRedis(nil, netErr); err != netErr {
		t.Errorf("a network error came back as %v", err)
	}
	if _, err := FromGoRedis(struct{}{}, nil); err == nil {
		t.Error("an unknown value type converted without error")
	}
	r, err := FromGoRedis(2.5, nil)
	if err != nil || FormatTTY(r) != "(double) 2.5\n" {
		t.Errorf("float64: %q, %v", FormatTTY(r), err)
	}
}
