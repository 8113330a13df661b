package ui

import (
	"context"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/amr-tui/amr-tui/rediscli"
)

// The console (:console, :cli) is a redis-cli in the TUI: a prompt, a scrollback of commands
// and replies printed as redis-cli prints them on a terminal, history, completion and hints,
// with the profile's safety rules applied before anything is sent.

// consoleMaxLines bounds the scrollback: the oldest lines go first, so a long MONITOR cannot
// grow memory without end.
const consoleMaxLines = 10000

// consoleMaxLineBytes bounds one line of the scrollback; the rest of a longer line is
// replaced by a note of its size.
const consoleMaxLineBytes = 64 << 10

// streamBatch is the most replies a stream hands over per UI update.
const streamBatch = 256

// consoleEvent is implemented by every message the console handles; App routes them all with
// one case.
type consoleEvent interface{ consoleEvent() }

type lineStyle uint8

const (
	lineReply lineStyle = iota // a reply, exactly as redis-cli prints it
	lineEcho                   // the prompt and the command (secrets redacted)
	lineNote                   // the console's own messages: refusals, cancellations
	lineError                  // a failure that is not a Redis error reply
)

type consoleLine struct {
	text  string // printable: control bytes are escaped before they get here
	style lineStyle
}

// consoleConfirm is the question asked before a dangerous command is sent.
type consoleConfirm struct {
	args []string
	what string // "FLUSHALL", "CONFIG SET"
	word string // what must be typed: the profile name, or the command when there is none
}

// consoleSearch is ctrl+r's reverse incremental search through the history.
type consoleSearch struct {
	query string
	match int    // index in history entries; -1 when nothing matches
	saved string // the line before the search, restored by esc
}

type console struct {
	c    *Common
	hf   *historyFile // nil: history is not saved
	hist history

	conn    Console
	opening bool
	tried   bool // an open was attempted

	table rediscli.CommandTable // the embedded table, merged with the server's once it answers

	lines  []consoleLine
	offset int // lines scrolled back from the newest

	in      textinput.Model
	profile string
	addr    string
	db      int
	baseDB  int  // where a new connection starts: the profile's database, or the one :db chose
	tx      bool // between MULTI and EXEC/DISCARD: the prompt shows (TX)

	gen     uint64   // of the running command or stream; replies of any other are dropped
	running []string // the running command; nil when idle
	cancel  context.CancelFunc
	stream  ReplyStream
	sctx    context.Context // the stream's context

	confirm *consoleConfirm
	search  *consoleSearch
	comp    *completion
	queue   []string // lines entered while a command ran, run in order after it
}

// consoleQueueMax bounds the lines typed ahead of a running command.
const consoleQueueMax = 1000

func newConsole(c *Common, historyPath string) *console {
	con := &console{c: c, table: rediscli.EmbeddedTable()}
	if historyPath != "" {
		con.hf = &historyFile{path: historyPath}
	}
	ti := textinput.New()
	ti.Prompt = ""
	st := ti.Styles()
	st.Cursor.Blink = false
	ti.SetStyles(st)
	ti.Focus()
	con.in = ti
	return con
}

type consoleOpenedMsg struct {
	owner *console // a console replaced by a profile switch ignores its late replies
	conn  Console
	err   error
	table rediscli.CommandTable // nil when COMMAND was refused
}

func (consoleOpenedMsg) consoleEvent() {}

type consoleReplyMsg struct {
	gen   uint64
	args  []string
	reply rediscli.Reply
	err   error
}

func (consoleReplyMsg) consoleEvent() {}

type consoleStreamOpenedMsg struct {
	gen    uint64
	args   []string
	stream ReplyStream
	err    error
}

func (consoleStreamOpenedMsg) consoleEvent() {}

type consoleStreamMsg struct {
	gen     uint64
	replies []rediscli.Reply
	err     error
}

func (consoleStreamMsg) consoleEvent() {}

// enter shows the console for the session state: the first time it opens the connection and
// loads the history.
func (con *console) enter(st SessionState) tea.Cmd {
	con.profile = st.Profile
	if con.addr == "" {
		con.addr, con.db, con.baseDB = st.Addr, st.DB, st.DB
	}
	if con.tried {
		return nil
	}
	con.tried = true
	return batch(con.open(), con.hf.loadCmd())
}

