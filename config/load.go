package config

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"

	toml "github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/amr-tui/amr-tui/profiles"
)

// Problem is one thing wrong in the config file (line, dotted key in Field, message).
type Problem = profiles.Problem

// FileError lists every problem of a config file, each as PATH:LINE: field KEY: message.
type FileError = profiles.FileError

// FileName is the settings file's name in the config directory.
const FileName = "config.toml"

// EnvDir names the environment variable that overrides the directory holding config.toml
// (and, unless AMR_TUI_CONFIG names the profiles file, profiles.toml).
const EnvDir = "AMR_TUI_CONFIG_DIR"

const maxFileSize = 1 << 20

// PathNextTo returns the config file that goes with a profiles file: config.toml in the same
// directory, or in $AMR_TUI_CONFIG_DIR when that is set.
func PathNextTo(profilesPath string) string {
	if dir := os.Getenv(EnvDir); dir != "" {
		return filepath.Join(dir, FileName)
	}
	return filepath.Join(filepath.Dir(profilesPath), FileName)
}

// Load reads and validates the config file at path. A missing file gives the defaults. Any
// problem other than an unknown key gives a *FileError listing every problem with its line;
// unknown keys are listed in Config.Warnings.
func Load(path string) (*Config, error) {
	data, err := readLimited(path)
	if errors.Is(err, os.ErrNotExist) {
		c := Default()
		c.Path = path
		return c, nil
	}
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse validates data as the content of the config file at path (used in messages only).
func Parse(path string, data []byte) (*Config, error) {
	var raw map[string]any
	if err := toml.Unmarshal(data, &raw); err != nil {
		prob := Problem{Msg: "invalid TOML: " + strings.TrimPrefix(err.Error(), "toml: ")}
		var de *toml.DecodeError
		if errors.As(err, &de) {
			prob.Line, _ = de.Position()
		}
		return nil, &FileError{Path: path, Problems: []Problem{prob}}
	}
	c := Default()
	c.Path = path
	c.lines = indexLines(data)
	d := &decoder{c: c}
	d.decode(raw)
	if len(d.probs) > 0 {
		sortProblems(d.probs)
		return nil, &FileError{Path: path, Problems: d.probs}
	}
	sortProblems(d.warnings)
	c.Warnings = d.warnings
	return c, nil
}

func sortProblems(p []Problem) {
	slices.SortStableFunc(p, func(a, b Problem) int { return a.Line - b.Line })
}

func readLimited(path string) ([]byte, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if len(data) > maxFileSize {
		return nil, &FileError{Path: path, Problems: []Problem{{Msg: fmt.Sprintf("the file is larger than %d bytes; is it the right file?", maxFileSize)}}}
	}
	return data, nil
}

type decoder struct {
	c        *Config
	probs    []Problem
	warnings []Problem
}

func (d *decoder) fail(key, format string, args ...any) {
	d.probs = append(d.probs, Problem{Line: d.c.lines[key], Field: key, Msg: fmt.Sprintf(format, args...)})
}

func (d *decoder) unknown(key string) {
	d.warnings = append(d.warnings, Problem{Line: d.c.lines[key], Field: key, Msg: "unknown setting, ignored"})
}

func (d *decoder) decode(raw map[string]any) {
	for _, k := range sortedKeys(raw) {
		v := raw[k]
		switch k {
		case "keys":
			d.keys(v)
		case "theme":
			d.theme(v)
		case "scan":
			d.scan(v)
		case "tree":
			d.tree(v)
		case "list":
			d.list(v)
		case "aliases":
			d.aliases(v)
		case "decoders":
			d.decoders(v)
		default:
			d.unknown(k)
		}
	}
}

func (d *decoder) table(key string, v any) (map[string]any, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		d.fail(key, "expected a table ([%s])", key)
	}
	return m, ok
}

func (d *decoder) keys(v any) {
	screens, ok := d.table("keys", v)
	if !ok {
		return
	}
	for _, screen := range sortedKeys(screens) {
		key := "keys." + screen
		actions, ok := d.table(key, screens[screen])
		if !ok {
			continue
		}
		bound := map[string][]string{}
		for _, action := range sortedKeys(actions) {
			akey := key + "." + action
			keys, ok := stringList(actions[action])
			switch {
			case !ok:
				d.fail(akey, `expected a key or a list of keys, such as "d" or ["d", "delete"]`)
				continue
			case len(keys) == 0:
				d.fail(akey, "no key given: an action needs at least one key")
				continue
			}
			for _, k := range keys {
				if why := badKeyName(k); why != "" {
					d.fail(akey, "%q: %s", k, why)
				}
			}
			bound[action] = keys
		}
		d.c.Keys[screen] = bound
	}
}

// badKeyName says what is wrong with a key as Bubble Tea names keys ("a", "ctrl+d", "f5",
// "shift+tab", "pgdown"), or "".
func badKeyName(k string) string {
	if k == "" || strings.TrimSpace(k) != k {
		return "a key name has no surrounding spaces and is not empty"
	}
	for _, r := range k {
		if !unicode.IsPrint(r) {
			return "a key name is printable text such as \"ctrl+d\""
		}
	}
	return ""
}

