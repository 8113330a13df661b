package ui

import (
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/console"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"

	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/amr-tui/amr-tui/rediscli"
)

func devSession() *uitest.FakeSession {
	return uitest.NewFakeSession(common.SessionState{Profile: "dev", Addr: "127.0.0.1:6379"})
}

// consoleApp opens the console on a fake console store.
func consoleApp(t *testing.T, sess *uitest.FakeSession, opts ...func(*Options)) (*App, *uitest.FakeConsole) {
	t.Helper()
	fc := uitest.DemoConsole()
	a, _ := testApp(t, uitest.ConsoleStore{FakeStore: demoStore(), Con: fc}, sess, 100, 24, opts...)
	start(t, a)
	press(t, a, ":")
	typeText(t, a, "console")
	press(t, a, "enter")
	if a.screen != screenConsole || a.console.Conn == nil {
		t.Fatalf("console not open: screen %v", a.screen)
	}
	return a, fc
}

func runLine(t *testing.T, a *App, line string) {
	t.Helper()
	typeText(t, a, line)
	press(t, a, "enter")
}

func consoleText(a *App) string {
	var b strings.Builder
	for _, l := range a.console.Lines {
		b.WriteString(l.Text + "\n")
	}
	return b.String()
}

func TestConsoleRepliesAsRedisCLI(t *testing.T) {
	a, fc := consoleApp(t, devSession())
	runLine(t, a, "GET user:1:name")
	runLine(t, a, "HGETALL user:1:profile")
	runLine(t, a, "GET missing")
	runLine(t, a, "SELECT 2")
	runLine(t, a, "GET user:1:name")
	want := `127.0.0.1:6379> GET user:1:name
"Ada Lovelace"
127.0.0.1:6379> HGETALL user:1:profile
1) "name"
2) "user 1"
3) "plan"
4) "pro"
127.0.0.1:6379> GET missing
(nil)
127.0.0.1:6379> SELECT 2
OK
127.0.0.1:6379[2]> GET user:1:name
"Ada Lovelace"
`
	if got := consoleText(a); got != want {
		t.Fatalf("scrollback:\n%s\nwant:\n%s", got, want)
	}
	if got := fc.SentLines(); len(got) != 5 {
		t.Fatalf("sent %q", got)
	}
}

func TestConsoleInvalidArguments(t *testing.T) {
	a, fc := consoleApp(t, devSession())
	runLine(t, a, `SET "unbalanced value`)
	if !strings.HasSuffix(consoleText(a), "Invalid argument(s)\n") {
		t.Fatalf("scrollback:\n%s", consoleText(a))
	}
	if len(fc.SentLines()) != 0 {
		t.Fatalf("sent %q", fc.SentLines())
	}
}

func TestConsoleReadOnlyRefusesWrites(t *testing.T) {
	a, fc := consoleApp(t, prodSession())
	for _, line := range []string{"SET greeting hello", "INCR visits", "config set maxmemory 1", "EVAL \"return 1\" 0", "JSON.SET k $ 1",
		"CONFIG REWRITE", "SAVE", "CLIENT PAUSE 100", "NOSUCHCMD x"} {
		runLine(t, a, line)
	}
	runLine(t, a, "GET user:1:name")
	if got := fc.SentLines(); !slices.Equal(got, []string{"GET user:1:name"}) {
		t.Fatalf("sent %q, want only the read", got)
	}
	text := consoleText(a)
	for _, want := range []string{"read-only and SET is flagged write", "read-only and INCR is flagged write", "read-only and CONFIG SET is not flagged readonly",
		"read-only and EVAL is not flagged readonly", "read-only and JSON.SET is not in the command table",
		"read-only and CONFIG REWRITE is not flagged readonly", "read-only and SAVE is not flagged readonly",
		"read-only and CLIENT PAUSE is not flagged readonly", "read-only and NOSUCHCMD is not in the command table"} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in\n%s", want, text)
		}
	}
}

