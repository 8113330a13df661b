package analyze

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/internal/golden"
)

func exact(v int64) Estimate { return Estimate{Value: v, Low: v, High: v, Exact: true} }

func approx(v, lo, hi int64) Estimate { return Estimate{Value: v, Low: lo, High: hi} }

// fixedReport is a report with every section filled, a binary key name and a sample's
// intervals, for the renderers' goldens.
func fixedReport() *Report {
	bin := "img:\xff\x00raw\n"
	return &Report{
		SchemaVersion: SchemaVersion, Mode: "sample", StartedAt: time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC), Duration: 2.5,
		Options:      ReportOptions{Delimiters: []string{":"}, SampleSize: 100000, MemorySamples: 5, Rate: DefaultRate},
		MemorySource: "memory_usage", Confidence: 0.95,
		Sampling: "100000 of 5000000 keys examined (the first keys of each server's SCAN order, which follows the hash of the key name: a random sample); totals are extrapolated with 95 % confidence intervals; top keys are the largest in the sample",
		Keyspace: Keyspace{Keys: 5000000, Examined: 100000, Analyzed: 100000},
		Keys:     approx(5000000, 5000000, 5000000), Memory: approx(3<<30, 2900<<20, 3200<<20), ExpiringMemory: approx(1<<30, 900<<20, 1100<<20),
		Types: []TypeStat{
			{Type: "hash", Keys: approx(2000000, 1980000, 2020000), Memory: approx(2<<30, 1900<<20, 2100<<20), LengthUnit: "fields", AvgLength: 12.5,
				SizeHistogram: []int64{0, 0, 0, 0, 0, 0, 10, 400, 9000, 20000, 8000, 2000, 400, 50, 3, 0, 0, 0, 0, 0, 0, 0, 0, 1},
				TopByMemory:   []KeyRef{{Key: "user:1:sessions", Type: "hash", Memory: 12 << 20, Length: 1_200_000, TTL: -1, Encoding: "hashtable"}},
				TopByLength:   []KeyRef{{Key: "user:1:sessions", Type: "hash", Memory: 12 << 20, Length: 1_200_000, TTL: -1}}},
			{Type: "string", Keys: approx(3000000, 2980000, 3020000), Memory: approx(1<<30, 950<<20, 1100<<20), LengthUnit: "bytes", AvgLength: 210,
				SizeHistogram: []int64{0, 0, 0, 0, 0, 0, 30000, 20000, 9000, 1000},
				TopByMemory:   []KeyRef{{Key: bin, Type: "string", Memory: 900 << 10, Length: 900000, TTL: 3600_000}},
				TopByLength:   []KeyRef{{Key: bin, Type: "string", Memory: 900 << 10, Length: 900000, TTL: 3600_000}}},
		},
		TopByMemory: []KeyRef{
			{Key: "user:1:sessions", Type: "hash", Memory: 12 << 20, Length: 1_200_000, TTL: -1, Encoding: "hashtable"},
			{Key: bin, Type: "string", Memory: 900 << 10, Length: 900000, TTL: 3600_000},
		},
		TTL: []TTLBucket{
			{Bucket: "no TTL", Keys: approx(2000000, 1990000, 2010000), Memory: approx(2<<30, 1900<<20, 2100<<20)},
			{Bucket: "< 1 h", Keys: approx(1000000, 990000, 1010000), Memory: approx(300<<20, 290<<20, 310<<20)},
			{Bucket: "< 1 d", Keys: approx(1000000, 990000, 1010000), Memory: approx(300<<20, 290<<20, 310<<20)},
			{Bucket: "< 1 w", Keys: approx(1000000, 990000, 1010000), Memory: approx(424<<20, 400<<20, 450<<20)},
			{Bucket: "≥ 1 w", Keys: exact(0), Memory: exact(0)},
		},
		Namespaces: Namespace{Keys: approx(5000000, 5000000, 5000000), Memory: approx(3<<30, 2900<<20, 3200<<20),
			OtherKeys: approx(50000, 40000, 60000), OtherMemory: approx(10<<20, 8<<20, 12<<20),
			Children: []Namespace{
				{Prefix: "user:", Keys: approx(2950000, 2900000, 3000000), Memory: approx(2600<<20, 2500<<20, 2700<<20), KeysWithoutTTL: approx(2000000, 1990000, 2010000),
					Children:  []Namespace{{Prefix: "user:1:", Keys: approx(50, 0, 150), Memory: approx(12<<20, 0, 30<<20)}},
					OtherKeys: approx(2949950, 2900000, 3000000), OtherMemory: approx(2588<<20, 2500<<20, 2700<<20)},
				{Prefix: "img:", Keys: approx(2000000, 1980000, 2020000), Memory: approx(462<<20, 450<<20, 480<<20)},
			}},
		Encodings: []EncodingStat{{Type: "string", Encoding: "embstr", Keys: approx(2500000, 2490000, 2510000)}},
		Shards: []ShardStat{
			{Addr: "10.0.0.1:10000", Keyspace: Keyspace{Keys: 3000000, Examined: 60000, Analyzed: 60000}, Keys: approx(3000000, 3000000, 3000000), Memory: approx(2<<30, 1900<<20, 2100<<20)},
			{Addr: "10.0.0.2:10000", Keyspace: Keyspace{Keys: 2000000, Examined: 40000, Analyzed: 40000}, Keys: approx(2000000, 2000000, 2000000), Memory: approx(1<<30, 900<<20, 1100<<20)},
		},
		Skew: &Skew{Keys: 1.2, Memory: 1.33, LargestKeys: "10.0.0.1:10000", LargestMemory: "10.0.0.1:10000"},
		Findings: []Finding{
			{Kind: "big_key", Subject: "user:1:sessions", Reason: "hash user:1:sessions uses 12.0 MiB (measured by MEMORY USAGE): reading, migrating or DEL-ing it blocks the server; split it or delete it with UNLINK",
				Command: command("MEMORY", "USAGE", "user:1:sessions", "SAMPLES", "0")},
			{Kind: "big_key", Subject: bin, Reason: "string " + DisplayKey(bin) + " is big", Command: command("MEMORY", "USAGE", bin, "SAMPLES", "0")},
		},
		Warnings: []string{"keys of type ReJSON-RL have no length command the analysis knows; their memory is measured, their length is not"},
	}
}

