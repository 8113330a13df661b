package ui

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// picker is the profile picker: at startup the whole screen, later the `:profiles`/P switcher.
// Typing filters the saved profiles fuzzily; enter opens the selected one in the background.
type picker struct {
	query   textinput.Model
	all     []ProfileSummary
	shown   []int // indexes into all, best match first
	cursor  int
	current string // the profile in use
	path    string
	loaded  bool
	loadErr string

	failure *openFailure // the last open that failed, shown until the next attempt
	confirm string       // a profile waiting for delete confirmation
	busy    string       // a save or delete in flight
}

// openFailure is an open that failed: which profile and the diagnosis.
type openFailure struct {
	profile string
	text    string
}

func newPicker(c *Common) *picker {
	ti := textinput.New()
	ti.Prompt = ""
	ti.Placeholder = "type to filter"
	st := ti.Styles()
	st.Cursor.Blink = false
	ti.SetStyles(st)
	ti.SetWidth(max(1, boxInner(boxWidth(c.Width))-16))
	ti.Focus()
	return &picker{query: ti}
}

// setList takes a fresh profile list, keeping the selection on the same profile if it is there.
func (p *picker) setList(l ProfileList, current string) {
	sel := p.selected()
	p.all, p.path, p.current, p.loaded = l.Profiles, l.Path, current, true
	p.refilter()
	name := sel
	if name == "" {
		name = current
	}
	if name == "" {
		name = l.LastUsed
	}
	for i, idx := range p.shown {
		if p.all[idx].Name == name {
			p.cursor = i
		}
	}
}

// selected is the name under the cursor, "" when nothing matches.
func (p *picker) selected() string {
	if p.cursor < 0 || p.cursor >= len(p.shown) {
		return ""
	}
	return p.all[p.shown[p.cursor]].Name
}

func (p *picker) selectedSummary() (ProfileSummary, bool) {
	if p.cursor < 0 || p.cursor >= len(p.shown) {
		return ProfileSummary{}, false
	}
	return p.all[p.shown[p.cursor]], true
}

