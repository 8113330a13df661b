package console

import (
	"strings"
	"testing"

	"github.com/amr-tui/amr-tui/rediscli"
)

// The argument hint shown after the cursor follows the command table: what is still to be
// typed, nothing past the last argument or for an unknown command or an unbalanced quote.
func TestConsoleHints(t *testing.T) {
	table := embeddedTable()
	for line, want := range map[string]string{
		"GET":              " key",
		"GET ":             "key",
		"GET k ":           "",
		"SET ":             "key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]",
		"SET k v ":         "[NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]",
		"config set ":      "parameter value [parameter value ...]",
		"CONFIG":           "",
		"nosuch ":          "",
		`GET "unbalanced `: "",
	} {
		if got := hint(table, line); got != want {
			t.Errorf("hint(%q) = %q, want %q", line, got, want)
		}
	}
}

// FuzzConsoleLine: whatever is typed, hints, completion and redaction neither panic nor
// leave a secret in what is recorded.
func FuzzConsoleLine(f *testing.F) {
	for _, s := range []string{"", "GET k", "SET k v EX 10", `"a\x`, "config set ", "AUTH u p", "ACL SETUSER u >p", "[[[", "hget"} {
		f.Add(s)
	}
	table := embeddedTable()
	f.Fuzz(func(t *testing.T, line string) {
		_ = hint(table, line)
		_, _ = completions(table, line)
		_ = hintItems(line)
		_ = redactUnparsed(line)
		args, err := rediscli.SplitArgs(line)
		if err != nil || len(args) < 2 || !strings.EqualFold(args[0], "auth") {
			return
		}
		red, _ := rediscli.Redact(args)
		if red[len(red)-1] != rediscli.Redacted {
			t.Fatalf("AUTH password kept: %q", red)
		}
	})
}

// A line SplitArgs refuses is echoed, so a command that may carry a secret must show its name
// only, however its name is quoted.
func TestRedactUnparsedHidesSecrets(t *testing.T) {
	for _, line := range []string{
		`AUTH s3cret "`,
		`"AUTH" "s3cret`,
		`'auth' alice s3cret"`,
		`"AUTH"s3cret "`,
		`  hello 3 auth alice s3cret '`,
		`"Config" set requirepass s3cret"`,
		`"\x41UTH" s3cret "`,
		`MIGRATE h 6379 "" 0 5000 AUTH s3cret "`,
	} {
		if _, err := rediscli.SplitArgs(line); err == nil {
			t.Fatalf("%q parses; the test needs a line SplitArgs refuses", line)
		}
		if got := redactUnparsed(line); strings.Contains(got, "s3cret") {
			t.Errorf("redactUnparsed(%q) = %q: the secret is shown", line, got)
		}
	}
	if got := redactUnparsed(`SET "unbalanced value`); got != `SET "unbalanced value` {
		t.Errorf("a line without secrets is echoed as typed, got %q", got)
	}
}
