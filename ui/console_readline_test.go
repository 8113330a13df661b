package ui

import (
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/amr-tui/amr-tui/rediscli"
)

// alt is an alt+letter key press.
func alt(r rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: r, Mod: tea.ModAlt} }

// The console's line editor has readline's keys: ctrl+a/ctrl+e and home/end move to the ends,
// alt+b/alt+f by words, ctrl+w deletes the word before the cursor, ctrl+k to the end, ctrl+u
// to the start.
func TestConsoleReadlineKeys(t *testing.T) {
	a, fc := consoleApp(t, devSession())
	typeText(t, a, "SET alpha beta")
	in := func() (string, int) { return a.console.In.Value(), a.console.In.Position() }
	check := func(step, val string, pos int) {
		t.Helper()
		if v, p := in(); v != val || p != pos {
			t.Fatalf("%s: line %q cursor %d, want %q at %d", step, v, p, val, pos)
		}
	}
	press(t, a, "ctrl+a")
	check("ctrl+a", "SET alpha beta", 0)
	press(t, a, "ctrl+e")
	check("ctrl+e", "SET alpha beta", 14)
	press(t, a, "home")
	check("home", "SET alpha beta", 0)
	press(t, a, "end")
	check("end", "SET alpha beta", 14)
	drain(t, a, updateCmd(a, alt('b')))
	check("alt+b", "SET alpha beta", 10)
	drain(t, a, updateCmd(a, alt('b')))
	check("alt+b twice", "SET alpha beta", 4)
	drain(t, a, updateCmd(a, alt('f')))
	check("alt+f", "SET alpha beta", 9)
	press(t, a, "ctrl+k")
	check("ctrl+k", "SET alpha", 9)
	press(t, a, "ctrl+w")
	check("ctrl+w", "SET ", 4)
	typeText(t, a, "greeting hello")
	press(t, a, "ctrl+a", "right", "right", "right", "right", "ctrl+u")
	check("ctrl+u", "greeting hello", 0)
	press(t, a, "ctrl+a")
	typeText(t, a, "SET ")
	press(t, a, "enter")
	if got := fc.SentLines(); !slices.Equal(got, []string{"SET greeting hello"}) {
		t.Fatalf("sent %q", got)
	}
}

func updateCmd(a *App, msg tea.Msg) tea.Cmd {
	_, cmd := a.Update(msg)
	return cmd
}

// ctrl+c clears a typed line, and on an empty line it neither quits nor leaves: it says how to
// leave. esc and quit go back to the key list.
func TestConsoleCtrlCNeverQuits(t *testing.T) {
	a, _ := consoleApp(t, devSession())
	typeText(t, a, "GET user")
	for i := range 3 {
		cmd := updateCmd(a, keyMsg("ctrl+c"))
		if cmd != nil {
			if _, quit := cmd().(tea.QuitMsg); quit {
				t.Fatalf("ctrl+c %d quit the application", i+1)
			}
		}
		if a.screen != screenConsole || a.console.In.Value() != "" {
			t.Fatalf("ctrl+c %d: screen %v, line %q", i+1, a.screen, a.console.In.Value())
		}
	}
	if !strings.Contains(a.c.FlashMsg.Text, "esc or quit goes back, :q leaves amr-tui") {
		t.Fatalf("flash %q", a.c.FlashMsg.Text)
	}
	runLine(t, a, "quit")
	if a.screen != screenKeys {
		t.Fatalf("quit: screen %v", a.screen)
	}
}

// While SUBSCRIBE streams, what is typed is refused visibly (a flash), never kept hidden and
// glued to the next command; a paste is refused the same way.
func TestConsoleTypingDuringStreamRefused(t *testing.T) {
	a, fc := consoleApp(t, devSession())
	fc.NextStream = []rediscli.Reply{rediscli.Array(rediscli.Bulk("subscribe"), rediscli.Bulk("news"), rediscli.Integer(1))}
	runLine(t, a, "SUBSCRIBE news")
	if a.console.Stream == nil {
		t.Fatal("no stream")
	}
	typeText(t, a, "GET greeting")
	press(t, a, "enter")
	if a.console.In.Value() != "" || len(a.console.Queue) != 0 {
		t.Fatalf("typed during the stream: line %q queue %q", a.console.In.Value(), a.console.Queue)
	}
	if !strings.Contains(a.c.FlashMsg.Text, "SUBSCRIBE is streaming: nothing typed is kept") {
		t.Fatalf("flash %q", a.c.FlashMsg.Text)
	}
	drain(t, a, updateCmd(a, tea.PasteMsg{Content: "GET a\nGET b\n"}))
	if a.console.In.Value() != "" || a.console.PasteAsk != nil || !strings.Contains(a.c.FlashMsg.Text, "nothing was pasted") {
		t.Fatalf("paste during the stream: line %q, flash %q", a.console.In.Value(), a.c.FlashMsg.Text)
	}
	press(t, a, "ctrl+c")
	runLine(t, a, "GET user:1:name")
	if got := fc.SentLines(); !slices.Equal(got, []string{"SUBSCRIBE news", "GET user:1:name"}) {
		t.Fatalf("sent %q", got)
	}
}

