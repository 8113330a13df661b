package ui

import (
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"

	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// clock is a settable test clock.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

func (c *clock) advance(d time.Duration) { c.now = c.now.Add(d) }

// testApp builds an App over store with a fixed clock, no colour and the given size.
func testApp(t testing.TB, store common.Store, sess common.Session, w, h int, opts ...func(*Options)) (*App, *clock) {
	t.Helper()
	clk := &clock{now: uitest.T0}
	o := Options{Store: store, Now: clk.Now, NoColor: true, TickInterval: time.Millisecond, noScanAhead: true}
	if sess != nil {
		o.Session = sess
	}
	for _, f := range opts {
		f(&o)
	}
	a := New(o)
	a.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return a, clk
}

// drain runs cmd and every command that follows from it synchronously, feeding each message
// back into Update, the way the Bubble Tea loop would. Tick messages are dropped (the
// countdown is tested separately) so a test never loops forever; steps are bounded.
func drain(t testing.TB, a *App, cmd tea.Cmd) {
	t.Helper()
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 200_000 {
			t.Fatal("drain: too many steps (a command loop?)")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg, ok := runCmd(a, c)
		if !ok {
			continue // blocking (a session listener): parked, delivered by deliver()
		}
		switch m := msg.(type) {
		case nil, tickMsg, tea.QuitMsg:
			continue
		case tea.BatchMsg:
			queue = append(queue, m...)
			continue
		}
		_, next := a.Update(msg)
		queue = append(queue, next)
	}
}

// runCmd runs c, giving up after a short wait: the only commands that block are listeners
// (the session updates channel), which the test feeds explicitly.
func runCmd(a *App, c tea.Cmd) (tea.Msg, bool) {
	done := make(chan tea.Msg, 1)
	go func() { done <- c() }()
	select {
	case m := <-done:
		return m, true
	case <-time.After(300 * time.Millisecond):
		if a != nil {
			parkedMu.Lock()
			parked[a] = append(parked[a], done)
			parkedMu.Unlock()
		}
		return nil, false
	}
}

var (
	parkedMu sync.Mutex
	parked   = map[*App][]chan tea.Msg{} // results of commands still blocked, per App
)

// deliver waits for one parked command (a session listener) to return and feeds its message
// through Update and drain.
func deliver(t testing.TB, a *App) {
	t.Helper()
	deliverWithin(t, a, 2*time.Second)
}

// deliverWithin is deliver with a deadline of its own: drain parks any command slower than
// runCmd's short wait, and a real one (G walking 500 HSCAN pages under -race on a busy CI
// machine) can take seconds.
func deliverWithin(t testing.TB, a *App, d time.Duration) {
	t.Helper()
	parkedMu.Lock()
	chans := parked[a]
	parkedMu.Unlock()
	deadline := time.After(d)
	for {
		for i, ch := range chans {
			select {
			case m := <-ch:
				parkedMu.Lock()
				parked[a] = append(parked[a][:i:i], parked[a][i+1:]...)
				parkedMu.Unlock()
				_, next := a.Update(m)
				drain(t, a, next)
				return
			default:
			}
		}
		select {
		case <-deadline:
			t.Fatal("deliver: no parked command returned")
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// settleViewer delivers the viewer's read or decode when drain parked it: drain gives up on a
// command after runCmd's short wait, and a decode under -race on a busy CI machine (LZ4 → JSON
// in TestViewerShowsDecoderCorpus) can take longer.
func settleViewer(t testing.TB, a *App) {
	t.Helper()
	settleUntil(t, a, func() bool { return !a.viewer.Busy() })
}

// settleUntil delivers the commands drain parked until done holds (see settleViewer).
func settleUntil(t testing.TB, a *App, done func() bool) {
	t.Helper()
	for !done() {
		deliverWithin(t, a, 10*time.Second)
	}
}

// press sends key presses (by their String form: "j", "enter", "ctrl+c", "/") and drains.
func press(t testing.TB, a *App, keys ...string) {
	t.Helper()
	for _, k := range keys {
		_, cmd := a.Update(keyMsg(k))
		drain(t, a, cmd)
	}
}

// typeText types literal text and drains after each rune.
func typeText(t testing.TB, a *App, s string) {
	t.Helper()
	for _, r := range s {
		_, cmd := a.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
		drain(t, a, cmd)
	}
}

func keyMsg(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "pgup":
		return tea.KeyPressMsg{Code: tea.KeyPgUp}
	case "home":
		return tea.KeyPressMsg{Code: tea.KeyHome}
	case "end":
		return tea.KeyPressMsg{Code: tea.KeyEnd}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	case "ctrl+r":
		return tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "left":
		return tea.KeyPressMsg{Code: tea.KeyLeft}
	case "right":
		return tea.KeyPressMsg{Code: tea.KeyRight}
	}
	if rest, ok := strings.CutPrefix(k, "ctrl+"); ok && len(rest) == 1 {
		return tea.KeyPressMsg{Code: rune(rest[0]), Mod: tea.ModCtrl}
	}
	r := []rune(k)[0]
	return tea.KeyPressMsg{Code: r, Text: k}
}

// start runs Init and drains it.
func start(t testing.TB, a *App) {
	t.Helper()
	drain(t, a, a.Init())
}
