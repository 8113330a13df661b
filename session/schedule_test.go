package session

import (
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/auth"
)

func TestRefreshAt(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	def := Config{}.withDefaults()
	tok := func(life time.Duration) auth.Token {
		return auth.Token{Value: "x", ReceivedAt: now, ExpiresOn: now.Add(life)}
	}
	for _, tc := range []struct {
		name string
		tok  auth.Token
		u    float64
		want time.Time
	}{
		{"75 min user token: 70 % of the lifetime", tok(75 * time.Minute), 0, now.Add(52*time.Minute + 30*time.Second)},
		{"10 min token: expiry − 4 min (bound scaled to 40 %)", tok(10 * time.Minute), 0, now.Add(6 * time.Minute)},
		{"24 h managed identity: 70 %", tok(24 * time.Hour), 0, now.Add(time.Duration(0.7 * float64(24*time.Hour)))},
		{"4 s test token: 60 % (the scaled bound)", tok(4 * time.Second), 0, now.Add(2400 * time.Millisecond)},
		{"refresh-on earlier wins", auth.Token{Value: "x", ReceivedAt: now, ExpiresOn: now.Add(time.Hour), RefreshOn: now.Add(30 * time.Minute)}, 0, now.Add(30 * time.Minute)},
		{"refresh-on later is ignored", auth.Token{Value: "x", ReceivedAt: now, ExpiresOn: now.Add(time.Hour), RefreshOn: now.Add(59 * time.Minute)}, 0, now.Add(42 * time.Minute)},
		{"full jitter moves it earlier by 10 % of the wait", tok(100 * time.Second), 0.9999999, now.Add(54 * time.Second)},
		{"expired token: now", auth.Token{Value: "x", ReceivedAt: now.Add(-2 * time.Hour), ExpiresOn: now.Add(-time.Hour)}, 0, now},
		{"received in the future is clamped to now", auth.Token{Value: "x", ReceivedAt: now.Add(time.Hour), ExpiresOn: now.Add(100 * time.Second)}, 0, now.Add(60 * time.Second)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts, _ := scaled(def.Token, def.Retry, lifetimeOf(tc.tok, now))
			got := refreshAt(tc.tok, now, ts, tc.u)
			if d := got.Sub(tc.want); d < -time.Millisecond || d > time.Millisecond {
				t.Fatalf("refreshAt = now+%v, want now+%v", got.Sub(now), tc.want.Sub(now))
			}
		})
	}
}

// AMR's rule: the new AUTH must land at least 3 minutes before expiry. For every realistic
// lifetime the default schedule leaves more than that, even with full jitter.
func TestRefreshLeavesThreeMinutesForRealTokens(t *testing.T) {
	now := time.Now()
	def := Config{}.withDefaults()
	for _, life := range []time.Duration{8 * time.Minute, 15 * time.Minute, 60 * time.Minute, 75 * time.Minute, 90 * time.Minute, 24 * time.Hour} {
		tok := auth.Token{Value: "x", ReceivedAt: now, ExpiresOn: now.Add(life)}
		ts, _ := scaled(def.Token, def.Retry, life)
		for _, u := range []float64{0, 0.5, 0.999} {
			if left := tok.ExpiresOn.Sub(refreshAt(tok, now, ts, u)); left < 3*time.Minute {
				t.Errorf("lifetime %v, jitter %v: refresh leaves %v before expiry", life, u, left)
			}
		}
	}
}

func TestRetryDelay(t *testing.T) {
	r := Config{}.withDefaults().Retry
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 30 * time.Second, 30 * time.Second}
	for i, w := range want {
		if got := retryDelay(i+1, r, 0); got != w {
			t.Errorf("failure %d: delay %v, want %v", i+1, got, w)
		}
	}
	if got := retryDelay(3, r, 0.9999999); got < 3200*time.Millisecond-time.Millisecond || got > 4*time.Second {
		t.Errorf("jittered third delay %v, want within [3.2 s, 4 s]", got)
	}
	if got := retryDelay(1<<20, r, 0); got != r.MaxDelay {
		t.Errorf("huge failure count: %v, want the cap %v", got, r.MaxDelay)
	}
	_, rs := scaled(Config{}.withDefaults().Token, r, 4*time.Second)
	if rs.InitialDelay != 100*time.Millisecond || rs.MaxDelay != 400*time.Millisecond {
		t.Errorf("scaled for 4 s tokens: initial %v max %v, want 100ms and 400ms", rs.InitialDelay, rs.MaxDelay)
	}
}

func TestConfigValidate(t *testing.T) {
	good := Config{Host: "cache.eastus.redis.azure.net", Port: 10000, TLS: true}.withDefaults()
	if err := good.validate(); err != nil {
		t.Fatalf("valid config rejected: %v", err)
	}
	if tc := good.TLSConfig(); tc.ServerName != good.Host || tc.MinVersion == 0 || tc.InsecureSkipVerify {
		t.Fatalf("TLS config %+v: want the host pinned, TLS 1.2+, verification on", tc)
	}
	bad := good
	bad.Port, bad.Protocol, bad.Token.RefreshRatio = 0, 4, 1.5
	err := bad.validate()
	if err == nil {
		t.Fatal("invalid config accepted")
	}
	for _, want := range []string{"port 0", "protocol 4", "refresh ratio 1.5"} {
		if !contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func contains(s, sub string) bool { return len(sub) == 0 || (len(s) >= len(sub) && index(s, sub) >= 0) }

func index(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}