// open opens the console connection and reads the server's command table in a Cmd.
func (con *console) open() tea.Cmd {
	opener, ok := con.c.Store.(ConsoleOpener)
	if !ok {
		con.note(lineError, "this connection has no console")
		return nil
	}
	con.opening = true
	return con.c.io(func(ctx context.Context) tea.Msg {
		conn, err := opener.OpenConsole(ctx)
		if err != nil {
			return consoleOpenedMsg{owner: con, err: err}
		}
		return consoleOpenedMsg{owner: con, conn: conn, table: fetchTable(ctx, conn)}
	})
}

// fetchTable asks COMMAND and COMMAND DOCS; nil when COMMAND is refused (a managed Redis may
// deny it), so the embedded table stays in use.
func fetchTable(ctx context.Context, conn Console) rediscli.CommandTable {
	r, err := conn.Do(ctx, []string{"COMMAND"})
	if err != nil || r.IsError() {
		return nil
	}
	t, err := rediscli.TableFromCommand(r)
	if err != nil {
		return nil
	}
	if docs, err := conn.Do(ctx, []string{"COMMAND", "DOCS"}); err == nil {
		_ = t.AddDocs(docs) // without docs the embedded hints remain (Merge)
	}
	return t
}

// on handles the console's messages.
func (con *console) on(msg consoleEvent) tea.Cmd {
	switch msg := msg.(type) {
	case consoleOpenedMsg:
		if msg.owner != con {
			return nil // opened for the session a profile switch replaced, which closes it
		}
		con.opening = false
		if msg.err != nil {
			con.note(lineError, "(error) opening the console: "+msg.err.Error())
			return nil
		}
		con.conn = msg.conn
		if msg.table != nil {
			con.table = con.table.Merge(msg.table)
		}
		return con.dequeue()
	case historyLoadedMsg:
		if msg.owner != con.hf {
			return nil // another profile's history
		}
		if msg.err != nil {
			con.c.flash(msg.err.Error(), FlashWarn)
		}
		con.hist.prepend(msg.entries)
	case historySavedMsg:
		if msg.err != nil {
			con.c.flash(msg.err.Error(), FlashWarn)
		}
	case consoleReplyMsg:
		return batch(con.onReply(msg), con.dequeue())
	case consoleStreamOpenedMsg:
		return con.onStreamOpened(msg)
	case consoleStreamMsg:
		return con.onStream(msg)
	}
	return nil
}

// dequeue runs the lines typed ahead, in order, until one is sent (or a question is asked).
func (con *console) dequeue() tea.Cmd {
	var cmds []tea.Cmd
	for len(con.queue) > 0 && con.running == nil && !con.opening && con.confirm == nil {
		line := con.queue[0]
		con.queue = con.queue[1:]
		cmd, _ := con.submit(line) // a queued quit or exit does not leave the screen
		cmds = append(cmds, cmd)
	}
	return batch(cmds...)
}

// busy reports whether a reply is awaited (the console is opening or a command runs). A
// running stream is not busy: it may never end.
func (con *console) busy() bool {
	return con.opening || (con.running != nil && con.stream == nil)
}

// promptText is redis-cli's prompt: host:port, [db] when not 0, (TX) inside MULTI.
func (con *console) promptText() string {
	p := con.addr
	if p == "" {
		p = "not connected"
	}
	if con.db != 0 {
		p += "[" + strconv.Itoa(con.db) + "]"
	}
	if con.tx {
		p += "(TX)"
	}
	return p + "> "
}

// add appends lines to the scrollback, dropping the oldest beyond consoleMaxLines. A view
// scrolled back stays where it is.
func (con *console) add(style lineStyle, text string) {
	text = strings.TrimSuffix(text, "\n")
	for _, l := range strings.Split(text, "\n") {
		// INFO, CLIENT LIST and the like print raw "\r\n" lines, which a terminal shows as
		// line breaks; printable would show the "\r" as an escape.
		l = strings.TrimSuffix(l, "\r")
		if len(l) > consoleMaxLineBytes {
			// A huge value would cost its size on every frame it is wrapped for.
			l = strings.ToValidUTF8(l[:consoleMaxLineBytes], "") + "… (" + strconv.Itoa(len(l)-consoleMaxLineBytes) + " more bytes not shown)"
		}
		con.lines = append(con.lines, consoleLine{text: printable(l), style: style})
		if con.offset > 0 {
			con.offset++
		}
	}
	if over := len(con.lines) - consoleMaxLines; over > 0 {
		// Drop a chunk at a time so trimming is rare, and copy so the old array is freed.
		drop := over + consoleMaxLines/10
		con.lines = append([]consoleLine(nil), con.lines[drop:]...)
		con.offset = min(con.offset, len(con.lines))
	}
}

func (con *console) note(style lineStyle, text string) { con.add(style, text) }

