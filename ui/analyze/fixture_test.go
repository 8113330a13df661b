package analyze

import (
	"time"

	engine "github.com/amr-tui/amr-tui/analyze"
)

func exact(v int64) engine.Estimate { return engine.Estimate{Value: v, Low: v, High: v, Exact: true} }

func approx(v, lo, hi int64) engine.Estimate { return engine.Estimate{Value: v, Low: lo, High: hi} }

// fixedReport is a report with every section filled, a binary key name and a sample's
// intervals, for the renderers' goldens.
func fixedReport() *engine.Report {
	bin := "img:\xff\x00raw\n"
	return &engine.Report{
		SchemaVersion: engine.SchemaVersion, Mode: "sample", StartedAt: time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC), Duration: 2.5,
		Options:      engine.ReportOptions{Delimiters: []string{":"}, SampleSize: 100000, MemorySamples: 5, Rate: engine.DefaultRate},
		MemorySource: "memory_usage", Confidence: 0.95,
		Sampling: "100000 of 5000000 keys examined (the first keys of each server's SCAN order, which follows the hash of the key name: a random sample); totals are extrapolated with 95 % confidence intervals; top keys are the largest in the sample",
		Keyspace: engine.Keyspace{Keys: 5000000, Examined: 100000, Analyzed: 100000},
		Keys:     approx(5000000, 5000000, 5000000), Memory: approx(3<<30, 2900<<20, 3200<<20), ExpiringMemory: approx(1<<30, 900<<20, 1100<<20),
		Types: []engine.TypeStat{
			{Type: "hash", Keys: approx(2000000, 1980000, 2020000), Memory: approx(2<<30, 1900<<20, 2100<<20), LengthUnit: "fields", AvgLength: 12.5,
				SizeHistogram: []int64{0, 0, 0, 0, 0, 0, 10, 400, 9000, 20000, 8000, 2000, 400, 50, 3, 0, 0, 0, 0, 0, 0, 0, 0, 1},
				TopByMemory:   []engine.KeyRef{{Key: "user:1:sessions", Type: "hash", Memory: 12 << 20, Length: 1_200_000, TTL: -1, Encoding: "hashtable"}},
				TopByLength:   []engine.KeyRef{{Key: "user:1:sessions", Type: "hash", Memory: 12 << 20, Length: 1_200_000, TTL: -1}}},
			{Type: "string", Keys: approx(3000000, 2980000, 3020000), Memory: approx(1<<30, 950<<20, 1100<<20), LengthUnit: "bytes", AvgLength: 210,
				SizeHistogram: []int64{0, 0, 0, 0, 0, 0, 30000, 20000, 9000, 1000},
				TopByMemory:   []engine.KeyRef{{Key: bin, Type: "string", Memory: 900 << 10, Length: 900000, TTL: 3600_000}},
				TopByLength:   []engine.KeyRef{{Key: bin, Type: "string", Memory: 900 << 10, Length: 900000, TTL: 3600_000}}},
		},
		TopByMemory: []engine.KeyRef{
			{Key: "user:1:sessions", Type: "hash", Memory: 12 << 20, Length: 1_200_000, TTL: -1, Encoding: "hashtable"},
			{Key: bin, Type: "string", Memory: 900 << 10, Length: 900000, TTL: 3600_000},
		},
		TTL: []engine.TTLBucket{
			{Bucket: "no TTL", Keys: approx(2000000, 1990000, 2010000), Memory: approx(2<<30, 1900<<20, 2100<<20)},
			{Bucket: "< 1 h", Keys: approx(1000000, 990000, 1010000), Memory: approx(300<<20, 290<<20, 310<<20)},
			{Bucket: "< 1 d", Keys: approx(1000000, 990000, 1010000), Memory: approx(300<<20, 290<<20, 310<<20)},
			{Bucket: "< 1 w", Keys: approx(1000000, 990000, 1010000), Memory: approx(424<<20, 400<<20, 450<<20)},
			{Bucket: "≥ 1 w", Keys: exact(0), Memory: exact(0)},
		},
		Namespaces: engine.Namespace{Keys: approx(5000000, 5000000, 5000000), Memory: approx(3<<30, 2900<<20, 3200<<20),
			OtherKeys: approx(50000, 40000, 60000), OtherMemory: approx(10<<20, 8<<20, 12<<20),
			Children: []engine.Namespace{
				{Prefix: "user:", Match: "user:*", Keys: approx(2950000, 2900000, 3000000), Memory: approx(2600<<20, 2500<<20, 2700<<20), KeysWithoutTTL: approx(2000000, 1990000, 2010000),
					Children:  []engine.Namespace{{Prefix: "user:*:", Match: "user:*:*", Keys: approx(50, 0, 150), Memory: approx(12<<20, 0, 30<<20)}},
					OtherKeys: approx(2949950, 2900000, 3000000), OtherMemory: approx(2588<<20, 2500<<20, 2700<<20)},
				{Prefix: "img:", Match: "img:*", Keys: approx(2000000, 1980000, 2020000), Memory: approx(462<<20, 450<<20, 480<<20)},
			}},
		Encodings: []engine.EncodingStat{{Type: "string", Encoding: "embstr", Keys: approx(2500000, 2490000, 2510000)}},
		Shards: []engine.ShardStat{
			{Addr: "10.0.0.1:10000", Keyspace: engine.Keyspace{Keys: 3000000, Examined: 60000, Analyzed: 60000}, Keys: approx(3000000, 3000000, 3000000), Memory: approx(2<<30, 1900<<20, 2100<<20)},
			{Addr: "10.0.0.2:10000", Keyspace: engine.Keyspace{Keys: 2000000, Examined: 40000, Analyzed: 40000}, Keys: approx(2000000, 2000000, 2000000), Memory: approx(1<<30, 900<<20, 1100<<20)},
		},
		Skew: &engine.Skew{Keys: 1.2, Memory: 1.33, LargestKeys: "10.0.0.1:10000", LargestMemory: "10.0.0.1:10000"},
		Findings: []engine.Finding{
			{Kind: "big_key", Subject: "user:1:sessions", Reason: "hash user:1:sessions uses 12.0 MiB (measured by MEMORY USAGE): reading, migrating or DEL-ing it blocks the server; split it or delete it with UNLINK",
				Command: "MEMORY USAGE user:1:sessions SAMPLES 0"},
			{Kind: "big_key", Subject: bin, Reason: "string " + engine.DisplayKey(bin) + " is big", Command: "MEMORY USAGE " + engine.Quote(bin) + " SAMPLES 0"},
		},
		Warnings: []string{"keys of type ReJSON-RL have no length command the analysis knows; their memory is measured, their length is not"},
	}
}
