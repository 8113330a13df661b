package common

import (
	"strconv"
	"time"
)

// Countdown colour thresholds.
const (
	countdownWarn   = 5 * time.Minute
	countdownDanger = time.Minute
)

// CountdownView is the token state: mm:ss to expiry recomputed from ExpiresAt on every call,
// "refreshing…", "retrying in 8s" or "expired".
func CountdownView(s *Styles, st SessionState, now time.Time) string {
	if !st.Expires {
		return ""
	}
	left := st.ExpiresAt.Sub(now)
	switch {
	case st.Expired || left <= 0:
		return s.CountDanger.Render("token expired")
	case st.Refreshing:
		return s.CountWarn.Render("token " + MMSS(left) + " · refreshing…")
	case !st.RetryAt.IsZero() && st.RetryAt.After(now):
		in := st.RetryAt.Sub(now).Round(time.Second)
		return s.CountDanger.Render("token " + MMSS(left) + " · retrying in " + ShortDuration(in))
	}
	style := s.CountOK
	switch {
	case left < countdownDanger:
		style = s.CountDanger
	case left < countdownWarn:
		style = s.CountWarn
	}
	return style.Render("token " + MMSS(left))
}

// MMSS formats a duration as mm:ss (hh:mm:ss past an hour), rounding down.
func MMSS(d time.Duration) string {
	sec := int64(d / time.Second)
	if sec < 0 {
		sec = 0
	}
	if sec >= 3600 {
		return strconv.FormatInt(sec/3600, 10) + ":" + pad2(sec%3600/60) + ":" + pad2(sec%60)
	}
	return pad2(sec/60) + ":" + pad2(sec%60)
}
