package emulator_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/decode"
	"github.com/amr-tui/amr-tui/emulator"
)

// The demo's compressed and serialized values decode to what they hold, through the decode
// package a user's viewer uses.
func TestSeedDecoderValues(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	addr := startEmbedded(t)
	if _, err := emulator.Seed(ctx, addr, emulator.SeedOptions{Keys: 30, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(&redis.Options{Addr: addr, Protocol: 2, DisableIdentity: true})
	defer rdb.Close()

	for key, want := range map[string]struct{ chain, text string }{
		"cache:report:2026-q4:gz":    {"gzip → JSON", `"quarter": "2026-Q4"`},
		"cache:cart:1042:msgpack":    {"MessagePack", `"user": 1042`},
		"cache:catalog:featured:zst": {"zstd → JSON", `"featured": [`},
		"celery:result:7":            {"pickle", `"outputs": [`},
	} {
		raw, err := rdb.Get(ctx, key).Bytes()
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		r := decode.Decode(ctx, raw, decode.Auto, decode.Options{})
		if r.Chain() != want.chain || !strings.Contains(r.Text, want.text) {
			t.Errorf("%s: %s\n%s", key, r.Chain(), r.Text)
		}
	}
	raw, _ := rdb.Get(ctx, "proto:user:1042").Bytes()
	if r := decode.Decode(ctx, raw, decode.Protobuf, decode.Options{}); r.Err != nil || !strings.Contains(r.Text, `1: "Dublin" (string)`) {
		t.Errorf("protobuf: %v\n%s", r.Err, r.Text)
	}
	item, _ := rdb.LIndex(ctx, "queue:jobs:msgpack", 0).Bytes()
	if r := decode.Decode(ctx, item, decode.Auto, decode.Options{}); r.Chain() != "MessagePack" || !strings.Contains(r.Text, `"job": 0`) {
		t.Errorf("queue item: %s\n%s", r.Chain(), r.Text)
	}

	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	for key, want := range map[string]string{
		"aspnet:cache:WeatherForecast:today": "JSON",
		"aspnet:cache:Pricing:eu":            "gzip → JSON",
	} {
		fields, err := rdb.HGetAll(ctx, key).Result()
		if err != nil {
			t.Fatal(err)
		}
		e, ok := decode.DetectCacheEntry(fields)
		if !ok {
			t.Fatalf("%s: not recognised: %v", key, fields)
		}
		r := decode.DecodeCacheEntry(ctx, e, decode.Auto, decode.Options{}, now)
		if r.Chain() != want || !strings.Contains(r.Note, "absolute expiration: 2030-01-01 00:00:00") {
			t.Errorf("%s: %s\n%s", key, r.Chain(), r.Note)
		}
	}
}
