package profiles

import (
	"cmp"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"time"
)

// SchemaVersion is the version of the file format this package reads and writes.
const SchemaVersion = 1

// decoder turns a parsed document into profiles, collecting every problem with its line. It
// checks types itself, rather than letting a TOML library decode into structs, so that every
// message can say what was expected at which line, and so that no message ever repeats a value
// that may be a secret.
type decoder struct {
	doc   *document
	probs []Problem
}

func (dc *decoder) problem(path []string, format string, args ...any) {
	p := Problem{Line: dc.doc.line(path), Msg: fmt.Sprintf(format, args...)}
	if len(path) >= 2 && path[0] == "profiles" {
		p.Profile = path[1]
		p.Field = strings.Join(path[2:], ".")
	} else {
		p.Field = strings.Join(path, ".")
	}
	dc.probs = append(dc.probs, p)
}

// decodeFile fills version, last_used and profiles from the document's top level.
func (dc *decoder) decodeFile() (version int, lastUsed string, profs map[string]*Profile) {
	profs = map[string]*Profile{}
	top := dc.doc.values
	versionBad := false
	if v, ok := top["version"]; ok {
		dc.decodeValue([]string{"version"}, v, reflect.ValueOf(&version).Elem())
		versionBad = len(dc.probs) > 0
		if version > SchemaVersion {
			// A newer format may have fields this version does not know; listing them as
			// unknown would only distract from the real problem.
			dc.problem([]string{"version"}, "this file has schema version %d, written by a newer amr-tui; this one reads version %d", version, SchemaVersion)
			return version, "", nil
		}
	}
	for _, k := range dc.sortedKeys(nil, top) {
		v := top[k]
		path := []string{k}
		switch k {
		case "version": // decoded above
		case "last_used":
			dc.decodeValue(path, v, reflect.ValueOf(&lastUsed).Elem())
		case "profiles":
			m, ok := v.(map[string]any)
			if !ok {
				dc.problem(path, "want a table of profiles ([profiles.NAME]), got %s", describeValue(v))
				continue
			}
			for _, name := range dc.sortedKeys(path, m) {
				if p := dc.decodeProfile(name, m[name]); p != nil {
					profs[name] = p
				}
			}
		default:
			dc.unknown(path, []string{"version", "last_used", "profiles"})
		}
	}
	if len(top) == 0 {
		return SchemaVersion, "", profs // an empty file is an empty set of profiles
	}
	switch _, set := top["version"]; {
	case !set:
		dc.probs = append(dc.probs, Problem{Line: 1, Field: "version",
			Msg: fmt.Sprintf("missing required field: add `version = %d` at the top of the file", SchemaVersion)})
	case versionBad:
	case version != SchemaVersion:
		dc.problem([]string{"version"}, "want %d, got %d", SchemaVersion, version)
	}
	if _, exists := dc.profileTables()[lastUsed]; lastUsed != "" && !exists {
		dc.problem([]string{"last_used"}, "names profile %q, which is not in this file", lastUsed)
	}
	return version, lastUsed, profs
}

// profileTables returns the raw [profiles.*] entries, decoded or not.
func (dc *decoder) profileTables() map[string]any {
	m, _ := dc.doc.values["profiles"].(map[string]any)
	return m
}

func (dc *decoder) decodeProfile(name string, v any) *Profile {
	path := []string{"profiles", name}
	m, ok := v.(map[string]any)
	if !ok {
		dc.problem(path, "want a table [profiles.%s], got %s", name, describeValue(v))
		return nil
	}
	before := len(dc.probs)
	p := &Profile{Name: name}
	dc.decodeStruct(path, m, reflect.ValueOf(p).Elem())
	undecoded := map[string]bool{}
	for _, prob := range dc.probs[before:] {
		undecoded[prob.Field] = true
	}
	for _, prob := range p.problems() {
		// A field that did not decode is left unset; validating it again would add a
		// confusing follow-on problem ("missing host" when host had the wrong type).
		if followsFrom(prob.Field, undecoded) {
			continue
		}
		fieldPath := path
		if prob.Field != "" {
			fieldPath = append(slices.Clone(path), strings.Split(prob.Field, ".")...)
		}
		prob.Line = dc.doc.line(fieldPath)
		dc.probs = append(dc.probs, prob)
	}
	if len(dc.probs) > before {
		return nil
	}
	return p
}

// followsFrom reports whether field is, or lies inside, a field that failed to decode.
func followsFrom(field string, undecoded map[string]bool) bool {
	for f := field; ; {
		if undecoded[f] {
			return true
		}
		i := strings.LastIndexByte(f, '.')
		if i < 0 {
			return false
		}
		f = f[:i]
	}
}

// sortedKeys orders a table's keys by the line they are on, so problems read top to bottom.
func (dc *decoder) sortedKeys(path []string, m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		la := dc.doc.line(append(slices.Clone(path), a))
		lb := dc.doc.line(append(slices.Clone(path), b))
		return cmp.Or(cmp.Compare(la, lb), strings.Compare(a, b))
	})
	return keys
}

