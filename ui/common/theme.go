package common

import (
	"image/color"
	"strconv"

	"charm.land/lipgloss/v2"
)

// Styles is every style the UI uses, built once per theme by NewStyles. Components never build
// styles while rendering.
type Styles struct {
	NoColor bool
	Dark    bool

	Header      lipgloss.Style
	HeaderDim   lipgloss.Style
	Badge       lipgloss.Style // READ-ONLY
	Warn        lipgloss.Style // TLS off, warnings
	Danger      lipgloss.Style
	CountOK     lipgloss.Style
	CountWarn   lipgloss.Style
	CountDanger lipgloss.Style

	Title       lipgloss.Style
	Dim         lipgloss.Style
	Selected    lipgloss.Style
	Row         lipgloss.Style
	Type        map[string]lipgloss.Style
	TypeUnknown lipgloss.Style

	FlashInfo  lipgloss.Style
	FlashWarn  lipgloss.Style
	FlashError lipgloss.Style
	Prompt     lipgloss.Style

	JSONKey, JSONString, JSONNumber, JSONLiteral, JSONPunct lipgloss.Style
}

// NewStyles builds the dark or light theme, or a colourless one when noColor is set (NO_COLOR):
// then only bold, faint and reverse remain, which NO_COLOR allows.
func NewStyles(dark, noColor bool) *Styles {
	s := &Styles{NoColor: noColor, Dark: dark}
	plain := lipgloss.NewStyle()
	if noColor {
		s.Header, s.HeaderDim = plain.Bold(true), plain.Faint(true)
		s.Badge = plain.Bold(true).Reverse(true)
		s.Warn, s.Danger = plain.Bold(true), plain.Bold(true).Reverse(true)
		s.CountOK, s.CountWarn, s.CountDanger = plain, plain.Bold(true), plain.Bold(true).Reverse(true)
		s.Title, s.Dim = plain.Bold(true), plain.Faint(true)
		s.Selected, s.Row = plain.Reverse(true), plain
		s.TypeUnknown = plain.Faint(true)
		s.Type = map[string]lipgloss.Style{}
		s.FlashInfo, s.FlashWarn, s.FlashError = plain, plain.Bold(true), plain.Bold(true).Reverse(true)
		s.Prompt = plain.Bold(true)
		s.JSONKey, s.JSONString, s.JSONNumber, s.JSONLiteral, s.JSONPunct = plain.Bold(true), plain, plain, plain, plain.Faint(true)
		return s
	}
	ld := lipgloss.LightDark(dark)
	fg := ld(lipgloss.Color("#1f2328"), lipgloss.Color("#e6edf3"))
	dim := ld(lipgloss.Color("#6e7781"), lipgloss.Color("#8b949e"))
	warn := ld(lipgloss.Color("#9a6700"), lipgloss.Color("#d29922"))
	danger := ld(lipgloss.Color("#cf222e"), lipgloss.Color("#f85149"))
	ok := ld(lipgloss.Color("#1a7f37"), lipgloss.Color("#3fb950"))
	accent := ld(lipgloss.Color("#0969da"), lipgloss.Color("#58a6ff"))
	selBg := ld(lipgloss.Color("#ddf4ff"), lipgloss.Color("#1f3a5f"))

	s.Header, s.HeaderDim = plain.Foreground(fg).Bold(true), plain.Foreground(dim)
	s.Badge = plain.Foreground(lipgloss.Color("#ffffff")).Background(danger).Bold(true)
	s.Warn, s.Danger = plain.Foreground(warn).Bold(true), plain.Foreground(danger).Bold(true)
	s.CountOK, s.CountWarn, s.CountDanger = plain.Foreground(ok), plain.Foreground(warn).Bold(true), plain.Foreground(danger).Bold(true)
	s.Title, s.Dim = plain.Foreground(accent).Bold(true), plain.Foreground(dim)
	s.Selected, s.Row = plain.Foreground(fg).Background(selBg).Bold(true), plain.Foreground(fg)
	s.TypeUnknown = plain.Foreground(dim)
	s.Type = map[string]lipgloss.Style{
		TypeString: plain.Foreground(ld(lipgloss.Color("#1a7f37"), lipgloss.Color("#7ee787"))),
		TypeHash:   plain.Foreground(ld(lipgloss.Color("#8250df"), lipgloss.Color("#d2a8ff"))),
		TypeList:   plain.Foreground(ld(lipgloss.Color("#0969da"), lipgloss.Color("#79c0ff"))),
		TypeSet:    plain.Foreground(ld(lipgloss.Color("#bc4c00"), lipgloss.Color("#ffa657"))),
		TypeZSet:   plain.Foreground(ld(lipgloss.Color("#bf3989"), lipgloss.Color("#ff7b72"))),
		TypeStream: plain.Foreground(ld(lipgloss.Color("#116329"), lipgloss.Color("#56d4dd"))),
		TypeJSON:   plain.Foreground(ld(lipgloss.Color("#9a6700"), lipgloss.Color("#e3b341"))),
	}
	s.FlashInfo, s.FlashWarn, s.FlashError = plain.Foreground(ok), plain.Foreground(warn), plain.Foreground(danger).Bold(true)
	s.Prompt = plain.Foreground(accent).Bold(true)
	s.JSONKey = plain.Foreground(accent)
	s.JSONString = plain.Foreground(ld(lipgloss.Color("#0a3069"), lipgloss.Color("#a5d6ff")))
	s.JSONNumber = plain.Foreground(ld(lipgloss.Color("#953800"), lipgloss.Color("#ffa657")))
	s.JSONLiteral = plain.Foreground(ld(lipgloss.Color("#cf222e"), lipgloss.Color("#ff7b72")))
	s.JSONPunct = plain.Foreground(dim)
	return s
}

// TypeStyle returns the style of a Redis type name in the list.
func (s *Styles) TypeStyle(t string) lipgloss.Style {
	if st, ok := s.Type[t]; ok {
		return st
	}
	return s.TypeUnknown
}

// profileColors maps the profile colour names (profiles.Colors) to dark/light theme colours.
var profileColors = map[string][2]string{ // {light, dark}
	"red": {"#cf222e", "#f85149"}, "orange": {"#bc4c00", "#ffa657"}, "yellow": {"#9a6700", "#e3b341"},
	"green": {"#1a7f37", "#3fb950"}, "cyan": {"#1b7c83", "#56d4dd"}, "blue": {"#0969da", "#58a6ff"},
	"purple": {"#8250df", "#bc8cff"}, "magenta": {"#bf3989", "#f778ba"}, "pink": {"#bf3989", "#ff9bce"},
	"gray": {"#6e7781", "#8b949e"}, "white": {"#57606a", "#f0f6fc"},
}

// ProfileStyle styles the profile name in its colour; unknown or empty colours stay plain.
func (s *Styles) ProfileStyle(name string) lipgloss.Style {
	st := s.Header
	if s.NoColor || name == "" {
		return st
	}
	var c color.Color
	if pair, ok := profileColors[name]; ok {
		c = lipgloss.LightDark(s.Dark)(lipgloss.Color(pair[0]), lipgloss.Color(pair[1]))
	} else if name[0] == '#' {
		c = lipgloss.Color(name)
	} else if n, err := strconv.Atoi(name); err == nil && n >= 0 && n <= 255 {
		c = lipgloss.ANSIColor(uint8(n))
	}
	if c == nil {
		return st
	}
	return st.Foreground(c)
}
