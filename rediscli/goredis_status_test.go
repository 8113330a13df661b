package rediscli

import (
	"bufio"
	"context"
	"net"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/internal/redistest"
)

// TestFromGoRedisForMatchesRawReplies: for commands answering with a status or a bulk string,
// FromGoRedisFor over go-redis prints what the raw reply prints (what redis-cli shows).
func TestFromGoRedisForMatchesRawReplies(t *testing.T) {
	ctx := context.Background()
	cmds := [][]string{
		{"SET", "k", "v"}, {"SET", "k", "w", "GET"}, {"SET", "k", "OK"}, {"GET", "k"}, {"PING"}, {"PING", "hi"},
		{"TYPE", "k"}, {"SELECT", "0"}, {"MSET", "a", "1", "b", "2"}, {"RENAME", "a", "c"}, {"ECHO", "OK"},
		{"RPUSH", "l", "x"}, {"LSET", "l", "0", "y"}, {"LTRIM", "l", "0", "5"}, {"HMSET", "h", "f", "v"},
		{"SETEX", "e", "100", "v"}, {"CONFIG", "SET", "maxmemory-policy", "noeviction"}, {"CONFIG", "GET", "maxmemory-policy"},
		{"CONFIG", "RESETSTAT"}, {"CLIENT", "SETNAME", "x"}, {"CLIENT", "GETNAME"}, {"SCRIPT", "FLUSH"},
		{"FUNCTION", "FLUSH"}, {"XADD", "s", "1-1", "f", "v"}, {"XGROUP", "CREATE", "s", "g", "0"}, {"XSETID", "s", "2-2"},
		{"ACL", "SETUSER", "bob"}, {"ACL", "LOG", "RESET"}, {"ACL", "WHOAMI"}, {"SLOWLOG", "RESET"},
		{"PFADD", "p", "a"}, {"PFMERGE", "p2", "p"}, {"SWAPDB", "0", "1"}, {"SWAPDB", "0", "1"}, {"FLUSHDB"},
		{"WATCH", "k"}, {"UNWATCH"}, {"OBJECT", "ENCODING", "k"}, {"FLUSHALL"},
	}
	for _, proto := range []int{2, 3} {
		// The same commands on two fresh servers, each over one connection: raw RESP on one,
		// go-redis on the other, so both see the same state.
		rawSrv, goSrv := redistest.StartRedisServer(t), redistest.StartRedisServer(t)
		conn, err := net.Dial("tcp", rawSrv.Addr)
		if err != nil {
			t.Fatal(err)
		}
		rd := NewReader(bufio.NewReader(conn))
		do := func(args ...string) Reply {
			if err := WriteCommand(conn, args...); err != nil {
				t.Fatal(err)
			}
			r, err := rd.ReadReply()
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		if proto == 3 {
			do("HELLO", "3")
		}
		c := redis.NewClient(&redis.Options{Addr: goSrv.Addr, Protocol: proto, DisableIdentity: true, PoolSize: 1})
		for _, args := range cmds {
			raw := do(args...)
			anys := make([]any, len(args))
			for i, a := range args {
				anys[i] = a
			}
			v, err := c.Do(ctx, anys...).Result()
			r, err := FromGoRedisFor(args, v, err)
			if err != nil {
				t.Fatalf("%q: %v", args, err)
			}
			if raw.Kind != KindMap && FormatTTY(r) != FormatTTY(raw) {
				t.Errorf("RESP%d %q: go-redis gives %q, the server %q", proto, args, FormatTTY(r), FormatTTY(raw))
			}
		}
		c.Close()
		conn.Close()
	}
}
