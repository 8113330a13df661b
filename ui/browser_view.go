package ui

import (
	"strings"
)

// Column widths of the key list; the key column takes the rest.
const (
	colType = 7
	colTTL  = 8
	colMem  = 7
	colGaps = 2 + 3 // cursor mark + the spaces between columns
)

// view renders the list in w×h cells. Its cost depends on h, not on how many keys are loaded:
// only rows [offset, offset+rows) are touched.
func (b *browser) view(w, h int) string {
	if b.tree != nil {
		return b.tree.view(b, w, h)
	}
	s := b.c.Styles
	lines := make([]string, 0, h)
	lines = append(lines, fit(b.status(), w))
	switch {
	case b.confirm != nil:
		lines = append(lines, s.Warn.Render(fit(b.confirm.prompt+"  (y/n)", w)))
	case b.input != nil && b.input.kind == inputFilter:
		state := "  " + b.filterState() + " (client-side filter over loaded keys)"
		lines = append(lines, fit(b.input.view(w)+s.Dim.Render(state), w))
	case b.input != nil:
		lines = append(lines, fit(b.input.view(w), w))
	case b.filter.active():
		lines = append(lines, s.Prompt.Render(fit("filter /"+printable(b.filter.query)+"/ (client-side) · "+b.filterState()+" · esc clears", w)))
	}
	keyW := max(1, w-colType-colTTL-colMem-colGaps)
	lines = append(lines, s.Dim.Render(fit("  "+fit("KEY", keyW)+" "+fit("TYPE", colType)+" "+fitRight("TTL", colTTL)+" "+fitRight("MEM", colMem), w)))

	rows := b.rowsHeight(h)
	n := b.count()
	switch {
	case n == 0 && rows > 0:
		lines = append(lines, s.Dim.Render(fit("  "+b.emptyText(), w)))
	default:
		end := min(n, b.offset+rows)
		for i := b.offset; i < end; i++ {
			lines = append(lines, b.row(b.keyAt(i), i == b.cursor, keyW, w))
		}
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines[:min(len(lines), h)], "\n")
}

// filterState is "3 of 1,234 loaded" or "filtering…".
func (b *browser) filterState() string {
	if !b.filter.active() {
		return count(int64(b.keys.Len())) + " loaded"
	}
	if b.filter.pending {
		return "filtering " + count(int64(b.keys.Len())) + " loaded…"
	}
	return count(int64(len(b.filter.idx))) + " of " + count(int64(b.keys.Len())) + " loaded"
}

func (b *browser) emptyText() string {
	switch {
	case b.exact != nil && !b.exact.pending && !b.exact.found:
		return "no key named " + printable(b.exact.key)
	case b.filter.active() && b.filter.pending:
		return "filtering…"
	case b.filter.active():
		return "no loaded key contains " + printable(b.filter.query) + " (the filter only searches loaded keys)"
	case b.scan.done:
		return "no keys match " + printable(b.scan.match)
	}
	return "scanning…"
}

// rowKey identifies a rendered row; the cache is dropped when the width or theme changes.
type rowKey struct {
	key  string
	meta KeyMeta
	has  bool
	sel  bool
}

// rowCache memoizes rendered rows: lipgloss rendering dominates a frame, and scrolling by one
// line re-renders one or two rows instead of the whole window. It only ever holds a few
// screens of rows.
type rowCache struct {
	w      int
	styles *Styles
	rows   map[rowKey]string
}

// row returns the rendered row for key k, from the cache when possible.
func (b *browser) row(k string, sel bool, keyW, w int) string {
	m, has := b.meta[k]
	rc := &b.rows
	if rc.rows == nil || rc.w != w || rc.styles != b.c.Styles || len(rc.rows) > 8*max(b.c.bodyHeight(), 16) {
		*rc = rowCache{w: w, styles: b.c.Styles, rows: make(map[rowKey]string)}
	}
	rk := rowKey{key: k, meta: m, has: has, sel: sel}
	if r, ok := rc.rows[rk]; ok {
		return r
	}
	r := b.renderRow(k, m, has, sel, keyW, w)
	rc.rows[rk] = r
	return r
}

// renderRow renders one key row.
func (b *browser) renderRow(k string, m KeyMeta, has, sel bool, keyW, w int) string {
	s := b.c.Styles
	typ, t, mem := "…", "", ""
	if has {
		typ, t, mem = m.Type, ttl(m.TTL), bytesize(m.Memory)
	}
	var sb strings.Builder
	sb.Grow(w + 16)
	if sel {
		sb.WriteString("› ")
	} else {
		sb.WriteString("  ")
	}
	sb.WriteString(fit(printable(k), keyW))
	sb.WriteByte(' ')
	line := sb.String()
	cols := fit(typ, colType) + " " + fitRight(t, colTTL) + " " + fitRight(mem, colMem)
	if sel {
		return s.Selected.Render(line + cols)
	}
	return s.Row.Render(line) + s.typeStyle(typ).Render(fit(typ, colType)) + s.Dim.Render(" "+fitRight(t, colTTL)+" "+fitRight(mem, colMem))
}
