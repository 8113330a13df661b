package console

import (
	"github.com/amr-tui/amr-tui/ui/common"

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
// MaxLines bounds the scrollback: the oldest lines go first, so a long MONITOR cannot
// grow memory without end.
const MaxLines = 10000

// MaxLineBytes bounds one line of the scrollback; the rest of a longer line is
// replaced by a note of its size.
const MaxLineBytes = 64 << 10

// streamBatch is the most replies a stream hands over per UI update.
const streamBatch = 256

// Event is implemented by every message the console handles; App routes them all with
// one case.
type Event interface{ consoleEvent() }

type lineStyle uint8

const (
	LineReply lineStyle = iota // a reply, exactly as redis-cli prints it
	LineEcho                   // the prompt and the command (secrets redacted)
	lineNote                   // the console's own messages: refusals, cancellations
	lineError                  // a failure that is not a Redis error reply
)

type consoleLine struct {
	Text  string // printable: control bytes are escaped before they get here
	style lineStyle
}

// consoleConfirm is the question asked before a dangerous command is sent.
type consoleConfirm struct {
	args []string
	what string // "FLUSHALL", "CONFIG SET"
	word string // what must be typed: the profile name, or the command when there is none
	on   string // where it runs: "db 3 of host:port", "every database of host:port"
}

// pasteAsk is the question asked before a pasted block of several commands runs.
type pasteAsk struct {
	lines []string
}

// consoleSearch is ctrl+r's reverse incremental search through the history.
type consoleSearch struct {
	Query string
	match int    // index in history entries; -1 when nothing matches
	saved string // the line before the search, restored by esc
}

// Model is the console: redis-cli inside the TUI, on its own connection from the
// store's optional common.ConsoleOpener.
type Model struct {
	c    *common.Common
	hf   *HistoryFile // nil: history is not saved
	Hist history

	Conn    common.Console
	opening bool
	tried   bool // an open was attempted

	table rediscli.CommandTable // the server's merged over the embedded one; nil until it answers (see commands)

	Lines  []consoleLine
	offset int // lines scrolled back from the newest

	In      textinput.Model
	Profile string
	Addr    string
	Db      int
	BaseDB  int  // where a new connection starts: the profile's database, or the one :db chose
	tx      bool // between MULTI and EXEC/DISCARD: the prompt shows (TX)

	gen     uint64   // of the running command or stream; replies of any other are dropped
	Running []string // the running command; nil when idle
	cancel  context.CancelFunc
	Stream  common.ReplyStream
	// streamClosed is closed once the last stream stopped (closeStream) has closed; nil: none.
	streamClosed <-chan struct{}
	sctx         context.Context // the stream's context

	Confirm  *consoleConfirm
	PasteAsk *pasteAsk
	Search   *consoleSearch
	comp     *completion
	Queue    []string // lines entered while a command ran, or a confirmed pasted block, run in order
	// stopOnError: the queued block was confirmed with "stop at the first error".
	stopOnError bool
}

// consoleQueueMax bounds the lines typed ahead of a running command.
const consoleQueueMax = 1000

// New returns a console that keeps its history in historyPath ("" keeps none).
func New(c *common.Common, historyPath string) *Model {
	con := &Model{c: c}
	if historyPath != "" {
		con.hf = &HistoryFile{Path: historyPath}
	}
	ti := textinput.New()
	ti.Prompt = ""
	st := ti.Styles()
	st.Cursor.Blink = false
	ti.SetStyles(st)
	ti.Focus()
	con.In = ti
	return con
}

// commands is the command table in use: the server's over the embedded one once the
// connection has asked COMMAND, the embedded one before. The embedded table is parsed on first
// use, not in New: parsing it took 1–3 ms of the time before the first frame.
func (con *Model) commands() rediscli.CommandTable {
	if con.table == nil {
		return rediscli.EmbeddedTable()
	}
	return con.table
}

// OpenedMsg carries the console's connection once it is open (or why it is not).
type OpenedMsg struct {
	Owner *Model // a console replaced by a profile switch ignores its late replies
	Conn  common.Console
	err   error
	table rediscli.CommandTable // nil when COMMAND was refused
}

func (OpenedMsg) consoleEvent() {}

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
	stream common.ReplyStream
	err    error
}

func (consoleStreamOpenedMsg) consoleEvent() {}

type consoleStreamMsg struct {
	gen     uint64
	replies []rediscli.Reply
	err     error
}

func (consoleStreamMsg) consoleEvent() {}

// Enter shows the console for the session state: the first time it opens the connection and
// loads the history.
func (con *Model) Enter(st common.SessionState) tea.Cmd {
	con.Profile = st.Profile
	if con.Addr == "" {
		con.Addr, con.Db, con.BaseDB = st.Addr, st.DB, st.DB
	}
	if con.tried {
		return nil
	}
	con.tried = true
	return common.Batch(con.Open(), con.hf.loadCmd())
}