// CLIENT REPLY OFF would leave the console waiting for ever: refused on every profile.
func TestConsoleRefusesClientReplyOff(t *testing.T) {
	a, fc := consoleApp(t, devSession())
	runLine(t, a, "CLIENT REPLY OFF")
	runLine(t, a, "client reply skip")
	runLine(t, a, "CLIENT REPLY ON")
	if got := fc.SentLines(); !slices.Equal(got, []string{"CLIENT REPLY ON"}) {
		t.Fatalf("sent %q, want only CLIENT REPLY ON", got)
	}
	if text := consoleText(a); strings.Count(text, "makes the server stop answering") != 2 {
		t.Errorf("no reason for both refusals in\n%s", text)
	}
}

func TestConsoleDangerousNeedsProfileName(t *testing.T) {
	for _, c := range []struct {
		typed string
		sent  bool
	}{{"dev", true}, {"prod", false}, {"", false}, {"DEV", false}} {
		t.Run(strconv.Quote(c.typed), func(t *testing.T) {
			a, fc := consoleApp(t, devSession())
			runLine(t, a, "FLUSHDB")
			if a.console.Confirm == nil || len(fc.SentLines()) != 0 {
				t.Fatalf("no confirmation asked, or sent early: %q", fc.SentLines())
			}
			if !strings.Contains(a.Render(), "Type dev to run FLUSHDB on db 0 of 127.0.0.1:6379") {
				t.Fatalf("question not shown:\n%s", a.Render())
			}
			runLine(t, a, c.typed)
			sent := slices.Contains(fc.SentLines(), "FLUSHDB")
			if sent != c.sent {
				t.Fatalf("typed %q: sent=%v, want %v", c.typed, sent, c.sent)
			}
			if !c.sent && !strings.Contains(consoleText(a), "cancelled: the name did not match; FLUSHDB was not sent") {
				t.Fatalf("no cancellation note:\n%s", consoleText(a))
			}
			if !c.sent && c.typed != "" && strings.Contains(consoleText(a), c.typed) {
				t.Fatalf("the mistyped answer %q was echoed:\n%s", c.typed, consoleText(a))
			}
			if c.sent && !strings.HasSuffix(consoleText(a), "OK\n") {
				t.Fatalf("no reply:\n%s", consoleText(a))
			}
		})
	}
	t.Run("esc", func(t *testing.T) {
		a, fc := consoleApp(t, devSession())
		runLine(t, a, "KEYS *")
		typeText(t, a, "de")
		press(t, a, "esc")
		if a.console.Confirm != nil || len(fc.SentLines()) != 0 || a.screen != screenConsole {
			t.Fatalf("esc: confirm %v, sent %q, screen %v", a.console.Confirm, fc.SentLines(), a.screen)
		}
	})
}

func TestConsoleStreamStopsOnCtrlC(t *testing.T) {
	a, fc := consoleApp(t, devSession())
	fc.NextStream = []rediscli.Reply{
		rediscli.Array(rediscli.Bulk("subscribe"), rediscli.Bulk("news"), rediscli.Integer(1)),
		rediscli.Array(rediscli.Bulk("message"), rediscli.Bulk("news"), rediscli.Bulk("hello")),
	}
	runLine(t, a, "SUBSCRIBE news")
	if a.console.Stream == nil {
		t.Fatal("no stream running")
	}
	if !strings.Contains(consoleText(a), "Reading messages... (press Ctrl-C to quit)\n1) \"subscribe\"\n2) \"news\"\n3) (integer) 1\n1) \"message\"\n2) \"news\"\n3) \"hello\"\n") {
		t.Fatalf("scrollback:\n%s", consoleText(a))
	}
	_, cmd := a.Update(keyMsg("ctrl+c"))
	if cmd != nil {
		if _, quit := cmd().(tea.QuitMsg); quit {
			t.Fatal("ctrl+c during a stream quit the application")
		}
	}
	if a.console.Stream != nil || a.console.Running != nil || a.screen != screenConsole {
		t.Fatal("stream still running after ctrl+c")
	}
	if !fc.Streams[0].Closed() {
		t.Fatal("stream not closed")
	}
	runLine(t, a, "GET user:1:name")
	if !strings.HasSuffix(consoleText(a), "\"Ada Lovelace\"\n") {
		t.Fatalf("prompt not back:\n%s", consoleText(a))
	}
	// ctrl+c on an empty prompt with nothing running does not quit: it says how to leave.
	_, cmd = a.Update(keyMsg("ctrl+c"))
	if cmd != nil {
		if _, quit := cmd().(tea.QuitMsg); quit {
			t.Fatal("ctrl+c on an empty prompt quit the application")
		}
	}
	if a.screen != screenConsole || !strings.Contains(a.c.FlashMsg.Text, ":q leaves amr-tui") {
		t.Fatalf("screen %v, flash %q", a.screen, a.c.FlashMsg.Text)
	}
}

