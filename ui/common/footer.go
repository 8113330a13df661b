package common

import (
	"github.com/charmbracelet/x/ansi"
)

func WidthOf(s string) int { return ansi.StringWidth(s) }

// helpMemo is the last rendered key help and what it was rendered for.
type HelpMemo struct {
	Sig    string
	W      int
	Full   bool
	Styles *Styles // a theme change rebuilds Styles (and the help styles with it)
	Out    string
}
