package copyto

import (
	"errors"
	"strings"

	"github.com/amr-tui/amr-tui/bulk"
	"github.com/amr-tui/amr-tui/ui/common"
)

// View draws the screen's box over body (the key list), h lines of w cells.
func (m *Model) View(body string, w, h int) string {
	return common.Overlay(body, m.box(w), w, h)
}

func (m *Model) box(w int) []string {
	s := m.c.Styles
	in := common.BoxInner(common.BoxWidth(w))
	var lines []string
	add := func(l ...string) { lines = append(lines, l...) }
	what := common.Count(m.marked) + " marked keys"
	if m.marked < 0 {
		what = "the marked keys"
	}
	add("Copy "+what+" from "+s.Header.Render(common.Printable(m.source))+" to another profile", "")
	switch m.Phase {
	case PhasePick:
		switch {
		case m.loading:
			add(s.Dim.Render("reading the saved profiles…"))
		case len(m.Profiles) == 0:
		default:
			for i, p := range m.Profiles {
				row := common.Printable(p.Name)
				if p.Addr != "" {
					row += s.Dim.Render("  " + common.Printable(p.Addr))
				}
				if p.ReadOnly {
					row += s.Warn.Render("  read-only")
				}
				if i == m.Cursor {
					row = s.Selected.Render("› ") + row
				} else {
					row = "  " + row
				}
				add(row)
			}
		}
	case PhasePreview, PhaseConfirm:
		add(m.previewLines()...)
	case PhaseRun:
		add("to "+s.Header.Render(common.Printable(m.Target.Name)), "", m.progressLine(in))
	case PhaseReport:
		add(m.reportLines(in)...)
	}
	if m.Notice != "" {
		add("")
		for _, l := range common.Wrap(m.Notice, in) {
			add(s.Warn.Render(l))
		}
	}
	if m.Input != nil {
		add("", m.Input.View(in))
	}
	return common.BoxView(m.c, "Copy to profile", lines, w)
}

func (m *Model) previewLines() []string {
	s := m.c.Styles
	out := []string{"to      " + s.Header.Render(common.Printable(m.Target.Name)) + s.Dim.Render("  "+common.Printable(m.Target.Addr))}
	switch {
	case m.open != nil && m.code != nil:
		out = append(out, "", "Sign in to open "+common.Printable(m.Target.Name)+":")
		if m.code.URL != "" {
			out = append(out, "  1. open  "+s.Title.Render(common.Printable(m.code.URL)))
		}
		if m.code.Code != "" {
			out = append(out, "  2. enter the code  "+s.Badge.Render(" "+common.Printable(m.code.Code)+" "))
		}
		return out
	case m.open != nil || m.preview != nil:
		return append(out, s.Dim.Render("connecting and counting the marked keys…"))
	}
	p := m.pre.res
	keys := common.Count(p.Count) + " keys"
	if p.Count != m.marked && m.marked >= 0 {
		keys += s.Dim.Render(" (" + common.Count(m.marked-p.Count) + " marked are gone)")
	}
	out = append(out, "keys    "+keys)
	if len(p.Sample) > 0 {
		names := make([]string, len(p.Sample))
		for i, k := range p.Sample {
			names[i] = common.Printable(k)
		}
		out = append(out, "e.g.    "+strings.Join(names, ", "))
	}
	var rules []string
	for _, c := range Conflicts {
		if c == m.Conflict {
			rules = append(rules, s.Selected.Render("["+string(c)+"]"))
		} else {
			rules = append(rules, s.Dim.Render(" "+string(c)+" "))
		}
	}
	ttl := "keep (each key keeps the TTL it has left)"
	if m.DropTTL {
		ttl = "none (keys are written without a TTL)"
	}
	out = append(out,
		"exists  "+strings.Join(rules, " ")+s.Dim.Render("  tab changes"),
		"TTL     "+ttl+s.Dim.Render("  t changes"),
		s.Dim.Render("values  DUMP/RESTORE when the versions allow it, typed otherwise"))
	if m.Phase == PhasePreview {
		out = append(out, "", s.Dim.Render("enter confirm · esc cancel"))
	}
	return out
}

func (m *Model) progressLine(in int) string {
	return common.ProgressLine(m.run.Control.Progress(), max(10, min(30, in-40)))
}

func (m *Model) reportLines(in int) []string {
	s := m.c.Styles
	r := m.Report
	title := "Copied to " + s.Header.Render(common.Printable(m.Target.Name))
	if m.cancelled() {
		title += s.Warn.Render(" — cancelled")
	}
	out := []string{title, ""}
	row := func(label string, n int64) string { return common.FitRight(common.Count(n), 9) + "  " + label }
	out = append(out, row("created", r.Created), row("replaced", r.Replaced), row("skipped (existed)", r.Skipped))
	if r.Expired > 0 {
		out = append(out, row("expired before written", r.Expired))
	}
	out = append(out, row("failed", r.Failed))
	if r.Uncertain > 0 {
		out = append(out, row("uncertain (connection lost mid-batch)", r.Uncertain))
	}
	for i, f := range r.Failures {
		if i == 5 {
			out = append(out, s.Dim.Render("  … "+common.Count(r.Failed-5)+" more"))
			break
		}
		out = append(out, common.Fit("  "+s.Danger.Render(common.Printable(f.Key))+": "+common.Printable(f.Reason), in))
	}
	if m.Err != nil && !m.cancelled() {
		out = append(out, "")
		for _, l := range common.Wrap(errorText(m.Err), in) {
			out = append(out, s.Danger.Render(l))
		}
	}
	return append(out, "", s.Dim.Render("enter close"))
}

func errorText(err error) string {
	if errors.Is(err, bulk.ErrConflict) {
		return "stopped at a key that exists (conflict rule fail): keys before it were copied"
	}
	return err.Error()
}
