package browser

import (
	"github.com/amr-tui/amr-tui/ui/common"

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
	levels []*TreeLevel // levels[0] is the root; the last is shown
}

// TreeLevel is one folder level of tree mode: its own prefix scan, the sub-folders found so
// far with their key counts, and the keys directly under the prefix.
type TreeLevel struct {
	Prefix  string
	Scan    Scanner
	Names   []string // folder names (without prefix and delimiter), sorted
	Counts  map[string]int64
	other   int64 // keys under folders beyond maxTreeFolders
	Leaves  *keySet
	dropped int64 // leaf keys beyond the cap
	total   int64 // keys seen by this level's scan
	Cursor  int
	Offset  int
}

// Top is the level on screen (the deepest one).
func (t *treeState) Top() *TreeLevel { return t.levels[len(t.levels)-1] }

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

// EnterTree switches to tree mode (or back to the flat list) at prefix.
func (b *Model) EnterTree(prefix string) tea.Cmd {
	if b.Tree != nil && prefix == "" {
		b.Tree = nil
		b.c.Flash("flat list", common.FlashInfo)
		return b.MetaCmd()
	}
	b.Tree = &treeState{delim: defaultDelimiter}
	return b.PushLevel(prefix)
}

// PushLevel opens the folder prefix as a new level and starts its scan.
func (b *Model) PushLevel(prefix string) tea.Cmd {
	t := b.Tree
	if n := len(t.levels); n > 0 {
		t.levels[n-1].Scan.Paused = true // only the shown level scans
	}
	lv := &TreeLevel{Prefix: prefix, Counts: map[string]int64{}, Leaves: newKeySet()}
	lv.Scan = Scanner{Gen: b.c.NextGen(), Match: globEscape(prefix) + "*", Typ: b.Scan.Typ, Count: b.Scan.Count}
	t.levels = append(t.levels, lv)
	return lv.Scan.next(b.c, 0)
}

func (b *Model) popLevel() tea.Cmd {
	t := b.Tree
	if len(t.levels) == 1 {
		b.Tree = nil
		return b.MetaCmd()
	}
	t.levels = t.levels[:len(t.levels)-1]
	lv := t.Top()
	lv.Scan.Paused = false
	return common.Batch(lv.Scan.next(b.c, 0), b.MetaCmd())
}

// onPage records a page for whichever level asked, and continues only the shown level.
// It reports whether the page belonged to the tree.
func (t *treeState) onPage(c *common.Common, msg ScanPageMsg) (tea.Cmd, bool) {
	for _, lv := range t.levels {
		if lv.Scan.Gen != msg.Gen {
			continue
		}
		lv.Scan.onPage(msg)
		if msg.err != nil {
			c.Flash("SCAN failed: "+msg.err.Error(), common.FlashError)
			return nil, true
		}
		lv.Add(msg.Keys, t.delim)
		if lv == t.Top() {
			return lv.Scan.next(c, 0), true
		}
		return nil, true
	}
	return nil, false
}

// Add sorts one scanned page into the level: keys with a delimiter after the prefix count
// towards their folder, the others become leaves.
func (lv *TreeLevel) Add(keys []string, delim string) {
	for _, k := range keys {
		rest, ok := strings.CutPrefix(k, lv.Prefix)
		if !ok {
			continue
		}
		lv.total++
		if i := strings.Index(rest, delim); i >= 0 {
			name := rest[:i]
			if _, seen := lv.Counts[name]; seen {
				lv.Counts[name]++
				continue
			}
			if len(lv.Names) >= maxTreeFolders {
				lv.other++
				continue
			}
			name = strings.Clone(name) // do not pin the page
			lv.Counts[name] = 1
			j, _ := slices.BinarySearch(lv.Names, name)
			lv.Names = slices.Insert(lv.Names, j, name)
			continue
		}
		if lv.Leaves.Len() >= defaultLoadBatch {
			lv.dropped++
			continue
		}
		lv.Leaves.Add(k)
	}
}

// Rows is the number of rows the level shows: folders, then leaves.
func (lv *TreeLevel) Rows() int { return len(lv.Names) + lv.Leaves.Len() }

func (b *Model) updateTree(msg tea.KeyPressMsg) tea.Cmd {
	k, h := b.c.Keys, b.c.BodyHeight()
	t := b.Tree
	lv := t.Top()
	rows := max(1, h-t.headerLines(b))
	move := func(i int) {
		n := lv.Rows()
		lv.Cursor = max(0, min(i, n-1))
		if lv.Cursor < lv.Offset {
			lv.Offset = lv.Cursor
		}
		if lv.Cursor >= lv.Offset+rows {
			lv.Offset = lv.Cursor - rows + 1
		}
	}
	switch {
	case key.Matches(msg, k.Up):
		move(lv.Cursor - 1)
	case key.Matches(msg, k.Down):
		move(lv.Cursor + 1)
	case key.Matches(msg, k.PageUp):
		move(lv.Cursor - rows)
	case key.Matches(msg, k.PageDown):
		move(lv.Cursor + rows)
	case key.Matches(msg, k.Top):
		move(0)
	case key.Matches(msg, k.Bottom):
		move(lv.Rows() - 1)
	case key.Matches(msg, k.Open):
		if lv.Cursor < len(lv.Names) {
			return b.PushLevel(lv.Prefix + lv.Names[lv.Cursor] + t.delim)
		}
		if i := lv.Cursor - len(lv.Names); i < lv.Leaves.Len() {
			kk := lv.Leaves.At(i)
			return func() tea.Msg { return common.OpenKeyMsg{Key: kk} }
		}
	case key.Matches(msg, k.Back):
		return b.popLevel()
	case key.Matches(msg, k.Tree):
		b.Tree = nil
		return b.MetaCmd()
	case key.Matches(msg, k.Pause):
		if lv.Scan.Done {
			return nil
		}
		lv.Scan.Paused = !lv.Scan.Paused
		return lv.Scan.next(b.c, 0)
	case key.Matches(msg, k.Rescan):
		t.levels = t.levels[:len(t.levels)-1]
		return b.PushLevel(lv.Prefix)
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
			kk, _ := b.Selected()
			b.c.Flash("copied key name to the clipboard (OSC 52)", common.FlashInfo)
			return tea.SetClipboard(kk)
		})
	case key.Matches(msg, k.Add):
		return b.askAdd(lv.Prefix)
	default:
		return nil
	}
	return b.MetaCmd()
}

