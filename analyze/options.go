package analyze

import (
	"errors"
	"fmt"
	"strings"
)

// Mode chooses between a sample of the keyspace and a walk of all of it.
type Mode int

const (
	// Sample examines a prefix of each server's SCAN order (see the package documentation) and
	// extrapolates totals with a 95 % confidence interval.
	Sample Mode = iota
	// Full examines every key; totals are exact.
	Full
)

// String is the mode's name in reports ("sample", "full").
func (m Mode) String() string {
	if m == Full {
		return "full"
	}
	return "sample"
}

// Defaults of Options.
const (
	// DefaultRate is the per-server command rate cap (commands per second) when Options.Rate is
	// zero. BENCHMARKS.md records how much latency it adds for other clients of the server.
	DefaultRate = 100000
	// DefaultMemorySamples is MEMORY USAGE's own default (and what redis-cli --memkeys uses).
	DefaultMemorySamples = 5
	// DefaultTopN is how many keys each top list keeps.
	DefaultTopN = 10
	// DefaultScanCount is SCAN's COUNT, and the largest batch of keys probed in one pipeline.
	DefaultScanCount = 1000
	// DefaultMaxDepth is how many delimiter levels the namespace tree keeps.
	DefaultMaxDepth = 6
	// DefaultMaxNamespaces bounds the namespace tree's nodes; keys of namespaces beyond it are
	// counted in their parent's "other keys".
	DefaultMaxNamespaces = 20000
	// MaxAutoSample and AutoSampleFraction size the default sample: the smaller of 100k keys and
	// 10 % of the keyspace, but never fewer than MinAutoSample (a smaller keyspace is walked
	// whole, which is cheap and exact).
	MaxAutoSample      = 100000
	AutoSampleFraction = 0.10
	MinAutoSample      = 10000
)

// Options configure an analysis. The zero value is a default sample analysis of every key.
type Options struct {
	Mode Mode
	// SampleSize is how many keys matching Match sample mode examines in all (0: automatic, see
	// MaxAutoSample). It is split between cluster shards by their key counts.
	SampleSize int64
	// Match is a Redis glob; only matching keys are analysed ("" or "*": all).
	Match string
	// Type keeps only keys of this type (as TYPE names it: string, hash, ReJSON-RL…); "": all.
	Type string
	// Delimiters split key names into namespaces (default ":").
	Delimiters []string
	// Rate caps the commands per second sent to each server: 0 means DefaultRate, a negative
	// value no cap.
	Rate int
	// MemorySamples is MEMORY USAGE's SAMPLES: 0 means DefaultMemorySamples, a negative value
	// every element (SAMPLES 0, exact but slow on big keys).
	MemorySamples int
	// Encodings adds OBJECT ENCODING to every probe.
	Encodings bool
	// TopN is the length of each top list (0: DefaultTopN).
	TopN int
	// ScanCount is SCAN's COUNT (0: DefaultScanCount).
	ScanCount int
	// KeepIDs keeps name segments that look like IDs (numbers, UUIDs, long hex) as namespaces
	// of their own; by default they are folded into "*" (user:*: rather than user:1:, user:2:…).
	KeepIDs bool
	// MaxDepth and MaxNamespaces bound the namespace tree (0: defaults).
	MaxDepth      int
	MaxNamespaces int
	// Workers is how many probe pipelines each server has in flight (0: 2).
	Workers int
}

// knownTypes are the types TYPE answers for core data structures.
var knownTypes = []string{"string", "list", "set", "zset", "hash", "stream"}

func (o Options) withDefaults() Options {
	if o.Match == "*" {
		o.Match = ""
	}
	if len(o.Delimiters) == 0 {
		o.Delimiters = []string{":"}
	}
	if o.Rate == 0 {
		o.Rate = DefaultRate
	}
	if o.MemorySamples == 0 {
		o.MemorySamples = DefaultMemorySamples
	}
	if o.TopN == 0 {
		o.TopN = DefaultTopN
	}
	if o.ScanCount == 0 {
		o.ScanCount = DefaultScanCount
	}
	if o.MaxDepth == 0 {
		o.MaxDepth = DefaultMaxDepth
	}
	if o.MaxNamespaces == 0 {
		o.MaxNamespaces = DefaultMaxNamespaces
	}
	if o.Workers == 0 {
		o.Workers = 2
	}
	return o
}

// Validate reports the first option that cannot work, in words a user can act on.
func (o Options) Validate() error {
	switch {
	case o.Mode != Sample && o.Mode != Full:
		return fmt.Errorf("analyze: unknown mode %d", o.Mode)
	case o.SampleSize < 0:
		return fmt.Errorf("analyze: the sample size must be positive, not %d", o.SampleSize)
	case o.Mode == Full && o.SampleSize > 0:
		return errors.New("analyze: a sample size and a full analysis exclude each other")
	case o.TopN < 0 || o.TopN > 1000:
		return fmt.Errorf("analyze: the top-N length must be 1–1000, not %d", o.TopN)
	case o.ScanCount < 0 || o.ScanCount > 100000:
		return fmt.Errorf("analyze: the SCAN COUNT must be 1–100000, not %d", o.ScanCount)
	case o.MaxDepth < 0 || o.MaxNamespaces < 0 || o.Workers < 0 || o.Workers > 64:
		return errors.New("analyze: namespace depth, namespace budget and workers must be positive")
	case o.Rate > 0 && o.Rate < 10:
		return fmt.Errorf("analyze: a rate of %d commands/s is too low to make progress (minimum 10)", o.Rate)
	}
	for _, d := range o.Delimiters {
		if d == "" {
			return errors.New("analyze: a namespace delimiter cannot be empty")
		}
	}
	if strings.ContainsAny(o.Type, " \t\r\n") {
		return fmt.Errorf("analyze: %q is not a type name", o.Type)
	}
	return nil
}
