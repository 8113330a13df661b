package ui

import (
	"io"
	"os"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
)

// fastColorProfile is the terminal's color profile from the environment and terminfo only.
// Bubble Tea's own detection also runs `tmux info` inside tmux and waits for it before the
// first frame (10–30 ms, far more on a busy machine); tmuxColorProfile does that part after
// the first frame instead. It reports whether the tmux part can still raise the profile.
func fastColorProfile(out io.Writer, env []string) (colorprofile.Profile, bool) {
	var without []string
	inTmux := false
	for _, e := range env {
		if strings.HasPrefix(e, "TMUX=") {
			inTmux = len(e) > len("TMUX=")
			continue
		}
		without = append(without, e)
	}
	p := colorprofile.Detect(out, without)
	// NoTTY and Ascii (NO_COLOR) stay as they are; TrueColor cannot go higher.
	return p, inTmux && p > colorprofile.Ascii && p < colorprofile.TrueColor
}

// tmuxColorProfile asks tmux whether it passes true color through (`tmux info`: Tc or RGB)
// and sends the higher profile to the program when it does; the next frame uses it.
func tmuxColorProfile(p *tea.Program, fast colorprofile.Profile, env []string) {
	if colorprofile.Tmux(env) > fast {
		p.Send(tea.ColorProfileMsg{Profile: colorprofile.TrueColor})
	}
}

// outputFor is where Bubble Tea writes: out, else the process's standard output.
func outputFor(out io.Writer) io.Writer {
	if out != nil {
		return out
	}
	return os.Stdout
}
