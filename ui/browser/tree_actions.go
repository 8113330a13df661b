package browser

import (
	"github.com/amr-tui/amr-tui/ui/common"

	"strings"

	tea "charm.land/bubbletea/v2"
)

// Tree mode shares the flat list's columns (TYPE, TTL, MEM: fetched lazily, in one pipeline,
// for the leaf rows on screen only) and its key actions, which act on the leaf under the
// cursor. Folders are prefixes, not keys: actions on them are refused with a hint.
// selectedLeaf returns the key on the cursor row, if that row is a key.
func (lv *TreeLevel) selectedLeaf() (string, bool) {
	i := lv.Cursor - len(lv.Names)
	if i < 0 || i >= lv.Leaves.Len() {
		return "", false
	}
	return lv.Leaves.At(i), true
}

// headerLines is how many lines the tree view uses above its rows: the path and counts, a
// prompt or question when one is open, and the column titles.
func (t *treeState) headerLines(b *Model) int {
	if b.Input != nil || b.Confirm != nil {
		return 3
	}
	return 2
}

// visibleLeaves returns the keys on the leaf rows currently on screen.
func (t *treeState) visibleLeaves(b *Model, h int) []string {
	lv := t.Top()
	end := min(lv.Rows(), lv.Offset+max(0, h-t.headerLines(b)))
	var out []string
	for i := max(lv.Offset, len(lv.Names)); i < end; i++ {
		out = append(out, lv.Leaves.At(i-len(lv.Names)))
	}
	return out
}

// applyAction mirrors a successful write in the shown level: a deleted or renamed key leaves
// it, a new or renamed key that belongs directly to this level joins it.
func (lv *TreeLevel) applyAction(msg ActionMsg, delim string) {
	if msg.removed && lv.Leaves.remove(msg.key) >= 0 {
		lv.total--
	}
	k := msg.newKey
	if msg.added {
		k = msg.key
	}
	if k != "" {
		if rest, ok := strings.CutPrefix(k, lv.Prefix); ok && !strings.Contains(rest, delim) && !lv.Leaves.Has(k) {
			lv.Add([]string{k}, delim)
		}
	}
	lv.Cursor = max(0, min(lv.Cursor, lv.Rows()-1))
}

// treeAction runs one of the flat list's key actions on the tree's cursor row.
func (b *Model) treeAction(run func() tea.Cmd) tea.Cmd {
	if _, ok := b.Selected(); !ok {
		b.c.Flash("a folder is a key prefix, not a key: open it (enter) and act on its keys", common.FlashWarn)
		return nil
	}
	return run()
}
