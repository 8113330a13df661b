package analyze

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	engine "github.com/amr-tui/amr-tui/analyze"
	"github.com/amr-tui/amr-tui/ui/common"
)

// row is one line of a tab; namespace and key rows can be opened.
type row struct {
	line  string // plain lines (overview, headings)
	head  bool   // a heading
	ns    *engine.Namespace
	key   *engine.KeyRef
	shard *engine.ShardStat
	depth int
	unit  string // length unit of a key row in a by-length list ("" in by-memory lists)
}

func (m *Model) current() (row, bool) {
	rows := m.rows()
	if m.cursor < 0 || m.cursor >= len(rows) {
		return row{}, false
	}
	r := rows[m.cursor]
	return r, r.ns != nil || r.key != nil
}

func (m *Model) rows() []row {
	rep := m.Report
	if rep == nil {
		return nil
	}
	switch m.Tab {
	case TabNamespaces:
		var out []row
		var walk func(n *engine.Namespace, depth int)
		walk = func(n *engine.Namespace, depth int) {
			for i := range n.Children {
				c := &n.Children[i]
				out = append(out, row{ns: c, depth: depth})
				if m.expanded[c.Prefix] {
					walk(c, depth+1)
				}
			}
		}
		walk(&rep.Namespaces, 0)
		if rep.Namespaces.OtherKeys.Value > 0 {
			out = append(out, row{line: fmt.Sprintf("(no namespace)  %s keys, %s", engine.FormatEstimate(rep.Namespaces.OtherKeys, false),
				engine.FormatBytes(rep.Namespaces.OtherMemory.Value))})
		}
		return out
	case TabKeys:
		out := []row{{line: "Biggest keys by memory", head: true}}
		for i := range rep.TopByMemory {
			out = append(out, row{key: &rep.TopByMemory[i]})
		}
		for ti := range rep.Types {
			t := &rep.Types[ti]
			if t.LengthUnit == "" || len(t.TopByLength) == 0 {
				continue
			}
			out = append(out, row{line: fmt.Sprintf("Longest %s keys (avg %.1f %s)", t.Type, t.AvgLength, t.LengthUnit), head: true})
			for i := range t.TopByLength {
				out = append(out, row{key: &t.TopByLength[i], unit: t.LengthUnit})
			}
		}
		return out
	case TabShards:
		var out []row
		if rep.Skew != nil {
			out = append(out, row{line: fmt.Sprintf("Skew: the largest shard holds %.2f× the mean keys (%s) and %.2f× the mean memory (%s)",
				rep.Skew.Keys, rep.Skew.LargestKeys, rep.Skew.Memory, rep.Skew.LargestMemory), head: true})
		}
		for i := range rep.Shards {
			out = append(out, row{shard: &rep.Shards[i]})
		}
		return out
	}
	return m.overview()
}

// overview is the first tab's lines: totals, memory by type and by TTL, findings, warnings.
func (m *Model) overview() []row {
	rep := m.Report
	var out []row
	add := func(format string, a ...any) { out = append(out, row{line: fmt.Sprintf(format, a...)}) }
	head := func(s string) { out = append(out, row{line: s, head: true}) }
	add("Keys %s · memory %s · will expire %s", engine.FormatEstimate(rep.Keys, false),
		engine.FormatEstimate(rep.Memory, true), engine.FormatEstimate(rep.ExpiringMemory, true))
	add("%s", rep.Sampling)
	if rep.MemorySource != "memory_usage" {
		add("memory ESTIMATED from lengths: the server refused MEMORY USAGE")
	}
	head("Memory by type")
	var hi float64
	tw := 6
	for _, t := range rep.Types {
		hi = max(hi, float64(t.Memory.Value))
		tw = max(tw, ansi.StringWidth(common.Printable(t.Type)))
	}
	for _, t := range rep.Types {
		add("  %-*s %-20s %10s %4s  %14s keys  %s", tw, common.Printable(t.Type), engine.Bar(float64(t.Memory.Value), hi, 20),
			engine.FormatBytes(t.Memory.Value), pct(t.Memory.Value, rep.Memory.Value), engine.FormatEstimate(t.Keys, false), engine.Sparkline(t.SizeHistogram))
	}
	head("TTL")
	hi = 0
	for _, b := range rep.TTL {
		hi = max(hi, float64(b.Memory.Value))
	}
	for _, b := range rep.TTL {
		add("  %-6s %-20s %10s %4s  %14s keys", b.Bucket, engine.Bar(float64(b.Memory.Value), hi, 20),
			engine.FormatBytes(b.Memory.Value), pct(b.Memory.Value, rep.Memory.Value), engine.FormatEstimate(b.Keys, false))
	}
	head("Findings")
	if len(rep.Findings) == 0 {
		add("  none")
	}
	for _, f := range rep.Findings {
		add("  ! %s", f.Reason)
		add("    look: %s", f.Command)
	}
	if len(rep.Warnings) > 0 {
		head("Warnings")
		for _, w := range rep.Warnings {
			add("  - %s", w)
		}
	}
	return out
}

func pct(part, whole int64) string {
	if whole <= 0 {
		return ""
	}
	return fmt.Sprintf("%.0f%%", 100*float64(part)/float64(whole))
}

