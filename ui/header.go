package ui

import (
	"github.com/amr-tui/amr-tui/ui/common"

	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
)

// tickMsg drives the token countdown and flash expiry. id identifies the loop that sent it so a
// second loop (after a resume, say) can never double the rate: stale ids are dropped.
type tickMsg struct{ id int }

// headerView renders the one-line header: profile, address, identity, DB, badges, countdown.
func headerView(c *common.Common, st common.SessionState, hasSession bool, w int) string {
	s := c.Styles
	if !hasSession {
		return common.Fit(s.Title.Render("amr-tui"), w)
	}
	right := common.CountdownView(s, st, c.Now())
	// Pieces in order of importance; the least important are dropped first when the terminal
	// is narrow, so the profile, the badges and the countdown always stay visible.
	type piece struct {
		text string
		prio int // lower stays longer
	}
	pieces := []piece{{s.ProfileStyle(st.Color).Render("● " + common.Printable(st.Profile)), 0}}
	if st.Addr != "" {
		pieces = append(pieces, piece{s.Header.Render(st.Addr), 3})
	}
	if st.Identity != "" {
		pieces = append(pieces, piece{common.Printable(st.Identity), 2})
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
	case common.TLSOff:
		pieces = append(pieces, piece{s.Warn.Render("⚠ TLS OFF"), 0})
	case common.TLSInsecure:
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
	for prio := 3; prio >= 0 && common.WidthOf(left)+common.WidthOf(right)+1 > w; prio-- {
		left = join(prio)
	}
	gap := w - common.WidthOf(left) - common.WidthOf(right)
	if gap < 1 {
		return common.Fit(left, max(0, w-common.WidthOf(right)-1)) + " " + right
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

// tick schedules the next countdown tick for loop id.
func tick(d time.Duration, id int) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return tickMsg{id: id} })
}
