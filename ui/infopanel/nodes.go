package infopanel

import (
	"context"
	"slices"
	"strings"
	"sync"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/amr-tui/amr-tui/ui/common"
)

// The node picker of an OSS cluster: INFO, CLIENT LIST and SLOWLOG answer for one node, so the
// panel reads them node by node. The picker's first position is "all nodes" (the default):
// INFO side by side, one column per node; clients and the slow log merged with a NODE column,
// the slow log newest first across nodes. A standalone server has no picker.

const allNodes = -1 // pickSlot of the "all nodes" position

var (
	infoPrevNode = key.NewBinding(key.WithKeys("left"), key.WithHelp("←", "previous node"))
	infoNextNode = key.NewBinding(key.WithKeys("right"), key.WithHelp("→", "next node"))
)

// nodeTab reports whether tab t reads per node on this store.
func (s *Model) nodeTab(t Tab) bool { return len(s.nodes) > 0 && t != TabShards }

// Captures reports whether the panel uses msg itself (← and → move the node picker on a
// cluster), so App must not take it as "back".
func (s *Model) Captures(msg tea.KeyPressMsg) bool {
	return s.nodeTab(s.Tab) && (key.Matches(msg, infoPrevNode) || key.Matches(msg, infoNextNode))
}

// pickIndex is the picker's position: 0 = all nodes, i = nodes[i-1].
func (s *Model) pickIndex() int {
	for i, n := range s.nodes {
		if n.FirstSlot == s.pickSlot {
			return i + 1
		}
	}
	return 0
}

// pickNode moves the node picker by d and reads the tab again.
func (s *Model) pickNode(d int) tea.Cmd {
	if !s.nodeTab(s.Tab) {
		return nil
	}
	n := len(s.nodes) + 1
	i := (s.pickIndex() + d + n) % n
	if i == 0 {
		s.pickSlot = allNodes
	} else {
		s.pickSlot = s.nodes[i-1].FirstSlot
	}
	s.offset, s.lines, s.table, s.err = 0, nil, nil, nil
	return s.fetch()
}

// nodeLabel is what the tab bar says the tab shows: "all 3 nodes" or "node 2/3 10.0.0.2:7000".
func (s *Model) nodeLabel() string {
	i := s.pickIndex()
	if i == 0 {
		return "all " + plural(int64(len(s.nodes)), "node")
	}
	n := s.nodes[i-1]
	return "node " + itoa(i) + "/" + itoa(len(s.nodes)) + " " + common.Printable(n.Addr) + " slots " + common.SlotRanges(n.Ranges)
}

func itoa(i int) string { return common.Count(int64(i)) }

// readNodes reads tab on the picked node, or on every node in parallel when pick is allNodes
// (or names a node no longer there).
func readNodes(ctx context.Context, nr common.NodeReader, nodes []common.Node, tab Tab, section string, pick int) Msg {
	one := slices.IndexFunc(nodes, func(n common.Node) bool { return n.FirstSlot == pick })
	if one >= 0 {
		n := nodes[one]
		switch tab {
		case TabInfo:
			text, err := nodeInfo(ctx, nr, n, section)
			m := Msg{text: text, err: err}
			if err == nil && section == "" {
				m.sections = infoSections(text)
			}
			return m
		case TabClients:
			text, err := nr.NodeClientList(ctx, n)
			return Msg{table: clientTable(text), err: err}
		default:
			es, err := nr.NodeSlowLog(ctx, n, slowlogCount)
			return Msg{table: slowlogTable(es), err: err}
		}
	}
	texts := make([]string, len(nodes))
	slows := make([][]common.SlowLogEntry, len(nodes))
	errs := make([]error, len(nodes))
	var wg sync.WaitGroup
	for i, n := range nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			switch tab {
			case TabInfo:
				texts[i], errs[i] = nodeInfo(ctx, nr, n, section)
			case TabClients:
				texts[i], errs[i] = nr.NodeClientList(ctx, n)
			default:
				slows[i], errs[i] = nr.NodeSlowLog(ctx, n, slowlogCount)
			}
		}()
	}
	wg.Wait()
	failed := 0
	for _, err := range errs {
		if err != nil {
			failed++
		}
	}
	if failed == len(nodes) {
		return Msg{err: errs[0]}
	}
	switch tab {
	case TabInfo:
		m := Msg{nodeTexts: texts, nodeErrs: errs}
		if section == "" {
			for i, t := range texts {
				if errs[i] == nil {
					m.sections = infoSections(t)
					break
				}
			}
		}
		return m
	case TabClients:
		return Msg{table: clientTableNodes(nodes, texts, errs)}
	}
	return Msg{table: slowlogTableNodes(nodes, slows, errs)}
}

