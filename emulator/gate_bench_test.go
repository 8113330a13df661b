package emulator_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// BenchmarkGate compares go-redis round trips and 100-command pipelines through the TLS gate
// with the same against the backend directly.
func BenchmarkGate(b *testing.B) {
	for _, via := range []string{"direct", "gate"} {
		b.Run(via, func(b *testing.B) {
			e := startGateEnv(b, gateBackends[1])
			opts := &redis.Options{Addr: e.backend, DisableIdentity: true}
			if via == "gate" {
				opts = &redis.Options{Addr: e.gate.Addr(), Username: oid, Password: e.issuer.token(b, oid, time.Hour),
					TLSConfig: e.ca.ClientTLSConfig(), DisableIdentity: true}
			}
			rdb := redis.NewClient(opts)
			defer rdb.Close()
			ctx := context.Background()
			if err := rdb.Set(ctx, "k", "v", 0).Err(); err != nil {
				b.Fatal(err)
			}
			b.Run("GET", func(b *testing.B) {
				for b.Loop() {
					if err := rdb.Get(ctx, "k").Err(); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("pipeline100", func(b *testing.B) {
				for b.Loop() {
					_, err := rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
						for i := range 100 {
							p.Set(ctx, fmt.Sprint("k", i), "v", 0)
						}
						return nil
					})
					if err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(100*b.N)/b.Elapsed().Seconds(), "cmds/s")
			})
		})
	}
}
