package rediscli

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// CommandSpec is what the console and exec need to know about one command or subcommand:
// whether it writes (flags and ACL categories from COMMAND INFO) and how to hint its arguments
// (from COMMAND DOCS).
type CommandSpec struct {
	// Name is lower case; a subcommand is "container|sub", e.g. "config|set".
	Name       string   `json:"name"`
	Arity      int      `json:"arity,omitempty"`
	Flags      []string `json:"flags,omitempty"`
	Categories []string `json:"categories,omitempty"`
	Summary    string   `json:"summary,omitempty"`
	// Hint is the argument synopsis redis-cli shows after the command, e.g. "key value [NX|XX]".
	Hint string `json:"hint,omitempty"`
}

// CommandTable maps lower-case command names ("get", "config|set") to their specs.
type CommandTable map[string]CommandSpec

// lookupKey is the table key of args: "container|sub" when args[1] names a subcommand.
func lookupKey(args []string) (name, key string) {
	name = strings.ToLower(args[0])
	key = name
	if len(args) > 1 {
		key = name + "|" + strings.ToLower(args[1])
	}
	return name, key
}

// Lookup returns the spec of args' subcommand if the table has one, else of the command.
func (t CommandTable) Lookup(args []string) (CommandSpec, bool) {
	if len(args) == 0 {
		return CommandSpec{}, false
	}
	name, key := lookupKey(args)
	if s, ok := t[key]; ok && key != name {
		return s, true
	}
	s, ok := t[name]
	return s, ok
}

