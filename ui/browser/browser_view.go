package browser

import (
	"github.com/amr-tui/amr-tui/ui/common"

	"strings"
)

// Column widths of the key list; the key column takes the rest.
const (
	colType = 7
	colTTL  = 8
	colMem  = 7
	colGaps = 2 + 3 // cursor mark + the spaces between columns
)

// View renders the list in w×h cells. Its cost depends on h, not on how many keys are loaded:
// only rows [offset, offset+rows) are touched.
func (b *Model) View(w, h int) string {
	if b.Tree != nil {
		return b.Tree.View(b, w, h)
	}
	s := b.c.Styles
	lines := make([]string, 0, h)
	lines = append(lines, common.Fit(b.status(), w))
	switch {
	case b.Confirm != nil:
		lines = append(lines, s.Warn.Render(common.Fit(b.Confirm.Prompt+"  (y/n)", w)))
	case b.Input != nil && b.Input.Kind == common.InputFilter:
		state := "  " + b.filterState() + " (client-side filter over loaded keys)"
		lines = append(lines, common.Fit(b.Input.View(w)+s.Dim.Render(state), w))
	case b.Input != nil:
		lines = append(lines, common.Fit(b.Input.View(w), w))
	case b.bulk != nil:
		lines = append(lines, s.Warn.Render(common.Fit(b.bulkStatus(), w)))
	case b.Filter.active():
		lines = append(lines, s.Prompt.Render(common.Fit("filter /"+common.Printable(b.Filter.Query)+"/ (client-side) · "+b.filterState()+" · esc clears", w)))
	}
	keyW := max(1, w-colType-colTTL-colMem-colGaps)
	lines = append(lines, s.Dim.Render(common.Fit("  "+common.Fit("KEY", keyW)+" "+common.Fit("TYPE", colType)+" "+common.FitRight("TTL", colTTL)+" "+common.FitRight("MEM", colMem), w)))

	rows := b.RowsHeight(h)
	n := b.Count()
	switch {
	case n == 0 && rows > 0:
		lines = append(lines, s.Dim.Render(common.Fit("  "+b.emptyText(), w)))
	default:
		end := min(n, b.Offset+rows)
		for i := b.Offset; i < end; i++ {
			lines = append(lines, b.row(b.KeyAt(i), i == b.Cursor, keyW, w))
		}
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines[:min(len(lines), h)], "\n")
}

// filterState is "3 of 1,234 loaded" or "filtering…".
func (b *Model) filterState() string {
	if !b.Filter.active() {
		return common.Count(int64(b.Keys.Len())) + " loaded"
	}
	if b.Filter.Pending {
		return "filtering " + common.Count(int64(b.Keys.Len())) + " loaded…"
	}
	return common.Count(int64(len(b.Filter.idx))) + " of " + common.Count(int64(b.Keys.Len())) + " loaded"
}

func (b *Model) emptyText() string {
	switch {
	case b.Exact != nil && !b.Exact.Pending && !b.Exact.Found:
		return "no key named " + common.Printable(b.Exact.key)
	case b.Filter.active() && b.Filter.Pending:
		return "filtering…"
	case b.Filter.active():
		return "no loaded key contains " + common.Printable(b.Filter.Query) + " (the filter only searches loaded keys)"
	case b.Scan.Done:
		return "no keys match " + common.Printable(b.Scan.Match)
	case b.Scan.Err != nil:
		return "SCAN failed: " + b.Scan.Err.Error() + " (p retries from here, r restarts)"
	case b.Scan.Paused:
		return "scan paused before any key matched (p resumes)"
	}
	return "scanning…"
}

// rowKey identifies a rendered row; the cache is dropped when the width or theme changes.
type rowKey struct {
	key  string
	meta common.KeyMeta
	has  bool
	sel  bool
	mark bool
}

// rowCache memoizes rendered rows: lipgloss rendering dominates a frame, and scrolling by one
// line re-renders one or two rows instead of the whole window. It only ever holds a few
// screens of rows.
type rowCache struct {
	w      int
	styles *common.Styles
	rows   map[rowKey]string
}

// row returns the rendered row for key k, from the cache when possible.
func (b *Model) row(k string, sel bool, keyW, w int) string {
	m, has := b.Meta[k]
	if has {
		m.TTL = b.liveTTL(k, m.TTL)
	}
	rc := &b.rows
	if rc.rows == nil || rc.w != w || rc.styles != b.c.Styles || len(rc.rows) > 8*max(b.c.BodyHeight(), 16) {
		*rc = rowCache{w: w, styles: b.c.Styles, rows: make(map[rowKey]string)}
	}
	mark := b.Marks.has(k)
	rk := rowKey{key: k, meta: m, has: has, sel: sel, mark: mark}
	if r, ok := rc.rows[rk]; ok {
		return r
	}
	r := b.renderRow(k, m, has, sel, mark, keyW, w)
	rc.rows[rk] = r
	return r
}

// renderRow renders one key row.
func (b *Model) renderRow(k string, m common.KeyMeta, has, sel, mark bool, keyW, w int) string {
	s := b.c.Styles
	typ, t, mem := "…", "", ""
	if has {
		typ, t, mem = m.Type, common.TTL(m.TTL), common.Bytesize(m.Memory)
	}
	expired := has && m.TTL == ttlExpired
	if expired {
		t = "expired"
	}
	var sb strings.Builder
	sb.Grow(w + 16)
	switch {
	case sel && mark:
		sb.WriteString("›●")
	case sel:
		sb.WriteString("› ")
	case mark:
		sb.WriteString(" ●")
	default:
		sb.WriteString("  ")
	}
	sb.WriteString(common.Fit(common.Printable(k), keyW))
	sb.WriteByte(' ')
	line := sb.String()
	cols := common.Fit(typ, colType) + " " + common.FitRight(t, colTTL) + " " + common.FitRight(mem, colMem)
	if sel {
		return s.Selected.Render(line + cols)
	}
	if expired {
		return s.Dim.Render(line + cols)
	}
	return s.Row.Render(line) + s.TypeStyle(typ).Render(common.Fit(typ, colType)) + s.Dim.Render(" "+common.FitRight(t, colTTL)+" "+common.FitRight(mem, colMem))
}