// A pasted block of several commands is shown and asked about: n runs none, y runs all in
// order, s stops at the first error and says how many were not run.
func TestConsolePasteBlock(t *testing.T) {
	block := "GET user:1:name\nBOGUS\n\nINCR visits\nGET missing\n"
	t.Run("n", func(t *testing.T) {
		a, fc := consoleApp(t, devSession())
		drain(t, a, updateCmd(a, tea.PasteMsg{Content: block}))
		if a.console.PasteAsk == nil || !strings.Contains(a.Render(), "Run the 4 pasted commands above in order?") {
			t.Fatalf("no question:\n%s", a.Render())
		}
		press(t, a, "n")
		if len(fc.SentLines()) != 0 || !strings.Contains(consoleText(a), "cancelled: 4 pasted commands not run") {
			t.Fatalf("sent %q\n%s", fc.SentLines(), consoleText(a))
		}
	})
	t.Run("y", func(t *testing.T) {
		a, fc := consoleApp(t, devSession())
		drain(t, a, updateCmd(a, tea.PasteMsg{Content: block}))
		press(t, a, "y")
		if got := fc.SentLines(); !slices.Equal(got, []string{"GET user:1:name", "BOGUS", "INCR visits", "GET missing"}) {
			t.Fatalf("sent %q", got)
		}
	})
	t.Run("s", func(t *testing.T) {
		a, fc := consoleApp(t, devSession())
		drain(t, a, updateCmd(a, tea.PasteMsg{Content: block}))
		press(t, a, "s")
		if got := fc.SentLines(); !slices.Equal(got, []string{"GET user:1:name", "BOGUS"}) {
			t.Fatalf("sent %q", got)
		}
		if !strings.HasSuffix(consoleText(a), "stopped at the first error: 2 commands not run\n") {
			t.Fatalf("scrollback:\n%s", consoleText(a))
		}
		// The next block is not affected by the first one's choice.
		drain(t, a, updateCmd(a, tea.PasteMsg{Content: "BOGUS\nGET missing\n"}))
		press(t, a, "y")
		if got := fc.SentLines(); len(got) != 4 || got[3] != "GET missing" {
			t.Fatalf("sent %q", got)
		}
	})
	t.Run("stop at a cancelled confirmation", func(t *testing.T) {
		a, fc := consoleApp(t, devSession())
		drain(t, a, updateCmd(a, tea.PasteMsg{Content: "FLUSHDB\nGET missing\n"}))
		press(t, a, "s")
		if a.console.Confirm == nil {
			t.Fatal("FLUSHDB in a block did not ask for the profile name")
		}
		press(t, a, "esc")
		if len(fc.SentLines()) != 0 || !strings.Contains(consoleText(a), "1 command not run") {
			t.Fatalf("sent %q\n%s", fc.SentLines(), consoleText(a))
		}
	})
	t.Run("secrets redacted in the preview", func(t *testing.T) {
		a, _ := consoleApp(t, devSession())
		drain(t, a, updateCmd(a, tea.PasteMsg{Content: "AUTH default s3cret\nPING\n"}))
		if r := a.Render(); strings.Contains(r, "s3cret") || !strings.Contains(r, "AUTH") {
			t.Fatalf("preview:\n%s", r)
		}
		press(t, a, "n")
	})
}

// The dangerous-command question names the console's own database (its SELECT), and the
// header shows that database while the console is on screen.
func TestConsoleConfirmNamesConsoleDB(t *testing.T) {
	a, fc := consoleApp(t, devSession())
	runLine(t, a, "SELECT 2")
	if !strings.Contains(a.Render(), "db 2") || !strings.Contains(a.Render(), "127.0.0.1:6379[2]>") {
		t.Fatalf("header and prompt disagree:\n%s", a.Render())
	}
	runLine(t, a, "FLUSHDB")
	if !strings.Contains(a.Render(), "Type dev to run FLUSHDB on db 2 of 127.0.0.1:6379") {
		t.Fatalf("question:\n%s", a.Render())
	}
	runLine(t, a, "hunter2")
	if strings.Contains(consoleText(a), "hunter2") || slices.Contains(fc.SentLines(), "FLUSHDB") {
		t.Fatalf("answer echoed or FLUSHDB sent:\n%s", consoleText(a))
	}
	runLine(t, a, "FLUSHALL")
	if !strings.Contains(a.Render(), "to run FLUSHALL on every database of 127.0.0.1:6379") {
		t.Fatalf("question:\n%s", a.Render())
	}
	press(t, a, "esc")
	press(t, a, "esc")
	if a.screen != screenKeys || !strings.Contains(a.Render(), "db 0") {
		t.Fatalf("back on the key list, the header shows the browser's db:\n%s", a.Render())
	}
}

// The profile's name may be pasted as the answer to the dangerous-command question; a
// multi-line paste there is refused.
func TestConsoleConfirmTakesPastedName(t *testing.T) {
	a, fc := consoleApp(t, devSession())
	runLine(t, a, "FLUSHDB")
	drain(t, a, updateCmd(a, tea.PasteMsg{Content: "dev\nFLUSHALL"}))
	if a.console.In.Value() != "" || !strings.Contains(a.c.FlashMsg.Text, "nothing was pasted") {
		t.Fatalf("multi-line paste into the question: %q, flash %q", a.console.In.Value(), a.c.FlashMsg.Text)
	}
	drain(t, a, updateCmd(a, tea.PasteMsg{Content: "dev"}))
	press(t, a, "enter")
	if got := fc.SentLines(); !slices.Equal(got, []string{"FLUSHDB"}) {
		t.Fatalf("sent %q", got)
	}
}
