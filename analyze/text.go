package analyze

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// TextOptions shape the plain-text report.
type TextOptions struct {
	Width      int // bar chart width in cells (default 30)
	Namespaces int // namespaces shown per level (default 10)
	Depth      int // namespace levels shown (default 2)
}

// WriteText writes the report for a terminal or a log: totals, bar charts of memory by type,
// namespace and TTL, size sparklines, top keys, encodings, shards and findings. Key names are
// escaped (see Escape); the output is plain UTF-8 without colour.
func WriteText(w io.Writer, rep *Report, o TextOptions) error {
	if o.Width <= 0 {
		o.Width = 30
	}
	if o.Namespaces <= 0 {
		o.Namespaces = 10
	}
	if o.Depth <= 0 {
		o.Depth = 2
	}
	b := bufio.NewWriter(w)
	p := func(format string, a ...any) { fmt.Fprintf(b, format, a...) }

	state := ""
	if rep.Cancelled {
		state = " · CANCELLED"
	}
	p("Analysis (%s%s) · %s of %s keys examined · %.1f s\n", rep.Mode, state,
		FormatCount(rep.Keyspace.Examined), FormatCount(rep.Keyspace.Keys), rep.Duration)
	p("%s.\n", upperFirst(rep.Sampling))
	if rep.Options.Match != "" || rep.Options.Type != "" {
		p("Only keys matching %s of type %s.\n", orAll(rep.Options.Match, "*"), orAll(rep.Options.Type, "any"))
	}
	switch rep.MemorySource {
	case "memory_usage":
		p("Memory: MEMORY USAGE with SAMPLES %d.\n", rep.Options.MemorySamples)
	default:
		p("Memory: ESTIMATED from lengths (MEMORY USAGE was refused).\n")
	}
	p("\nKeys %s · memory %s · memory that will expire %s\n",
		FormatEstimate(rep.Keys, false), FormatEstimate(rep.Memory, true), FormatEstimate(rep.ExpiringMemory, true))

	if len(rep.Types) > 0 {
		p("\nMemory by type%s\n", "  (sizes: keys by memory, 1 B … 1 GiB+, log scale)")
		var hi float64
		tw := 6
		for _, t := range rep.Types {
			hi = max(hi, float64(t.Memory.Value))
			tw = max(tw, utf8.RuneCountInString(t.Type))
		}
		for _, t := range rep.Types {
			p("  %-*s %-*s %10s %5s  %13s keys  %s\n", tw, t.Type, o.Width, Bar(float64(t.Memory.Value), hi, o.Width),
				FormatBytes(t.Memory.Value), pct(t.Memory.Value, rep.Memory.Value), FormatEstimate(t.Keys, false), Sparkline(t.SizeHistogram))
		}
	}

	if ns := rep.Namespaces; len(ns.Children) > 0 {
		p("\nMemory by namespace (delimiters %s)\n", quoteAll(rep.Options.Delimiters))
		writeNamespaces(b, ns, rep.Memory.Value, o, 0)
	}

	if len(rep.TTL) > 0 {
		p("\nTTL\n")
		var hi float64
		for _, t := range rep.TTL {
			hi = max(hi, float64(t.Memory.Value))
		}
		for _, t := range rep.TTL {
			p("  %-6s %-*s %10s %5s  %13s keys\n", t.Bucket, o.Width, Bar(float64(t.Memory.Value), hi, o.Width),
				FormatBytes(t.Memory.Value), pct(t.Memory.Value, rep.Memory.Value), FormatEstimate(t.Keys, false))
		}
	}

	if len(rep.TopByMemory) > 0 {
		p("\nBiggest keys by memory\n")
		for i, k := range rep.TopByMemory {
			p("  %2d. %10s  %-6s %s%s\n", i+1, FormatBytes(k.Memory), k.Type, DisplayKey(k.Key), keyDetails(k))
		}
	}
	header := false
	for _, t := range rep.Types {
		if t.LengthUnit == "" || len(t.TopByLength) == 0 {
			continue
		}
		if !header {
			p("\nLongest keys by type (avg length in brackets)\n")
			header = true
		}
		p("  %s (avg %.1f %s)\n", t.Type, t.AvgLength, t.LengthUnit)
		for i, k := range t.TopByLength {
			p("    %2d. %13s %-8s %s\n", i+1, FormatCount(k.Length), t.LengthUnit, DisplayKey(k.Key))
		}
	}

	if len(rep.Encodings) > 0 {
		p("\nEncodings\n")
		for _, e := range rep.Encodings {
			p("  %-8s %-12s %13s keys\n", e.Type, e.Encoding, FormatEstimate(e.Keys, false))
		}
	}

	if len(rep.Shards) > 1 {
		p("\nShards")
		if rep.Skew != nil {
			p("  (skew: largest shard holds %.2f× the mean keys, %.2f× the mean memory)", rep.Skew.Keys, rep.Skew.Memory)
		}
		p("\n")
		var hi float64
		for _, s := range rep.Shards {
			hi = max(hi, float64(s.Memory.Value))
		}
		for _, s := range rep.Shards {
			p("  %-21s %-*s %10s  %13s keys  %s examined\n", s.Addr, o.Width, Bar(float64(s.Memory.Value), hi, o.Width),
				FormatBytes(s.Memory.Value), FormatEstimate(s.Keys, false), FormatCount(s.Keyspace.Examined))
		}
	}

	p("\nFindings\n")
	if len(rep.Findings) == 0 {
		p("  none: no key over %s, no collection over %s elements, no namespace over %.0f %% of memory, no cache keys without TTL\n",
			FormatBytes(BigKeyBytes), FormatCount(HugeLength), DominantShare*100)
	}
	for _, f := range rep.Findings {
		p("  ! %s\n      look: %s\n", f.Reason, f.Command)
	}
	if len(rep.Warnings) > 0 {
		p("\nWarnings\n")
		for _, w := range rep.Warnings {
			p("  - %s\n", w)
		}
	}
	return b.Flush()
}

