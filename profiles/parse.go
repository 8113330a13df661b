package profiles

import (
	"errors"
	"strings"

	toml "github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// document is a parsed profiles file: its values, and the line each key was written on.
//
// go-toml/v2 is used rather than BurntSushi/toml because error messages must carry line numbers
// for every key (unknown fields, missing fields, bad values), and BurntSushi keeps key positions
// private. Parsing is two passes: toml.Unmarshal checks the whole TOML grammar and semantics
// (duplicate keys, redefined tables) and yields typed values; the unstable parser's AST yields
// each key's line.
type document struct {
	values map[string]any
	lines  map[string]int // pathKey(path) → line of the key or table header
}

// pathKey joins a key path; NUL cannot appear in a TOML key.
func pathKey(path []string) string { return strings.Join(path, "\x00") }

// line returns the line of path, or of its nearest ancestor that was written down (a missing
// field is reported on its table's header), or 0.
func (d *document) line(path []string) int {
	for n := len(path); n > 0; n-- {
		if l, ok := d.lines[pathKey(path[:n])]; ok {
			return l
		}
	}
	return 0
}

// parseDocument parses data, or returns the syntax problem with its line.
func parseDocument(data []byte) (*document, *Problem) {
	d := &document{values: map[string]any{}, lines: map[string]int{}}
	if err := toml.Unmarshal(data, &d.values); err != nil {
		prob := &Problem{Msg: "invalid TOML: " + strings.TrimPrefix(err.Error(), "toml: ")}
		var de *toml.DecodeError
		if errors.As(err, &de) {
			prob.Line, _ = de.Position()
		}
		return nil, prob
	}
	d.indexLines(data)
	return d, nil
}

// indexLines records the line of every key and table header.
func (d *document) indexLines(data []byte) {
	var p unstable.Parser
	p.Reset(data)
	var table []string
	for p.NextExpression() {
		expr := p.Expression()
		switch expr.Kind {
		case unstable.Table, unstable.ArrayTable:
			table = keyPath(nil, expr.Key())
			d.record(&p, table, expr)
		case unstable.KeyValue:
			d.keyValue(&p, table, expr)
		}
	}
}

func (d *document) keyValue(p *unstable.Parser, table []string, kv *unstable.Node) {
	path := keyPath(table, kv.Key())
	d.record(p, path, kv)
	if v := kv.Value(); v.Kind == unstable.InlineTable {
		it := v.Children()
		for it.Next() {
			if c := it.Node(); c.Kind == unstable.KeyValue {
				d.keyValue(p, path, c)
			}
		}
	}
}

// record sets the line of path and of any ancestors not yet seen (tables created implicitly by
// a dotted key or header).
func (d *document) record(p *unstable.Parser, path []string, n *unstable.Node) {
	line := nodeLine(p, n)
	d.lines[pathKey(path)] = line
	for i := len(path) - 1; i > 0; i-- {
		k := pathKey(path[:i])
		if _, ok := d.lines[k]; ok {
			break
		}
		d.lines[k] = line
	}
}

func nodeLine(p *unstable.Parser, n *unstable.Node) int {
	// Key-value and header nodes start at their first key.
	if it := keyIter(n); it != nil && it.Next() {
		return p.Shape(it.Node().Raw).Start.Line
	}
	return p.Shape(n.Raw).Start.Line
}

func keyIter(n *unstable.Node) *unstable.Iterator {
	switch n.Kind {
	case unstable.KeyValue, unstable.Table, unstable.ArrayTable:
		it := n.Key()
		return &it
	}
	return nil
}

func keyPath(prefix []string, it unstable.Iterator) []string {
	path := append([]string(nil), prefix...)
	for it.Next() {
		path = append(path, string(it.Node().Data))
	}
	return path
}