func (d *decoder) theme(v any) {
	t, ok := d.table("theme", v)
	if !ok {
		return
	}
	for _, k := range sortedKeys(t) {
		key := "theme." + k
		switch k {
		case "base":
			s, ok := t[k].(string)
			if !ok || !slices.Contains([]string{BaseAuto, BaseDark, BaseLight}, s) {
				d.fail(key, `expected "auto", "dark" or "light"`)
				continue
			}
			d.c.Theme.Base = s
		case "colors":
			colors, ok := d.table(key, t[k])
			if !ok {
				continue
			}
			for _, name := range sortedKeys(colors) {
				s, ok := colors[name].(string)
				if !ok || !profiles.ValidColor(s) {
					d.fail(key+"."+name, "expected a colour: %s, \"#rgb\", \"#rrggbb\" or an ANSI number 0–255", strings.Join(profiles.Colors, ", "))
					continue
				}
				d.c.Theme.Colors[name] = s
			}
		default:
			d.unknown(key)
		}
	}
}

func (d *decoder) scan(v any) {
	t, ok := d.table("scan", v)
	if !ok {
		return
	}
	for _, k := range sortedKeys(t) {
		key := "scan." + k
		switch k {
		case "count":
			if n, ok := d.intIn(key, t[k], 1, 100000); ok {
				d.c.ScanCount = n
			}
		case "load_batch":
			if n, ok := d.intIn(key, t[k], 100, 100000000); ok {
				d.c.LoadBatch = n
			}
		default:
			d.unknown(key)
		}
	}
}

func (d *decoder) intIn(key string, v any, lo, hi int) (int, bool) {
	n, ok := v.(int64)
	if !ok || n < int64(lo) || n > int64(hi) {
		d.fail(key, "expected a whole number from %d to %d", lo, hi)
		return 0, false
	}
	return int(n), true
}

func (d *decoder) tree(v any) {
	t, ok := d.table("tree", v)
	if !ok {
		return
	}
	for _, k := range sortedKeys(t) {
		key := "tree." + k
		if k != "delimiters" {
			d.unknown(key)
			continue
		}
		delims, ok := stringList(t[k])
		if !ok || len(delims) == 0 || slices.Contains(delims, "") {
			d.fail(key, `expected a list of non-empty delimiters, such as [":", "/"]`)
			continue
		}
		d.c.TreeDelimiters = delims
	}
}

func (d *decoder) list(v any) {
	t, ok := d.table("list", v)
	if !ok {
		return
	}
	for _, k := range sortedKeys(t) {
		key := "list." + k
		if k != "columns" {
			d.unknown(key)
			continue
		}
		cols, ok := stringList(t[k])
		if !ok {
			d.fail(key, "expected a list of columns from %s", strings.Join(AllColumns, ", "))
			continue
		}
		seen := map[string]bool{}
		bad := false
		for _, c := range cols {
			switch {
			case !slices.Contains(AllColumns, c):
				d.fail(key, "unknown column %q; the columns are %s", c, strings.Join(AllColumns, ", "))
				bad = true
			case seen[c]:
				d.fail(key, "column %q is listed twice", c)
				bad = true
			}
			seen[c] = true
		}
		if !bad {
			d.c.Columns = cols
		}
	}
}

func (d *decoder) aliases(v any) {
	t, ok := d.table("aliases", v)
	if !ok {
		return
	}
	for _, name := range sortedKeys(t) {
		key := "aliases." + name
		s, ok := t[name].(string)
		switch {
		case !ok || strings.TrimSpace(s) == "":
			d.fail(key, `expected the command line the alias stands for, such as "keys user:*"`)
		case strings.ContainsAny(name, " \t"):
			d.fail(key, "an alias is one word")
		default:
			d.c.Aliases[name] = strings.TrimPrefix(strings.TrimSpace(s), ":")
		}
	}
}

func stringList(v any) ([]string, bool) {
	switch v := v.(type) {
	case string:
		return []string{v}, true
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			s, ok := e.(string)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	}
	return nil, false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// indexLines maps each dotted key and table header to its line.
func indexLines(data []byte) map[string]int {
	lines := map[string]int{}
	var p unstable.Parser
	p.Reset(data)
	var table []string
	for p.NextExpression() {
		expr := p.Expression()
		switch expr.Kind {
		case unstable.Table, unstable.ArrayTable:
			table = keyParts(nil, expr.Key())
			recordLine(lines, &p, table, expr)
		case unstable.KeyValue:
			recordLine(lines, &p, keyParts(table, expr.Key()), expr)
		}
	}
	return lines
}

func recordLine(lines map[string]int, p *unstable.Parser, path []string, n *unstable.Node) {
	it := n.Key()
	line := p.Shape(n.Raw).Start.Line
	if it.Next() {
		line = p.Shape(it.Node().Raw).Start.Line
	}
	for i := len(path); i > 0; i-- {
		k := strings.Join(path[:i], ".")
		if _, seen := lines[k]; seen && i < len(path) {
			break
		}
		lines[k] = line
	}
}

func keyParts(prefix []string, it unstable.Iterator) []string {
	path := slices.Clone(prefix)
	for it.Next() {
		path = append(path, string(it.Node().Data))
	}
	return path
}
