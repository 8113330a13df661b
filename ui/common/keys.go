package common

import "charm.land/bubbles/v2/key"

// KeyMap holds every binding, grouped by where it applies. Help is built from it, so a binding
// and its help text never drift apart.
type KeyMap struct {
	Quit, ForceQuit, Help, Command key.Binding
	Profiles                       key.Binding // the profile switcher

	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	Open, Back                              key.Binding

	Filter, Pattern, Pause, More, All, Rescan, Tree  key.Binding
	Sort, Favourite                                  key.Binding // sort order, favourite key
	Delete, Expire, Persist, Rename, Copy, Add, Edit key.Binding
	Mark, MarkAll, Export, CopyTo                    key.Binding // marks and the bulk actions

	ViewMode, Decoder, NextPage, PrevPage key.Binding
	GoTo                                  key.Binding // a big value: jump to an index, field, score, member or ID

	Confirm, Cancel key.Binding
}

// DefaultKeyMap is arrows plus vim keys, k9s-style `:` and `/`.
func DefaultKeyMap() *KeyMap {
	b := func(keys []string, k, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, desc))
	}
	return &KeyMap{
		Quit:      b([]string{"q"}, "q", "quit"),
		ForceQuit: b([]string{"ctrl+c"}, "ctrl+c", "quit"),
		Help:      b([]string{"?"}, "?", "help"),
		Command:   b([]string{":"}, ":", "command"),
		Profiles:  b([]string{"P"}, "P", "profiles"),

		Up:       b([]string{"up", "k"}, "↑/k", "up"),
		Down:     b([]string{"down", "j"}, "↓/j", "down"),
		PageUp:   b([]string{"pgup", "ctrl+b", "ctrl+u"}, "pgup", "page up"),
		PageDown: b([]string{"pgdown", "ctrl+f", "ctrl+d"}, "pgdn", "page down"),
		Top:      b([]string{"home", "g"}, "g", "top"),
		Bottom:   b([]string{"end", "G"}, "G", "bottom"),
		Open:     b([]string{"enter", "right", "l"}, "enter", "open"),
		Back:     b([]string{"esc", "left", "h", "backspace"}, "esc", "back"),

		Filter:    b([]string{"/"}, "/", "filter loaded"),
		Pattern:   b([]string{"s"}, "s", "scan pattern"),
		Pause:     b([]string{"p"}, "p", "pause/resume scan"),
		More:      b([]string{"m"}, "m", "load more"),
		All:       b([]string{"M"}, "M", "load all"),
		Rescan:    b([]string{"r", "ctrl+r"}, "r", "rescan"),
		Tree:      b([]string{"t"}, "t", "tree/flat"),
		Sort:      b([]string{"o"}, "o", "sort order"),
		Favourite: b([]string{"f"}, "f", "favourite"),
		Delete:    b([]string{"d", "delete"}, "d", "delete"),
		Expire:    b([]string{"x"}, "x", "set TTL"),
		Persist:   b([]string{"X"}, "X", "persist"),
		Rename:    b([]string{"R"}, "R", "rename"),
		Copy:      b([]string{"c", "y"}, "c", "copy name"),
		Add:       b([]string{"a"}, "a", "add key (any type)"),
		Edit:      b([]string{"e"}, "e", "edit in $EDITOR"),
		Mark:      b([]string{"space"}, "space", "mark/unmark"),
		MarkAll:   b([]string{"ctrl+a"}, "ctrl+a", "mark all matching"),
		Export:    b([]string{"E"}, "E", "export marked"),
		CopyTo:    b([]string{"C"}, "C", "copy marked to profile"),

		ViewMode: b([]string{"v"}, "v", "text/json/hex/auto"),
		Decoder:  b([]string{"V"}, "V", "decoder"),
		NextPage: b([]string{"n", "]"}, "n", "next page"),
		PrevPage: b([]string{"N", "["}, "N", "previous page"),
		GoTo:     b([]string{"ctrl+g"}, "ctrl+g", "go to"),

		Confirm: b([]string{"y", "enter"}, "y", "confirm"),
		Cancel:  b([]string{"n", "esc"}, "n/esc", "cancel"),
	}
}
