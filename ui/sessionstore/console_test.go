package sessionstore

import (
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/amr-tui/amr-tui/internal/redistest"
	"github.com/amr-tui/amr-tui/profiles"
	"github.com/amr-tui/amr-tui/rediscli"
	"github.com/amr-tui/amr-tui/ui"
)

// appLoop is a minimal Bubble Tea event loop for driving ui.App in tests: every Cmd runs on
// its own goroutine and its message comes back through msgs, as in the real program.
type appLoop struct {
	t    *testing.T
	a    *ui.App
	msgs chan tea.Msg
	quit bool
}

func newAppLoop(t *testing.T, o ui.Options) *appLoop {
	l := &appLoop{t: t, a: ui.New(o), msgs: make(chan tea.Msg, 4096)}
	l.send(tea.WindowSizeMsg{Width: 120, Height: 60})
	l.run(l.a.Init())
	return l
}

func (l *appLoop) run(cmd tea.Cmd) {
	if cmd != nil {
		go func() { l.msgs <- cmd() }()
	}
}

func (l *appLoop) send(m tea.Msg) {
	_, cmd := l.a.Update(m)
	l.run(cmd)
}

func (l *appLoop) handle(m tea.Msg) {
	switch m := m.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range m {
			l.run(c)
		}
	case tea.QuitMsg:
		l.quit = true
	default:
		l.send(m)
	}
}

func (l *appLoop) typeLine(s string) {
	for _, r := range s {
		l.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	l.send(tea.KeyPressMsg{Code: tea.KeyEnter})
}

// until processes messages until cond holds on the rendered screen.
func (l *appLoop) until(what string, cond func(screen string) bool) string {
	l.t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		if s := l.screen(); cond(s) {
			return s
		}
		select {
		case m := <-l.msgs:
			l.handle(m)
		case <-deadline:
			l.t.Fatalf("timed out waiting for %s; screen:\n%s", what, l.screen())
		}
	}
}

// screen is the rendered screen with the padding at the end of each line removed.
func (l *appLoop) screen() string {
	lines := strings.Split(ansi.Strip(l.a.Render()), "\n")
	for i, s := range lines {
		lines[i] = strings.TrimRight(s, " ")
	}
	return strings.Join(lines, "\n")
}

// replyAfter returns the lines printed after the last echo of prompt+line, up to the next
// line starting with the server's address (the next prompt).
func replyAfter(screen, prompt, line string) string {
	i := strings.LastIndex(screen, prompt+line+"\n")
	if i < 0 {
		return ""
	}
	rest := screen[i+len(prompt+line)+1:]
	addr, _, _ := strings.Cut(prompt, ">")
	addr, _, _ = strings.Cut(addr, "(")
	if j := strings.Index(rest, addr); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

// TestConsoleAgainstRedisServer drives the console screen over a real session on a real
// redis-server: replies are printed as redis-cli prints them, a subscription streams until
// ctrl+c and the prompt comes back, MONITOR streams, and the history file is written.
func TestConsoleAgainstRedisServer(t *testing.T) {
	cli := redistest.RedisCLIPath(t)
	srv := redistest.StartRedisServer(t)
	p := plainProfile(t, srv.Addr)
	s := open(t, p, guarded(t))
	adapter := NewSession(InfoFromProfile(p))
	adapter.Attach(s)
	t.Cleanup(adapter.Close)
	hist := filepath.Join(t.TempDir(), "history", "local.history")
	l := newAppLoop(t, ui.Options{Store: New(s), Session: adapter, NoColor: true, HistoryPath: hist, TickInterval: 10 * time.Millisecond})
	prompt := srv.Addr + "> "

	l.typeLine(":console")
	l.until("the prompt", func(sc string) bool { return strings.Contains(sc, srv.Addr+">") && !strings.Contains(sc, "connecting") })

	setup := []string{"SET k v", "HSET h a 1 b 2", "RPUSH l x y", "ZADD z 1.5 m 2 n", "SET AUTH s3cret"}
	// The console is idle again once the prompt line is empty.
	idle := func(sc string) bool {
		return strings.Contains(sc, "\n"+srv.Addr+">\n") || strings.Contains(sc, "\n"+srv.Addr+"(TX)>\n")
	}
	for _, line := range setup {
		l.typeLine(line)
		l.until(line, idle)
	}
	reads := []string{"GET k", "HGETALL h", "LRANGE l 0 -1", "ZRANGE z 0 -1 WITHSCORES", "GET missing", "LRANGE none 0 -1",
		"TYPE h", "PING", "DBSIZE", "EXISTS k", "BOGUS x", `GET "unbalanced`, "INCRBYFLOAT nope x", "MULTI", "GET k", "EXEC"}
	for _, line := range reads {
		l.typeLine(line)
		l.until(line, idle)
	}
	sc := l.screen()
	for _, line := range reads {
		if line == "MULTI" || line == "EXEC" || line == "GET k" && strings.Contains(sc, "(TX)> GET k") {
			continue // a transaction spans commands; redis-cli runs one per process here
		}
		args := []string{"-h", "127.0.0.1", "-p", srv.Addr[strings.LastIndex(srv.Addr, ":")+1:], "--no-raw"}
		cmd := exec.Command(cli, args...)
		cmd.Stdin = strings.NewReader(line + "\n")
		want, err := cmd.CombinedOutput()
		if err != nil && len(want) == 0 {
			t.Fatalf("redis-cli %s: %v", line, err)
		}
		// The screen's lines are compared without their padding, so redis-cli's are too.
		wantLines := strings.Split(string(want), "\n")
		for i, w := range wantLines {
			wantLines[i] = strings.TrimRight(w, " ")
		}
		if got := replyAfter(sc, prompt, line); got != strings.Join(wantLines, "\n") {
			t.Errorf("%s: console printed\n%q\nredis-cli prints\n%q", line, got, want)
		}
	}
	if tx := replyAfter(sc, srv.Addr+"(TX)> ", "GET k"); tx != "QUEUED\n" {
		t.Errorf("GET k inside MULTI: %q", tx)
	}
	if ex := replyAfter(sc, srv.Addr+"(TX)> ", "EXEC"); ex != "1) \"v\"\n" {
		t.Errorf("EXEC: %q", ex)
	}

	// SUBSCRIBE streams until ctrl+c, which returns to the prompt.
	l.typeLine("SUBSCRIBE news")
	l.until("subscribed", func(sc string) bool { return strings.Contains(sc, "3) (integer) 1\nSUBSCRIBE is streaming") })
	if err := s.Client().Publish(ctxT(t), "news", "hello").Err(); err != nil {
		t.Fatal(err)
	}
	l.until("message", func(sc string) bool { return strings.Contains(sc, "1) \"message\"\n2) \"news\"\n3) \"hello\"") })
	l.send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	if l.quit {
		t.Fatal("ctrl+c quit the application")
	}
	l.typeLine("GET k")
	l.until("prompt after ctrl+c", func(sc string) bool {
		return idle(sc) && strings.HasSuffix(sc[:strings.LastIndex(sc, "\n"+srv.Addr+">\n")], "GET k\n\"v\"")
	})

	// MONITOR shows other clients' commands.
	l.typeLine("MONITOR")
	l.until("monitoring", func(sc string) bool { return strings.Contains(sc, "MONITOR\nOK\n") })
	if err := s.Client().Set(ctxT(t), "mk", "1", 0).Err(); err != nil {
		t.Fatal(err)
	}
	l.until("monitored SET", func(sc string) bool { return strings.Contains(sc, `"set" "mk" "1"`) })
	l.send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	l.until("monitor stopped", func(sc string) bool { return !strings.Contains(sc, "is streaming") })

	// A secret is neither shown nor kept.
	l.typeLine("AUTH hunter2")
	l.until("AUTH", idle)
	if sc := l.screen(); strings.Contains(sc, "hunter2") || !strings.Contains(sc, "> AUTH (redacted)\n(error) ") {
		t.Fatalf("AUTH on screen:\n%s", sc)
	}

	data, err := os.ReadFile(hist)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "HGETALL h\n") || !strings.HasSuffix(string(data), "MONITOR\nAUTH (redacted)\n") || strings.Contains(string(data), "hunter2") {
		t.Fatalf("history file:\n%s", data)
	}
}