// View renders the tabs, the progress or summary line and the current tab's rows.
func (m *Model) View(w, h int) string {
	st := m.c.Styles
	var tb strings.Builder
	for i, t := range m.tabs() {
		if i > 0 {
			tb.WriteString(" ")
		}
		label := " " + string(rune('1'+i)) + " " + tabNames[t] + " "
		if t == m.Tab {
			tb.WriteString(st.Selected.Render(label))
		} else {
			tb.WriteString(st.Dim.Render(label))
		}
	}
	lines := []string{common.Fit(tb.String(), w), common.Fit(m.status(w), w)}
	body := max(0, h-len(lines))
	rows := m.rows()
	switch {
	case m.err != nil && m.Report == nil:
		lines = append(lines, common.Fit(st.Danger.Render(m.err.Error()), w))
	case m.Report == nil && m.Running():
		lines = append(lines, common.Fit(st.Dim.Render("counting keys…"), w))
	case m.Report == nil:
		lines = append(lines, common.Fit(st.Dim.Render("no analysis yet: r runs a sample, F a full analysis"), w))
	}
	selectable := m.Tab == TabNamespaces || m.Tab == TabKeys
	end := min(len(rows), m.offset+body)
	for i := m.offset; i < end; i++ {
		line := m.renderRow(rows[i], w)
		switch {
		case selectable && i == m.cursor:
			line = st.Selected.Render(common.Fit(ansi.Strip(line), w))
		case rows[i].head:
			line = st.Title.Render(common.Fit(line, w))
		default:
			line = common.Fit(line, w)
		}
		lines = append(lines, line)
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines[:min(len(lines), h)], "\n")
}

// status is the progress bar while running, the summary once done.
func (m *Model) status(w int) string {
	st := m.c.Styles
	p := m.Progress
	mode := m.opts.Mode.String()
	if m.Report != nil {
		mode = m.Report.Mode
	}
	switch {
	case m.starting:
		return st.Dim.Render("starting a " + mode + " analysis…")
	case m.run != nil && !p.Finished:
		barW := max(10, min(30, w/4))
		bar := engine.Bar(p.Fraction(), 1, barW)
		bar += strings.Repeat(" ", max(0, barW-ansi.StringWidth(bar)))
		state, style, keys := "analyzing", st.Title, "  p pause · x cancel"
		if p.Paused {
			state, style, keys = "paused", st.Warn, "  p resume · x cancel"
		}
		eta := ""
		if p.ETA > 0 {
			eta = " · ETA " + common.ShortDuration(p.ETA)
		}
		return style.Render(state) + " ▕" + st.CountOK.Render(bar) + "▏ " +
			fmt.Sprintf("%3.0f%% · %s keys · %s keys/s%s", p.Fraction()*100, engine.FormatCount(p.Examined),
				engine.FormatCount(int64(p.KeysPerSec)), eta) + st.Dim.Render(keys)
	case m.Report != nil:
		rep := m.Report
		s := fmt.Sprintf("%s · %s of %s keys examined in %.1f s", rep.Mode, engine.FormatCount(rep.Keyspace.Examined),
			engine.FormatCount(rep.Keyspace.Keys), rep.Duration)
		if rep.Complete {
			s = fmt.Sprintf("exact · every key examined (%s) in %.1f s", engine.FormatCount(rep.Keyspace.Examined), rep.Duration)
		}
		if rep.Cancelled {
			return st.Warn.Render("cancelled") + " · " + s + st.Dim.Render("  r runs again")
		}
		return s + st.Dim.Render("  r runs again · F full")
	}
	return ""
}

func (m *Model) renderRow(r row, w int) string {
	total := int64(0)
	if m.Report != nil {
		total = m.Report.Memory.Value
	}
	switch {
	case r.ns != nil:
		n := r.ns
		mark := "  "
		if len(n.Children) > 0 {
			mark = "▸ "
			if m.expanded[n.Prefix] {
				mark = "▾ "
			}
		}
		nameW := max(12, min(w/4, 40))
		name := common.Fit(strings.Repeat("  ", r.depth)+mark+common.Printable(n.Prefix), nameW)
		noTTL := ""
		if n.KeysWithoutTTL.Value > 0 {
			noTTL = "  " + engine.FormatCount(n.KeysWithoutTTL.Value) + " no TTL"
		}
		return fmt.Sprintf("%s %-16s %10s %4s  %14s keys%s", name, engine.Bar(float64(n.Memory.Value), float64(total), 16),
			engine.FormatBytes(n.Memory.Value), pct(n.Memory.Value, total), engine.FormatEstimate(n.Keys, false), noTTL)
	case r.key != nil:
		k := r.key
		size := engine.FormatBytes(k.Memory)
		if r.unit != "" {
			size = engine.FormatCount(k.Length) + " " + r.unit
		}
		ttl := ""
		if k.TTL >= 0 {
			ttl = "  TTL " + common.ShortDuration(durationMS(k.TTL))
		}
		return fmt.Sprintf("  %16s  %-7s %s%s", size, common.Printable(k.Type), common.Printable(k.Key), ttl)
	case r.shard != nil:
		s := r.shard
		var hi int64
		for _, o := range m.Report.Shards {
			hi = max(hi, o.Memory.Value)
		}
		return fmt.Sprintf("  %-22s %-16s %10s  %14s keys  %s examined", common.Printable(s.Addr), engine.Bar(float64(s.Memory.Value), float64(hi), 16), engine.FormatBytes(s.Memory.Value),
			engine.FormatEstimate(s.Keys, false), engine.FormatCount(s.Keyspace.Examined))
	}
	return r.line
}

func durationMS(ms int64) time.Duration { return time.Duration(ms) * time.Millisecond }
