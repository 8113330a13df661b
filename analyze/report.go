package analyze

import (
	"encoding/base64"
	"encoding/json"
	"time"
	"unicode/utf8"
)

// SchemaVersion is the version of the JSON form of Report; it changes when a field changes
// meaning or goes away (new fields do not change it).
const SchemaVersion = 1

// Report is the result of an analysis. Its JSON form is documented in the README ("Analysis").
type Report struct {
	SchemaVersion int           `json:"schema_version"`
	Mode          string        `json:"mode"`      // "sample" or "full"
	Complete      bool          `json:"complete"`  // every key was examined: totals are exact
	Cancelled     bool          `json:"cancelled"` // stopped before the end; totals are extrapolated
	StartedAt     time.Time     `json:"started_at"`
	Duration      float64       `json:"duration_seconds"`
	Options       ReportOptions `json:"options"`
	// MemorySource is "memory_usage" (MEMORY USAGE), "estimate" (it was denied: sizes are
	// estimated from lengths) or "mixed".
	MemorySource string `json:"memory_source"`
	// Confidence is the level of every interval (0.95).
	Confidence float64 `json:"confidence"`
	// Sampling describes how the keys were chosen, in words.
	Sampling string   `json:"sampling"`
	Keyspace Keyspace `json:"keyspace"`
	// Keys and Memory are the totals of the keys that match the options' pattern and type.
	Keys           Estimate       `json:"keys"`
	Memory         Estimate       `json:"memory_bytes"`
	Types          []TypeStat     `json:"types"`
	TopByMemory    []KeyRef       `json:"top_by_memory"`
	TTL            []TTLBucket    `json:"ttl"`
	ExpiringMemory Estimate       `json:"expiring_memory_bytes"`
	Namespaces     Namespace      `json:"namespaces"`
	Encodings      []EncodingStat `json:"encodings,omitempty"`
	Shards         []ShardStat    `json:"shards"`
	Skew           *Skew          `json:"skew,omitempty"`
	Findings       []Finding      `json:"findings"`
	Warnings       []string       `json:"warnings"`
}

// ReportOptions echoes the options that shaped the report.
type ReportOptions struct {
	Match         string   `json:"match"`
	Type          string   `json:"type"`
	Delimiters    []string `json:"delimiters"`
	SampleSize    int64    `json:"sample_size"` // keys sample mode aimed for (0 in full mode)
	MemorySamples int      `json:"memory_samples"`
	Rate          int      `json:"rate"` // commands/s per server; 0: no cap
}

// Keyspace counts keys of the whole keyspace, matching or not.
type Keyspace struct {
	Keys     int64 `json:"keys"`     // DBSIZE summed over the servers, at the start
	Examined int64 `json:"examined"` // keys SCAN returned
	Analyzed int64 `json:"analyzed"` // examined keys that matched and were probed
	Vanished int64 `json:"vanished"` // examined keys that were gone when probed
	Skipped  int64 `json:"skipped"`  // examined keys the server refused to describe (NOPERM, MOVED…)
}

// TypeStat is one type's totals and extremes.
type TypeStat struct {
	Type   string   `json:"type"`
	Keys   Estimate `json:"keys"`
	Memory Estimate `json:"memory_bytes"`
	// LengthUnit is what Length counts ("bytes" for strings, "elements" otherwise); empty when
	// no length command exists for the type (module types): their lengths are -1.
	LengthUnit string  `json:"length_unit"`
	AvgLength  float64 `json:"avg_length"`
	// SizeHistogram counts analysed keys by memory: bin i holds keys of [2^i, 2^(i+1)) bytes.
	SizeHistogram []int64  `json:"size_histogram"`
	TopByMemory   []KeyRef `json:"top_by_memory"`
	TopByLength   []KeyRef `json:"top_by_length"`
}

// KeyRef is one key with what the probe learnt about it. In JSON a key name that is not valid
// UTF-8 is given escaped in "key" and byte for byte in "key_base64".
type KeyRef struct {
	Key             string `json:"key"`
	Type            string `json:"type"`
	Memory          int64  `json:"memory_bytes"`
	MemoryEstimated bool   `json:"memory_estimated,omitempty"`
	Length          int64  `json:"length"` // -1: not measured
	TTL             int64  `json:"ttl_ms"` // -1: none
	Encoding        string `json:"encoding,omitempty"`
	Shard           string `json:"shard,omitempty"`
}

// TTLBucket groups keys by time to live.
type TTLBucket struct {
	Bucket string   `json:"bucket"` // "no TTL", "< 1 h", "< 1 d", "< 1 w", "≥ 1 w"
	Keys   Estimate `json:"keys"`
	Memory Estimate `json:"memory_bytes"`
}

