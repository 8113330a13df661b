package config

import (
	"slices"

	"github.com/amr-tui/amr-tui/decode"
)

// Columns the key list can show; the order in Config.Columns is the order on screen.
const (
	ColumnType     = "type"
	ColumnTTL      = "ttl"
	ColumnMemory   = "memory"
	ColumnEncoding = "encoding"
	ColumnSize     = "size"
)

// AllColumns lists every key-list column a config may name.
var AllColumns = []string{ColumnType, ColumnTTL, ColumnMemory, ColumnEncoding, ColumnSize}

// Theme bases.
const (
	BaseAuto  = "auto" // follow the terminal's background
	BaseDark  = "dark"
	BaseLight = "light"
)

// Config is the settings file's content with defaults filled in. The zero Config is not valid:
// use Default or Load.
type Config struct {
	// Path is where the file was read from (or would be).
	Path string
	// Keys rebinds actions: screen → action → keys ("ctrl+d", "x", "f5"). A screen or action
	// not named keeps its default keys.
	Keys map[string]map[string][]string
	// Theme picks the base palette and overrides single style colours.
	Theme Theme
	// ScanCount is the COUNT given to SCAN by the key browser (five times as many while it loads
	// every key).
	ScanCount int
	// LoadBatch is how many keys the browser loads before it pauses ("m" loads another batch).
	LoadBatch int
	// TreeDelimiters split key names into tree folders when a profile names none.
	TreeDelimiters []string
	// Columns are the key list's columns, in order.
	Columns []string
	// Aliases map a `:` command name to the command line it stands for ("pr" → "profiles").
	Aliases map[string]string
	// Decoders are the user's external decoders ([decoders.NAME]), sorted by name.
	Decoders []decode.UserDecoder
	// Warnings are problems that did not stop loading: unknown keys.
	Warnings []Problem

	lines map[string]int // dotted key → line, for problems found later by the UI
}

// Theme is the [theme] table.
type Theme struct {
	// Base is "auto", "dark" or "light".
	Base string
	// Colors overrides the colour of single styles by name ("header", "selected", "type.hash").
	Colors map[string]string
}

// Default returns the settings used when there is no config file.
func Default() *Config {
	return &Config{
		Keys:           map[string]map[string][]string{},
		Theme:          Theme{Base: BaseAuto, Colors: map[string]string{}},
		ScanCount:      1000,
		LoadBatch:      10000,
		TreeDelimiters: []string{":"},
		Columns:        []string{ColumnType, ColumnTTL, ColumnMemory},
		Aliases:        map[string]string{},
		lines:          map[string]int{},
	}
}

// Line returns the line a dotted key ("keys.browser.delete") was written on, or 0.
func (c *Config) Line(dotted string) int { return c.lines[dotted] }

// HasColumn reports whether the key list shows column name.
func (c *Config) HasColumn(name string) bool { return slices.Contains(c.Columns, name) }