// submit runs the typed line: parse, record (redacted), check, then send.
func (con *console) submit(line string) (tea.Cmd, consoleAction) {
	con.hist.pos = len(con.hist.entries)
	con.offset = 0
	prompt := con.promptText()
	args, err := rediscli.SplitArgs(line)
	if err != nil {
		con.add(lineEcho, prompt+redactUnparsed(line))
		con.add(lineReply, rediscli.ErrInvalidArgs.Error())
		return nil, actNone
	}
	if len(args) == 0 {
		con.add(lineEcho, prompt)
		return nil, actNone
	}
	shown := line
	if red, changed := rediscli.Redact(args); changed {
		shown = rediscli.JoinArgs(red)
	}
	shown = strings.NewReplacer("\n", " ", "\r", " ").Replace(shown)
	con.add(lineEcho, prompt+shown)
	var save tea.Cmd
	if con.hist.push(shown) {
		save = con.hf.addCmd(shown)
	}
	cmd, act := con.run(args)
	return batch(save, cmd), act
}

// run applies the console's own commands and the safety rules, then sends args.
func (con *console) run(args []string) (tea.Cmd, consoleAction) {
	name := strings.ToLower(args[0])
	switch name {
	case "clear":
		con.lines, con.offset = nil, 0
		return nil, actNone
	case "quit", "exit":
		return nil, actBack
	case "help":
		con.describe(args[1:])
		return nil, actNone
	}
	if rediscli.HasRedacted(args) {
		con.note(lineNote, "not sent: this line came from the history, where its secret was removed; type the secret again")
		return nil, actNone
	}
	if why := rediscli.Refusal(args, con.table, con.c.ReadOnly); why != "" {
		con.note(lineNote, "not sent: "+why)
		return nil, actNone
	}
	if what := rediscli.Dangerous(args); what != "" {
		word := con.profile
		if word == "" {
			word = what
		}
		con.confirm = &consoleConfirm{args: args, what: what, word: word}
		return nil, actNone
	}
	return con.send(args), actNone
}

// describe prints a command's synopsis and summary from the command table.
func (con *console) describe(args []string) {
	if len(args) == 0 {
		con.note(lineNote, "type a command as in redis-cli; tab completes, ↑/↓ history, ctrl+r search, ctrl+c stops, esc leaves")
		return
	}
	spec, ok := con.table.Lookup(args)
	if !ok {
		con.note(lineNote, "no help for "+strings.ToUpper(args[0]))
		return
	}
	con.add(lineReply, "\n  "+strings.ToUpper(strings.ReplaceAll(spec.Name, "|", " "))+" "+spec.Hint+"\n  summary: "+spec.Summary+"\n")
}

// send runs args on the console connection in a Cmd.
func (con *console) send(args []string) tea.Cmd {
	if con.conn == nil {
		if con.opening {
			con.note(lineNote, "not sent: the console is still connecting")
			return nil
		}
		con.note(lineNote, "not sent: the console is not connected; connecting again")
		return con.open()
	}
	con.gen = con.c.nextGen()
	gen, conn := con.gen, con.conn
	ctx, cancel := context.WithCancel(con.c.ctx)
	con.running, con.cancel = args, cancel
	if streamingCommands[strings.ToLower(args[0])] {
		return func() tea.Msg {
			s, err := conn.Stream(ctx, args)
			return consoleStreamOpenedMsg{gen: gen, args: args, stream: s, err: err}
		}
	}
	timeout := con.c.timeout
	if spec, ok := con.table.Lookup(args); ok && hasFlag(spec.Flags, "blocking") {
		timeout = 0 // BLPOP 0 waits as long as it must; ctrl+c interrupts it
	}
	return func() tea.Msg {
		cctx := ctx
		if timeout > 0 {
			var stop context.CancelFunc
			cctx, stop = context.WithTimeout(ctx, timeout)
			defer stop()
		}
		r, err := conn.Do(cctx, args)
		return consoleReplyMsg{gen: gen, args: args, reply: r, err: err}
	}
}

func hasFlag(flags []string, f string) bool {
	for _, x := range flags {
		if x == f {
			return true
		}
	}
	return false
}

func (con *console) onReply(msg consoleReplyMsg) tea.Cmd {
	if msg.gen != con.gen || con.running == nil {
		return nil
	}
	con.finish()
	if msg.err != nil {
		con.add(lineError, "(error) "+msg.err.Error())
		con.lostConnection()
		return nil
	}
	out, err := rediscli.Output(rediscli.ModeTTY, msg.args, msg.reply)
	if err != nil {
		con.add(lineError, "(error) "+err.Error())
		return nil
	}
	con.add(lineReply, string(out))
	con.track(msg.args, msg.reply)
	return nil
}

