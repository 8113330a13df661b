package discover

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/amr-tui/amr-tui/ui/common"
)

// View renders the list (or the access view) in w×h cells. Names come from Azure and go
// through common.Printable.
func (m *Model) View(w, h int) string {
	if m.access != nil {
		return m.accessViewRender(w, h)
	}
	st := m.c.Styles
	lines := []string{st.Title.Render(common.Fit(m.title(), w))}
	f := "filter: " + common.Printable(m.filter) + "▏"
	if m.filter == "" {
		f = "type to filter by name, resource group, region or host"
	}
	lines = append(lines, st.Dim.Render(common.Fit(f, w)))
	switch {
	case m.err != "":
		lines = append(lines, st.FlashError.Render(common.Fit(common.Printable(m.err), w)))
	case !m.Loading && len(m.res.Subscriptions) == 0:
		lines = append(lines, st.Dim.Render(common.Fit("no enabled subscription: this identity sees no Azure subscription in its tenant", w)))
	case !m.Loading && len(m.rows) == 0:
		lines = append(lines, st.Dim.Render(common.Fit("no cache matches the filter", w)))
	}
	rows := max(1, h-len(lines))
	if m.cursor >= 0 {
		if m.cursor < m.offset {
			m.offset = m.cursor
		}
		if m.cursor >= m.offset+rows {
			m.offset = m.cursor - rows + 1
		}
	}
	m.offset = max(0, min(m.offset, len(m.rows)-1))
	for i := m.offset; i < len(m.rows) && len(lines) < h; i++ {
		lines = append(lines, m.renderRow(i, w))
	}
	return strings.Join(lines, "\n")
}

// title is the first line: how many, the progress while listing, then who.
func (m *Model) title() string {
	n := 0
	for _, sub := range m.res.Subscriptions {
		n += len(sub.Caches)
	}
	s := "Azure caches"
	switch {
	case m.Loading && m.progress.Subscriptions == 0:
		s += " · signing in and listing subscriptions…"
	case m.Loading:
		s += fmt.Sprintf(" · listing %d/%d subscriptions… %s so far", m.progress.Done, m.progress.Subscriptions, common.Plural(int64(n), "cache"))
	default:
		s += " · " + common.Plural(int64(len(m.res.Subscriptions)), "subscription") + ", " + common.Plural(int64(n), "cache")
	}
	if id := m.res.Identity; id.ObjectID != "" {
		s += " · signed in as " + common.Printable(id.String())
	}
	return s
}

func (m *Model) renderRow(i, w int) string {
	st := m.c.Styles
	r := m.rows[i]
	switch r.kind {
	case rowSubscription:
		return st.Header.Render(common.Fit(common.Printable(r.sub.Name)+"  "+common.Printable(r.sub.ID), w))
	case rowFailure:
		return st.Warn.Render(common.Fit("  ! "+common.Printable(r.text), w))
	case rowEmpty:
		return st.Dim.Render(common.Fit("  no caches", w))
	}
	c := r.cache
	var line string
	if c.Err != "" {
		line = fmt.Sprintf("  %-24s %-3s %s", c.Ref(), c.ServiceShort(), "! "+c.Err)
	} else {
		mods := strings.Join(c.Modules, ",")
		if mods == "" {
			mods = "-"
		}
		line = fmt.Sprintf("  %-24s %-3s %-26s %-17s entra %-3s keys %-3s %-12s %-12s %-5s %-10s %s",
			c.Ref(), c.ServiceShort(), c.Addr(), c.ClusteringPolicy, onOff(c.EntraAuth), onOff(c.AccessKeys),
			c.Location, c.SKU, orDash(c.RedisVersion), c.ProvisioningState, mods)
	}
	line = common.Fit(common.Printable(line), w)
	if i == m.cursor {
		return st.Selected.Render(line)
	}
	return st.Row.Render(line)
}

func (m *Model) accessViewRender(w, h int) string {
	st := m.c.Styles
	a := m.access
	c := a.cache
	lines := []string{st.Title.Render(common.Fit("Who can use "+common.Printable(c.Ref())+" · "+c.ServiceName()+" · "+
		common.Printable(c.SubscriptionName)+" / "+common.Printable(c.ResourceGroup), w))}
	switch {
	case a.loading:
		lines = append(lines, st.Dim.Render(common.Fit("reading access policies and assignments…", w)))
		return strings.Join(lines, "\n")
	case a.err != "":
		lines = append(lines, st.FlashError.Render(common.Fit(common.Printable(a.err), w)))
		return strings.Join(lines, "\n")
	}
	acc := a.acc
	var body []string
	body = append(body, st.Dim.Render(common.Fit("signed in as "+common.Printable(acc.Identity.String()), w)), "")
	for _, v := range acc.Verdict() {
		style := st.Warn
		if acc.HasAccess() && !strings.Contains(v, "client (application) ID") {
			style = st.CountOK
		}
		body = append(body, wrap(common.Printable(v), w, style)...)
	}
	body = append(body, "", st.Header.Render(common.Fit("Access policies", w)))
	for _, p := range acc.Policies {
		body = append(body, st.Row.Render(common.Fit(fmt.Sprintf("  %-18s %-8s %s", common.Printable(p.Name), orDash(p.Type), common.Printable(orDash(p.Permissions))), w)))
	}
	body = append(body, "", st.Header.Render(common.Fit("Assignments ("+strconv.Itoa(len(acc.Assignments))+")", w)))
	if len(acc.Assignments) == 0 {
		body = append(body, st.Dim.Render(common.Fit("  none: nobody may use this cache through Microsoft Entra", w)))
	} else {
		body = append(body, st.Dim.Render(common.Fit(fmt.Sprintf("  %-36s  %-24s %-18s %s", "OBJECT ID", "ALIAS", "POLICY", "ACCESS STRING"), w)))
	}
	for _, as := range acc.Assignments {
		line := fmt.Sprintf("  %-36s  %-24s %-18s %s", as.ObjectID, orDash(as.Alias), as.Policy, orDash(as.AccessString))
		style := st.Row
		switch {
		case as.Mine:
			line += "  ← you"
			style = st.CountOK
		case as.ClientIDMistake:
			line += "  ← your app's client ID, not its object ID"
			style = st.Warn
		}
		body = append(body, style.Render(common.Fit(common.Printable(line), w)))
	}
	a.offset = max(0, min(a.offset, len(body)-1))
	for _, l := range body[a.offset:] {
		if len(lines) >= h {
			break
		}
		lines = append(lines, l)
	}
	return strings.Join(lines, "\n")
}

// wrap breaks a long sentence at spaces into lines of at most w cells.
func wrap(s string, w int, style interface{ Render(...string) string }) []string {
	var out []string
	r := []rune(s)
	for len(r) > 0 {
		if len(r) <= w || w < 20 {
			out = append(out, style.Render(common.Fit(string(r), w)))
			break
		}
		cut := w
		for i := w; i > 0; i-- {
			if r[i] == ' ' {
				cut = i
				break
			}
		}
		out = append(out, style.Render(string(r[:cut])))
		r = []rune(strings.TrimLeft(string(r[cut:]), " "))
	}
	return out
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