// Open opens the console connection and reads the server's command table in a Cmd.
func (con *Model) Open() tea.Cmd {
	opener, ok := con.c.Store.(common.ConsoleOpener)
	if !ok {
		con.note(lineError, "this connection has no console")
		return nil
	}
	con.opening = true
	return con.c.IO(func(ctx context.Context) tea.Msg {
		conn, err := opener.OpenConsole(ctx)
		if err != nil {
			return OpenedMsg{Owner: con, err: err}
		}
		return OpenedMsg{Owner: con, Conn: conn, table: fetchTable(ctx, conn)}
	})
}

// fetchTable asks COMMAND and COMMAND DOCS; nil when COMMAND is refused (a managed Redis may
// deny it), so the embedded table stays in use.
func fetchTable(ctx context.Context, conn common.Console) rediscli.CommandTable {
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

// On handles the console's messages.
func (con *Model) On(msg Event) tea.Cmd {
	switch msg := msg.(type) {
	case OpenedMsg:
		if msg.Owner != con {
			return nil // opened for the session a profile switch replaced, which closes it
		}
		con.opening = false
		if msg.err != nil {
			con.note(lineError, "(error) opening the console: "+msg.err.Error())
			return nil
		}
		con.Conn = msg.Conn
		if msg.table != nil {
			con.table = con.commands().Merge(msg.table)
		}
		return con.dequeue()
	case historyLoadedMsg:
		if msg.owner != con.hf {
			return nil // another profile's history
		}
		if msg.err != nil {
			con.c.Flash(msg.err.Error(), common.FlashWarn)
		}
		con.Hist.prepend(msg.entries)
	case historySavedMsg:
		if msg.err != nil {
			con.c.Flash(msg.err.Error(), common.FlashWarn)
		}
	case consoleReplyMsg:
		return common.Batch(con.onReply(msg), con.dequeue())
	case consoleStreamOpenedMsg:
		return con.onStreamOpened(msg)
	case consoleStreamMsg:
		return con.onStream(msg)
	}
	return nil
}

// dequeue runs the lines typed ahead, in order, until one is sent (or a question is asked).
func (con *Model) dequeue() tea.Cmd {
	var cmds []tea.Cmd
	for len(con.Queue) > 0 && con.Running == nil && !con.opening && con.Confirm == nil && con.PasteAsk == nil {
		line := con.Queue[0]
		con.Queue = con.Queue[1:]
		cmd, _ := con.submit(line) // a queued quit or exit does not leave the screen
		cmds = append(cmds, cmd)
	}
	if len(con.Queue) == 0 && con.Running == nil && con.Confirm == nil {
		con.stopOnError = false // the block is done
	}
	return common.Batch(cmds...)
}

// Busy reports whether a reply is awaited (the console is opening or a command runs). A
// running stream is not busy: it may never end.
func (con *Model) Busy() bool {
	return con.opening || (con.Running != nil && con.Stream == nil)
}

// PromptText is redis-cli's prompt: host:port, [db] when not 0, (TX) inside MULTI.
func (con *Model) PromptText() string {
	p := con.Addr
	if p == "" {
		p = "not connected"
	}
	if con.Db != 0 {
		p += "[" + strconv.Itoa(con.Db) + "]"
	}
	if con.tx {
		p += "(TX)"
	}
	return p + "> "
}

// Add appends lines to the scrollback, dropping the oldest beyond MaxLines. A view
// scrolled back stays where it is.
func (con *Model) Add(style lineStyle, text string) {
	text = strings.TrimSuffix(text, "\n")
	for _, l := range strings.Split(text, "\n") {
		// INFO, CLIENT LIST and the like print raw "\r\n" lines, which a terminal shows as
		// line breaks; printable would show the "\r" as an escape.
		l = strings.TrimSuffix(l, "\r")
		if len(l) > MaxLineBytes {
			// A huge value would cost its size on every frame it is wrapped for.
			l = strings.ToValidUTF8(l[:MaxLineBytes], "") + "… (" + strconv.Itoa(len(l)-MaxLineBytes) + " more bytes not shown)"
		}
		con.Lines = append(con.Lines, consoleLine{Text: common.Printable(l), style: style})
		if con.offset > 0 {
			con.offset++
		}
	}
	if over := len(con.Lines) - MaxLines; over > 0 {
		// Drop a chunk at a time so trimming is rare, and copy so the old array is freed.
		drop := over + MaxLines/10
		con.Lines = append([]consoleLine(nil), con.Lines[drop:]...)
		con.offset = min(con.offset, len(con.Lines))
	}
}

func (con *Model) note(style lineStyle, text string) { con.Add(style, text) }

// submit runs the typed line: parse, record (redacted), check, then send.
func (con *Model) submit(line string) (tea.Cmd, consoleAction) {
	con.Hist.pos = len(con.Hist.Entries)
	con.offset = 0
	prompt := con.PromptText()
	args, err := rediscli.SplitArgs(line)
	if err != nil {
		con.Add(LineEcho, prompt+redactUnparsed(line))
		con.Add(LineReply, rediscli.ErrInvalidArgs.Error())
		con.failed()
		return nil, actNone
	}
	if len(args) == 0 {
		con.Add(LineEcho, prompt)
		return nil, actNone
	}
	shown := line
	if red, changed := rediscli.Redact(args); changed {
		shown = rediscli.JoinArgs(red)
	}
	shown = strings.NewReplacer("\n", " ", "\r", " ").Replace(shown)
	con.Add(LineEcho, prompt+shown)
	var save tea.Cmd
	if con.Hist.push(shown) {
		save = con.hf.addCmd(shown)
	}
	cmd, act := con.run(args)
	return common.Batch(save, cmd), act
}

// run applies the console's own commands and the safety rules, then sends args.
func (con *Model) run(args []string) (tea.Cmd, consoleAction) {
	name := strings.ToLower(args[0])
	switch name {
	case "clear":
		con.Lines, con.offset = nil, 0
		return nil, actNone
	case "quit", "exit":
		return nil, ActBack
	case "help":
		con.describe(args[1:])
		return nil, actNone
	}
	if rediscli.HasRedacted(args) {
		con.note(lineNote, "not sent: this line came from the history, where its secret was removed; type the secret again")
		con.failed()
		return nil, actNone
	}
	if why := rediscli.Refusal(args, con.commands(), con.c.ReadOnly); why != "" {
		con.note(lineNote, "not sent: "+why)
		con.failed()
		return nil, actNone
	}
	if what := rediscli.Dangerous(args); what != "" {
		word := con.Profile
		if word == "" {
			word = what
		}
		con.Confirm = &consoleConfirm{args: args, what: what, word: word, on: con.target(what)}
		return nil, actNone
	}
	return con.send(args), actNone
}

// target names where a dangerous command would run: the console's own database (its SELECT,
// which may differ from the browser's) on the node it is connected to.
func (con *Model) target(what string) string {
	addr := con.Addr
	if addr == "" {
		addr = "the server"
	}
	if what == "FLUSHALL" {
		return "every database of " + addr
	}
	return "db " + strconv.Itoa(con.Db) + " of " + addr
}

// describe prints a command's synopsis and summary from the command table.
func (con *Model) describe(args []string) {
	if len(args) == 0 {
		con.note(lineNote, "type a command as in redis-cli; tab completes, ↑/↓ history, ctrl+r search, readline keys edit, ctrl+c clears the line or stops a command, esc or quit goes back, :q leaves amr-tui")
		return
	}
	spec, ok := con.commands().Lookup(args)
	if !ok {
		con.note(lineNote, "no help for "+strings.ToUpper(args[0]))
		return
	}
	con.Add(LineReply, "\n  "+strings.ToUpper(strings.ReplaceAll(spec.Name, "|", " "))+" "+spec.Hint+"\n  summary: "+spec.Summary+"\n")
}

// send runs args on the console connection in a Cmd.
func (con *Model) send(args []string) tea.Cmd {
	if con.Conn == nil {
		if con.opening {
			con.note(lineNote, "not sent: the console is still connecting")
			return nil
		}
		con.note(lineNote, "not sent: the console is not connected; connecting again")
		return con.Open()
	}
	con.gen = con.c.NextGen()
	gen, conn, closed := con.gen, con.Conn, con.streamClosed
	ctx, cancel := context.WithCancel(con.c.Ctx)
	con.Running, con.cancel = args, cancel
	if common.StreamingCommands[strings.ToLower(args[0])] {
		return func() tea.Msg {
			if err := waitClosed(ctx, closed); err != nil {
				return consoleStreamOpenedMsg{gen: gen, args: args, err: err}
			}
			s, err := conn.Stream(ctx, args)
			return consoleStreamOpenedMsg{gen: gen, args: args, stream: s, err: err}
		}
	}
	timeout := con.c.Timeout
	if spec, ok := con.commands().Lookup(args); ok && hasFlag(spec.Flags, "blocking") {
		timeout = 0 // BLPOP 0 waits as long as it must; ctrl+c interrupts it
	}
	return func() tea.Msg {
		if err := waitClosed(ctx, closed); err != nil {
			return consoleReplyMsg{gen: gen, args: args, err: err}
		}
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

// waitClosed waits until the stream closed by closeStream (nil: none) has closed, or ctx ends.
func waitClosed(ctx context.Context, closed <-chan struct{}) error {
	if closed == nil {
		return nil
	}
	select {
	case <-closed:
		return nil
	case <-ctx.Done():
		return ctx.Err()
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

func (con *Model) onReply(msg consoleReplyMsg) tea.Cmd {
	if msg.gen != con.gen || con.Running == nil {
		return nil
	}
	con.finish()
	if msg.err != nil {
		con.Add(lineError, "(error) "+msg.err.Error())
		con.LostConnection()
		con.failed()
		return nil
	}
	if msg.reply.IsError() {
		defer con.failed() // after the error reply is printed
	}
	out, err := rediscli.Output(rediscli.ModeTTY, msg.args, msg.reply)
	if err != nil {
		con.Add(lineError, "(error) "+err.Error())
		con.failed()
		return nil
	}
	con.Add(LineReply, string(out))
	con.track(msg.args, msg.reply)
	return nil
}

// track follows the connection state the prompt shows: the database and MULTI.
func (con *Model) track(args []string, r rediscli.Reply) {
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
				con.Db = n
			}
		}
	case "multi":
		con.tx = true
	case "exec", "discard":
		con.tx = false
	}
}

// finish ends the running command or stream.
func (con *Model) finish() {
	if con.cancel != nil {
		con.cancel()
	}
	con.Running, con.cancel, con.Stream, con.sctx = nil, nil, nil, nil
}

func (con *Model) onStreamOpened(msg consoleStreamOpenedMsg) tea.Cmd {
	if msg.gen != con.gen || con.Running == nil {
		if msg.stream != nil {
			return con.closeStream(msg.stream)
		}
		return nil
	}
	if msg.err != nil {
		con.finish()
		con.Add(lineError, "(error) "+msg.err.Error())
		con.failed()
		return nil
	}
	con.Stream = msg.stream
	con.sctx = con.c.Ctx
	if !strings.EqualFold(msg.args[0], "monitor") {
		con.Add(LineReply, "Reading messages... (press Ctrl-C to quit)")
	}
	return con.next()
}

// next waits for the stream's next replies in a Cmd.
func (con *Model) next() tea.Cmd {
	s, gen, ctx := con.Stream, con.gen, con.sctx
	return func() tea.Msg {
		rs, err := s.Next(ctx, streamBatch)
		return consoleStreamMsg{gen: gen, replies: rs, err: err}
	}
}

func (con *Model) onStream(msg consoleStreamMsg) tea.Cmd {
	if msg.gen != con.gen || con.Stream == nil {
		return nil
	}
	for _, r := range msg.replies {
		con.Add(LineReply, rediscli.FormatTTY(r))
	}
	if msg.err != nil {
		s := con.Stream
		con.finish()
		con.Add(lineError, "(error) the stream ended: "+msg.err.Error())
		con.LostConnection() // the stream carried the console's connection
		return con.closeStream(s)
	}
	return con.next()
}

// interrupt is ctrl+c: it stops a stream or abandons a running command; the reply of either
// is dropped from now on. It reports whether there was anything to stop.
func (con *Model) interrupt() (tea.Cmd, bool) {
	if con.Running == nil {
		return nil, false
	}
	s := con.Stream
	what := strings.ToUpper(con.Running[0])
	con.gen = con.c.NextGen()
	con.finish()
	if s != nil {
		con.LostConnection() // the stream carried the console's connection, which closes with it
		return con.closeStream(s), true
	}
	con.note(lineNote, "interrupted: "+what+" was abandoned; the server may still have run it")
	con.LostConnection()
	return nil, true
}

// closeStream closes a stream in a Cmd. Until Close returns, the console's connection still
// carries the stream and refuses commands (session.ErrStreaming): a command sent meanwhile (a
// line typed or pasted right after ctrl+c) waits for it instead (see send).
func (con *Model) closeStream(s common.ReplyStream) tea.Cmd {
	done := make(chan struct{})
	con.streamClosed = done
	return func() tea.Msg {
		_ = s.Close()
		close(done)
		return nil
	}
}

// LostConnection follows the session's console, which replaces a connection that failed or
// was interrupted: the next command runs on a new one, in the session's database (the
// profile's, or the one :db chose) and outside any transaction.
func (con *Model) LostConnection() {
	if con.Db != con.BaseDB || con.tx {
		con.note(lineNote, "the console reconnects with the next command: SELECT and MULTI start over")
	}
	con.Db, con.tx = con.BaseDB, false
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

// Close releases what the console holds when a profile switch replaces it: a running stream
// and the console connection are closed off the event loop, and late replies are dropped
// (the gen moves on, and OpenedMsg checks its owner).
func (con *Model) Close() tea.Cmd {
	s, conn := con.Stream, con.Conn
	con.gen = con.c.NextGen()
	con.finish()
	con.Conn = nil
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
