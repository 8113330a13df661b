package emulator_test

import (
	"bytes"
	"context"
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
