package browser

import (
	"github.com/amr-tui/amr-tui/keyspace"
	"github.com/amr-tui/amr-tui/ui/common"

	"runtime"
	"strings"
	"sync"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Tree mode groups keys into folders at delimiters (":" by default). It never scans Redis on
// its own: the flat list's one scan loads every key (entering tree mode lifts the load target),
// and a keyspace.PrefixIndex built from those keys counts every folder with memory per folder,
// not per key. Opening a folder costs no Redis round trip: its sub-folders come from the index
// (in natural order, paged as the rows on screen need them) and its keys are a virtual list of
// positions in the key set, kept up to date as more arrive. They are found by a pass over the
// loaded keys on every core (the first leavesFirst keys first, so a large folder's first
// screen shows at once), started once the index is built: when the index holds every loaded
// key, its count of keys directly in the folder answers at once for a folder with none or one
// holding every key. The index itself is built on every core (one
// part straight into the shared index, the others merged in). Until the scan is complete,
// counts say they are partial.
type treeState struct {
	index *keyspace.PrefixIndex
	// built is how many keys of the key set the index holds: the first ones are added by a
	// background pass when tree mode starts, later ones in Update as they arrive.
	built    int
	building bool
	gen      uint64
	levels   []*TreeLevel // levels[0] is the root; the last is shown
}

// TreeLevel is one open folder: its prefix and, for the level on screen, the positions in the
// key set of the keys directly in it.
type TreeLevel struct {
	Prefix  string
	leaves  leafList // positions in the key set, in load order
	upto    int      // keys [0, upto) have been sorted into leaves
	pending bool     // a leaves pass is running, or waits for the index (afterIndex)
	// afterIndex: the leaves pass starts once the index is built, which may answer without
	// one (see findLeaves), and meanwhile does not compete with the index for the cores.
	afterIndex bool
	gen        uint64
	Cursor     int
	Offset     int
}

// TreeMsg is the result of a background tree pass: the index built over the first upto keys
// (leaves nil), or the leaves of the level with generation gen.
type TreeMsg struct {
	gen    uint64
	upto   int
	leaves []int32
	index  bool
	more   tea.Cmd // the rest of a leaves pass, after the first part: leaves are keys [0, upto)
}

// Top is the level on screen (the deepest one).
func (t *treeState) Top() *TreeLevel { return t.levels[len(t.levels)-1] }

// Busy reports whether a background tree pass is running.
func (t *treeState) Busy() bool { return t.building || t.Top().pending }

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

// EnterTree switches to tree mode (or back to the flat list) at prefix. The flat scan goes on
// to the end, since the folder counts need every key.
func (b *Model) EnterTree(prefix string) tea.Cmd {
	if b.Tree != nil && prefix == "" {
		b.Tree = nil
		b.c.Flash("flat list", common.FlashInfo)
		return b.MetaCmd()
	}
	t := &treeState{index: keyspace.NewPrefixIndex(b.c.TreeDelimiters), gen: b.c.NextGen(), building: true}
	b.Tree = t
	var scan tea.Cmd
	if !b.Scan.Done && b.Exact == nil {
		b.Scan.LoadAll() // load everything: the counts need every key
		scan = common.Batch(b.Scan.next(b.c, b.Keys.Len()), b.reserve())
	}
	snap, gen, index := b.Keys.Snapshot(), t.gen, t.index
	build := func() tea.Msg { return TreeMsg{gen: gen, upto: buildIndex(snap, index), index: true} }
	return common.Batch(scan, build, b.PushLevel(prefix))
}

// PushLevel opens the folder prefix as the level on screen and starts finding its keys.
func (b *Model) PushLevel(prefix string) tea.Cmd {
	t := b.Tree
	if n := len(t.levels); n > 0 {
		t.levels[n-1].leaves = leafList{} // only the shown level keeps its keys; popping finds them again
		t.levels[n-1].upto = 0
	}
	lv := &TreeLevel{Prefix: prefix}
	t.levels = append(t.levels, lv)
	return b.findLeaves(lv)
}

// findLeaves starts the pass that finds lv's keys among those loaded, once the index is
// built. When the index holds exactly the loaded keys, its count of the keys directly in the
// folder answers at once a folder with none, and one holding every loaded key.
func (b *Model) findLeaves(lv *TreeLevel) tea.Cmd {
	t := b.Tree
	lv.gen, lv.pending, lv.leaves, lv.upto, lv.afterIndex = b.c.NextGen(), true, leafList{}, 0, false
	if t.building {
		lv.afterIndex = true
		return nil
	}
	n := b.Keys.Len()
	if t.built == n {
		switch f, _ := t.index.Folder(lv.Prefix); f.Direct {
		case 0:
			lv.pending, lv.upto = false, n
			return nil
		case int64(n):
			lv.leaves, lv.upto = allLeaves(n), n
			return b.leavesListed(lv)
		}
	}
	return leavesCmd(lv.gen, b.Keys.Snapshot(), 0, lv.Prefix, t.index)
}

// leavesFirst is how many keys the first part of a leaves pass covers: enough for a screen of
// a large folder's keys in a few milliseconds, which are shown while the rest is searched.
const leavesFirst = 1 << 16

// indexBatch is how many keys buildIndex adds under one lock of the shared index, so the view
// can read the counts between batches.
const indexBatch = 4096

// buildIndex adds every key of snap to index, on every core, and returns how many it added:
// the first goroutine adds its part straight into index (whose counts the view shows as they
// grow), the others build private indexes and merge them in at the end (a cost per folder).
func buildIndex(snap keySnapshot, index *keyspace.PrefixIndex) int {
	n := len(snap.Refs)
	parts := min(runtime.GOMAXPROCS(0), max(1, n/filterChunk))
	var wg sync.WaitGroup
	for p := range parts {
		lo, hi := n*p/parts, n*(p+1)/parts
		wg.Go(func() {
			dst := index
			if p > 0 {
				dst = keyspace.NewPrefixIndex(index.Delimiters())
			}
			for i := lo; i < hi; i += indexBatch {
				dst.AddAll(func(yield func(string) bool) {
					for j := i; j < min(hi, i+indexBatch); j++ {
						if !yield(snap.At(j)) {
							return
						}
					}
				})
			}
			if p > 0 {
				index.Merge(dst)
			}
		})
	}
	wg.Wait()
	return n
}

// leavesCmd finds the keys of snap from position from on that are directly in the folder
// prefix, on every core. Unlike the filter's, this pass tries each key: a prefix is rejected
// from a key's first bytes, which costs less than searching every byte of the chunks. A pass from 0 over more than leavesFirst keys answers for the first ones
// first, with a TreeMsg whose more finds the rest.
func leavesCmd(gen uint64, snap keySnapshot, from int, prefix string, index *keyspace.PrefixIndex) tea.Cmd {
	return func() tea.Msg {
		to := len(snap.Refs)
		if from == 0 && to > leavesFirst {
			to = leavesFirst
		}
		leaves := parallelMatch(to-from, func(i int) (int32, bool) {
			return int32(from + i), index.IsDirect(snap.At(from+i), prefix)
		}, nil)
		msg := TreeMsg{gen: gen, upto: to, leaves: leaves}
		if to < len(snap.Refs) {
			msg.more = leavesCmd(gen, snap, to, prefix, index)
		}
		return msg
	}
}

// OnTree applies a finished background pass, if it is still wanted.
func (b *Model) OnTree(msg TreeMsg) tea.Cmd {
	t := b.Tree
	if t == nil {
		return nil
	}
	if msg.index {
		if msg.gen != t.gen {
			return nil
		}
		t.built, t.building = msg.upto, false
		t.catchUp(b)
		var leaves tea.Cmd
		if lv := t.Top(); lv.afterIndex {
			leaves = b.findLeaves(lv)
		}
		return common.Batch(leaves, b.MetaCmd())
	}
	lv := t.Top()
	if msg.gen != lv.gen {
		return nil
	}
	lv.leaves.AddAll(msg.leaves)
	lv.upto = msg.upto
	if msg.more != nil {
		// The first keys of the folder show while the rest are found.
		lv.Cursor = max(0, min(lv.Cursor, t.Rows()-1))
		return common.Batch(msg.more, b.MetaCmd())
	}
	return b.leavesListed(lv)
}

// leavesListed ends lv's leaves pass: keys loaded meanwhile are sorted in, the cursor kept on
// a row, and the rows on screen get their metadata.
func (b *Model) leavesListed(lv *TreeLevel) tea.Cmd {
	lv.pending = false
	b.Tree.catchUp(b)
	lv.Cursor = max(0, min(lv.Cursor, b.Tree.Rows()-1))
	return b.MetaCmd()
}

// catchUp feeds keys loaded since the last passes to the index and the shown level.
func (t *treeState) catchUp(b *Model) {
	n := b.Keys.Len()
	if !t.building {
		for ; t.built < n; t.built++ {
			t.index.Add(b.Keys.At(t.built))
		}
	}
	if t.Complete(b) {
		t.index.MarkComplete()
	}
	lv := t.Top()
	if lv.pending {
		return
	}
	for ; lv.upto < n; lv.upto++ {
		if k := b.Keys.At(lv.upto); strings.HasPrefix(k, lv.Prefix) && t.index.Parent(k) == lv.Prefix {
			lv.leaves.Add(int32(lv.upto))
		}
	}
}

// removed follows the key set after the key k at position pos left it.
func (t *treeState) removed(b *Model, k string, pos int) tea.Cmd {
	if pos < 0 {
		return nil
	}
	if t.building {
		// The running pass may or may not have seen k: build the index again.
		return b.restartTree()
	}
	if pos < t.built {
		t.index.Remove(k)
		t.built--
	}
	lv := t.Top()
	if lv.pending {
		return b.findLeaves(lv)
	}
	lv.leaves.Remove(pos)
	if lv.upto > pos {
		lv.upto--
	}
	return nil
}

// restartTree rebuilds tree mode at the levels open now.
func (b *Model) restartTree() tea.Cmd {
	var prefixes []string
	for _, lv := range b.Tree.levels {
		prefixes = append(prefixes, lv.Prefix)
	}
	cursor := b.Tree.Top().Cursor
	b.Tree = nil
	cmd := b.EnterTree(prefixes[0])
	for _, p := range prefixes[1:] {
		cmd = common.Batch(cmd, b.PushLevel(p))
	}
	b.Tree.Top().Cursor = cursor
	return cmd
}

// removePosition drops pos from sorted positions and shifts the ones after it down by one.
func removePosition(idx []int32, pos int) []int32 {
	out := idx[:0]
	for _, p := range idx {
		switch {
		case int(p) == pos:
		case int(p) > pos:
			out = append(out, p-1)
		default:
			out = append(out, p)
		}
	}
	return out
}

func (b *Model) popLevel() tea.Cmd {
	t := b.Tree
	if len(t.levels) == 1 {
		b.Tree = nil
		return b.MetaCmd()
	}
	t.levels = t.levels[:len(t.levels)-1]
	return common.Batch(b.findLeaves(t.Top()), b.MetaCmd())
}

// Complete reports whether the folder counts cover every key: the index holds every key of a
// finished scan.
func (t *treeState) Complete(b *Model) bool {
	return b.Scan.Done && !t.building && t.built == b.Keys.Len()
}

// folders returns how many sub-folders the shown level has.
func (t *treeState) folders() int {
	f, _ := t.index.Folder(t.Top().Prefix)
	return f.Folders
}

// Rows is the number of rows the shown level has: folders, then keys.
func (t *treeState) Rows() int { return t.folders() + t.Top().leaves.Len() }

// Scroll moves the shown level's window by d rows (mouse wheel).
func (t *treeState) Scroll(d int) {
	lv, n := t.Top(), t.Rows()
	lv.Offset = max(0, min(lv.Offset+d, n-1))
	lv.Cursor = max(lv.Offset, min(lv.Cursor, n-1))
}

func (b *Model) updateTree(msg tea.KeyPressMsg) tea.Cmd {
	k, h := b.c.Keys, b.c.BodyHeight()
	t := b.Tree
	lv := t.Top()
	rows := max(1, h-t.headerLines(b))
	move := func(i int) {
		n := t.Rows()
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
		move(t.Rows() - 1)
	case key.Matches(msg, k.Open):
		if nf := t.folders(); lv.Cursor < nf {
			subs, _ := t.index.Children(lv.Prefix, lv.Cursor, 1)
			if len(subs) == 1 {
				return b.PushLevel(subs[0].Prefix)
			}
			return nil
		}
		if kk, ok := lv.selectedLeaf(b, t); ok {
			return func() tea.Msg { return common.OpenKeyMsg{Key: kk} }
		}
	case key.Matches(msg, k.Back):
		return b.popLevel()
	case key.Matches(msg, k.Tree):
		b.Tree = nil
		return b.MetaCmd()
	case key.Matches(msg, k.Pause):
		return b.togglePause()
	case key.Matches(msg, k.Rescan):
		// One new scan of the whole keyspace; the open folders stay open.
		var prefixes []string
		for _, l := range t.levels {
			prefixes = append(prefixes, l.Prefix)
		}
		cmd := b.Start(b.Scan.Match, b.Scan.Typ)
		cmd = common.Batch(cmd, b.EnterTree(prefixes[0]))
		for _, p := range prefixes[1:] {
			cmd = common.Batch(cmd, b.PushLevel(p))
		}
		return cmd
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
	if b.Input != nil || b.Confirm != nil || y < top || i >= t.Rows() {
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
	complete := t.Complete(b)
	var st string
	switch {
	case b.Scan.Err != nil:
		st = s.Danger.Render("scan failed (counts so far)")
	case complete:
		st = s.CountOK.Render("complete")
	case b.Scan.Paused:
		st = s.Warn.Render("paused (counts partial)")
	default:
		st = "scanning… (counts partial)"
	}
	path := lv.Prefix
	if path == "" {
		path = "(root)"
	}
	f, _ := t.index.Folder(lv.Prefix)
	nf := f.Folders
	folders, keys := common.Plural(int64(nf), "folder"), common.Plural(int64(lv.leaves.Len()), "key")
	switch {
	case lv.pending && lv.leaves.Len() > 0:
		keys = common.Count(int64(lv.leaves.Len())) + "+ keys (listing…)"
	case lv.pending:
		keys = "… keys"
	}
	head := s.Title.Render("TREE") + s.Dim.Render(" "+common.Printable(path)+" │ ") +
		folders + " · " + keys + " · " + common.Count(f.Keys) + " under prefix · " + st
	lines := []string{common.Fit(head, w)}
	switch {
	case b.Confirm != nil:
		lines = append(lines, s.Warn.Render(common.Fit(b.Confirm.Prompt+"  (y/n)", w)))
	case b.Input != nil:
		lines = append(lines, common.Fit(b.Input.View(w), w))
	case b.bulk != nil:
		lines = append(lines, s.Warn.Render(common.Fit(b.bulkStatus(), w)))
	}
	if m := b.marksStatus(); m != "" {
		lines[0] = common.Fit(head+s.Warn.Render(m), w)
	}
	keyW := max(1, w-colType-colTTL-colMem-colGaps)
	lines = append(lines, s.Dim.Render(common.Fit("  "+common.Fit("NAME", keyW)+" "+common.Fit("TYPE", colType)+" "+common.FitRight("TTL", colTTL)+" "+common.FitRight("MEM", colMem), w)))
	rows := nf + lv.leaves.Len()
	end := min(rows, lv.Offset+max(0, h-t.headerLines(b)))
	suffix := ""
	if !complete {
		suffix = "+"
	}
	var subs []keyspace.Folder
	if lv.Offset < nf {
		subs, _ = t.index.Children(lv.Prefix, lv.Offset, min(end, nf)-lv.Offset)
	}
	for i := lv.Offset; i < end; i++ {
		if i >= nf {
			k := b.Keys.At(int(lv.leaves.At(i - nf)))
			m, has := b.Meta[k]
			lines = append(lines, b.renderRow("  "+strings.TrimPrefix(k, lv.Prefix), m, has, i == lv.Cursor, b.Marks.has(k), keyW, w))
			continue
		}
		if i-lv.Offset >= len(subs) {
			continue
		}
		sub := subs[i-lv.Offset]
		unit := " keys)"
		if sub.Keys == 1 && suffix == "" {
			unit = " key)"
		}
		text := "▸ " + common.Printable(sub.Name) + "  (" + common.Count(sub.Keys) + suffix + unit
		if i == lv.Cursor {
			lines = append(lines, s.Selected.Render(common.Fit("› "+text, w)))
			continue
		}
		lines = append(lines, s.Row.Render(common.Fit("  "+text, w)))
	}
	if rows == 0 && h > 2 {
		empty := "scanning…"
		switch {
		case lv.pending:
			empty = "listing this folder's keys…"
		case complete:
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
			{k.Add, k.Delete, k.Expire, k.Persist, k.Rename, k.Copy}, {k.Mark, k.MarkAll, k.Export, k.CopyTo}, {k.Command, k.Profiles, k.Help, k.Quit}},
	}
}