// Click handles a left click on row y of the tree view.
func (t *treeState) Click(b *Model, y int) tea.Cmd {
	lv := t.Top()
	top := t.headerLines(b)
	i := lv.Offset + y - top
	if b.Input != nil || b.Confirm != nil || y < top || i >= lv.Rows() {
		return nil
	}
	if i == lv.Cursor {
		return b.updateTree(tea.KeyPressMsg{Code: tea.KeyEnter})
	}
	lv.Cursor = i
	return b.MetaCmd()
}

// View renders the top level in a w×h box.
func (t *treeState) View(b *Model, w, h int) string {
	s := b.c.Styles
	lv := t.Top()
	var st string
	switch {
	case lv.Scan.Err != nil:
		st = s.Danger.Render("scan failed")
	case lv.Scan.Done:
		st = s.CountOK.Render("complete")
	case lv.Scan.Paused:
		st = s.Warn.Render("paused (counts so far)")
	default:
		st = "scanning… (counts so far)"
	}
	path := lv.Prefix
	if path == "" {
		path = "(root)"
	}
	head := s.Title.Render("TREE") + s.Dim.Render(" "+common.Printable(path)+" │ ") +
		common.Count(int64(len(lv.Names))) + " folders · " + common.Count(int64(lv.Leaves.Len())) + " keys · " +
		common.Count(lv.total) + " under prefix · " + st
	if lv.other > 0 {
		head += s.Warn.Render(" · " + common.Count(lv.other) + " keys in folders past the " + common.Count(maxTreeFolders) + "-folder limit")
	}
	if lv.dropped > 0 {
		head += s.Warn.Render(" · " + common.Count(lv.dropped) + " keys not listed (limit)")
	}
	lines := []string{common.Fit(head, w)}
	switch {
	case b.Confirm != nil:
		lines = append(lines, s.Warn.Render(common.Fit(b.Confirm.Prompt+"  (y/n)", w)))
	case b.Input != nil:
		lines = append(lines, common.Fit(b.Input.View(w), w))
	}
	keyW := max(1, w-colType-colTTL-colMem-colGaps)
	lines = append(lines, s.Dim.Render(common.Fit("  "+common.Fit("NAME", keyW)+" "+common.Fit("TYPE", colType)+" "+common.FitRight("TTL", colTTL)+" "+common.FitRight("MEM", colMem), w)))
	end := min(lv.Rows(), lv.Offset+max(0, h-t.headerLines(b)))
	suffix := ""
	if !lv.Scan.Done {
		suffix = "+"
	}
	for i := lv.Offset; i < end; i++ {
		if i >= len(lv.Names) {
			k := lv.Leaves.At(i - len(lv.Names))
			m, has := b.Meta[k]
			lines = append(lines, b.renderRow("  "+strings.TrimPrefix(k, lv.Prefix), m, has, i == lv.Cursor, keyW, w))
			continue
		}
		name := lv.Names[i]
		unit := " keys)"
		if lv.Counts[name] == 1 && suffix == "" {
			unit = " key)"
		}
		text := "▸ " + common.Printable(name) + t.delim + "  (" + common.Count(lv.Counts[name]) + suffix + unit
		if i == lv.Cursor {
			lines = append(lines, s.Selected.Render(common.Fit("› "+text, w)))
			continue
		}
		lines = append(lines, s.Row.Render(common.Fit("  "+text, w)))
	}
	if lv.Rows() == 0 && h > 2 {
		empty := "scanning…"
		if lv.Scan.Done {
			empty = "no keys under this prefix"
		}
		lines = append(lines, s.Dim.Render(common.Fit("  "+empty, w)))
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines[:min(len(lines), h)], "\n")
}

// Help lists the bindings of tree mode.
func (t *treeState) Help(k *common.KeyMap) common.HelpKeys {
	return common.HelpKeys{
		Short: []key.Binding{k.Open, k.Back, k.Up, k.Down, k.Pause, k.Rescan, k.Tree, k.Delete, k.Command, k.Help, k.Quit},
		Full: [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}, {k.Open, k.Back, k.Pause, k.Rescan, k.Tree},
			{k.Add, k.Delete, k.Expire, k.Persist, k.Rename, k.Copy}, {k.Command, k.Profiles, k.Help, k.Quit}},
	}
}
