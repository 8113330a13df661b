package cli

import (
	"bytes"
	"strings"
	"testing"
)

// runReleaseCLI runs the real command tree with args and returns stdout.
func runReleaseCLI(t *testing.T, args ...string) string {
	t.Helper()
	root := newRootCmd()
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs(args)
	if err := root.Execute(); err != nil {
		t.Fatalf("amr-tui %s: %v\n%s", strings.Join(args, " "), err, errOut.String())
	}
	return out.String()
}

// TestCompletionScripts: `amr-tui completion SHELL` prints a script for each shell the
// release archives and packages ship, and each names the program and its subcommands' hook.
func TestCompletionScripts(t *testing.T) {
	marks := map[string]string{
		"bash":       "__start_amr-tui",
		"zsh":        "#compdef amr-tui",
		"fish":       "complete -c amr-tui",
		"powershell": "Register-ArgumentCompleter",
	}
	for shell, mark := range marks {
		t.Run(shell, func(t *testing.T) {
			out := runReleaseCLI(t, "completion", shell)
			if !strings.Contains(out, mark) {
				t.Fatalf("completion %s: %q not in the %d-byte script:\n%.400s", shell, mark, len(out), out)
			}
		})
	}
}

// TestCompletionSuggestsSubcommands asks cobra's completion engine what the shells would ask.
func TestCompletionSuggestsSubcommands(t *testing.T) {
	out := runReleaseCLI(t, "__complete", "")
	for _, sub := range []string{"demo", "exec", "profiles", "completion"} {
		if !strings.Contains(out, sub) {
			t.Errorf("%q not suggested:\n%s", sub, out)
		}
	}
	if strings.Contains(out, "\nman") || strings.HasPrefix(out, "man") {
		t.Errorf("the hidden man command is suggested:\n%s", out)
	}
}