// TestConsoleInACluster: keyed commands follow redirections (as redis-cli -c), key-less ones such as DBSIZE are
// called on every primary and printed per node like `redis-cli --cluster call`.
func TestConsoleInACluster(t *testing.T) {
	addrs := startCluster(t)
	p := plainProfile(t, addrs[1])
	p.Cluster = profiles.ClusterOn
	s := open(t, p, guarded(t))
	con, err := New(s).OpenConsole(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	defer con.Close()
	for i := range 20 {
		r, err := con.Do(ctxT(t), []string{"SET", "key" + strconv.Itoa(i), "v"})
		if err != nil || rediscli.FormatTTY(r) != "OK\n" {
			t.Fatalf("SET through the cluster: %q %v", rediscli.FormatTTY(r), err)
		}
	}
	r, err := con.Do(ctxT(t), []string{"GET", "key7"})
	if err != nil || rediscli.FormatTTY(r) != "\"v\"\n" {
		t.Fatalf("GET: %q %v", rediscli.FormatTTY(r), err)
	}
	r, err = con.Do(ctxT(t), []string{"DBSIZE"})
	if err != nil {
		t.Fatal(err)
	}
	sorted := append([]string(nil), addrs...)
	sort.Strings(sorted)
	text := rediscli.FormatTTY(r)
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) != 3 || lines[0] != ">>> Calling DBSIZE" || !strings.HasPrefix(lines[1], sorted[0]+": ") || !strings.HasPrefix(lines[2], sorted[1]+": ") {
		t.Fatalf("DBSIZE in a cluster:\n%s", text)
	}
	total := 0
	for _, l := range lines[1:] {
		n, err := strconv.Atoi(l[strings.LastIndex(l, " ")+1:])
		if err != nil {
			t.Fatalf("DBSIZE line %q", l)
		}
		total += n
	}
	if total != 20 {
		t.Fatalf("DBSIZE over the primaries = %d, want 20:\n%s", total, text)
	}
	// The console has a connection of its own: MULTI, CLIENT SETNAME and HGETALL's server
	// order work as with redis-cli -c, and the shared connections are untouched.
	for _, c := range []struct{ line, want string }{
		{"HSET {h}x zz 1 aa 2", "(integer) 2\n"},
		{"CLIENT SETNAME cc", "OK\n"},
		{"MULTI", "OK\n"},
		{"HGETALL {h}x", "QUEUED\n"},
		{"EXEC", "1) 1) \"zz\"\n   2) \"1\"\n   3) \"aa\"\n   4) \"2\"\n"},
		{"CLIENT GETNAME", "\"cc\"\n"},
	} {
		args, _ := rediscli.SplitArgs(c.line)
		r, err := con.Do(ctxT(t), args)
		if err != nil || rediscli.FormatTTY(r) != c.want {
			t.Fatalf("%s in a cluster: %q %v; want %q", c.line, rediscli.FormatTTY(r), err, c.want)
		}
	}
	if n, err := s.Client().DBSize(ctxT(t)).Result(); err != nil || n != 21 {
		t.Fatalf("the shared connections after the console's MULTI: %d %v", n, err)
	}
}
