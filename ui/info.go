package ui

import (
	"context"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// InfoReader is implemented by stores that can run INFO. It is optional: restricted users
// (and some managed services) are denied INFO, and the UI must work without it.
type InfoReader interface {
	Info(ctx context.Context, section string) (string, error)
}

// infoScreen is the `:info` screen: INFO's sections as name/value lines.
type infoScreen struct {
	c       *Common
	gen     uint64
	loading bool
	err     error
	lines   []string
	offset  int
}

type infoMsg struct {
	gen  uint64
	text string
	err  error
}

func (s *infoScreen) load() tea.Cmd {
	ir, ok := s.c.Store.(InfoReader)
	if !ok {
		s.loading, s.err, s.lines = false, constErr("this connection cannot run INFO"), nil
		return nil
	}
	s.gen = s.c.nextGen()
	s.loading = true
	gen := s.gen
	return s.c.io(func(ctx context.Context) tea.Msg {
		text, err := ir.Info(ctx, "default")
		return infoMsg{gen: gen, text: text, err: err}
	})
}

func (s *infoScreen) onInfo(msg infoMsg) {
	if msg.gen != s.gen {
		return
	}
	s.loading, s.err = false, msg.err
	if msg.err != nil {
		return
	}
	st := s.c.Styles
	s.lines = s.lines[:0]
	for _, l := range strings.Split(strings.ReplaceAll(msg.text, "\r\n", "\n"), "\n") {
		switch {
		case l == "":
			continue
		case strings.HasPrefix(l, "# "):
			if len(s.lines) > 0 {
				s.lines = append(s.lines, "")
			}
			s.lines = append(s.lines, st.Title.Render(printable(l[2:])))
		default:
			k, v, _ := strings.Cut(l, ":")
			s.lines = append(s.lines, "  "+st.Dim.Render(fit(printable(k), 30))+" "+printable(v))
		}
	}
	s.offset = min(s.offset, max(0, len(s.lines)-1))
}

func (s *infoScreen) update(msg tea.KeyPressMsg) tea.Cmd {
	k, h := s.c.Keys, max(1, s.c.bodyHeight()-1)
	d := 0
	switch {
	case key.Matches(msg, k.Up):
		d = -1
	case key.Matches(msg, k.Down):
		d = 1
	case key.Matches(msg, k.PageUp):
		d = -h
	case key.Matches(msg, k.PageDown):
		d = h
	case key.Matches(msg, k.Top):
		d = -len(s.lines)
	case key.Matches(msg, k.Bottom):
		d = len(s.lines)
	case key.Matches(msg, k.Rescan):
		return s.load()
	}
	s.offset = max(0, min(s.offset+d, len(s.lines)-h))
	return nil
}

func (s *infoScreen) help() helpKeys {
	k := s.c.Keys
	refresh := key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh"))
	return helpKeys{short: []key.Binding{k.Back, k.Up, k.Down, refresh, k.Command, k.Help, k.Quit}}
}

func (s *infoScreen) view(w, h int) string {
	st := s.c.Styles
	head := st.Title.Render("INFO")
	switch {
	case s.loading:
		head += st.Dim.Render(" loading…")
	case s.err != nil:
		head += " " + st.Danger.Render(s.err.Error())
	}
	lines := []string{fit(head, w)}
	end := min(len(s.lines), s.offset+max(0, h-1))
	for i := s.offset; i < end; i++ {
		lines = append(lines, fit(s.lines[i], w))
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines[:min(len(lines), h)], "\n")
}