// nodeInfo is INFO section (all when "") on one node, falling back to plain INFO where INFO
// all is refused.
func nodeInfo(ctx context.Context, nr common.NodeReader, n common.Node, section string) (string, error) {
	if section == "" {
		section = "all"
	}
	text, err := nr.NodeInfo(ctx, n, section)
	if err != nil && section == "all" {
		if t, err2 := nr.NodeInfo(ctx, n, "default"); err2 == nil {
			return t, nil
		}
	}
	return text, err
}

// clientTableNodes is every node's clients, node by node, with a NODE column first; a node
// that refused says so in a row of its own.
func clientTableNodes(nodes []common.Node, texts []string, errs []error) *infoTable {
	t := clientTable("")
	t.cols = append([]infoCol{{title: "NODE", width: 21}}, t.cols...)
	for i, n := range nodes {
		if errs[i] != nil {
			row := make([]string, len(t.cols))
			row[0], row[len(row)-1] = n.Addr, refusal(errs[i])
			t.rows = append(t.rows, row)
			continue
		}
		for _, r := range clientTable(texts[i]).rows {
			t.rows = append(t.rows, append([]string{n.Addr}, r...))
		}
	}
	return t
}

// slowlogTableNodes merges every node's slow log newest first (ties: node order, then newer
// ID first), with a NODE column after WHEN.
func slowlogTableNodes(nodes []common.Node, slows [][]common.SlowLogEntry, errs []error) *infoTable {
	type entry struct {
		node int
		e    common.SlowLogEntry
	}
	var all []entry
	for i := range nodes {
		for _, e := range slows[i] {
			all = append(all, entry{i, e})
		}
	}
	slices.SortStableFunc(all, func(a, b entry) int {
		if c := b.e.Time.Compare(a.e.Time); c != 0 {
			return c
		}
		if a.node != b.node {
			return a.node - b.node
		}
		return int(b.e.ID - a.e.ID)
	})
	t := slowlogTable(nil)
	t.cols = slices.Insert(t.cols, 2, infoCol{title: "NODE", width: 21})
	for i, n := range nodes {
		if errs[i] != nil {
			t.rows = append(t.rows, []string{"", "", n.Addr, "", "", refusal(errs[i])})
		}
	}
	for _, x := range all {
		r := slowlogTable([]common.SlowLogEntry{x.e}).rows[0]
		t.rows = append(t.rows, slices.Insert(r, 2, nodes[x.node].Addr))
	}
	return t
}

// sideBySide renders INFO from every node as one line per field with a value column per node,
// fields in the order the first node lists them (then any only later nodes have).
// Each node's column takes an equal share of width w (at least 21 cells, an address's width).
func sideBySide(st *common.Styles, w int, nodes []common.Node, texts []string, errs []error) []string {
	colW := max(21, (w-32)/max(1, len(nodes))-1)
	type sec struct {
		name   string
		fields []string
	}
	var secs []*sec
	seen := map[string]bool{}
	vals := make([]map[string]string, len(nodes))
	for i, text := range texts {
		vals[i] = map[string]string{}
		var cur *sec
		for _, l := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
			if name, ok := strings.CutPrefix(l, "# "); ok {
				cur = nil
				for _, s := range secs {
					if s.name == name {
						cur = s
					}
				}
				if cur == nil {
					cur = &sec{name: name}
					secs = append(secs, cur)
				}
				continue
			}
			k, v, ok := strings.Cut(l, ":")
			if !ok || l == "" {
				continue
			}
			if cur == nil {
				cur = &sec{}
				secs = append(secs, cur)
			}
			vals[i][k] = v
			if !seen[k] {
				seen[k] = true
				cur.fields = append(cur.fields, k)
			}
		}
	}
	var head strings.Builder
	head.WriteString("  " + common.Fit("", 30))
	for _, n := range nodes {
		head.WriteString(" " + common.Fit(common.Printable(n.Addr), colW))
	}
	out := []string{st.Dim.Render(head.String())}
	var errLine strings.Builder
	for i, err := range errs {
		if err != nil {
			errLine.WriteString(common.Printable(nodes[i].Addr) + " " + refusal(err) + "  ")
		}
	}
	if errLine.Len() > 0 {
		out = append(out, st.Danger.Render(strings.TrimSpace(errLine.String())))
	}
	for _, s := range secs {
		if s.name != "" {
			out = append(out, "", st.Title.Render(common.Printable(s.name)))
		}
		for _, k := range s.fields {
			var b strings.Builder
			b.WriteString("  " + st.Dim.Render(common.Fit(common.Printable(k), 30)))
			for i := range nodes {
				v, ok := vals[i][k]
				cell := common.Fit(common.Printable(v), colW)
				if !ok {
					cell = st.Dim.Render(common.Fit("-", colW))
				}
				b.WriteString(" " + cell)
			}
			out = append(out, b.String())
		}
	}
	return out
}

// PickedNode is the node picker's position: 0 for all nodes (and on a standalone server),
// i for the i-th primary in slot order.
func (s *Model) PickedNode() int { return s.pickIndex() }