// A command sent right after ctrl+c stopped a stream (typed fast, or pasted) waits until the
// stream's connection has closed instead of being refused because it still streams.
func TestConsoleCommandAfterCtrlCWaitsForTheStreamToClose(t *testing.T) {
	a, fc := consoleApp(t, devSession())
	fc.NextStream = []rediscli.Reply{rediscli.Array(rediscli.Bulk("subscribe"), rediscli.Bulk("news"), rediscli.Integer(1))}
	fc.RefuseWhileStreaming = true
	fc.CloseGate = make(chan struct{})
	runLine(t, a, "SUBSCRIBE news")
	if a.console.Stream == nil {
		t.Fatal("no stream running")
	}
	_, stop := a.Update(keyMsg("ctrl+c"))
	go runAll(stop) // the stream's Close, held by the gate
	typeText(t, a, "GET user:1:name")
	_, send := a.Update(keyMsg("enter"))
	replies := make(chan []tea.Msg, 1)
	go func() { replies <- runAll(send) }()
	select {
	case msgs := <-replies:
		t.Fatalf("the command ran while the stream was still closing: %v", msgs)
	case <-time.After(100 * time.Millisecond):
	}
	close(fc.CloseGate)
	for _, m := range <-replies {
		_, cmd := a.Update(m)
		drain(t, a, cmd)
	}
	if !strings.HasSuffix(consoleText(a), "\"Ada Lovelace\"\n") {
		t.Fatalf("after the stream closed:\n%s", consoleText(a))
	}
}

// runAll runs cmd, and each member of a batch it returns, and returns their messages.
func runAll(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	m := cmd()
	if b, ok := m.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range b {
			out = append(out, runAll(c)...)
		}
		return out
	}
	if m == nil {
		return nil
	}
	return []tea.Msg{m}
}

func TestConsoleHistoryFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "history", "dev.history")
	withHistory := func(o *Options) { o.HistoryPath = path }
	a, fc := consoleApp(t, devSession(), withHistory)
	runLine(t, a, "GET user:1:name")
	runLine(t, a, "AUTH alice s3cret")
	runLine(t, a, "GET missing")
	runLine(t, a, "GET missing")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := "GET user:1:name\nAUTH alice " + rediscli.Redacted + "\nGET missing\n"
	if string(data) != want {
		t.Fatalf("history file %q, want %q", data, want)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("history file mode %v", fi.Mode().Perm())
	}
	if strings.Contains(consoleText(a), "s3cret") {
		t.Fatal("the secret is shown in the scrollback")
	}

	// A new console loads it: ↑ walks back, and the redacted AUTH is not sent again.
	b, fc2 := consoleApp(t, devSession(), withHistory)
	press(t, b, "up")
	if v := b.console.In.Value(); v != "GET missing" {
		t.Fatalf("up: %q", v)
	}
	press(t, b, "up")
	press(t, b, "enter")
	if len(fc2.SentLines()) != 0 || !strings.Contains(consoleText(b), "type the secret again") {
		t.Fatalf("redacted line sent %q:\n%s", fc2.SentLines(), consoleText(b))
	}
	// The refused line is history's newest entry; ↑↑ then ↓ comes back to it.
	press(t, b, "up", "up", "down")
	if v := b.console.In.Value(); v != "AUTH alice "+rediscli.Redacted {
		t.Fatalf("up up down: %q", v)
	}
	_ = fc
}

