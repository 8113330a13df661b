package ui

import (
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// sessionPanel is the `:session` screen: who is signed in where, the token's life (issued,
// expires, next refresh, a live countdown), connection counts, a pending device code, the last
// error explained, and the refresh and re-AUTH history, newest first. It scrolls with ↑/↓.
func (a *App) sessionPanel(w, h int) string {
	lines := sessionLines(a.c, a.state, a.session != nil, a.life.history, w)
	off := max(0, min(a.life.panelOffset, len(lines)-h))
	lines = lines[off:]
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines[:h], "\n")
}

// sessionPanelKey scrolls the panel.
func (a *App) sessionPanelKey(msg tea.KeyPressMsg) {
	k := a.c.Keys
	switch {
	case key.Matches(msg, k.Down):
		a.life.panelOffset++
	case key.Matches(msg, k.Up):
		a.life.panelOffset = max(0, a.life.panelOffset-1)
	case key.Matches(msg, k.PageDown):
		a.life.panelOffset += a.c.bodyHeight()
	case key.Matches(msg, k.PageUp):
		a.life.panelOffset = max(0, a.life.panelOffset-a.c.bodyHeight())
	case key.Matches(msg, k.Top):
		a.life.panelOffset = 0
	}
}

const clockFormat = "15:04:05"

// sessionLines is the whole panel, before scrolling.
func sessionLines(c *Common, st SessionState, has bool, history []SessionEvent, w int) []string {
	s := c.Styles
	lines := []string{fit(s.Title.Render("SESSION"), w)}
	if !has {
		return append(lines, fit(s.Dim.Render("no session: the UI was started without one (tests, demo without auth)"), w))
	}
	now := c.Now()
	row := func(label, val string) {
		lines = append(lines, fit("  "+s.Dim.Render(fit(label, 12))+"  "+val, w))
	}
	tls := "on (verified)"
	switch st.TLS {
	case TLSOff:
		tls = s.Warn.Render("off: traffic and tokens travel in clear text")
	case TLSInsecure:
		tls = s.Warn.Render("on, certificate NOT verified")
	}
	mode := "read-write"
	if st.ReadOnly {
		mode = s.Badge.Render(" READ-ONLY ") + " writes are refused by the UI"
	}
	row("profile", s.profileStyle(st.Color).Render(printable(st.Profile)))
	row("endpoint", printable(st.Addr)+s.Dim.Render("  db "+strconv.Itoa(st.DB)))
	row("mode", mode)
	row("TLS", tls)
	if st.Credential != "" {
		row("credential", printable(st.Credential))
	}
	row("identity", orDash(printable(st.Identity)))
	row("object ID", orDash(printable(st.ObjectID)))
	if st.TenantID != "" {
		row("tenant", printable(st.TenantID))
	}
	if !st.Expires {
		row("token", "does not expire (access key or no auth)")
	} else {
		gen := ""
		if st.Generation > 0 {
			gen = s.Dim.Render("  token #" + strconv.FormatUint(st.Generation, 10))
		}
		row("token", countdownView(s, st, now)+gen)
		if !st.IssuedAt.IsZero() {
			row("issued", clockAndAgo(st.IssuedAt, now))
		}
		row("expires", clockAndAgo(st.ExpiresAt, now))
		if !st.NextRefreshAt.IsZero() {
			row("next refresh", clockAndAgo(st.NextRefreshAt, now))
		}
		if !st.RetryAt.IsZero() {
			row("retry", s.Warn.Render(clockAndAgo(st.RetryAt, now)))
		}
	}
	conns := "pooled " + strconv.Itoa(st.Pool) + " · console " + strconv.Itoa(st.Console) + " · pubsub " + strconv.Itoa(st.PubSub)
	if st.Stale > 0 {
		conns += s.Warn.Render(" · " + strconv.Itoa(st.Stale) + " still on an older token")
	}
	row("connections", conns)
	if st.DeviceCode != "" {
		lines = append(lines, "", fit(s.Warn.Render("SIGN-IN NEEDED"), w))
		for _, l := range wrap(st.DeviceCode, w-4) {
			lines = append(lines, "  "+l)
		}
	}
	if st.LastError != "" {
		lines = append(lines, "", fit(s.Danger.Render("LAST ERROR"), w))
		for _, l := range wrap(st.LastError, w-4) {
			lines = append(lines, fit("  "+l, w))
		}
	}
	lines = append(lines, "", fit(s.Title.Render("HISTORY")+s.Dim.Render("  newest first, last "+strconv.Itoa(historyMax)), w))
	if len(history) == 0 {
		lines = append(lines, fit(s.Dim.Render("  nothing yet"), w))
	}
	for i := len(history) - 1; i >= 0; i-- {
		e := history[i]
		what := fit(printable(e.What), 18)
		switch e.Level {
		case FlashWarn:
			what = s.Warn.Render(what)
		case FlashError:
			what = s.Danger.Render(what)
		}
		took := ""
		if e.Duration > 0 {
			took = s.Dim.Render(" (" + roundDuration(e.Duration) + ")")
		}
		lines = append(lines, fit("  "+s.Dim.Render(e.At.Format(clockFormat))+"  "+what+" "+printable(e.Detail)+took, w))
		if e.Err != "" {
			for _, l := range wrap(e.Err, w-14) {
				lines = append(lines, fit("            "+s.Dim.Render(l), w))
			}
		}
	}
	return lines
}

// clockAndAgo is "12:04:05 (in 4m05s)" or "11:00:00 (1h00m ago)".
func clockAndAgo(t, now time.Time) string {
	d := t.Sub(now).Truncate(time.Second)
	rel := "now"
	switch {
	case d > 0:
		rel = "in " + shortDuration(d)
	case d < 0:
		rel = shortDuration(-d) + " ago"
	}
	return t.Format(clockFormat) + " (" + rel + ")"
}

// roundDuration shows a duration with sensible precision: 12ms, 1.4s, 2m05s.
func roundDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Minute:
		return d.Round(100 * time.Millisecond).String()
	}
	return shortDuration(d)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
