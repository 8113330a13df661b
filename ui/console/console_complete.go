package console

import (
	"strings"
	"unicode"

	"github.com/amr-tui/amr-tui/rediscli"
)

// completion is tab's state: repeated tabs cycle through the candidates for the word that
// was typed when the first tab was pressed, as linenoise does in redis-cli.
type completion struct {
	head  string   // the line before the word being completed
	cands []string // completed words, in the case the user typed
	i     int
}

// complete returns the line after one more tab.
func (con *Model) complete(line string) (string, bool) {
	if con.comp == nil {
		head, cands := completions(con.commands(), line)
		if len(cands) == 0 {
			return line, false
		}
		con.comp = &completion{head: head, cands: cands, i: -1}
	}
	c := con.comp
	c.i = (c.i + 1) % len(c.cands)
	return c.head + c.cands[c.i], true
}

// completions lists the command names (first word) or subcommand names (second word of a
// container command such as CONFIG) that start with the word being typed. Like redis-cli,
// they are upper case unless the word starts in lower case.
func completions(t rediscli.CommandTable, line string) (head string, cands []string) {
	if strings.ContainsAny(line, `"'`) {
		return "", nil
	}
	fields := strings.Fields(line)
	endsInSpace := line == "" || unicode.IsSpace(rune(line[len(line)-1]))
	var names []string
	switch {
	case len(fields) == 0 || (len(fields) == 1 && !endsInSpace):
		names = t.Names()
	case (len(fields) == 1 && endsInSpace) || (len(fields) == 2 && !endsInSpace):
		names = t.Subcommands(fields[0])
	default:
		return "", nil
	}
	word := ""
	if !endsInSpace {
		word = fields[len(fields)-1]
	}
	head = line[:len(line)-len(word)]
	lower := word != "" && unicode.IsLower(rune(word[0]))
	if word == "" {
		lower = len(fields) > 0 && unicode.IsLower(rune(fields[0][0]))
	}
	for _, n := range names {
		if strings.HasPrefix(n, strings.ToLower(word)) {
			if !lower {
				n = strings.ToUpper(n)
			}
			cands = append(cands, n)
		}
	}
	return head, cands
}

// hint is the faint argument synopsis shown after the cursor, as redis-cli shows it: the
// arguments of the command (or subcommand) not typed yet. Arguments are matched by position
// until the first optional one, after which the rest of the synopsis is shown unchanged.
func hint(t rediscli.CommandTable, line string) string {
	args, err := rediscli.SplitArgs(line)
	if err != nil || len(args) == 0 {
		return ""
	}
	spec, ok := t.Lookup(args)
	if !ok || spec.Hint == "" {
		return ""
	}
	typed := len(args) - 1
	if strings.Contains(spec.Name, "|") {
		typed--
	}
	endsInSpace := unicode.IsSpace(rune(line[len(line)-1]))
	if !endsInSpace && typed < 0 {
		return "" // still typing the subcommand's name
	}
	items := hintItems(spec.Hint)
	for typed > 0 && len(items) > 0 && !strings.HasPrefix(items[0], "[") {
		items = items[1:]
		typed--
	}
	if len(items) == 0 || (typed > 0 && !strings.HasPrefix(items[0], "[")) {
		return ""
	}
	h := strings.Join(items, " ")
	if !endsInSpace {
		h = " " + h
	}
	return h
}

// hintItems splits a synopsis into its top-level items: "key [NX|XX] [EX s|PX ms]" gives
// "key", "[NX|XX]", "[EX s|PX ms]".
func hintItems(h string) []string {
	var items []string
	depth, start := 0, 0
	for i := 0; i < len(h); i++ {
		switch h[i] {
		case '[':
			depth++
		case ']':
			depth--
		case ' ':
			if depth == 0 {
				if i > start {
					items = append(items, h[start:i])
				}
				start = i + 1
			}
		}
	}
	if start < len(h) {
		items = append(items, h[start:])
	}
	return items
}
