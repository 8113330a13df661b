package profiles

import (
	"regexp"
	"slices"
	"strconv"
	"sync"
)

// Colors are the colour names a profile may use; the UI maps each to a theme colour. A profile
// may also give "#rgb", "#rrggbb" or an ANSI colour number 0–255.
var Colors = []string{"red", "orange", "yellow", "green", "cyan", "blue", "purple", "magenta", "pink", "gray", "white"}

var hexColorRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^#([0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$`) })

// ValidColor reports whether c is a colour a profile may use (see Colors).
func ValidColor(c string) bool {
	if slices.Contains(Colors, c) || hexColorRE().MatchString(c) {
		return true
	}
	n, err := strconv.Atoi(c)
	return err == nil && n >= 0 && n <= 255 && strconv.Itoa(n) == c
}
