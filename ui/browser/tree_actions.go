package browser

import (
	"github.com/amr-tui/amr-tui/keyspace"
	"github.com/amr-tui/amr-tui/ui/common"

	tea "charm.land/bubbletea/v2"
)

// Tree mode shares the flat list's columns (TYPE, TTL, MEM: fetched lazily, in one pipeline,
// for the leaf rows on screen only) and its key actions, which act on the leaf under the
// cursor. Folders are prefixes, not keys: actions on them are refused with a hint.
// selectedLeaf returns the key on the cursor row, if that row is a key.
func (lv *TreeLevel) selectedLeaf(b *Model, t *treeState) (string, bool) {
	i := lv.Cursor - t.folders()
	if i < 0 || i >= lv.leaves.Len() {
		return "", false
	}
	return b.Keys.At(int(lv.leaves.At(i))), true
}

// headerLines is how many lines the tree view uses above its rows: the path and counts, a
// prompt or question when one is open, and the column titles.
func (t *treeState) headerLines(b *Model) int {
	if b.Input != nil || b.Confirm != nil || b.bulk != nil {
		return 3
	}
	return 2
}

// visibleLeaves returns the keys on the leaf rows currently on screen.
func (t *treeState) visibleLeaves(b *Model, h int) []string {
	lv, nf := t.Top(), t.folders()
	end := min(nf+lv.leaves.Len(), lv.Offset+max(0, h-t.headerLines(b)))
	var out []string
	for i := max(lv.Offset, nf); i < end; i++ {
		out = append(out, b.Keys.At(int(lv.leaves.At(i-nf))))
	}
	return out
}

// treeAction runs one of the flat list's key actions on the tree's cursor row.
func (b *Model) treeAction(run func() tea.Cmd) tea.Cmd {
	if _, ok := b.Selected(); !ok {
		b.c.Flash("a folder is a key prefix, not a key: open it (enter) and act on its keys", common.FlashWarn)
		return nil
	}
	return run()
}

// FolderList returns every sub-folder of the shown level, in natural order.
func (t *treeState) FolderList() []keyspace.Folder {
	subs, _ := t.index.Children(t.Top().Prefix, 0, -1)
	return subs
}

// LeafKeys returns the keys directly in the shown level, in load order.
func (t *treeState) LeafKeys(b *Model) []string {
	lv := t.Top()
	out := make([]string, 0, lv.leaves.Len())
	for i := range lv.leaves.Len() {
		out = append(out, b.Keys.At(int(lv.leaves.At(i))))
	}
	return out
}
