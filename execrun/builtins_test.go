package execrun

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/amr-tui/amr-tui/rediscli"
)

// TestBuiltins runs redis-cli's own commands, which never reach a connection (the Runner has
// none): their output and messages are redis-cli's, and only connect HOST PORT fails the run.
func TestBuiltins(t *testing.T) {
	var out, errOut bytes.Buffer
	r := Runner{Mode: rediscli.ModeRaw, Out: &out, ErrOut: &errOut, FromStdin: true}
	script := ":set hints\n:SET NOHINTS\n:set foo\n:bar x\n:set\nclear\nrestart\nhelp get\n?\n"
	if err := r.Script(context.Background(), strings.NewReader(script)); err != nil {
		t.Fatal(err)
	}
	want := "unknown redis-cli preference 'foo'\nunknown redis-cli internal command ':bar'\n" +
		"unknown redis-cli internal command ':set'\n\x1b[H\x1b[2JUse 'restart' only in Lua debugging mode.\n" +
		"\n  GET key\n  summary: Get the value of a key\n\n" + scriptHelp
	if got := out.String(); got != want || r.Failed() || errOut.Len() != 0 {
		t.Errorf("stdout %q (failed %v, stderr %q)\nwant %q", got, r.Failed(), errOut.String(), want)
	}

	out.Reset()
	if err := r.Script(context.Background(), strings.NewReader("clear\nconnect 10.0.0.1 6380\n")); err != nil {
		t.Fatal(err)
	}
	if out.String() != "\x1b[H\x1b[2J" || !r.Failed() || errOut.String() != "amr-tui: line 11: CONNECT: not run: exec's connection comes from the profile (its login, TLS and address); run exec with another -p to reach another server\n" {
		t.Errorf("connect: stdout %q, failed %v, stderr %q", out.String(), r.Failed(), errOut.String())
	}
}
