package ui

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Tree mode groups keys by a delimiter (":" by default). Each level is listed by its own
// background SCAN MATCH <prefix>* — never derived from the keys the flat list happens to have
// loaded — so a namespace is never missing just because it was not loaded yet. A level keeps
// only per-folder counts and the keys directly at that level, so memory follows what is shown.
//
// Limits, shown on screen when hit: at most maxTreeFolders folder names per level (more are
// counted as "other"), and at most the load batch of leaf keys per level (more are counted).

const (
	defaultDelimiter = ":"
	maxTreeFolders   = 20_000
)

type treeState struct {
	delim  string
	levels []*treeLevel // levels[0] is the root; the last is shown
}

type treeLevel struct {
	prefix  string
	scan    scanner
	names   []string // folder names (without prefix and delimiter), sorted
	counts  map[string]int64
	other   int64 // keys under folders beyond maxTreeFolders
	leaves  *keySet
	dropped int64 // leaf keys beyond the cap
	total   int64 // keys seen by this level's scan
	cursor  int
	offset  int
}

func (t *treeState) top() *treeLevel { return t.levels[len(t.levels)-1] }

// globEscape escapes SCAN glob syntax so a prefix matches literally.
func globEscape(s string) string {
	if !hasGlob(s) && !strings.Contains(s, "]") {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[]\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// enterTree switches to tree mode (or back to the flat list) at prefix.
func (b *browser) enterTree(prefix string) tea.Cmd {
	if b.tree != nil && prefix == "" {
		b.tree = nil
		b.c.flash("flat list", FlashInfo)
		return b.metaCmd()
	}
	b.tree = &treeState{delim: defaultDelimiter}
	return b.pushLevel(prefix)
}

func (b *browser) pushLevel(prefix string) tea.Cmd {
	t := b.tree
	if n := len(t.levels); n > 0 {
		t.levels[n-1].scan.paused = true // only the shown level scans
	}
	lv := &treeLevel{prefix: prefix, counts: map[string]int64{}, leaves: newKeySet()}
	lv.scan = scanner{gen: b.c.nextGen(), match: globEscape(prefix) + "*", typ: b.scan.typ, count: b.scan.count}
	t.levels = append(t.levels, lv)
	return lv.scan.next(b.c, 0)
}

func (b *browser) popLevel() tea.Cmd {
	t := b.tree
	if len(t.levels) == 1 {
		b.tree = nil
		return b.metaCmd()
	}
	t.levels = t.levels[:len(t.levels)-1]
	lv := t.top()
	lv.scan.paused = false
	return batch(lv.scan.next(b.c, 0), b.metaCmd())
}

// onPage records a page for whichever level asked, and continues only the shown level.
// It reports whether the page belonged to the tree.
func (t *treeState) onPage(c *Common, msg scanPageMsg) (tea.Cmd, bool) {
	for _, lv := range t.levels {
		if lv.scan.gen != msg.gen {
			continue
		}
		lv.scan.onPage(msg)
		if msg.err != nil {
			c.flash("SCAN failed: "+msg.err.Error(), FlashError)
			return nil, true
		}
		lv.add(msg.keys, t.delim)
		if lv == t.top() {
			return lv.scan.next(c, 0), true
		}
		return nil, true
	}
	return nil, false
}

func (lv *treeLevel) add(keys []string, delim string) {
	for _, k := range keys {
		rest, ok := strings.CutPrefix(k, lv.prefix)
		if !ok {
			continue
		}
		lv.total++
		if i := strings.Index(rest, delim); i >= 0 {
			name := rest[:i]
			if _, seen := lv.counts[name]; seen {
				lv.counts[name]++
				continue
			}
			if len(lv.names) >= maxTreeFolders {
				lv.other++
				continue
			}
			name = strings.Clone(name) // do not pin the page
			lv.counts[name] = 1
			j, _ := slices.BinarySearch(lv.names, name)
			lv.names = slices.Insert(lv.names, j, name)
			continue
		}
		if lv.leaves.Len() >= defaultLoadBatch {
			lv.dropped++
			continue
		}
		lv.leaves.add(k)
	}
}

func (lv *treeLevel) rows() int { return len(lv.names) + lv.leaves.Len() }

func (b *browser) updateTree(msg tea.KeyPressMsg) tea.Cmd {
	k, h := b.c.Keys, b.c.bodyHeight()
	t := b.tree
	lv := t.top()
	rows := max(1, h-t.headerLines(b))
	move := func(i int) {
		n := lv.rows()
		lv.cursor = max(0, min(i, n-1))
		if lv.cursor < lv.offset {
			lv.offset = lv.cursor
		}
		if lv.cursor >= lv.offset+rows {
			lv.offset = lv.cursor - rows + 1
		}
	}
	switch {
	case key.Matches(msg, k.Up):
		move(lv.cursor - 1)
	case key.Matches(msg, k.Down):
		move(lv.cursor + 1)
	case key.Matches(msg, k.PageUp):
		move(lv.cursor - rows)
	case key.Matches(msg, k.PageDown):
		move(lv.cursor + rows)
	case key.Matches(msg, k.Top):
		move(0)
	case key.Matches(msg, k.Bottom):
		move(lv.rows() - 1)
	case key.Matches(msg, k.Open):
		if lv.cursor < len(lv.names) {
			return b.pushLevel(lv.prefix + lv.names[lv.cursor] + t.delim)
		}
		if i := lv.cursor - len(lv.names); i < lv.leaves.Len() {
			kk := lv.leaves.at(i)
			return func() tea.Msg { return openKeyMsg{key: kk} }
		}
	case key.Matches(msg, k.Back):
		return b.popLevel()
	case key.Matches(msg, k.Tree):
		b.tree = nil
		return b.metaCmd()
	case key.Matches(msg, k.Pause):
		if lv.scan.done {
			return nil
		}
		lv.scan.paused = !lv.scan.paused
		return lv.scan.next(b.c, 0)
	case key.Matches(msg, k.Rescan):
		t.levels = t.levels[:len(t.levels)-1]
		return b.pushLevel(lv.prefix)
	case key.Matches(msg, k.Delete):
		return b.treeAction(b.askDelete)
	case key.Matches(msg, k.Expire):
		return b.treeAction(b.askTTL)
	case key.Matches(msg, k.Persist):
		return b.treeAction(b.persist)
	case key.Matches(msg, k.Rename):
		return b.treeAction(b.askRename)
	case key.Matches(msg, k.Copy):
		return b.treeAction(func() tea.Cmd {
			kk, _ := b.selected()
			b.c.flash("copied key name to the clipboard (OSC 52)", FlashInfo)
			return tea.SetClipboard(kk)
		})
	case key.Matches(msg, k.Add):
		if b.refuseReadOnly("add key", "SET") {
			return nil
		}
		b.input = newLineInput(b.c, inputAddName, "new string key: ", lv.prefix)
		return nil
	default:
		return nil
	}
	return b.metaCmd()
}

func (t *treeState) click(b *browser, y int) tea.Cmd {
	lv := t.top()
	top := t.headerLines(b)
	i := lv.offset + y - top
	if b.input != nil || b.confirm != nil || y < top || i >= lv.rows() {
		return nil
	}
	if i == lv.cursor {
		return b.updateTree(tea.KeyPressMsg{Code: tea.KeyEnter})
	}
	lv.cursor = i
	return b.metaCmd()
}

func (t *treeState) view(b *browser, w, h int) string {
	s := b.c.Styles
	lv := t.top()
	var st string
	switch {
	case lv.scan.err != nil:
		st = s.Danger.Render("scan failed")
	case lv.scan.done:
		st = s.CountOK.Render("complete")
	case lv.scan.paused:
		st = s.Warn.Render("paused (counts so far)")
	default:
		st = "scanning… (counts so far)"
	}
	path := lv.prefix
	if path == "" {
		path = "(root)"
	}
	head := s.Title.Render("TREE") + s.Dim.Render(" "+printable(path)+" │ ") +
		count(int64(len(lv.names))) + " folders · " + count(int64(lv.leaves.Len())) + " keys · " +
		count(lv.total) + " under prefix · " + st
	if lv.other > 0 {
		head += s.Warn.Render(" · " + count(lv.other) + " keys in folders past the " + count(maxTreeFolders) + "-folder limit")
	}
	if lv.dropped > 0 {
		head += s.Warn.Render(" · " + count(lv.dropped) + " keys not listed (limit)")
	}
	lines := []string{fit(head, w)}
	switch {
	case b.confirm != nil:
		lines = append(lines, s.Warn.Render(fit(b.confirm.prompt+"  (y/n)", w)))
	case b.input != nil:
		lines = append(lines, fit(b.input.view(w), w))
	}
	keyW := max(1, w-colType-colTTL-colMem-colGaps)
	lines = append(lines, s.Dim.Render(fit("  "+fit("NAME", keyW)+" "+fit("TYPE", colType)+" "+fitRight("TTL", colTTL)+" "+fitRight("MEM", colMem), w)))
	end := min(lv.rows(), lv.offset+max(0, h-t.headerLines(b)))
	suffix := ""
	if !lv.scan.done {
		suffix = "+"
	}
	for i := lv.offset; i < end; i++ {
		if i >= len(lv.names) {
			k := lv.leaves.at(i - len(lv.names))
			m, has := b.meta[k]
			lines = append(lines, b.renderRow("  "+strings.TrimPrefix(k, lv.prefix), m, has, i == lv.cursor, keyW, w))
			continue
		}
		name := lv.names[i]
		unit := " keys)"
		if lv.counts[name] == 1 && suffix == "" {
			unit = " key)"
		}
		text := "▸ " + printable(name) + t.delim + "  (" + count(lv.counts[name]) + suffix + unit
		if i == lv.cursor {
			lines = append(lines, s.Selected.Render(fit("› "+text, w)))
			continue
		}
		lines = append(lines, s.Row.Render(fit("  "+text, w)))
	}
	if lv.rows() == 0 && h > 2 {
		empty := "scanning…"
		if lv.scan.done {
			empty = "no keys under this prefix"
		}
		lines = append(lines, s.Dim.Render(fit("  "+empty, w)))
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines[:min(len(lines), h)], "\n")
}

func (t *treeState) help(k *KeyMap) helpKeys {
	return helpKeys{
		short: []key.Binding{k.Open, k.Back, k.Up, k.Down, k.Pause, k.Rescan, k.Tree, k.Delete, k.Command, k.Help, k.Quit},
		full: [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}, {k.Open, k.Back, k.Pause, k.Rescan, k.Tree},
			{k.Add, k.Delete, k.Expire, k.Persist, k.Rename, k.Copy}, {k.Command, k.Profiles, k.Help, k.Quit}},
	}
}