// fieldNames maps TOML keys to struct field indexes.
func fieldNames(t reflect.Type) (names []string, index map[string]int) {
	index = map[string]int{}
	for i := range t.NumField() {
		tag, _, _ := strings.Cut(t.Field(i).Tag.Get("toml"), ",")
		if tag == "" || tag == "-" {
			continue
		}
		names = append(names, tag)
		index[tag] = i
	}
	return names, index
}

func (dc *decoder) decodeStruct(path []string, m map[string]any, rv reflect.Value) {
	names, index := fieldNames(rv.Type())
	for _, k := range dc.sortedKeys(path, m) {
		fpath := append(slices.Clone(path), k)
		i, ok := index[k]
		if !ok {
			dc.unknown(fpath, names)
			continue
		}
		dc.decodeValue(fpath, m[k], rv.Field(i))
	}
}

func (dc *decoder) unknown(path []string, known []string) {
	key := path[len(path)-1]
	switch {
	case key == "name" && len(path) == 3 && path[0] == "profiles":
		dc.problem(path, "unknown field; a profile's name is the name of its table, [profiles.NAME]")
	case closest(key, known) != "":
		dc.problem(path, "unknown field; did you mean %q?", closest(key, known))
	default:
		dc.problem(path, "unknown field; want one of: %s", strings.Join(known, ", "))
	}
}

var (
	durationType  = reflect.TypeFor[Duration]()
	secretRefType = reflect.TypeFor[SecretRef]()
)

// decodeValue stores v into rv if its type fits, or records a problem saying what is expected.
func (dc *decoder) decodeValue(path []string, v any, rv reflect.Value) {
	t := rv.Type()
	if t.Kind() == reflect.Pointer {
		elem := reflect.New(t.Elem())
		before := len(dc.probs)
		dc.decodeValue(path, v, elem.Elem())
		if len(dc.probs) == before {
			rv.Set(elem)
		}
		return
	}
	bad := func() { dc.problem(path, "want %s, got %s", describeType(t), describeValue(v)) }
	switch {
	case t == durationType:
		s, ok := v.(string)
		if !ok {
			bad()
			return
		}
		d, err := time.ParseDuration(s)
		if err != nil {
			dc.problem(path, "want a duration such as \"30s\", \"5m\" or \"1h30m\", got %q", s)
			return
		}
		rv.Set(reflect.ValueOf(Duration{d}))
		return
	}
	switch t.Kind() {
	case reflect.String:
		s, ok := v.(string)
		if !ok {
			bad()
			return
		}
		rv.SetString(s)
	case reflect.Int:
		n, ok := v.(int64)
		if !ok {
			bad()
			return
		}
		if rv.OverflowInt(n) {
			dc.problem(path, "the number %d is too large", n)
			return
		}
		rv.SetInt(n)
	case reflect.Float64:
		switch n := v.(type) {
		case float64:
			if math.IsNaN(n) || math.IsInf(n, 0) {
				dc.problem(path, "want a finite number, got %v", n)
				return
			}
			rv.SetFloat(n)
		case int64:
			rv.SetFloat(float64(n))
		default:
			bad()
		}
	case reflect.Bool:
		b, ok := v.(bool)
		if !ok {
			bad()
			return
		}
		rv.SetBool(b)
	case reflect.Slice:
		arr, ok := v.([]any)
		if !ok {
			bad()
			return
		}
		out := reflect.MakeSlice(t, 0, len(arr))
		for _, e := range arr {
			s, ok := e.(string)
			if !ok {
				dc.problem(path, "want %s, got a list containing %s", describeType(t), describeValue(e))
				return
			}
			out = reflect.Append(out, reflect.ValueOf(s).Convert(t.Elem()))
		}
		rv.Set(out)
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			bad()
			return
		}
		dc.decodeStruct(path, m, rv)
	default:
		panic(fmt.Sprintf("profiles: no decoder for %s", t)) // a programming error in this package
	}
}

// describeType says in words what a field expects.
func describeType(t reflect.Type) string {
	switch {
	case t == secretRefType:
		return "a secret reference string (keyring:SERVICE/ACCOUNT, env:NAME or file:PATH)"
	case t == durationType:
		return "a duration string such as \"30s\" or \"5m\""
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Int:
		return "an integer"
	case reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice:
		return "a list of strings, e.g. [\"a\", \"b\"]"
	case reflect.Struct:
		return "a table"
	}
	return t.String()
}

// describeValue names a TOML value's type, never its content.
func describeValue(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "a table"
	}
	return "a date or time"
}

// closest returns the known key within two edits of key, or "".
func closest(key string, known []string) string {
	best, bestDist := "", 3
	norm := strings.ReplaceAll(strings.ToLower(key), "-", "_")
	for _, k := range known {
		if strings.HasPrefix(k, norm+"_") {
			return k // "tenant" for "tenant_id"
		}
		if d := editDistance(norm, k); d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