func writeNamespaces(b *bufio.Writer, n Namespace, total int64, o TextOptions, depth int) {
	indent := strings.Repeat("  ", depth+1)
	width := 28 - 2*depth
	shown := n.Children[:min(len(n.Children), o.Namespaces)]
	for _, c := range shown {
		name := DisplayKey(c.Prefix)
		if utf8.RuneCountInString(name) > width {
			name = string([]rune(name)[:width-1]) + "…"
		}
		noTTL := ""
		if c.KeysWithoutTTL.Value > 0 && c.KeysWithoutTTL.Value < c.Keys.Value {
			noTTL = fmt.Sprintf("  %s without TTL", FormatCount(c.KeysWithoutTTL.Value))
		} else if c.KeysWithoutTTL.Value == c.Keys.Value {
			noTTL = "  none expire"
		}
		fmt.Fprintf(b, "%s%-*s %-*s %10s %5s  %13s keys%s\n", indent, width, name, o.Width, Bar(float64(c.Memory.Value), float64(total), o.Width),
			FormatBytes(c.Memory.Value), pct(c.Memory.Value, total), FormatEstimate(c.Keys, false), noTTL)
		if depth+1 < o.Depth && len(c.Children) > 0 {
			writeNamespaces(b, c, total, o, depth+1)
		}
	}
	rest := len(n.Children) - len(shown)
	if rest > 0 || n.OtherKeys.Value > 0 {
		var keys, mem int64 = n.OtherKeys.Value, n.OtherMemory.Value
		for _, c := range n.Children[len(shown):] {
			keys += c.Keys.Value
			mem += c.Memory.Value
		}
		label := "(keys outside these)"
		if depth == 0 && rest == 0 {
			label = "(no namespace)"
		}
		fmt.Fprintf(b, "%s%-*s %-*s %10s %5s  %13s keys\n", indent, width, label, o.Width, Bar(float64(mem), float64(total), o.Width),
			FormatBytes(mem), pct(mem, total), FormatCount(keys))
	}
}

func keyDetails(k KeyRef) string {
	var parts []string
	if k.Length >= 0 {
		parts = append(parts, FormatCount(k.Length)+" "+sizeCommands[k.Type].unit)
	}
	if k.TTL >= 0 {
		parts = append(parts, "TTL "+formatTTL(k.TTL))
	}
	if k.Encoding != "" {
		parts = append(parts, k.Encoding)
	}
	if k.MemoryEstimated {
		parts = append(parts, "memory estimated")
	}
	if len(parts) == 0 {
		return ""
	}
	return "  (" + strings.Join(parts, ", ") + ")"
}

func formatTTL(ms int64) string {
	s := ms / 1000
	switch {
	case s < 120:
		return fmt.Sprintf("%d s", s)
	case s < 7200:
		return fmt.Sprintf("%d min", s/60)
	case s < 172800:
		return fmt.Sprintf("%d h", s/3600)
	}
	return fmt.Sprintf("%d d", s/86400)
}

// FormatEstimate renders an estimate: the value when exact, else "≈value ±x %" (bytes in
// binary units when bytes is set).
func FormatEstimate(e Estimate, bytes bool) string {
	f := FormatCount
	if bytes {
		f = FormatBytes
	}
	if e.Exact {
		return f(e.Value)
	}
	half := max(e.High-e.Value, e.Value-e.Low)
	if e.Value == 0 {
		return "≈" + f(e.Value)
	}
	return fmt.Sprintf("≈%s ±%.0f%%", f(e.Value), 100*float64(half)/float64(e.Value))
}

func pct(part, whole int64) string {
	if whole <= 0 {
		return ""
	}
	return fmt.Sprintf("%.0f%%", 100*float64(part)/float64(whole))
}

func orAll(s, all string) string {
	if s == "" {
		return all
	}
	return s
}

func quoteAll(ds []string) string {
	q := make([]string, len(ds))
	for i, d := range ds {
		q[i] = Quote(d)
	}
	return strings.Join(q, " ")
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
