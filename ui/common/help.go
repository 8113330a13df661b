package common

import (
	"github.com/charmbracelet/x/ansi"
)

// WidthOf is the width of s in terminal cells (ANSI sequences take none).
func WidthOf(s string) int { return ansi.StringWidth(s) }

// HelpMemo is the last rendered key help and what it was rendered for.
type HelpMemo struct {
	Sig    string
	W      int
	Full   bool
	Styles *Styles // a theme change rebuilds Styles (and the help styles with it)
	Out    string
}
