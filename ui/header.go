package ui

import (
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
)

// Countdown colour thresholds.
const (
	countdownWarn   = 5 * time.Minute
	countdownDanger = time.Minute
)

// tickMsg drives the token countdown and flash expiry. id identifies the loop that sent it so a
// second loop (after a resume, say) can never double the rate: stale ids are dropped.
type tickMsg struct{ id int }

// headerView renders the one-line header: profile, address, identity, DB, badges, countdown.
func headerView(c *Common, st SessionState, hasSession bool, w int) string {
	s := c.Styles
	if !hasSession {
		return fit(s.Title.Render("amr-tui"), w)
	}
	right := countdownView(s, st, c.Now())
	// Pieces in order of importance; the least important are dropped first when the terminal
	// is narrow, so the profile, the badges and the countdown always stay visible.
	type piece struct {
		text string
		prio int // lower stays longer
	}
	pieces := []piece{{s.profileStyle(st.Color).Render("● " + printable(st.Profile)), 0}}
	if st.Addr != "" {
		pieces = append(pieces, piece{s.Header.Render(st.Addr), 3})
	}
	if st.Identity != "" {
		pieces = append(pieces, piece{printable(st.Identity), 2})
	}
	if st.ObjectID != "" && st.ObjectID != st.Identity {
		pieces = append(pieces, piece{s.HeaderDim.Render("oid " + st.ObjectID), 4})
	}
	if st.Cluster {
		pieces = append(pieces, piece{s.HeaderDim.Render(clusterBadge(st.Shards)), 1})
	} else {
		pieces = append(pieces, piece{s.HeaderDim.Render("db " + strconv.Itoa(st.DB)), 1})
	}
	if st.ReadOnly {
		pieces = append(pieces, piece{s.Badge.Render(" READ-ONLY "), 0})
	}
	switch st.TLS {
	case TLSOff:
		pieces = append(pieces, piece{s.Warn.Render("⚠ TLS OFF"), 0})
	case TLSInsecure:
		pieces = append(pieces, piece{s.Warn.Render("⚠ TLS NOT VERIFIED"), 0})
	}
	join := func(maxPrio int) string {
		var out []string
		for _, p := range pieces {
			if p.prio <= maxPrio {
				out = append(out, p.text)
			}
		}
		return strings.Join(out, "  ")
	}
	left := join(4)
	for prio := 3; prio >= 0 && widthOf(left)+widthOf(right)+1 > w; prio-- {
		left = join(prio)
	}
	gap := w - widthOf(left) - widthOf(right)
	if gap < 1 {
		return fit(left, max(0, w-widthOf(right)-1)) + " " + right
	}
	return left + strings.Repeat(" ", gap) + right
}

// clusterBadge names the clustering policy and the shard count ("OSS cluster · 3 shards"); a
// cluster has only database 0, so it takes the place of "db N".
func clusterBadge(shards int) string {
	switch shards {
	case 0:
		return "OSS cluster"
	case 1:
		return "OSS cluster · 1 shard"
	}
	return "OSS cluster · " + strconv.Itoa(shards) + " shards"
}

// countdownView is the token state: mm:ss to expiry recomputed from ExpiresAt on every call,
// "refreshing…", "retrying in 8s" or "expired".
func countdownView(s *Styles, st SessionState, now time.Time) string {
	if !st.Expires {
		return ""
	}
	left := st.ExpiresAt.Sub(now)
	switch {
	case st.Expired || left <= 0:
		return s.CountDanger.Render("token expired")
	case st.Refreshing:
		return s.CountWarn.Render("token " + mmss(left) + " · refreshing…")
	case !st.RetryAt.IsZero() && st.RetryAt.After(now):
		in := st.RetryAt.Sub(now).Round(time.Second)
		return s.CountDanger.Render("token " + mmss(left) + " · retrying in " + shortDuration(in))
	}
	style := s.CountOK
	switch {
	case left < countdownDanger:
		style = s.CountDanger
	case left < countdownWarn:
		style = s.CountWarn
	}
	return style.Render("token " + mmss(left))
}

// mmss formats a duration as mm:ss (hh:mm:ss past an hour), rounding down.
func mmss(d time.Duration) string {
	sec := int64(d / time.Second)
	if sec < 0 {
		sec = 0
	}
	if sec >= 3600 {
		return strconv.FormatInt(sec/3600, 10) + ":" + pad2(sec%3600/60) + ":" + pad2(sec%60)
	}
	return pad2(sec/60) + ":" + pad2(sec%60)
}

// tick schedules the next countdown tick for loop id.
func tick(d time.Duration, id int) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return tickMsg{id: id} })
}
