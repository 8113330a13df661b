package ui

import (
	"github.com/amr-tui/amr-tui/ui/analyze"
	"github.com/amr-tui/amr-tui/ui/browser"
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/console"
	"github.com/amr-tui/amr-tui/ui/infopanel"
	"github.com/amr-tui/amr-tui/ui/profilepicker"
	"github.com/amr-tui/amr-tui/ui/viewer"

	"context"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// lifecycle is the session's life inside the UI: the startup screen, opening a profile in the
// background (with a device code prompt when the login needs one), the profile switcher and
// form, and the session panel's history. App owns one; only App.Update writes it.
type lifecycle struct {
	opener common.Opener
	editor common.ProfileEditor // nil when the opener cannot edit profiles

	// closeCur ends the session in use; nil when the UI was handed a session it does not own.
	closeCur func()

	opening *opening   // the open in flight, nil when none
	early   *earlyOpen // the open Run started before Init, until startOpen takes it
	openID  int        // identifies the newest open; results of older ones are discarded

	list    *common.ProfileList // the profiles as last read; nil until read
	listErr string              // why they could not be read
	listGen uint64

	picker *profilepicker.Picker // the profile picker/switcher overlay; nil when closed
	form   *profilepicker.Form   // the add/edit form; nil when closed

	help common.HelpKeys // the footer while an overlay or the startup screen is up

	history     []common.SessionEvent // the session panel's history, oldest first, at most historyMax
	panelOffset int                   // the session panel's scroll position
}

// opening is one profile being opened in the background.
type opening struct {
	id     int
	name   string
	since  time.Time
	code   *common.DeviceCode // a device code login waiting for the user
	cancel context.CancelFunc
}

// openEvent is what the background open reports: a device code prompt, then its result.
type openEvent struct {
	code   *common.DeviceCode
	done   bool
	opened common.Opened
	err    error
}

// openMsg carries one openEvent back to Update; ch is re-armed until done.
type openMsg struct {
	id int
	ch <-chan openEvent
	ev openEvent
}

// profilesMsg carries the profile list read for the picker.
type profilesMsg struct {
	gen  uint64
	list common.ProfileList
	err  error
}

// newLifecycle takes the opener from the options; a session given directly is not owned.
func newLifecycle(o Options) *lifecycle {
	l := &lifecycle{opener: o.Opener}
	// The overlays list their own keys in their box; the footer keeps the way out.
	l.help = common.HelpKeys{Short: []key.Binding{
		key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close/cancel")),
		key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
	}}
	if ed, ok := o.Opener.(common.ProfileEditor); ok {
		l.editor = ed
	}
	return l
}

// startup reports whether the UI has no session yet and is choosing or opening one.
func (a *App) startup() bool { return a.c.Store == nil }

// lifeInit is Init's share: open the profile asked for, or show the picker.
func (a *App) lifeInit(name string) tea.Cmd {
	l := a.life
	if l.opener == nil || !a.startup() {
		return nil
	}
	if name != "" {
		return a.startOpen(name)
	}
	return a.showPicker()
}

// startOpen opens a profile in the background. The old session, if any, stays in use until
// the new one is ready. The open Run started before the program (earlyOpen) is taken over
// when it is of this profile.
func (a *App) startOpen(name string) tea.Cmd {
	l := a.life
	if l.opening != nil {
		l.opening.cancel()
	}
	l.openID++
	id := l.openID
	early := l.early
	l.early = nil
	if early != nil && early.name == name {
		l.opening = &opening{id: id, name: name, since: a.c.Now(), cancel: early.cancel}
		return waitOpen(id, early.ch)
	}
	if early != nil {
		early.discard() // of another profile
	}
	ctx, cancel := context.WithCancel(a.c.Ctx)
	l.opening = &opening{id: id, name: name, since: a.c.Now(), cancel: cancel}
	opener := l.opener
	return func() tea.Msg { return waitOpen(id, runOpen(ctx, opener, name))() }
}

// earlyOpen is a profile open started before the App exists: Run starts it ahead of building
// the App and of Bubble Tea's terminal set-up (screen buffers, the input reader: 15–20 ms
// before Init on a 2-core VM), so the session's token, dial, TLS and AUTH overlap them
// instead of following them. Init's startOpen takes it over.
type earlyOpen struct {
	name   string
	cancel context.CancelFunc
	ch     <-chan openEvent
}

// beginEarlyOpen starts opening name with opener, or returns nil when there is nothing to open.
func beginEarlyOpen(parent context.Context, opener common.Opener, name string) *earlyOpen {
	if opener == nil || name == "" {
		return nil
	}
	ctx, cancel := context.WithCancel(parent)
	return &earlyOpen{name: name, cancel: cancel, ch: runOpen(ctx, opener, name)}
}

// discard abandons the early open: it is cancelled, and a session it opened all the same is
// closed, off the event loop.
func (e *earlyOpen) discard() {
	e.cancel()
	go func() {
		for ev := range e.ch {
			if ev.done {
				if ev.err == nil && ev.opened.Close != nil {
					ev.opened.Close()
				}
				return
			}
		}
	}()
}

// runOpen opens name in a goroutine of its own; device code prompts and then the result
// arrive on the channel. A result that succeeds after ctx is done is closed: nobody takes it.
func runOpen(ctx context.Context, opener common.Opener, name string) <-chan openEvent {
	ch := make(chan openEvent, 8)
	go func() {
		prompt := func(dc common.DeviceCode) {
			select {
			case ch <- openEvent{code: &dc}:
			default: // the UI is behind; the next prompt or the result follows
			}
		}
		o, err := opener.Open(ctx, name, prompt)
		if err == nil && ctx.Err() != nil {
			if o.Close != nil {
				o.Close()
			}
			o, err = common.Opened{}, ctx.Err()
		}
		ch <- openEvent{done: true, opened: o, err: err}
	}()
	return ch
}

// waitOpen waits for the next event of open id.
func waitOpen(id int, ch <-chan openEvent) tea.Cmd {
	return func() tea.Msg { return openMsg{id: id, ch: ch, ev: <-ch} }
}

// onOpen handles a device code prompt or the result of a background open.
func (a *App) onOpen(msg openMsg) tea.Cmd {
	l := a.life
	current := l.opening != nil && l.opening.id == msg.id
	if !msg.ev.done {
		if current {
			l.opening.code = msg.ev.code
		}
		return waitOpen(msg.id, msg.ch)
	}
	if !current {
		// Cancelled or superseded: close what it opened, off the event loop.
		if msg.ev.err == nil && msg.ev.opened.Close != nil {
			return closeCmd(msg.ev.opened.Close)
		}
		return nil
	}
	name := l.opening.name
	l.opening.cancel()
	l.opening = nil
	if msg.ev.err != nil {
		cmd := a.showPicker()
		a.life.picker.Failure = &profilepicker.OpenFailure{Profile: name, Text: msg.ev.err.Error()}
		return cmd
	}
	return a.swap(name, msg.ev.opened)
}

// cancelOpen abandons the open in flight; its result, if it still arrives, is closed.
func (a *App) cancelOpen() tea.Cmd {
	l := a.life
	if l.opening == nil {
		return nil
	}
	l.opening.cancel()
	l.opening = nil
	if a.startup() || l.picker != nil {
		return a.showPicker()
	}
	return nil
}

// swap puts a freshly opened session in place of the current one: a new browser scans the
// new store, and the old session is closed once nothing uses it any more.
func (a *App) swap(name string, o common.Opened) tea.Cmd {
	l := a.life
	old := l.closeCur
	l.closeCur = o.Close
	l.picker, l.form = nil, nil
	l.history = nil
	closeCopy := a.closeCopy() // its source was the old store
	a.c.Store = o.Store
	a.session = o.Session
	a.state = common.SessionState{Profile: name}
	if o.Session != nil {
		a.state = o.Session.State()
	}
	a.c.ReadOnly = a.state.ReadOnly
	a.c.TreeDelimiters = a.state.TreeDelimiters
	// A :db choice belongs to the old session; a pending switch's reply is dropped by dbGen.
	a.db, a.dbKnown, a.dbGen = 0, false, 0
	a.browser = browser.New(a.c, a.browser.Scan.Count, a.browser.Batch)
	a.viewer = viewer.New(a.c)
	a.info = infopanel.New(a.c)
	a.analyze.Stop() // it walks the old store
	a.analyze = analyze.New(a.c)
	// The console's connection, history and prompt belong to the old profile.
	closeConsole := a.console.Close()
	a.console = console.New(a.c, o.HistoryPath)
	a.screen = screenKeys
	a.layout()
	flash := "opened profile " + common.Printable(name)
	level := common.FlashInfo
	if o.Warning != "" {
		flash += " · " + o.Warning
		level = common.FlashWarn
	}
	a.c.Flash(flash, level)
	a.keyList = nil
	if len(a.c.TreeDelimiters) == 0 && a.cfg != nil && a.cfg.Line("tree.delimiters") > 0 {
		a.c.TreeDelimiters = a.cfg.TreeDelimiters
	}
	cmds := []tea.Cmd{a.browser.Start(a.pattern, a.typ), listen(a.session), closeConsole, a.resetKeyLists(o.HistoryPath), closeCopy}
	if old != nil {
		cmds = append(cmds, closeCmd(old))
	}
	return common.Batch(cmds...)
}

// closeCmd runs a session's Close off the event loop.
func closeCmd(f func()) tea.Cmd {
	return func() tea.Msg {
		f()
		return nil
	}
}

// onSessionMsg applies an update from the session in use; updates from a session that was
// swapped out are dropped, and its listener is not re-armed.
func (a *App) onSessionMsg(msg sessionMsg) tea.Cmd {
	if !msg.ok || msg.from != a.session {
		return nil
	}
	a.state = a.withDB(msg.u.State)
	a.c.ReadOnly = a.state.ReadOnly
	a.c.TreeDelimiters = a.state.TreeDelimiters
	if msg.u.Flash != "" {
		a.c.Flash(msg.u.Flash, msg.u.Level)
	}
	if ev := msg.u.Event; ev != nil {
		h := append(a.life.history, *ev)
		if len(h) > common.SessionHistoryMax {
			h = append(h[:0:0], h[len(h)-common.SessionHistoryMax:]...)
		}
		a.life.history = h
	}
	return listen(a.session)
}

// showPicker opens the profile picker and (re)reads the profiles.
func (a *App) showPicker() tea.Cmd {
	l := a.life
	if l.opener == nil {
		a.c.Flash("switching profiles needs the profiles file: start amr-tui with -p NAME", common.FlashWarn)
		return nil
	}
	if l.picker == nil {
		l.picker = profilepicker.NewPicker(a.c)
		if l.list != nil {
			l.picker.SetList(*l.list, a.state.Profile)
		}
	}
	return a.loadProfiles()
}

// loadProfiles reads the profile list in a Cmd.
func (a *App) loadProfiles() tea.Cmd {
	l := a.life
	l.listGen = a.c.NextGen()
	gen, opener := l.listGen, l.opener
	return a.c.IO(func(ctx context.Context) tea.Msg {
		list, err := opener.Profiles(ctx)
		return profilesMsg{gen: gen, list: list, err: err}
	})
}

func (a *App) onProfiles(msg profilesMsg) {
	l := a.life
	if msg.gen != l.listGen {
		return
	}
	if msg.err != nil {
		l.listErr = msg.err.Error()
		if l.picker != nil {
			l.picker.LoadErr = l.listErr
		}
		return
	}
	l.listErr = ""
	l.list = &msg.list
	if l.picker != nil {
		l.picker.LoadErr = ""
		l.picker.SetList(msg.list, a.state.Profile)
	}
}

// overlayActive reports whether an overlay (or the startup screen) takes the keys.
func (a *App) overlayActive() bool {
	l := a.life
	return l.picker != nil || l.form != nil || l.opening != nil || a.startup()
}

// lifeUpdate handles the lifecycle's messages and, while an overlay is up, every key, paste and
// mouse event. handled is false for everything else.
func (a *App) lifeUpdate(msg tea.Msg) (cmd tea.Cmd, handled bool) {
	switch msg := msg.(type) {
	case openMsg:
		return a.onOpen(msg), true
	case profilesMsg:
		a.onProfiles(msg)
		return nil, true
	case profilepicker.ProfileLoadedMsg:
		return a.onProfileLoaded(msg), true
	case profilepicker.ProfileSavedMsg:
		return a.onProfileSaved(msg), true
	case sessionMsg:
		return a.onSessionMsg(msg), true
	case tea.KeyPressMsg:
		if !a.overlayActive() || key.Matches(msg, a.c.Keys.ForceQuit) {
			return nil, false
		}
		return a.overlayKey(msg), true
	case tea.PasteMsg:
		if !a.overlayActive() {
			return nil, false
		}
		return a.overlayPaste(msg), true
	case tea.MouseClickMsg, tea.MouseWheelMsg:
		return nil, a.overlayActive()
	}
	return nil, false
}

// overlayKey routes a key to the topmost overlay: the form, the open in flight, the picker.
func (a *App) overlayKey(msg tea.KeyPressMsg) tea.Cmd {
	l := a.life
	switch {
	case l.form != nil:
		return a.formKey(msg)
	case l.opening != nil:
		if msg.String() == "esc" {
			return a.cancelOpen()
		}
		return nil
	case l.picker != nil:
		return a.pickerKey(msg)
	}
	// Startup with nothing up (the picker was closed): bring it back.
	return a.showPicker()
}

// lifeRender draws the startup screen or the overlay over the body.
func (a *App) lifeRender(body string, w, h int) string {
	l := a.life
	var box []string
	switch {
	case l.form != nil:
		box = l.form.View(a.c, w)
	case l.opening != nil:
		box = openingView(a.c, l.opening, w)
	case l.picker != nil:
		box = l.picker.View(a.c, w, h, l.editor != nil, a.startup())
	case a.startup() && l.opener == nil:
		box = common.BoxView(a.c, "amr-tui", []string{"No session and no profiles to choose from."}, w)
	default:
		return body
	}
	if a.startup() {
		body = ""
	}
	return common.Overlay(body, box, w, h)
}

// shutdown cancels an open in flight and closes the session the UI opened. Run calls it after
// the program ends.
func (l *lifecycle) shutdown() {
	if l.early != nil {
		l.early.discard()
		l.early = nil
	}
	if l.opening != nil {
		l.opening.cancel()
		l.opening = nil
	}
	if l.closeCur != nil {
		l.closeCur()
		l.closeCur = nil
	}
}

// startupHeader is the header before any session: what the UI is doing.
func (a *App) startupHeader(w int) string {
	s := a.c.Styles
	out := s.Title.Render("amr-tui")
	switch l := a.life; {
	case l.opening != nil:
		out += s.HeaderDim.Render("  opening ") + s.ProfileStyle("").Render(common.Printable(l.opening.name)) + s.HeaderDim.Render("…")
	case l.opener != nil:
		out += s.HeaderDim.Render("  choose a profile")
	}
	return common.Fit(out, w)
}
