package profilepicker

import (
	"github.com/amr-tui/amr-tui/ui/common"

	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/textinput"
)

// Picker is the profile picker: at startup the whole screen, later the `:profiles`/P switcher.
// Typing filters the saved profiles fuzzily; enter opens the selected one in the background.
type Picker struct {
	Query   textinput.Model
	all     []common.ProfileSummary
	Shown   []int // indexes into all, best match first
	Cursor  int
	current string // the profile in use
	path    string
	Loaded  bool
	LoadErr string

	Failure *OpenFailure // the last open that failed, shown until the next attempt
	Confirm string       // a profile waiting for delete confirmation
	Busy    string       // a save or delete in flight
}

// OpenFailure is an open that failed: which profile and the diagnosis.
type OpenFailure struct {
	Profile string
	Text    string
}

// NewPicker returns an empty profile picker.
func NewPicker(c *common.Common) *Picker {
	ti := textinput.New()
	ti.Prompt = ""
	ti.Placeholder = "type to filter"
	st := ti.Styles()
	st.Cursor.Blink = false
	ti.SetStyles(st)
	ti.SetWidth(max(1, common.BoxInner(common.BoxWidth(c.Width))-16))
	ti.Focus()
	return &Picker{Query: ti}
}

// SetList takes a fresh profile list, keeping the selection on the same profile if it is there.
func (p *Picker) SetList(l common.ProfileList, current string) {
	sel := p.Selected()
	p.all, p.path, p.current, p.Loaded = l.Profiles, l.Path, current, true
	p.Refilter()
	name := sel
	if name == "" {
		name = current
	}
	if name == "" {
		name = l.LastUsed
	}
	for i, idx := range p.Shown {
		if p.all[idx].Name == name {
			p.Cursor = i
		}
	}
}

// Selected is the name under the cursor, "" when nothing matches.
func (p *Picker) Selected() string {
	if p.Cursor < 0 || p.Cursor >= len(p.Shown) {
		return ""
	}
	return p.all[p.Shown[p.Cursor]].Name
}

func (p *Picker) selectedSummary() (common.ProfileSummary, bool) {
	if p.Cursor < 0 || p.Cursor >= len(p.Shown) {
		return common.ProfileSummary{}, false
	}
	return p.all[p.Shown[p.Cursor]], true
}

// Refilter ranks the profiles against the query: every profile whose name, label, auth kind or
// address contains the query's letters in order, best first.
func (p *Picker) Refilter() {
	q := strings.ToLower(strings.TrimSpace(p.Query.Value()))
	type scored struct{ idx, score int }
	var hits []scored
	for i, pr := range p.all {
		best := -1
		// Name and label match fuzzily; auth kind and address only as written (their letters
		// are everywhere, so a fuzzy match there would match every profile).
		for wi, field := range []string{pr.Name, pr.Label, pr.Auth, pr.Addr} {
			f := strings.ToLower(field)
			s := fuzzyScore(q, f)
			if wi >= 2 && q != "" && !strings.Contains(f, q) {
				s = -1
			}
			if s >= 0 {
				s += 1000 * wi // the name counts most
				if best < 0 || s < best {
					best = s
				}
			}
		}
		if best >= 0 {
			hits = append(hits, scored{i, best})
		}
	}
	slices.SortStableFunc(hits, func(a, b scored) int { return a.score - b.score })
	p.Shown = p.Shown[:0]
	for _, h := range hits {
		p.Shown = append(p.Shown, h.idx)
	}
	p.Cursor = max(0, min(p.Cursor, len(p.Shown)-1))
}

// fuzzyScore is -1 when s lacks q's letters in order; otherwise lower is better: a prefix beats
// a substring, which beats letters spread out (scored by the gaps between them).
func fuzzyScore(q, s string) int {
	if q == "" {
		return 0
	}
	if strings.HasPrefix(s, q) {
		return 0
	}
	if i := strings.Index(s, q); i >= 0 {
		return 1 + i
	}
	gaps, last, qi := 0, -1, 0
	qr := []rune(q)
	for i, r := range []rune(s) {
		if qi < len(qr) && r == qr[qi] {
			if last >= 0 {
				gaps += i - last - 1
			}
			last = i
			qi++
		}
	}
	if qi < len(qr) {
		return -1
	}
	return 100 + gaps
}