// track follows the connection state the prompt shows: the database and MULTI.
func (con *console) track(args []string, r rediscli.Reply) {
	if r.IsError() {
		if strings.EqualFold(args[0], "exec") {
			con.tx = false
		}
		return
	}
	switch strings.ToLower(args[0]) {
	case "select":
		if len(args) == 2 {
			if n, err := strconv.Atoi(args[1]); err == nil {
				con.db = n
			}
		}
	case "multi":
		con.tx = true
	case "exec", "discard":
		con.tx = false
	}
}

// finish ends the running command or stream.
func (con *console) finish() {
	if con.cancel != nil {
		con.cancel()
	}
	con.running, con.cancel, con.stream, con.sctx = nil, nil, nil, nil
}

func (con *console) onStreamOpened(msg consoleStreamOpenedMsg) tea.Cmd {
	if msg.gen != con.gen || con.running == nil {
		if msg.stream != nil {
			s := msg.stream
			return func() tea.Msg { _ = s.Close(); return nil }
		}
		return nil
	}
	if msg.err != nil {
		con.finish()
		con.add(lineError, "(error) "+msg.err.Error())
		return nil
	}
	con.stream = msg.stream
	con.sctx = con.c.ctx
	if !strings.EqualFold(msg.args[0], "monitor") {
		con.add(lineReply, "Reading messages... (press Ctrl-C to quit)")
	}
	return con.next()
}

// next waits for the stream's next replies in a Cmd.
func (con *console) next() tea.Cmd {
	s, gen, ctx := con.stream, con.gen, con.sctx
	return func() tea.Msg {
		rs, err := s.Next(ctx, streamBatch)
		return consoleStreamMsg{gen: gen, replies: rs, err: err}
	}
}

func (con *console) onStream(msg consoleStreamMsg) tea.Cmd {
	if msg.gen != con.gen || con.stream == nil {
		return nil
	}
	for _, r := range msg.replies {
		con.add(lineReply, rediscli.FormatTTY(r))
	}
	if msg.err != nil {
		s := con.stream
		con.finish()
		con.add(lineError, "(error) the stream ended: "+msg.err.Error())
		return func() tea.Msg { _ = s.Close(); return nil }
	}
	return con.next()
}

// interrupt is ctrl+c: it stops a stream or abandons a running command; the reply of either
// is dropped from now on. It reports whether there was anything to stop.
func (con *console) interrupt() (tea.Cmd, bool) {
	if con.running == nil {
		return nil, false
	}
	s := con.stream
	what := strings.ToUpper(con.running[0])
	con.gen = con.c.nextGen()
	con.finish()
	if s != nil {
		return func() tea.Msg { _ = s.Close(); return nil }, true
	}
	con.note(lineNote, "interrupted: "+what+" was abandoned; the server may still have run it")
	con.lostConnection()
	return nil, true
}

// lostConnection follows the session's console, which replaces a connection that failed or
// was interrupted: the next command runs on a new one, in the session's database (the
// profile's, or the one :db chose) and outside any transaction.
func (con *console) lostConnection() {
	if con.db != con.baseDB || con.tx {
		con.note(lineNote, "the console reconnects with the next command: SELECT and MULTI start over")
	}
	con.db, con.tx = con.baseDB, false
}

// redactUnparsed is what is echoed of a line SplitArgs refused: a command that may carry a
// secret shows its name only. A quoted or escaped name ("AUTH", 'auth', "\x41UTH") cannot be
// read without the parser that just refused the line, so nothing of such a line is shown.
func redactUnparsed(line string) string {
	f := strings.Fields(line)
	if len(f) == 0 {
		return line
	}
	if strings.ContainsAny(f[0], `"'\`) {
		return rediscli.Redacted
	}
	switch strings.ToLower(f[0]) {
	case "auth", "hello", "config", "acl", "migrate":
		return f[0] + " " + rediscli.Redacted
	}
	return line
}

// close releases what the console holds when a profile switch replaces it: a running stream
// and the console connection are closed off the event loop, and late replies are dropped
// (the gen moves on, and consoleOpenedMsg checks its owner).
func (con *console) close() tea.Cmd {
	s, conn := con.stream, con.conn
	con.gen = con.c.nextGen()
	con.finish()
	con.conn = nil
	if s == nil && conn == nil {
		return nil
	}
	return func() tea.Msg {
		if s != nil {
			_ = s.Close()
		}
		if conn != nil {
			_ = conn.Close()
		}
		return nil
	}
}