// Names returns the table's top-level command names (no subcommands), sorted.
func (t CommandTable) Names() []string {
	out := make([]string, 0, len(t))
	for n := range t {
		if !strings.Contains(n, "|") {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// Subcommands returns the subcommand names of container (lower case, without "container|"),
// sorted.
func (t CommandTable) Subcommands(container string) []string {
	prefix := strings.ToLower(container) + "|"
	var out []string
	for n := range t {
		if sub, ok := strings.CutPrefix(n, prefix); ok {
			out = append(out, sub)
		}
	}
	sort.Strings(out)
	return out
}

// Merge returns a table with t's entries overridden by other's, keeping t's hints and summaries
// where other has none (COMMAND answered but COMMAND DOCS was refused).
func (t CommandTable) Merge(other CommandTable) CommandTable {
	out := make(CommandTable, len(t)+len(other))
	for k, v := range t {
		out[k] = v
	}
	for k, v := range other {
		if old, ok := out[k]; ok {
			if v.Hint == "" {
				v.Hint = old.Hint
			}
			if v.Summary == "" {
				v.Summary = old.Summary
			}
		}
		out[k] = v
	}
	return out
}

// ParseCommandTable decodes a table written by MarshalJSON (the embedded asset).
func ParseCommandTable(data []byte) (CommandTable, error) {
	var specs []CommandSpec
	if err := json.Unmarshal(data, &specs); err != nil {
		return nil, fmt.Errorf("rediscli: command table: %w", err)
	}
	t := make(CommandTable, len(specs))
	for _, s := range specs {
		t[s.Name] = s
	}
	return t, nil
}

// MarshalJSON writes the table as a JSON array sorted by name, one command per line, so that
// the committed asset diffs well.
func (t CommandTable) MarshalJSON() ([]byte, error) {
	names := make([]string, 0, len(t))
	for n := range t {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("[\n")
	for i, n := range names {
		line, err := json.Marshal(t[n])
		if err != nil {
			return nil, err
		}
		b.Write(line)
		if i < len(names)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("]\n")
	return []byte(b.String()), nil
}

// TableFromCommand builds a table from the reply to COMMAND (every command's COMMAND INFO
// entry, subcommands included).
func TableFromCommand(r Reply) (CommandTable, error) {
	if r.IsError() {
		return nil, fmt.Errorf("COMMAND: %s", r.Str)
	}
	if r.Kind != KindArray && r.Kind != KindSet {
		return nil, fmt.Errorf("COMMAND: unexpected %s reply", r.Kind)
	}
	t := CommandTable{}
	for _, info := range r.Elems {
		spec, subs := specFromInfo(info)
		if spec.Name == "" {
			continue
		}
		t[spec.Name] = spec
		for _, s := range subs {
			t[s.Name] = s
		}
	}
	return t, nil
}

// specFromInfo reads one COMMAND INFO entry: [name, arity, flags, first, last, step,
// categories, tips, key specs, subcommands].
func specFromInfo(info Reply) (CommandSpec, []CommandSpec) {
	var spec CommandSpec
	if len(info.Elems) == 0 {
		return spec, nil
	}
	spec.Name = strings.ToLower(info.Elems[0].Str)
	if len(info.Elems) > 1 {
		spec.Arity = int(info.Elems[1].Int)
	}
	if len(info.Elems) > 2 {
		for _, f := range info.Elems[2].Elems {
			spec.Flags = append(spec.Flags, strings.ToLower(f.Str))
		}
	}
	if len(info.Elems) > 6 {
		for _, c := range info.Elems[6].Elems {
			spec.Categories = append(spec.Categories, strings.ToLower(c.Str))
		}
	}
	var subs []CommandSpec
	if len(info.Elems) > 9 {
		for _, s := range info.Elems[9].Elems {
			sub, _ := specFromInfo(s)
			if sub.Name != "" {
				subs = append(subs, sub)
			}
		}
	}
	return spec, subs
}

// AddDocs adds summaries and argument hints from the reply to COMMAND DOCS (a map, or under
// RESP2 an array of name/doc pairs) to the commands already in the table, and adds commands
// the table lacks.
func (t CommandTable) AddDocs(r Reply) error {
	if r.IsError() {
		return fmt.Errorf("COMMAND DOCS: %s", r.Str)
	}
	for _, p := range pairsOf(r) {
		t.addDoc(strings.ToLower(p.Key.Str), p.Value)
	}
	return nil
}

func (t CommandTable) addDoc(name string, doc Reply) {
	spec := t[name]
	spec.Name = name
	for _, f := range pairsOf(doc) {
		switch f.Key.Str {
		case "summary":
			spec.Summary = f.Value.Str
		case "arguments":
			spec.Hint = hintOf(f.Value.Elems)
		case "subcommands":
			for _, s := range pairsOf(f.Value) {
				t.addDoc(strings.ToLower(s.Key.Str), s.Value)
			}
		}
	}
	t[name] = spec
}

// pairsOf reads a map reply, or an array of alternating keys and values (RESP2).
func pairsOf(r Reply) []Pair {
	if r.Kind == KindMap {
		return r.Pairs
	}
	var out []Pair
	for i := 0; i+1 < len(r.Elems); i += 2 {
		out = append(out, Pair{Key: r.Elems[i], Value: r.Elems[i+1]})
	}
	return out
}

// hintOf renders COMMAND DOCS arguments as redis-cli's hints do: optional arguments in
// brackets, alternatives joined with |, repeated ones followed by [name ...].
func hintOf(args []Reply) string {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		if s := argHint(a); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " ")
}

func argHint(a Reply) string {
	var name, typ, token, display string
	var optional, multiple, multipleToken bool
	var subs []Reply
	for _, f := range pairsOf(a) {
		switch f.Key.Str {
		case "name":
			name = f.Value.Str
		case "type":
			typ = f.Value.Str
		case "token":
			token = f.Value.Str
		case "display_text":
			display = f.Value.Str
		case "arguments":
			subs = f.Value.Elems
		case "flags":
			for _, fl := range f.Value.Elems {
				switch fl.Str {
				case "optional":
					optional = true
				case "multiple":
					multiple = true
				case "multiple_token":
					multipleToken = true
				}
			}
		}
	}
	if display != "" {
		name = display
	}
	var s string
	switch typ {
	case "pure-token":
		s = token
	case "oneof":
		alts := make([]string, 0, len(subs))
		for _, sub := range subs {
			alts = append(alts, argHint(sub))
		}
		s = strings.Join(alts, "|")
	case "block":
		s = hintOf(subs)
	default:
		s = name
	}
	if token != "" && typ != "pure-token" {
		s = token + " " + s
	}
	if multiple {
		rep := s
		if token != "" && !multipleToken && typ != "pure-token" {
			rep = strings.TrimPrefix(s, token+" ")
		}
		s = s + " [" + rep + " ...]"
	}
	if optional {
		s = "[" + s + "]"
	}
	return s
}