// View renders the picker box: filter line, the matching profiles, then a failed open's
// diagnosis or a question, and the keys.
func (p *Picker) View(c *common.Common, w, h int, canEdit, startup bool) []string {
	s := c.Styles
	in := common.BoxInner(common.BoxWidth(w))
	var lines []string
	if startup && p.Loaded && len(p.all) == 0 {
		lines = append(lines, "No saved profiles yet.", "")
		if p.path != "" {
			lines = append(lines, s.Dim.Render("profiles file: "+common.Printable(p.path)), "")
		}
		if canEdit {
			lines = append(lines, "  ctrl+a  add a profile here")
		}
		lines = append(lines,
			"  or in a shell:  amr-tui profiles add NAME",
			"                  amr-tui profiles import-env NAME",
			"  no Azure account?  amr-tui demo",
			"", s.Dim.Render(keysLine(canEdit, startup, false)))
		return common.BoxView(c, "Welcome to amr-tui", lines, w)
	}
	count := strconv.Itoa(len(p.Shown)) + " of " + strconv.Itoa(len(p.all))
	q := s.Prompt.Render("› ") + p.Query.View()
	lines = append(lines, common.Fit(q, in-common.WidthOf(count)-1)+" "+s.Dim.Render(count), "")
	// Rows get what the screen has left after the other lines, so a diagnosis stays visible.
	var tail []string
	if p.LoadErr != "" {
		tail = append(tail, "")
		for _, l := range common.Wrap("cannot read the profiles: "+p.LoadErr, in) {
			tail = append(tail, s.Danger.Render(l))
		}
	}
	if f := p.Failure; f != nil {
		tail = append(tail, "", s.Danger.Render(common.Fit("✗ could not open "+common.Printable(f.Profile), in)))
		for _, l := range common.Wrap(f.Text, in) {
			tail = append(tail, l)
		}
	}
	if p.Confirm != "" {
		if pr, ok := p.selectedSummary(); ok {
			tail = append(tail, "", s.Warn.Render(common.Fit("Delete profile "+common.Printable(pr.Name)+" ("+common.Printable(pr.Addr)+", "+common.Printable(pr.Auth)+")? y/n", in)))
		}
	}
	if p.Busy != "" {
		tail = append(tail, "", s.Dim.Render(p.Busy))
	}
	tail = append(tail, "", s.Dim.Render(keysLine(canEdit, startup, len(p.Shown) > 0)))
	rows := max(3, h-len(lines)-len(tail)-2)
	switch {
	case !p.Loaded:
		lines = append(lines, s.Dim.Render("reading profiles…"))
	case len(p.Shown) == 0:
		lines = append(lines, s.Dim.Render("no profile matches"))
	}
	off := max(0, p.Cursor-rows+1)
	for i := off; i < len(p.Shown) && i < off+rows; i++ {
		lines = append(lines, p.row(c, p.all[p.Shown[i]], i == p.Cursor, in))
	}
	title := "Profiles"
	if startup {
		title = "Choose a profile"
	}
	return common.BoxView(c, title, append(lines, tail...), w)
}

// row is one profile: colour dot, name, auth kind, address and flags.
func (p *Picker) row(c *common.Common, pr common.ProfileSummary, sel bool, in int) string {
	s := c.Styles
	mark := "  "
	if sel {
		mark = "▸ "
	}
	flags := ""
	if pr.ReadOnly {
		flags += " RO"
	}
	switch pr.TLS {
	case common.TLSOff:
		flags += " TLS-off"
	case common.TLSInsecure:
		flags += " INSECURE"
	}
	if pr.Name == p.current {
		flags += " (open)"
	}
	head := mark + s.ProfileStyle(pr.Color).Render("● ") + common.Fit(common.Printable(pr.Name), 18) + " " + common.Fit(common.Printable(pr.Auth), 22) + " "
	// The address gives way before the flags: "RO" and "(open)" always show.
	addr := common.Fit(common.Printable(pr.Addr), max(0, in-common.WidthOf(head)-common.WidthOf(flags)))
	text := head + addr + flags
	if sel {
		return s.Selected.Render(common.Fit(common.AnsiStrip(text), in))
	}
	return common.Fit(text, in)
}

// keysLine is the picker's key help.
func keysLine(canEdit, startup, any bool) string {
	var k []string
	if any {
		k = append(k, "enter open", "↑/↓ select")
	}
	if canEdit {
		k = append(k, "ctrl+a add")
		if any {
			k = append(k, "ctrl+e edit", "ctrl+x delete")
		}
	}
	if startup {
		k = append(k, "esc quit")
	} else {
		k = append(k, "esc close")
	}
	return strings.Join(k, " · ")
}
