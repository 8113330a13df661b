package cli

import (
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/rediscli"
)

// TestExecOutputModeAndPushes checks redis-cli's rules for the output format (--no-raw on a
// terminal, raw elsewhere, a flag choosing) and for --show-pushes (on a terminal by default;
// read by its first letter).
func TestExecOutputModeAndPushes(t *testing.T) {
	for _, c := range []struct {
		f    execFlags
		tty  bool
		want rediscli.Mode
	}{
		{execFlags{}, true, rediscli.ModeTTY},
		{execFlags{}, false, rediscli.ModeRaw},
		{execFlags{noRaw: true}, false, rediscli.ModeTTY},
		{execFlags{raw: true}, true, rediscli.ModeRaw},
		{execFlags{json: true}, true, rediscli.ModeJSON},
		{execFlags{json: true}, false, rediscli.ModeJSON},
	} {
		if got := c.f.mode(c.tty); got != c.want {
			t.Errorf("%+v on a terminal %v: mode %v, want %v", c.f, c.tty, got, c.want)
		}
	}
	for _, c := range []struct {
		value string
		tty   bool
		want  bool
		err   bool
	}{
		{"", true, true, false}, {"", false, false, false},
		{"y", false, true, false}, {"YES", false, true, false}, {"yep", false, true, false},
		{"n", true, false, false}, {"No", true, false, false},
		{"maybe", true, false, true}, {"1", false, false, true},
	} {
		got, err := execFlags{pushes: c.value}.showPushes(c.tty)
		if got != c.want || (err != nil) != c.err {
			t.Errorf("--show-pushes %q on a terminal %v: %v, %v; want %v (error %v)", c.value, c.tty, got, err, c.want, c.err)
		}
	}
}

// TestExecModeFlagsExclusive checks that --raw, --no-raw and --json refuse each other before
// anything connects (redis-cli takes the last one; exec says which clash).
func TestExecModeFlagsExclusive(t *testing.T) {
	config := execWriteProfiles(t, execPlainProfile(t, "local", "127.0.0.1:1"))
	ctx := execCtx(t, 10*time.Second)
	for _, pair := range [][2]string{{"--raw", "--no-raw"}, {"--no-raw", "--json"}, {"--raw", "--json"}} {
		got := runExecCLI(t, ctx, config, "", "-p", "local", pair[0], pair[1], "--", "PING")
		if got.err == nil || got.stdout != "" {
			t.Errorf("%s %s: %q, %v; want a flag error", pair[0], pair[1], got.stdout, got.err)
		}
	}
}
