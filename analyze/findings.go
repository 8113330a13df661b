package analyze

import (
	"fmt"
	"regexp"
	"sort"
	"sync"
)

// Thresholds of the findings.
const (
	// BigKeyBytes: a key this large blocks the server while it is read, copied or deleted
	// (DEL of a big key is synchronous; UNLINK is not).
	BigKeyBytes = 10 << 20
	// HugeLength: a collection this long makes every O(n) command on it (HGETALL, SMEMBERS,
	// LRANGE 0 -1) a latency spike.
	HugeLength = 1_000_000
	// DominantShare: a namespace holding this share of memory is where to look first.
	DominantShare = 0.8
	// MostlyExpiring: in a namespace where at least this share of keys expire, the keys that
	// do not are probably missing an EXPIRE.
	MostlyExpiring    = 0.9
	maxFindingsOfKind = 20
)

// cacheLike matches namespace names that say their keys are disposable.
var cacheLike = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)(cache|session|sess|tmp|temp|ttl|expir|lock|throttle|ratelimit|rate-limit|otp|token|nonce)`)
})

// findings lists what a user should act on, most serious first.
func findings(rep *Report, root *nsEst, o Options) []Finding {
	out := []Finding{}
	seen := map[string]bool{}
	add := func(f Finding) {
		if !seen[f.Kind+"\x00"+f.Subject] {
			seen[f.Kind+"\x00"+f.Subject] = true
			out = append(out, f)
		}
	}
	var big, huge []KeyRef
	for _, t := range rep.Types {
		for _, k := range t.TopByMemory {
			if k.Memory >= BigKeyBytes {
				big = append(big, k)
			}
		}
		for _, k := range t.TopByLength {
			if k.Type != "string" && k.Length >= HugeLength {
				huge = append(huge, k)
			}
		}
	}
	sort.SliceStable(big, func(i, j int) bool { return big[i].Memory > big[j].Memory })
	sort.SliceStable(huge, func(i, j int) bool { return huge[i].Length > huge[j].Length })
	for _, k := range big[:min(len(big), maxFindingsOfKind)] {
		how := "measured by MEMORY USAGE"
		if k.MemoryEstimated {
			how = "estimated"
		}
		add(Finding{Kind: "big_key", Subject: k.Key,
			Reason: fmt.Sprintf("%s %s uses %s (%s): reading, migrating or DEL-ing it blocks the server; split it or delete it with UNLINK",
				k.Type, DisplayKey(k.Key), FormatBytes(k.Memory), how),
			Command: command("MEMORY", "USAGE", k.Key, "SAMPLES", "0")})
	}
	for _, k := range huge[:min(len(huge), maxFindingsOfKind)] {
		sc := sizeCommands[k.Type]
		add(Finding{Kind: "huge_collection", Subject: k.Key,
			Reason: fmt.Sprintf("%s %s has %s %s: commands that read it whole (HGETALL, SMEMBERS, LRANGE 0 -1, ZRANGE 0 -1) stall the server; page through it with a SCAN-family command",
				k.Type, DisplayKey(k.Key), FormatCount(k.Length), sc.unit),
			Command: scanCommand(k)})
	}
	if total := rep.Memory.Value; total > 0 {
		var walk func(n Namespace)
		walk = func(n Namespace) {
			for _, c := range n.Children {
				share := float64(c.Memory.Value) / float64(total)
				if share >= DominantShare && c.Keys.Value < rep.Keys.Value {
					add(Finding{Kind: "dominant_namespace", Subject: c.Prefix,
						Reason: fmt.Sprintf("namespace %s holds %.0f %% of the memory (%s in %s keys)",
							DisplayKey(c.Prefix), share*100, FormatBytes(c.Memory.Value), FormatCount(c.Keys.Value)),
						Command: command("SCAN", "0", "MATCH", c.Match, "COUNT", "1000")})
					walk(c) // a sub-namespace may hold most of it too
				}
			}
		}
		walk(rep.Namespaces)
	}
	var noTTL []Finding
	var walk func(n *nsEst, depth int)
	walk = func(n *nsEst, depth int) {
		for _, c := range n.children {
			nt := c.ntKeys.v
			if nt > 0 && c.example != "" {
				share := 1 - nt/c.keys.v
				var why string
				switch {
				case cacheLike().MatchString(c.prefix):
					why = "its name says its keys are disposable"
				case share >= MostlyExpiring:
					why = fmt.Sprintf("%.0f %% of its keys expire, so these probably lack an EXPIRE", share*100)
				}
				if why != "" {
					noTTL = append(noTTL, Finding{Kind: "no_ttl_in_cache", Subject: c.prefix,
						Reason: fmt.Sprintf("namespace %s has %s keys without a TTL (%s), and %s; they stay until evicted or deleted",
							DisplayKey(c.prefix), FormatCount(int64(nt+0.5)), FormatBytes(int64(c.ntMe.v+0.5)), why),
						Command: command("TTL", c.example)})
					continue // its sub-namespaces say the same
				}
			}
			walk(c, depth+1)
		}
	}
	walk(root, 0)
	sort.SliceStable(noTTL, func(i, j int) bool { return noTTL[i].Subject < noTTL[j].Subject })
	for _, f := range noTTL[:min(len(noTTL), maxFindingsOfKind)] {
		add(f)
	}
	return out
}

// scanCommand is the command that pages through a collection.
func scanCommand(k KeyRef) string {
	switch k.Type {
	case "hash":
		return command("HSCAN", k.Key, "0", "COUNT", "100")
	case "set":
		return command("SSCAN", k.Key, "0", "COUNT", "100")
	case "zset":
		return command("ZSCAN", k.Key, "0", "COUNT", "100")
	case "list":
		return command("LRANGE", k.Key, "0", "99")
	case "stream":
		return command("XRANGE", k.Key, "-", "+", "COUNT", "100")
	}
	return command("TYPE", k.Key)
}

// globEscape makes s match itself literally in a Redis glob.
func globEscape(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '*', '?', '[', ']', '\\':
			b = append(b, '\\')
		}
		b = append(b, s[i])
	}
	return string(b)
}

// FormatBytes renders a byte count in binary units (1.5 MiB).
func FormatBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// FormatCount renders a count with thousands separators (1,234,567).
func FormatCount(n int64) string {
	s := itoa(n)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}
