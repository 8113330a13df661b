package sessionpanel

import (
	"github.com/amr-tui/amr-tui/ui/common"

	"strconv"
	"time"
)

const clockFormat = "15:04:05"

// SessionLines is the whole panel, before scrolling.
func SessionLines(c *common.Common, st common.SessionState, has bool, history []common.SessionEvent, w int) []string {
	s := c.Styles
	lines := []string{common.Fit(s.Title.Render("SESSION"), w)}
	if !has {
		return append(lines, common.Fit(s.Dim.Render("no session: the UI was started without one (tests, demo without auth)"), w))
	}
	now := c.Now()
	row := func(label, val string) {
		lines = append(lines, common.Fit("  "+s.Dim.Render(common.Fit(label, 12))+"  "+val, w))
	}
	tls := "on (verified)"
	switch st.TLS {
	case common.TLSOff:
		tls = s.Warn.Render("off: traffic and tokens travel in clear text")
	case common.TLSInsecure:
		tls = s.Warn.Render("on, certificate NOT verified")
	}
	mode := "read-write"
	if st.ReadOnly {
		mode = s.Badge.Render(" READ-ONLY ") + " writes are refused by the UI"
	}
	row("profile", s.ProfileStyle(st.Color).Render(common.Printable(st.Profile)))
	row("endpoint", common.Printable(st.Addr)+s.Dim.Render("  db "+strconv.Itoa(st.DB)))
	row("mode", mode)
	row("TLS", tls)
	if st.Credential != "" {
		row("credential", common.Printable(st.Credential))
	}
	if !st.Expires {
		// An access key or no auth: no Entra token, so no token, countdown, identity or
		// "older token" rows, which would all be empty or false.
		if st.Credential == "" {
			row("auth", "access key or none (no Entra ID sign-in)")
		}
		if st.Identity != "" {
			row("user", common.Printable(st.Identity))
		}
	} else {
		row("identity", orDash(common.Printable(st.Identity)))
		row("object ID", orDash(common.Printable(st.ObjectID)))
		if st.TenantID != "" {
			row("tenant", common.Printable(st.TenantID))
		}
		gen := ""
		if st.Generation > 0 {
			gen = s.Dim.Render("  token #" + strconv.FormatUint(st.Generation, 10))
		}
		row("token", common.CountdownView(s, st, now)+gen)
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
	if st.Stale > 0 && st.Expires {
		conns += s.Warn.Render(" · " + strconv.Itoa(st.Stale) + " still on an older token")
	}
	row("connections", conns)
	if st.DeviceCode != "" {
		lines = append(lines, "", common.Fit(s.Warn.Render("SIGN-IN NEEDED"), w))
		for _, l := range common.Wrap(st.DeviceCode, w-4) {
			lines = append(lines, "  "+l)
		}
	}
	if st.LastError != "" {
		lines = append(lines, "", common.Fit(s.Danger.Render("LAST ERROR"), w))
		for _, l := range common.Wrap(st.LastError, w-4) {
			lines = append(lines, common.Fit("  "+l, w))
		}
	}
	lines = append(lines, "", common.Fit(s.Title.Render("HISTORY")+s.Dim.Render("  newest first, last "+strconv.Itoa(common.SessionHistoryMax)), w))
	if len(history) == 0 {
		lines = append(lines, common.Fit(s.Dim.Render("  nothing yet"), w))
	}
	for i := len(history) - 1; i >= 0; i-- {
		e := history[i]
		what := common.Fit(common.Printable(e.What), 18)
		switch e.Level {
		case common.FlashWarn:
			what = s.Warn.Render(what)
		case common.FlashError:
			what = s.Danger.Render(what)
		}
		took := ""
		if e.Duration > 0 {
			took = s.Dim.Render(" (" + roundDuration(e.Duration) + ")")
		}
		lines = append(lines, common.Fit("  "+s.Dim.Render(e.At.Format(clockFormat))+"  "+what+" "+common.Printable(e.Detail)+took, w))
		if e.Err != "" {
			for _, l := range common.Wrap(e.Err, w-14) {
				lines = append(lines, common.Fit("            "+s.Dim.Render(l), w))
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
		rel = "in " + common.ShortDuration(d)
	case d < 0:
		rel = common.ShortDuration(-d) + " ago"
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
	return common.ShortDuration(d)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
