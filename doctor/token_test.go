package doctor_test

import (
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/doctor"
)

// TestClockSkew checks both ways doctor finds a skewed clock, and that the normal cases (a
// cached token, Entra's backdated iat, a second of latency) raise nothing.
func TestClockSkew(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	tok := func(iat, exp, expiresOn time.Time) auth.Token {
		return auth.Token{ExpiresOn: expiresOn, Claims: auth.Claims{IssuedAt: iat, ExpiresAt: exp}}
	}
	for _, tc := range []struct {
		name string
		tok  auth.Token
		want time.Duration
	}{
		{"fresh", tok(now, now.Add(time.Hour), now.Add(time.Hour+time.Second)), 0},
		{"entra backdated iat", tok(now.Add(-5*time.Minute), now.Add(65*time.Minute), now.Add(65*time.Minute)), 0},
		{"cached an hour ago", tok(now.Add(-50*time.Minute), now.Add(10*time.Minute), now.Add(10*time.Minute)), 0},
		{"local clock behind: iat ahead", tok(now.Add(7*time.Minute), now.Add(67*time.Minute), now.Add(60*time.Minute)), -7 * time.Minute},
		{"local clock ahead: expiry from expires_in later than exp", tok(now.Add(-8*time.Minute), now.Add(52*time.Minute), now.Add(60*time.Minute)), 8 * time.Minute},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, how := doctor.ClockSkew(tc.tok, now)
			if got != tc.want || (how == "") != (tc.want == 0) {
				t.Fatalf("skew %v (%q), want %v", got, how, tc.want)
			}
		})
	}
}
