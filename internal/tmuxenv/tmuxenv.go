// Package tmuxenv hides $TMUX from package initializers and gives it back when main starts.
//
// lipgloss v2's package initializer builds its default writer with colorprofile.Detect, which
// on a terminal inside tmux runs `tmux info` and waits for it: a fork, an exec and a round trip
// to the tmux server (10–30 ms, more on a busy machine) before main even starts, in every
// amr-tui command. amr-tui never uses that writer (the UI's profile comes from ui.Run), so
// the variable is unset while initializers run and restored by Restore, which cli.Main calls
// first. Go initializes packages in import-path order among those whose imports are ready
// (Go 1.21 spec), and this package needs only os and sync, so its init runs before
// github.com/charmbracelet/colorprofile's and therefore before lipgloss's.
package tmuxenv

import (
	"os"
	"sync"
)

var (
	value   string
	present bool
	once    sync.Once
)

func init() {
	value, present = os.LookupEnv("TMUX")
	if present {
		os.Unsetenv("TMUX")
	}
}

// Restore puts $TMUX back as the process got it, so child processes ($EDITOR, shells) and
// later detection see it. Safe to call more than once.
func Restore() {
	once.Do(func() {
		if present {
			os.Setenv("TMUX", value)
		}
	})
}

// Value is $TMUX as the process got it, whether or not Restore has run.
func Value() (string, bool) { return value, present }
