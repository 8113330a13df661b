package cli

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDemoDecodedValuesInTmux runs the real binary's `amr-tui demo` in tmux and opens the
// seeded gzip JSON string and the .NET IDistributedCache entry: both are shown decoded, with
// the badge saying what was found.
func TestDemoDecodedValuesInTmux(t *testing.T) {
	tmuxPath(t)
	bin := buildTUIBinary(t)
	r := startTmux(t, []string{"AMR_TUI_CONFIG=" + filepath.Join(t.TempDir(), "unused.toml")}, bin, "demo", "--keys", "200")
	r.waitFor("the key list", 90*time.Second, func(s string) bool {
		return strings.Contains(s, "KEY") && strings.Contains(s, "loaded 2")
	})

	r.send(false, ":open cache:report:2026-q4:gz")
	r.send(true, "Enter")
	s := r.waitFor("the gzip JSON decoded", 60*time.Second, func(s string) bool {
		return strings.Contains(s, "gzip → JSON (auto)") && strings.Contains(s, `"quarter": "2026-Q4"`) &&
			strings.Contains(s, `"city": "amsterdam"`)
	})
	r.send(true, "Escape")
	time.Sleep(500 * time.Millisecond) // ESC then ":" at once reads as Alt+:
	r.send(false, ":open aspnet:cache:WeatherForecast:today")
	r.send(true, "Enter")
	s = r.waitFor("the .NET cache entry decoded", 60*time.Second, func(s string) bool {
		return strings.Contains(s, ".NET cache entry · JSON (auto)") && strings.Contains(s, `"summary": "Bracing"`)
	})
	for _, want := range []string{"written by Microsoft.Extensions.Caching.StackExchangeRedis",
		"absolute expiration: 2030-01-01 00:00:00.0000000 UTC", "sliding expiration: 24h after each read"} {
		if !strings.Contains(s, want) {
			t.Errorf("%q not on screen:\n%s", want, s)
		}
	}
	r.quit()
	if rc := r.exitStatus(30 * time.Second); rc != 0 {
		t.Fatalf("amr-tui demo exited with %d", rc)
	}
}