func TestHistoryFileBounded(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h")
	var b strings.Builder
	for i := range console.HistoryLimit + console.HistorySlack + 50 {
		b.WriteString("GET k" + strconv.Itoa(i) + "\n")
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	h := &console.HistoryFile{Path: path}
	got, err := h.Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != console.HistoryLimit || got[len(got)-1] != "GET k"+strconv.Itoa(console.HistoryLimit+console.HistorySlack+49) {
		t.Fatalf("loaded %d, last %q", len(got), got[len(got)-1])
	}
	data, _ := os.ReadFile(path)
	if n := strings.Count(string(data), "\n"); n != console.HistoryLimit {
		t.Fatalf("file not rewritten to %d lines: %d", console.HistoryLimit, n)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("rewritten file mode %v", fi.Mode().Perm())
	}
}

func TestConsoleReverseSearch(t *testing.T) {
	a, fc := consoleApp(t, devSession())
	runLine(t, a, "GET user:1:name")
	runLine(t, a, "INCR visits")
	runLine(t, a, "GET missing")
	press(t, a, "ctrl+r")
	typeText(t, a, "GET")
	if !strings.Contains(a.Render(), "(reverse-i-search)`GET': GET missing") {
		t.Fatalf("search line:\n%s", a.Render())
	}
	press(t, a, "ctrl+r")
	if !strings.Contains(a.Render(), "(reverse-i-search)`GET': GET user:1:name") {
		t.Fatalf("older match:\n%s", a.Render())
	}
	press(t, a, "enter")
	if got := fc.SentLines(); got[len(got)-1] != "GET user:1:name" {
		t.Fatalf("enter ran %q", got)
	}
	press(t, a, "ctrl+r")
	typeText(t, a, "zzz")
	if !strings.Contains(a.Render(), "(failed reverse-i-search)`zzz'") {
		t.Fatalf("failed search:\n%s", a.Render())
	}
	press(t, a, "esc")
	if a.console.Search != nil || a.screen != screenConsole || a.console.In.Value() != "" {
		t.Fatal("esc did not cancel the search")
	}
}

func TestConsoleCompletionAndHints(t *testing.T) {
	a, _ := consoleApp(t, devSession())
	typeText(t, a, "hget")
	press(t, a, "tab")
	if v := a.console.In.Value(); v != "hget" {
		t.Fatalf("tab 1: %q", v)
	}
	press(t, a, "tab")
	if v := a.console.In.Value(); v != "hgetall" {
		t.Fatalf("tab 2: %q", v)
	}
	press(t, a, "tab")
	if v := a.console.In.Value(); v != "hget" {
		t.Fatalf("tab 3 (cycle): %q", v)
	}
	press(t, a, "ctrl+c")
	typeText(t, a, "CONFIG RE")
	press(t, a, "tab")
	if v := a.console.In.Value(); v != "CONFIG RESETSTAT" {
		t.Fatalf("subcommand: %q", v)
	}

}

// Lines entered while a command runs are run after it, in order, as redis-cli reads them.
func TestConsoleTypeAhead(t *testing.T) {
	a, fc := consoleApp(t, devSession())
	enter := func(line string) tea.Cmd {
		for _, r := range line {
			a.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
		}
		_, cmd := a.Update(keyMsg("enter"))
		return cmd
	}
	first := enter("GET user:1:name") // not run yet: the command is in flight
	enter("INCR visits")
	enter("GET missing")
	if len(a.console.Queue) != 2 {
		t.Fatalf("queue %q", a.console.Queue)
	}
	for _, r := range "PI" { // a line being typed stays while the queue drains
		a.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	drain(t, a, first)
	if got := fc.SentLines(); !slices.Equal(got, []string{"GET user:1:name", "INCR visits", "GET missing"}) {
		t.Fatalf("sent %q", got)
	}
	if !strings.HasSuffix(consoleText(a), "> GET missing\n(nil)\n") || a.console.In.Value() != "PI" {
		t.Fatalf("scrollback:\n%s\ninput %q", consoleText(a), a.console.In.Value())
	}
}

func TestConsolePaste(t *testing.T) {
	a, fc := consoleApp(t, devSession())
	_, cmd := a.Update(tea.PasteMsg{Content: "GET user:1:name\r\nGET missing\nINC"})
	drain(t, a, cmd)
	if len(fc.SentLines()) != 0 || a.console.PasteAsk == nil {
		t.Fatalf("a pasted block ran before it was confirmed: %q", fc.SentLines())
	}
	press(t, a, "y")
	if got := fc.SentLines(); !slices.Equal(got, []string{"GET user:1:name", "GET missing"}) {
		t.Fatalf("sent %q", got)
	}
	if v := a.console.In.Value(); v != "INC" {
		t.Fatalf("left on the prompt: %q", v)
	}
}

// The scrollback is bounded, long lines wrap, and the screen is always the terminal's height.
func TestConsoleScrollback(t *testing.T) {
	a, fc := consoleApp(t, devSession())
	fc.Replies["GET big"] = rediscli.Bulk(strings.Repeat("x", 250))
	runLine(t, a, "GET big")
	screen := a.Render()
	if n := strings.Count(screen, "\n") + 1; n != 24 {
		t.Fatalf("screen has %d rows", n)
	}
	if !strings.Contains(screen, `"`+strings.Repeat("x", 99)+"\n") || !strings.Contains(screen, strings.Repeat("x", 51)+`"`) {
		t.Fatalf("long reply not wrapped:\n%s", screen)
	}
	for i := range console.MaxLines + 5000 {
		a.console.Add(console.LineReply, "line "+strconv.Itoa(i))
	}
	if n := len(a.console.Lines); n > console.MaxLines {
		t.Fatalf("%d lines kept, bound %d", n, console.MaxLines)
	}
	last := "line " + strconv.Itoa(console.MaxLines+4999)
	if !strings.Contains(a.Render(), last) {
		t.Fatal("newest line not shown")
	}
	press(t, a, "pgup")
	if s := a.Render(); strings.Contains(s, last) || !strings.Contains(s, "line "+strconv.Itoa(console.MaxLines+4999-a.console.Rows()+1)) {
		t.Fatalf("pgup:\n%s", s)
	}
	press(t, a, "pgdown")
	if !strings.Contains(a.Render(), last) {
		t.Fatal("pgdown did not come back")
	}
	a.console.Add(console.LineReply, strings.Repeat("y", console.MaxLineBytes+10))
	if l := a.console.Lines[len(a.console.Lines)-1].Text; !strings.HasSuffix(l, "… (10 more bytes not shown)") {
		t.Fatalf("huge line kept as %d bytes", len(l))
	}
}

// A command abandoned with ctrl+c costs the connection (the session replaces it): the prompt
// goes back to the profile's database.
func TestConsoleInterruptResetsConnectionState(t *testing.T) {
	a, _ := consoleApp(t, devSession())
	runLine(t, a, "SELECT 2")
	if a.console.Db != 2 {
		t.Fatal("SELECT not followed")
	}
	typeText(t, a, "BLPOP q 0")
	_, cmd := a.Update(keyMsg("enter")) // the reply never comes: the Cmd is not run
	_ = cmd
	if a.console.Running == nil {
		t.Fatal("BLPOP not running")
	}
	press(t, a, "ctrl+c")
	if a.console.Running != nil || a.console.Db != 0 || !strings.Contains(consoleText(a), "interrupted: BLPOP was abandoned") {
		t.Fatalf("after ctrl+c: running %v, db %d\n%s", a.console.Running, a.console.Db, consoleText(a))
	}
	if !strings.HasPrefix(a.console.PromptText(), "127.0.0.1:6379> ") {
		t.Fatalf("prompt %q", a.console.PromptText())
	}
}

// INFO is printed raw, as redis-cli prints it; its CRLF line ends are line breaks on screen,
// not "\r" escapes.
func TestConsoleRawRepliesEndLinesWithoutCR(t *testing.T) {
	a, fc := consoleApp(t, devSession())
	fc.Replies["INFO"] = rediscli.Bulk("# Server\r\nredis_version:7.2.0\r\n")
	runLine(t, a, "INFO")
	got := a.Render()
	if strings.Contains(got, `\r`) || !strings.Contains(got, "\nredis_version:7.2.0") {
		t.Fatalf("INFO on screen:\n%s", got)
	}
}