func TestWriteTextGolden(t *testing.T) {
	var b bytes.Buffer
	if err := WriteText(&b, fixedReport(), TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(b.String(), "\x00\xff\x1b") {
		t.Error("the text report writes a key's raw bytes")
	}
	golden.Assert(t, "", b.Bytes())
}

// The JSON form round-trips every key name byte for byte (names that are not UTF-8 travel in
// key_base64) and matches the documented example.
func TestJSONRoundTrip(t *testing.T) {
	rep := fixedReport()
	out, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out, []byte(`"key_base64": "aW1nOv8AcmF3Cg=="`)) || !bytes.Contains(out, []byte(`"key": "img:\\xff\\x00raw\\n"`)) {
		t.Errorf("binary key not escaped with its bytes in key_base64:\n%s", out)
	}
	var back Report
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&back, rep) {
		t.Errorf("JSON round trip changed the report:\n%+v\n%+v", back, *rep)
	}
	golden.Assert(t, "", out)
}

func TestQuoteRoundTrip(t *testing.T) {
	for s, want := range map[string]string{
		"plain": "plain", "a b": `"a b"`, "": `""`, "x\"y": `"x\"y"`, `back\slash`: `"back\\slash"`,
		"\xff\x00\n": `"\xff\x00\n"`, "héllo": "héllo", "\u200bzero": `"\xe2\x80\x8bzero"`,
	} {
		if got := Quote(s); got != want {
			t.Errorf("Quote(%q) = %s, want %s", s, got, want)
		}
	}
}

func TestChartsAndFormats(t *testing.T) {
	cases := map[string]string{
		Bar(1, 2, 10):                  "█████",
		Bar(1, 16, 1):                  "▏",
		Bar(0.0001, 1, 10):             "▏",
		Bar(3, 2, 4):                   "████",
		Bar(0, 2, 4):                   "",
		Sparkline([]int64{0, 1, 4, 8}): " ▁▄█",
		FormatBytes(1536):              "1.5 KiB",
		FormatBytes(10 << 20):          "10.0 MiB",
		FormatCount(1234567):           "1,234,567",
		FormatEstimate(approx(100, 90, 110), false): "≈100 ±10%",
		FormatEstimate(exact(100), true):            "100 B",
	}
	for got, want := range cases {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}