// refilter ranks the profiles against the query: every profile whose name, label, auth kind or
// address contains the query's letters in order, best first.
func (p *picker) refilter() {
	q := strings.ToLower(strings.TrimSpace(p.query.Value()))
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
	p.shown = p.shown[:0]
	for _, h := range hits {
		p.shown = append(p.shown, h.idx)
	}
	p.cursor = max(0, min(p.cursor, len(p.shown)-1))
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

// pickerKey handles a key while the picker is up.
func (a *App) pickerKey(msg tea.KeyPressMsg) tea.Cmd {
	l := a.life
	p := l.picker
	if p.confirm != "" {
		switch msg.String() {
		case "y", "Y":
			name := p.confirm
			p.confirm, p.busy = "", "deleting "+name+"…"
			ed := l.editor
			return a.c.io(func(ctx context.Context) tea.Msg {
				return profileSavedMsg{name: name, deleted: true, err: ed.DeleteProfile(ctx, name)}
			})
		case "n", "N", "esc":
			p.confirm = ""
		}
		return nil
	}
	switch msg.String() {
	case "esc":
		if a.startup() {
			return tea.Quit
		}
		l.picker = nil
		return nil
	case "enter":
		name := p.selected()
		if name == "" {
			return nil
		}
		p.failure = nil
		return a.startOpen(name)
	case "up", "ctrl+p", "shift+tab":
		p.cursor = max(0, p.cursor-1)
		return nil
	case "down", "ctrl+n", "tab":
		p.cursor = max(0, min(p.cursor+1, len(p.shown)-1))
		return nil
	case "ctrl+a":
		return a.openForm("")
	case "ctrl+e":
		if name := p.selected(); name != "" {
			return a.openForm(name)
		}
		return nil
	case "ctrl+x":
		if l.editor == nil {
			a.c.flash("this build cannot delete profiles; use `amr-tui profiles remove NAME`", FlashWarn)
			return nil
		}
		if name := p.selected(); name != "" {
			p.confirm = name
		}
		return nil
	}
	var cmd tea.Cmd
	before := p.query.Value()
	p.query, cmd = p.query.Update(msg)
	if p.query.Value() != before {
		p.cursor = 0
		p.refilter()
	}
	return cmd
}

// view renders the picker box: filter line, the matching profiles, then a failed open's
// diagnosis or a question, and the keys.
func (p *picker) view(c *Common, w, h int, canEdit, startup bool) []string {
	s := c.Styles
	in := boxInner(boxWidth(w))
	var lines []string
	if startup && p.loaded && len(p.all) == 0 {
		lines = append(lines, "No saved profiles yet.", "")
		if p.path != "" {
			lines = append(lines, s.Dim.Render("profiles file: "+printable(p.path)), "")
		}
		if canEdit {
			lines = append(lines, "  ctrl+a  add a profile here")
		}
		lines = append(lines,
			"  or in a shell:  amr-tui profiles add NAME",
			"                  amr-tui profiles import-env NAME",
			"  no Azure account?  amr-tui demo",
			"", s.Dim.Render(keysLine(canEdit, startup, false)))
		return boxView(c, "Welcome to amr-tui", lines, w)
	}
	count := strconv.Itoa(len(p.shown)) + " of " + strconv.Itoa(len(p.all))
	q := s.Prompt.Render("› ") + p.query.View()
	lines = append(lines, fit(q, in-widthOf(count)-1)+" "+s.Dim.Render(count), "")
	// Rows get what the screen has left after the other lines, so a diagnosis stays visible.
	var tail []string
	if p.loadErr != "" {
		tail = append(tail, "")
		for _, l := range wrap("cannot read the profiles: "+p.loadErr, in) {
			tail = append(tail, s.Danger.Render(l))
		}
	}
	if f := p.failure; f != nil {
		tail = append(tail, "", s.Danger.Render(fit("✗ could not open "+printable(f.profile), in)))
		for _, l := range wrap(f.text, in) {
			tail = append(tail, l)
		}
	}
	if p.confirm != "" {
		if pr, ok := p.selectedSummary(); ok {
			tail = append(tail, "", s.Warn.Render(fit("Delete profile "+printable(pr.Name)+" ("+printable(pr.Addr)+", "+printable(pr.Auth)+")? y/n", in)))
		}
	}
	if p.busy != "" {
		tail = append(tail, "", s.Dim.Render(p.busy))
	}
	tail = append(tail, "", s.Dim.Render(keysLine(canEdit, startup, len(p.shown) > 0)))
	rows := max(3, h-len(lines)-len(tail)-2)
	switch {
	case !p.loaded:
		lines = append(lines, s.Dim.Render("reading profiles…"))
	case len(p.shown) == 0:
		lines = append(lines, s.Dim.Render("no profile matches"))
	}
	off := max(0, p.cursor-rows+1)
	for i := off; i < len(p.shown) && i < off+rows; i++ {
		lines = append(lines, p.row(c, p.all[p.shown[i]], i == p.cursor, in))
	}
	title := "Profiles"
	if startup {
		title = "Choose a profile"
	}
	return boxView(c, title, append(lines, tail...), w)
}

// row is one profile: colour dot, name, auth kind, address and flags.
func (p *picker) row(c *Common, pr ProfileSummary, sel bool, in int) string {
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
	case TLSOff:
		flags += " TLS-off"
	case TLSInsecure:
		flags += " INSECURE"
	}
	if pr.Name == p.current {
		flags += " (open)"
	}
	head := mark + s.profileStyle(pr.Color).Render("● ") + fit(printable(pr.Name), 18) + " " + fit(printable(pr.Auth), 22) + " "
	// The address gives way before the flags: "RO" and "(open)" always show.
	addr := fit(printable(pr.Addr), max(0, in-widthOf(head)-widthOf(flags)))
	text := head + addr + flags
	if sel {
		return s.Selected.Render(fit(ansiStrip(text), in))
	}
	return fit(text, in)
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
