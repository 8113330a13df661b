package emulator_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

func TestGatePassesThroughBigValuesBlockingAndTransactions(t *testing.T) {
	for _, b := range gateBackends {
		t.Run(b.name, func(t *testing.T) {
			e := startGateEnv(t, b)
			ctx := context.Background()
			newClient := func() *redis.Client {
				rdb := redis.NewClient(&redis.Options{Addr: e.gate.Addr(), Username: oid,
					Password: e.issuer.token(t, oid, time.Hour), TLSConfig: e.ca.ClientTLSConfig(), Protocol: 3})
				t.Cleanup(func() { _ = rdb.Close() })
				return rdb
			}
			rdb := newClient()

			big := bytes.Repeat([]byte("0123456789abcdef"), 256<<10) // 4 MiB
			if err := rdb.Set(ctx, "big", big, 0).Err(); err != nil {
				t.Fatal(err)
			}
			if got, err := rdb.Get(ctx, "big").Bytes(); err != nil || !bytes.Equal(got, big) {
				t.Fatalf("big value came back as %d bytes, %v", len(got), err)
			}

			// A blocked BLPOP holds only its own connection; a push from another one wakes it.
			done := make(chan []string, 1)
			go func() {
				v, _ := rdb.BLPop(ctx, 5*time.Second, "jobs").Result()
				done <- v
			}()
			time.Sleep(200 * time.Millisecond)
			if err := newClient().RPush(ctx, "jobs", "job-1").Err(); err != nil {
				t.Fatal(err)
			}
			select {
			case v := <-done:
				if len(v) != 2 || v[1] != "job-1" {
					t.Fatalf("BLPOP: %v", v)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("BLPOP never returned")
			}

			res, err := rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
				p.Incr(ctx, "tx")
				p.Incr(ctx, "tx")
				return nil
			})
			if err != nil || res[1].(*redis.IntCmd).Val() != 2 {
				t.Fatalf("MULTI/EXEC: %v", err)
			}
		})
	}
}

func TestGateRefusesAuthInsideMulti(t *testing.T) {
	e := startGateEnv(t, gateBackends[1])
	c := e.dial(t)
	c.expect("+OK\r\n", "AUTH", oid, e.issuer.token(t, oid, time.Hour))
	c.expect("+OK\r\n", "MULTI")
	c.expect("+QUEUED\r\n", "SET", "k", "v")
	c.expect("-ERR AUTH inside MULTI is not supported by the AMR emulator gate\r\n", "AUTH", oid, e.issuer.token(t, oid, time.Hour))
	c.send("EXEC")
	if got := c.reply(); !strings.HasPrefix(got, "-EXECABORT") {
		t.Fatalf("EXEC after a refused AUTH: %q", got)
	}
	c.expect("$-1\r\n", "GET", "k")
}

func TestGateStreamsMonitor(t *testing.T) {
	e := startGateEnv(t, gateBackends[1]) // miniredis has no MONITOR
	mon := e.dial(t)
	mon.expect("+OK\r\n", "AUTH", oid, e.issuer.token(t, oid, time.Hour))
	mon.expect("+OK\r\n", "MONITOR")
	c := e.dial(t)
	c.expect("+OK\r\n", "AUTH", oid, e.issuer.token(t, oid, time.Hour))
	for _, v := range []string{"one", "two"} {
		c.expect("+OK\r\n", "SET", "watched", v)
		for {
			got := mon.reply()
			if strings.Contains(got, `"SET" "watched" "`+v+`"`) {
				break
			}
		}
	}
}

// A reply with more elements than any nesting bound (KEYS * or HGETALL on a big database) passes
// through whole, and the connection stays up.
func TestGatePassesThroughRepliesWithMillionsOfElements(t *testing.T) {
	e := startGateEnv(t, gateBackends[1])
	c := e.dial(t)
	c.expect("+OK\r\n", "AUTH", oid, e.issuer.token(t, oid, time.Hour))
	const n = 1_200_000
	c.send("EVAL", "local t = {} for i = 1, tonumber(ARGV[1]) do t[i] = 7 end return t", "0", strconv.Itoa(n))
	_ = c.conn.SetReadDeadline(time.Now().Add(60 * time.Second))
	header, err := c.r.ReadString('\n')
	if err != nil || header != fmt.Sprintf("*%d\r\n", n) {
		t.Fatalf("reply header %q, %v", header, err)
	}
	want := []byte(":7\r\n")
	got := make([]byte, len(want))
	for i := range n {
		if _, err := io.ReadFull(c.r, got); err != nil || !bytes.Equal(got, want) {
			t.Fatalf("element %d: %q, %v", i, got, err)
		}
	}
	_ = c.conn.SetReadDeadline(time.Time{})
	c.expect("+PONG\r\n", "PING")
}

// Status and error lines have no length limit in Redis: a script can return any.
func TestGatePassesThroughLongStatusAndErrorLines(t *testing.T) {
	e := startGateEnv(t, gateBackends[1])
	c := e.dial(t)
	c.expect("+OK\r\n", "AUTH", oid, e.issuer.token(t, oid, time.Hour))
	long := strings.Repeat("x", 100_000)
	c.expect("+"+long+"\r\n", "EVAL", "return redis.status_reply(ARGV[1])", "0", long)
	c.expect("-ERR "+long+"\r\n", "EVAL", "return redis.error_reply(ARGV[1])", "0", long) // Redis adds the code
	c.expect("+PONG\r\n", "PING")
}
