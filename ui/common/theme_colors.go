package common

import (
	"image/color"
	"slices"
	"strconv"

	"charm.land/lipgloss/v2"
)

// styleFields names every style config.toml's [theme.colors] may recolour.
func (s *Styles) styleFields() map[string]*lipgloss.Style {
	m := map[string]*lipgloss.Style{
		"header": &s.Header, "header.dim": &s.HeaderDim, "badge": &s.Badge, "warn": &s.Warn,
		"danger": &s.Danger, "count.ok": &s.CountOK, "count.warn": &s.CountWarn,
		"count.danger": &s.CountDanger, "title": &s.Title, "dim": &s.Dim, "selected": &s.Selected,
		"row": &s.Row, "type.unknown": &s.TypeUnknown, "flash.info": &s.FlashInfo,
		"flash.warn": &s.FlashWarn, "flash.error": &s.FlashError, "prompt": &s.Prompt,
		"json.key": &s.JSONKey, "json.string": &s.JSONString, "json.number": &s.JSONNumber,
		"json.literal": &s.JSONLiteral, "json.punct": &s.JSONPunct,
	}
	return m
}

// StyleNames lists the style names [theme.colors] accepts, sorted.
func StyleNames() []string {
	names := []string{"type.string", "type.hash", "type.list", "type.set", "type.zset", "type.stream", "type.ReJSON-RL"}
	for n := range NewStyles(true, false).styleFields() {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Recolor applies [theme.colors]: each named style gets the colour as its foreground (the
// selected row and the badge, which are drawn on a background, as their background). Under
// NO_COLOR nothing changes: NO_COLOR wins over the config file.
func (s *Styles) Recolor(colors map[string]string) {
	if s.NoColor || len(colors) == 0 {
		return
	}
	fields := s.styleFields()
	for name, value := range colors {
		c := s.colorOf(value)
		if c == nil {
			continue
		}
		if len(name) > 5 && name[:5] == "type." {
			t := name[5:]
			if st, ok := s.Type[t]; ok {
				s.Type[t] = st.Foreground(c)
			}
			continue
		}
		st, ok := fields[name]
		if !ok {
			continue
		}
		if name == "selected" || name == "badge" {
			*st = st.Background(c)
		} else {
			*st = st.Foreground(c)
		}
	}
}

// colorOf reads a colour as profiles and config.toml write them: a name, "#rgb"/"#rrggbb" or
// an ANSI number.
func (s *Styles) colorOf(v string) color.Color {
	if pair, ok := profileColors[v]; ok {
		return lipgloss.LightDark(s.Dark)(lipgloss.Color(pair[0]), lipgloss.Color(pair[1]))
	}
	if v != "" && v[0] == '#' {
		return lipgloss.Color(v)
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 && n <= 255 {
		return lipgloss.ANSIColor(uint8(n))
	}
	return nil
}
