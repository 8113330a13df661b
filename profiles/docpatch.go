package profiles

import (
	"bytes"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"

	toml "github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// The profiles file is edited, not re-encoded, when it is saved: a person's comments, blank
// lines, table order and key spelling (dotted keys, quoting) stay as they were, and only the
// lines whose values changed are touched. No TOML library for Go edits a document in place
// (go-toml/v2 and BurntSushi/toml decode to values and encode anew, dropping comments), so this
// file does it by hand on top of go-toml's parser, which gives the byte range of every
// expression. Every patched document is decoded again and compared with a full encoding of the
// same profiles; when they differ in any value, or the edit needs a form this patcher does not
// write (a changed inline table, arrays of tables), the full encoding is written instead.

// docKeyValue is one `key = value` expression of the original document.
type docKeyValue struct {
	path       []string // full path: table header path + the (dotted) key
	keyPrefix  []string // the key's dotted parts before its last one, relative to its table
	start, end int      // the expression's bytes (key, '=', value; not a trailing comment)
	lineEnd    int      // just after the newline ending the expression's last line
	lineStart  int
	complex    bool // an inline table or an array holding tables: not edited piecemeal
}

// docTable is one [table] header of the original document and the lines it owns: from the
// comment block directly above its header to the next table's comment block (or the end).
type docTable struct {
	path                  []string
	spanStart, headerEnd  int // spanStart includes the comments directly above the header
	contentEnd, spanEnd   int // contentEnd: after its last expression; spanEnd: next table's spanStart
	lastExprEnd           int
	hasKeys, arrayOfTable bool
}

type docIndex struct {
	kvs    []docKeyValue
	tables []docTable
	root   docTable // the keys before the first header
}

type docEdit struct {
	start, end int
	text       string
}

// patchDocument returns orig changed so that it decodes to the same values as want, a full
// encoding of the file. ok is false when the caller should write want instead.
func patchDocument(orig, want []byte) (out []byte, ok bool) {
	var origVals, wantVals map[string]any
	if toml.Unmarshal(orig, &origVals) != nil || toml.Unmarshal(want, &wantVals) != nil {
		return nil, false
	}
	idx, ok := indexDocument(orig, origVals)
	if !ok {
		return nil, false
	}
	wantPaths, ok := leafOrder(want)
	if !ok {
		return nil, false
	}
	edits, ok := planEdits(orig, idx, origVals, wantVals, wantPaths)
	if !ok {
		return nil, false
	}
	out, ok = applyEdits(orig, edits)
	if !ok {
		return nil, false
	}
	var got map[string]any
	if toml.Unmarshal(out, &got) != nil || !reflect.DeepEqual(got, wantVals) {
		return nil, false
	}
	return out, true
}

// indexDocument finds every table header and key-value expression of data with its bytes.
func indexDocument(data []byte, vals map[string]any) (*docIndex, bool) {
	idx := &docIndex{}
	var p unstable.Parser
	p.Reset(data)
	var table []string
	cur := &idx.root
	for p.NextExpression() {
		expr := p.Expression()
		switch expr.Kind {
		case unstable.Table, unstable.ArrayTable:
			table = keyPath(nil, expr.Key())
			start := lineStart(data, firstKeyOffset(expr))
			idx.tables = append(idx.tables, docTable{
				path: table, spanStart: commentBlockStart(data, start), headerEnd: lineEnd(data, start),
				arrayOfTable: expr.Kind == unstable.ArrayTable,
			})
			cur = &idx.tables[len(idx.tables)-1]
			cur.lastExprEnd = cur.headerEnd
		case unstable.KeyValue:
			rel := keyPath(nil, expr.Key())
			start, end := int(expr.Raw.Offset), int(expr.Raw.Offset+expr.Raw.Length)
			path := append(slices.Clone(table), rel...)
			v, _ := lookupPath(vals, path)
			kv := docKeyValue{path: path, keyPrefix: rel[:len(rel)-1], start: start, end: end,
				lineStart: lineStart(data, start), lineEnd: lineEnd(data, end), complex: holdsTable(v)}
			idx.kvs = append(idx.kvs, kv)
			cur.hasKeys = true
			cur.lastExprEnd = kv.lineEnd
		}
	}
	if p.Error() != nil {
		return nil, false
	}
	for i := range idx.tables {
		t := &idx.tables[i]
		if t.arrayOfTable {
			return nil, false
		}
		t.contentEnd = t.lastExprEnd
		t.spanEnd = len(data)
		if i+1 < len(idx.tables) {
			t.spanEnd = idx.tables[i+1].spanStart
		}
	}
	idx.root.contentEnd = idx.root.lastExprEnd
	return idx, true
}

// leafOrder lists the paths of want's key-value expressions in the order the encoder wrote them.
func leafOrder(want []byte) ([][]string, bool) {
	var p unstable.Parser
	p.Reset(want)
	var table []string
	var paths [][]string
	for p.NextExpression() {
		expr := p.Expression()
		switch expr.Kind {
		case unstable.Table:
			table = keyPath(nil, expr.Key())
		case unstable.ArrayTable:
			return nil, false
		case unstable.KeyValue:
			paths = append(paths, keyPath(table, expr.Key()))
		}
	}
	return paths, p.Error() == nil
}

// planEdits lists the byte edits that turn the original document into want: changed values in
// place, removed keys and tables cut out, new keys next to their neighbours, new tables after
// their closest relatives.
func planEdits(data []byte, idx *docIndex, origVals, wantVals map[string]any, wantPaths [][]string) ([]docEdit, bool) {
	var edits []docEdit
	var gone []docTable
	for _, t := range idx.tables {
		if v, ok := lookupPath(wantVals, t.path); !ok || !isTable(v) {
			gone = append(gone, t)
			edits = append(edits, docEdit{start: t.spanStart, end: t.spanEnd})
		}
	}
	removed := func(at int) bool {
		for _, t := range gone {
			if at >= t.spanStart && at < t.spanEnd {
				return true
			}
		}
		return false
	}

	present := map[string]*docKeyValue{}
	for i := range idx.kvs {
		kv := &idx.kvs[i]
		old, _ := lookupPath(origVals, kv.path)
		nv, inWant := lookupPath(wantVals, kv.path)
		switch {
		case !inWant:
			if !removed(kv.start) {
				edits = append(edits, docEdit{start: kv.lineStart, end: kv.lineEnd})
			}
			continue
		case reflect.DeepEqual(old, nv):
		case kv.complex || holdsTable(nv):
			return nil, false
		default:
			edits = append(edits, docEdit{start: kv.start, end: kv.end,
				text: string(lastKeyText(data[kv.start:kv.end])) + "= " + encodeValue(nv)})
		}
		present[pathKey(kv.path)] = kv
	}

	// New keys go after the nearest earlier key (in want's order) of the same table that the
	// document already has, spelled as that neighbour is (dotted or under a header).
	inserts := map[int]*strings.Builder{}
	insertAt := func(at int, text string) {
		b := inserts[at]
		if b == nil {
			b = &strings.Builder{}
			inserts[at] = b
		}
		b.WriteString(text)
	}
	newTables := map[string][]string{} // parent path → lines, for tables the document lacks
	var newTableOrder [][]string
	for i, path := range wantPaths {
		if present[pathKey(path)] != nil || coveredByComplex(idx, path) {
			continue
		}
		if hasDescendant(idx, path) {
			return nil, false // a table in the document is a value in want
		}
		parent := path[:len(path)-1]
		v, _ := lookupPath(wantVals, path)
		line := encodeKey(path[len(path)-1:]) + " = " + encodeValue(v) + "\n"
		if kv := previousPresent(wantPaths[:i], parent, present); kv != nil {
			insertAt(kv.lineEnd, encodeKey(kv.keyPrefix)+dotIfAny(kv.keyPrefix)+line)
			present[pathKey(path)] = &docKeyValue{path: path, keyPrefix: kv.keyPrefix, lineEnd: kv.lineEnd}
			continue
		}
		if kv := firstSibling(idx, parent, removed); kv != nil {
			insertAt(kv.lineStart, encodeKey(kv.keyPrefix)+dotIfAny(kv.keyPrefix)+line)
			continue
		}
		if t := tableAt(idx, parent, gone); t != nil {
			insertAt(t.headerEnd, line)
			continue
		}
		if len(parent) == 0 {
			insertAt(rootInsertPoint(idx, len(data)), line)
			continue
		}
		k := pathKey(parent)
		if _, seen := newTables[k]; !seen {
			newTableOrder = append(newTableOrder, parent)
		}
		newTables[k] = append(newTables[k], line)
	}
	for _, parent := range newTableOrder {
		at := newTableInsertPoint(idx, parent, gone, len(data))
		prefix := "\n"
		if at == len(data) && len(data) > 0 && data[len(data)-1] != '\n' {
			prefix = "\n\n"
		}
		insertAt(at, prefix+"["+encodeKey(parent)+"]\n"+strings.Join(newTables[pathKey(parent)], ""))
	}
	for at, b := range inserts {
		edits = append(edits, docEdit{start: at, end: at, text: b.String()})
	}
	return edits, true
}

// applyEdits applies non-overlapping edits; insertions at one offset keep their order.
func applyEdits(data []byte, edits []docEdit) ([]byte, bool) {
	slices.SortStableFunc(edits, func(a, b docEdit) int {
		if a.start != b.start {
			return a.start - b.start
		}
		return (a.end - a.start) - (b.end - b.start) // an insertion before a replacement at the same place
	})
	var out bytes.Buffer
	pos := 0
	for _, e := range edits {
		if e.start < pos {
			return nil, false
		}
		out.Write(data[pos:e.start])
		out.WriteString(e.text)
		pos = e.end
	}
	out.Write(data[pos:])
	return out.Bytes(), true
}

func previousPresent(before [][]string, parent []string, present map[string]*docKeyValue) *docKeyValue {
	for i := len(before) - 1; i >= 0; i-- {
		p := before[i]
		if slices.Equal(p[:len(p)-1], parent) {
			if kv := present[pathKey(p)]; kv != nil {
				return kv
			}
		}
	}
	return nil
}

func firstSibling(idx *docIndex, parent []string, removed func(int) bool) *docKeyValue {
	for i := range idx.kvs {
		kv := &idx.kvs[i]
		if slices.Equal(kv.path[:len(kv.path)-1], parent) && !removed(kv.start) {
			return kv
		}
	}
	return nil
}

func tableAt(idx *docIndex, path []string, gone []docTable) *docTable {
	for i := range idx.tables {
		t := &idx.tables[i]
		if slices.Equal(t.path, path) && !slices.ContainsFunc(gone, func(g docTable) bool { return g.spanStart == t.spanStart }) {
			return t
		}
	}
	return nil
}

// newTableInsertPoint puts a new table after the last table that shares the longest prefix of
// its path (a profile's new [profiles.x.tls] goes after its other tables), or at the end.
func newTableInsertPoint(idx *docIndex, path []string, gone []docTable, end int) int {
	best, at := 0, end
	for _, t := range idx.tables {
		if slices.ContainsFunc(gone, func(g docTable) bool { return g.spanStart == t.spanStart }) {
			continue
		}
		if n := commonPrefix(t.path, path); n > 0 && n >= best {
			best, at = n, t.contentEnd
		}
	}
	return at
}

func rootInsertPoint(idx *docIndex, end int) int {
	if idx.root.hasKeys {
		return idx.root.contentEnd
	}
	if len(idx.tables) > 0 {
		return idx.tables[0].spanStart
	}
	return end
}

func coveredByComplex(idx *docIndex, path []string) bool {
	for _, kv := range idx.kvs {
		if kv.complex && len(path) > len(kv.path) && slices.Equal(path[:len(kv.path)], kv.path) {
			return true
		}
	}
	return false
}

func hasDescendant(idx *docIndex, path []string) bool {
	for _, kv := range idx.kvs {
		if len(kv.path) > len(path) && slices.Equal(kv.path[:len(path)], path) {
			return true
		}
	}
	return false
}

func commonPrefix(a, b []string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

func lookupPath(vals map[string]any, path []string) (any, bool) {
	var cur any = vals
	for _, k := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[k]; !ok {
			return nil, false
		}
	}
	return cur, true
}

func isTable(v any) bool { _, ok := v.(map[string]any); return ok }

func holdsTable(v any) bool {
	switch v := v.(type) {
	case map[string]any:
		return true
	case []any:
		return slices.ContainsFunc(v, holdsTable)
	}
	return false
}

// lastKeyText is the key part of an expression up to (not including) '='; quoted keys may hold
// '=' themselves, so quotes are skipped.
func lastKeyText(expr []byte) []byte {
	quote := byte(0)
	for i, c := range expr {
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else if c == '\\' && quote == '"' && i+1 < len(expr) {
				continue
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '=':
			return expr[:i]
		}
	}
	return expr
}

// encodeValue writes a value as TOML. Strings are written as basic ("…") strings, as people
// mostly write them and as the rest of a hand-edited file most likely has them.
func encodeValue(v any) string {
	switch v := v.(type) {
	case string:
		return basicString(v)
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = encodeValue(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	b, err := toml.Marshal(map[string]any{"v": v})
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(strings.TrimPrefix(string(b), "v = "), "\n")
}

func basicString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

var bareKey = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9_-]+$`) })

func encodeKey(parts []string) string {
	out := make([]string, len(parts))
	for i, k := range parts {
		if bareKey().MatchString(k) {
			out[i] = k
		} else {
			out[i] = encodeValue(k)
		}
	}
	return strings.Join(out, ".")
}

func dotIfAny(prefix []string) string {
	if len(prefix) > 0 {
		return "."
	}
	return ""
}

func firstKeyOffset(expr *unstable.Node) int {
	it := expr.Key()
	if it.Next() {
		return int(it.Node().Raw.Offset)
	}
	return int(expr.Raw.Offset)
}

func lineStart(data []byte, at int) int {
	return bytes.LastIndexByte(data[:at], '\n') + 1
}

func lineEnd(data []byte, at int) int {
	if i := bytes.IndexByte(data[at:], '\n'); i >= 0 {
		return at + i + 1
	}
	return len(data)
}

// commentBlockStart extends a header's line upwards over the comment lines directly above it.
func commentBlockStart(data []byte, headerLine int) int {
	start := headerLine
	for start > 0 {
		prev := lineStart(data, start-1)
		line := strings.TrimSpace(string(data[prev : start-1]))
		if !strings.HasPrefix(line, "#") {
			break
		}
		start = prev
	}
	return start
}