// Namespace is a key name prefix ending in a delimiter, with every key under it. Children are
// sorted by memory, largest first; Other* count keys directly in the namespace and keys of
// sub-namespaces beyond the tree's depth or node budget.
type Namespace struct {
	Prefix string `json:"prefix"` // "" for the root; ID segments folded into "*"
	// Match is the SCAN MATCH pattern of the namespace's keys ("" for the root).
	Match            string      `json:"match"`
	Keys             Estimate    `json:"keys"`
	Memory           Estimate    `json:"memory_bytes"`
	KeysWithoutTTL   Estimate    `json:"keys_without_ttl"`
	MemoryWithoutTTL Estimate    `json:"memory_without_ttl_bytes"`
	OtherKeys        Estimate    `json:"other_keys"`
	OtherMemory      Estimate    `json:"other_memory_bytes"`
	Children         []Namespace `json:"children,omitempty"`
}

// EncodingStat counts keys by type and OBJECT ENCODING.
type EncodingStat struct {
	Type     string   `json:"type"`
	Encoding string   `json:"encoding"`
	Keys     Estimate `json:"keys"`
}

// ShardStat is one server's part (one entry unless the server is an OSS cluster).
type ShardStat struct {
	Addr     string   `json:"addr"`
	Keyspace Keyspace `json:"keyspace"`
	Complete bool     `json:"complete"`
	Keys     Estimate `json:"keys"`
	Memory   Estimate `json:"memory_bytes"`
}

// Skew compares the shards of a cluster: the largest shard's share over the mean share
// (1 is even; 2 means one shard holds twice its fair share).
type Skew struct {
	Keys          float64 `json:"keys"`
	Memory        float64 `json:"memory"`
	LargestKeys   string  `json:"largest_keys_shard"`
	LargestMemory string  `json:"largest_memory_shard"`
}

// Finding is something a user should act on, with why and the command to look.
type Finding struct {
	Kind    string `json:"kind"` // big_key, huge_collection, dominant_namespace, no_ttl_in_cache
	Subject string `json:"subject"`
	Reason  string `json:"reason"`
	// Command is a Redis command, quoted as redis-cli and amr-tui exec read it.
	Command string `json:"command"`
}

type keyRefJSON KeyRef

// MarshalJSON writes a key that is not valid UTF-8 escaped, with its bytes in key_base64.
func (k KeyRef) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		keyRefJSON
		Key    string `json:"key"`
		Base64 string `json:"key_base64,omitempty"`
	}{keyRefJSON(k), jsonText(k.Key), jsonBase64(k.Key)})
}

// UnmarshalJSON reads what MarshalJSON writes, taking key_base64 over key when present.
func (k *KeyRef) UnmarshalJSON(b []byte) error {
	var v struct {
		keyRefJSON
		Base64 string `json:"key_base64"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*k = KeyRef(v.keyRefJSON)
	if v.Base64 != "" {
		raw, err := base64.StdEncoding.DecodeString(v.Base64)
		if err != nil {
			return err
		}
		k.Key = string(raw)
	}
	return nil
}

type namespaceJSON Namespace

// MarshalJSON writes a prefix that is not valid UTF-8 escaped, with its bytes in prefix_base64.
func (n Namespace) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		namespaceJSON
		Prefix      string `json:"prefix"`
		Base64      string `json:"prefix_base64,omitempty"`
		Match       string `json:"match"`
		MatchBase64 string `json:"match_base64,omitempty"`
	}{namespaceJSON(n), jsonText(n.Prefix), jsonBase64(n.Prefix), jsonText(n.Match), jsonBase64(n.Match)})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (n *Namespace) UnmarshalJSON(b []byte) error {
	var v struct {
		namespaceJSON
		Base64      string `json:"prefix_base64"`
		MatchBase64 string `json:"match_base64"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*n = Namespace(v.namespaceJSON)
	for _, f := range []struct {
		b64 string
		dst *string
	}{{v.Base64, &n.Prefix}, {v.MatchBase64, &n.Match}} {
		if f.b64 == "" {
			continue
		}
		raw, err := base64.StdEncoding.DecodeString(f.b64)
		if err != nil {
			return err
		}
		*f.dst = string(raw)
	}
	return nil
}

func jsonText(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return Escape(s)
}

func jsonBase64(s string) string {
	if utf8.ValidString(s) {
		return ""
	}
	return base64.StdEncoding.EncodeToString([]byte(s))
}

type findingJSON Finding

// MarshalJSON writes a subject that is not valid UTF-8 escaped, with its bytes in
// subject_base64.
func (f Finding) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		findingJSON
		Subject string `json:"subject"`
		Base64  string `json:"subject_base64,omitempty"`
	}{findingJSON(f), jsonText(f.Subject), jsonBase64(f.Subject)})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (f *Finding) UnmarshalJSON(b []byte) error {
	var v struct {
		findingJSON
		Base64 string `json:"subject_base64"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*f = Finding(v.findingJSON)
	if v.Base64 != "" {
		raw, err := base64.StdEncoding.DecodeString(v.Base64)
		if err != nil {
			return err
		}
		f.Subject = string(raw)
	}
	return nil
}
