package common

import "strings"

// irregular plurals of the nouns the UI counts.
var irregular = map[string]string{"entry": "entries", "entries": "entries"}

// Plural is "1 key", "2 keys", "1,234 keys", "1 entry", "3 entries": the count with thousands
// separators and the noun in the number it takes. noun is the singular.
func Plural(n int64, noun string) string {
	if n == 1 || n == -1 {
		return Count(n) + " " + noun
	}
	if p, ok := irregular[noun]; ok {
		return Count(n) + " " + p
	}
	if strings.HasSuffix(noun, "s") {
		return Count(n) + " " + noun + "es"
	}
	return Count(n) + " " + noun + "s"
}
