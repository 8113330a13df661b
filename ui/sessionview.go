package ui

import (
	"strconv"
	"strings"
)

// sessionView is the `:session` screen: the header's facts in full, with the token's expiry
// as a clock time as well as a countdown.
func sessionView(c *Common, st SessionState, has bool, w, h int) string {
	s := c.Styles
	lines := []string{fit(s.Title.Render("SESSION"), w)}
	if !has {
		lines = append(lines, fit(s.Dim.Render("no session: the UI was started without one (tests, demo without auth)"), w))
	} else {
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
		token := "does not expire (access key or no auth)"
		if st.Expires {
			now := c.Now()
			token = countdownView(s, st, now) + s.Dim.Render("  (expires "+st.ExpiresAt.Format("2006-01-02 15:04:05 MST")+")")
		}
		rows := [][2]string{
			{"profile", s.profileStyle(st.Color).Render(printable(st.Profile))},
			{"endpoint", printable(st.Addr)},
			{"identity", printable(st.Identity)},
			{"object ID", printable(st.ObjectID)},
			{"database", strconv.Itoa(st.DB)},
			{"mode", mode},
			{"TLS", tls},
			{"token", token},
		}
		for _, r := range rows {
			lines = append(lines, fit("  "+s.Dim.Render(fit(r[0], 10))+"  "+r[1], w))
		}
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines[:min(len(lines), h)], "\n")
}
