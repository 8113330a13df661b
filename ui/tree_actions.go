package ui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
)

// Tree mode shares the flat list's columns (TYPE, TTL, MEM: fetched lazily, in one pipeline,
// for the leaf rows on screen only) and its key actions, which act on the leaf under the
// cursor. Folders are prefixes, not keys: actions on them are refused with a hint.

// selectedLeaf returns the key on the cursor row, if that row is a key.
func (lv *treeLevel) selectedLeaf() (string, bool) {
	i := lv.cursor - len(lv.names)
	if i < 0 || i >= lv.leaves.Len() {
		return "", false
	}
	return lv.leaves.at(i), true
}

// headerLines is how many lines the tree view uses above its rows: the path and counts, a
// prompt or question when one is open, and the column titles.
func (t *treeState) headerLines(b *browser) int {
	if b.input != nil || b.confirm != nil {
		return 3
	}
	return 2
}

// visibleLeaves returns the keys on the leaf rows currently on screen.
func (t *treeState) visibleLeaves(b *browser, h int) []string {
	lv := t.top()
	end := min(lv.rows(), lv.offset+max(0, h-t.headerLines(b)))
	var out []string
	for i := max(lv.offset, len(lv.names)); i < end; i++ {
		out = append(out, lv.leaves.at(i-len(lv.names)))
	}
	return out
}

// applyAction mirrors a successful write in the shown level: a deleted or renamed key leaves
// it, a new or renamed key that belongs directly to this level joins it.
func (lv *treeLevel) applyAction(msg actionMsg, delim string) {
	if msg.removed && lv.leaves.remove(msg.key) >= 0 {
		lv.total--
	}
	k := msg.newKey
	if msg.added {
		k = msg.key
	}
	if k != "" {
		if rest, ok := strings.CutPrefix(k, lv.prefix); ok && !strings.Contains(rest, delim) && !lv.leaves.has(k) {
			lv.add([]string{k}, delim)
		}
	}
	lv.cursor = max(0, min(lv.cursor, lv.rows()-1))
}

// treeAction runs one of the flat list's key actions on the tree's cursor row.
func (b *browser) treeAction(run func() tea.Cmd) tea.Cmd {
	if _, ok := b.selected(); !ok {
		b.c.flash("a folder is a key prefix, not a key: open it (enter) and act on its keys", FlashWarn)
		return nil
	}
	return run()
}
