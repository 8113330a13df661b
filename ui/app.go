package ui

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/amr-tui/amr-tui/config"
	"github.com/amr-tui/amr-tui/decode"
	"github.com/amr-tui/amr-tui/ui/analyze"
	"github.com/amr-tui/amr-tui/ui/browser"
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/console"
	"github.com/amr-tui/amr-tui/ui/copyto"
	"github.com/amr-tui/amr-tui/ui/discover"
	"github.com/amr-tui/amr-tui/ui/infopanel"
	"github.com/amr-tui/amr-tui/ui/viewer"
)

// Options configure App. Only Store is required.
type Options struct {
	Store   common.Store
	Session common.Session // nil: no header identity and no countdown (demo without auth, tests)

	Now     func() time.Time // clock for the countdown and flash expiry; time.Now by default
	NoColor bool             // NO_COLOR: no colours at all; see NoColorFromEnv
	Light   bool             // start with the light theme until the terminal reports its background

	Pattern   string // initial SCAN MATCH pattern; "*" by default
	Type      string // initial SCAN TYPE filter; none by default
	ScanCount int64  // SCAN COUNT hint; 1000 by default
	LoadBatch int    // keys loaded before the scan waits for "load more"; 100,000 by default

	CallTimeout  time.Duration   // per Redis call; 10s by default
	TickInterval time.Duration   // countdown refresh; 1s by default
	Context      context.Context // cancels in-flight calls when done; Background by default

	// Opener lists and opens saved profiles (the switcher). With no Store, the UI starts on
	// the profile picker, or opens OpenProfile in the background.
	Opener      common.Opener
	OpenProfile string
	HistoryPath string // the console's history file for this profile; "" keeps no history
	ConfigPath  string // config.toml, loaded after the first frame; "" keeps the defaults
	// Decode bounds value decoding and adds the user's decoders (external commands).
	Decode decode.Options
	// Splash is the splash ShowSplash already painted: Run paints none and undoes this one if
	// Bubble Tea never takes the screen over; nil: Run paints its own.
	Splash *Splash
	// Notices are shown in the footer as they come, until the channel is closed (the demo's
	// background seeding reports on it); nil: none.
	Notices <-chan Notice

	noScanAhead bool // tests: one SCAN batch at a time, read only when asked (see scanAhead)

	// startupOver runs once, when start-up is over: the scan has loaded browser.SettledKeys
	// keys or stopped, or startupTicks ticks have passed (Run lowers the collector's
	// start-up GOGC there); nil: nothing to do.
	startupOver func()
}

// NoColorFromEnv reports whether NO_COLOR is set to a non-empty value (https://no-color.org).
func NoColorFromEnv() bool { return os.Getenv("NO_COLOR") != "" }

type screen int

const (
	screenKeys screen = iota
	screenValue
	screenSession
	screenInfo
	screenConsole
	screenAnalyze
	screenDiscover
)

// App is the root model, the only tea.Model: it owns the layout, routes messages to the
// component that asked for them and builds the tea.View (alt screen, mouse).
type App struct {
	c       *common.Common
	browser *browser.Model
	viewer  *viewer.Model
	info    *infopanel.Model
	console *console.Model
	analyze *analyze.Model
	disc    *discover.Model // :discover, built on first use; nil until then
	copy    *copyto.Model   // the copy of the marks to another profile, over the key list; nil when closed
	screen  screen
	// valueBack is the screen Back returns to from the value viewer: the analysis when a key
	// was opened from there, the key list otherwise.
	valueBack screen
	prompt    *common.LineInput
	help      help.Model

	session     common.Session
	state       common.SessionState
	tickID      int
	tickEvery   time.Duration
	themeForced bool
	helpView    *helpOverlay   // the `?` overlay; nil when closed
	keyList     *keyListView   // :fav or :recent; nil when closed
	lists       keyLists       // the profile's favourite and recent keys
	promptHist  promptHistory  // the `:` prompt's history
	historyPath string         // the console history of the first profile (lists live beside it)
	cfg         *config.Config // config.toml in effect; nil until loaded (or without one)
	configPath  string
	notices     <-chan Notice
	openProfile string                                    // opened by Init when the UI starts without a store
	execEditor  func(*exec.Cmd, tea.ExecCallback) tea.Cmd // tea.ExecProcess; tests substitute it
	pattern     string
	typ         string
	life        *lifecycle // startup, profile switching, session history (lifecycle.go)

	startupOver func() // Options.startupOver until start-up is over
	ticks       int    // ticks since Init while start-up lasts

	db      int    // database selected with :db (db.go)
	dbKnown bool   // db is set
	dbGen   uint64 // the :db request being waited for; 0 when none runs
}

// sessionMsg carries one update from the session's channel.
type sessionMsg struct {
	u    common.SessionUpdate
	ok   bool           // false: the channel closed
	from common.Session // the session it came from: after a switch, the old one's are dropped
}

// New builds the root model.
func New(o Options) *App {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.CallTimeout <= 0 {
		o.CallTimeout = 10 * time.Second
	}
	if o.TickInterval <= 0 {
		o.TickInterval = time.Second
	}
	if o.Context == nil {
		o.Context = context.Background()
	}
	c := &common.Common{
		Width: 80, Height: 24,
		Keys: common.DefaultKeyMap(), Now: o.Now, Store: o.Store,
		Ctx: o.Context, Timeout: o.CallTimeout, NoScanAhead: o.noScanAhead,
	}
	c.Decode = o.Decode
	a := &App{c: c, session: o.Session, tickEvery: o.TickInterval, pattern: o.Pattern, typ: o.Type, execEditor: tea.ExecProcess}
	if o.Session != nil {
		a.state = o.Session.State()
		c.ReadOnly = a.state.ReadOnly
		c.TreeDelimiters = a.state.TreeDelimiters
	}
	a.help = help.New()
	c.Styles = common.NewStyles(!o.Light, o.NoColor)
	a.setTheme(!o.Light)
	a.browser = browser.New(c, o.ScanCount, o.LoadBatch)
	a.viewer = viewer.New(c)
	a.info = infopanel.New(c)
	a.life = newLifecycle(o)
	a.openProfile = o.OpenProfile
	a.notices = o.Notices
	a.startupOver = o.startupOver
	a.configPath = o.ConfigPath
	a.historyPath = o.HistoryPath
	a.console = console.New(c, o.HistoryPath)
	a.analyze = analyze.New(c)
	a.layout()
	return a
}

// setTheme rebuilds styles for a dark or light background.
func (a *App) setTheme(dark bool) {
	a.c.Styles = common.NewStyles(dark, a.c.Styles.NoColor)
	if a.cfg != nil {
		a.c.Styles.Recolor(a.cfg.Theme.Colors)
	}
	if a.c.Styles.NoColor {
		plain := lipgloss.NewStyle()
		a.help.Styles = help.Styles{Ellipsis: plain.Faint(true), ShortKey: plain.Bold(true), ShortDesc: plain,
			ShortSeparator: plain.Faint(true), FullKey: plain.Bold(true), FullDesc: plain, FullSeparator: plain.Faint(true)}
	} else {
		a.help.Styles = help.DefaultStyles(dark)
	}
	if a.viewer != nil {
		a.viewer.Render()
	}
}

// Init starts the first scan, asks for the background colour, and starts listening to the
// session and the countdown.
func (a *App) Init() tea.Cmd {
	// The tick runs without a session too: it expires flash messages.
	cmds := []tea.Cmd{tea.RequestBackgroundColor, a.startTick(), loadConfig(a.configPath), a.resetKeyLists(a.historyPath),
		listenNotices(a.notices)}
	if a.startup() {
		cmds = append(cmds, a.lifeInit(a.openProfile))
	} else {
		cmds = append(cmds, a.browser.Start(a.pattern, a.typ))
	}
	if a.session != nil {
		cmds = append(cmds, listen(a.session))
	}
	return common.Batch(cmds...)
}

// startTick starts a new countdown loop; ticks of any earlier loop are dropped from now on.
func (a *App) startTick() tea.Cmd {
	a.tickID++
	return tick(a.tickEvery, a.tickID)
}

// listen waits for one update of session s; Update re-arms it after each.
func listen(s common.Session) tea.Cmd {
	if s == nil || s.Updates() == nil {
		return nil
	}
	ch := s.Updates()
	return func() tea.Msg {
		u, ok := <-ch
		return sessionMsg{u: u, ok: ok, from: s}
	}
}

// layout recomputes the body height after a resize or a help toggle.
func (a *App) layout() {
	a.help.SetWidth(a.c.Width)
	a.c.Body = max(1, a.c.Height-1-footerHeight(&a.help, a.helpKeys()))
}

func (a *App) helpKeys() common.HelpKeys {
	if a.keyList != nil {
		k := a.c.Keys
		return common.HelpKeys{Short: []key.Binding{k.Open, k.Favourite, k.Up, k.Down, k.Back, k.Command, k.Help}}
	}
	if a.overlayActive() {
		return a.life.help
	}
	if a.copy != nil && a.screen == screenKeys {
		return a.copy.Help()
	}
	switch a.screen {
	case screenValue:
		return a.viewer.Help()
	case screenSession:
		k := a.c.Keys
		return common.HelpKeys{Short: []key.Binding{k.Up, k.Down, k.Profiles, k.Back, k.Command, k.Help, k.Quit}}
	case screenInfo:
		return a.info.Help()
	case screenConsole:
		return a.console.Help()
	case screenAnalyze:
		return a.analyze.Help()
	case screenDiscover:
		return a.disc.Help()
	}
	return a.browser.Help()
}

// Update routes messages: results to the component that asked (generation-checked there),
// keys to the focused component after the global bindings.
func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if cmd, handled := a.lifeUpdate(msg); handled {
		return a, cmd
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.c.Width, a.c.Height = msg.Width, msg.Height
		a.layout()
		a.browser.Move(a.browser.Cursor, a.c.BodyHeight())
		a.viewer.Render()
		if a.startup() {
			return a, nil
		}
		return a, a.browser.MetaCmd()
	case tea.BackgroundColorMsg:
		if !a.themeForced {
			a.setTheme(msg.IsDark())
		}
		return a, nil
	case configMsg:
		a.applyConfig(msg)
		return a, nil
	case noticeMsg:
		return a, a.onNotice(msg)
	case keyListsMsg:
		a.onKeyLists(msg)
		return a, nil
	case browser.SortMetaMsg:
		return a, a.browser.OnSortMeta(msg)
	case browser.SortedMsg:
		return a, a.browser.OnSorted(msg)
	case tickMsg:
		if msg.id != a.tickID {
			return a, nil
		}
		if a.startupOver != nil {
			if a.ticks++; a.ticks >= startupTicks {
				a.endStartup() // no scan, or one that never got going
			}
		}
		return a, common.Batch(tick(a.tickEvery, a.tickID), a.info.OnTick(a.screen == screenInfo))
	case browser.ScanPageMsg:
		cmd := a.browser.OnScanPage(msg)
		if a.browser.Settled() {
			a.endStartup()
		}
		return a, cmd
	case browser.DBSizeMsg:
		return a, a.browser.OnDBSize(msg)
	case browser.ReservedMsg:
		a.browser.OnReserved(msg)
		return a, nil
	case browser.ExistsMsg:
		return a, a.browser.OnExists(msg)
	case browser.MetaMsg:
		return a, a.browser.OnMeta(msg)
	case browser.FilterMsg:
		return a, a.browser.OnFilter(msg)
	case browser.TreeMsg:
		return a, a.browser.OnTree(msg)
	case browser.ActionMsg:
		return a, a.browser.OnAction(msg)
	case browser.BulkMsg:
		cmd := a.browser.OnBulk(msg)
		a.layout()
		return a, cmd
	case common.CopyMarksMsg:
		return a, a.onCopyMarks(msg)
	case copyto.ProfilesMsg:
		if a.copy != nil {
			a.copy.OnProfiles(msg)
		}
		return a, nil
	case copyto.TickMsg:
		if a.copy == nil {
			return a, nil
		}
		cmd := a.copy.OnTick(msg)
		a.layout() // the footer lists the keys of the phase reached
		return a, cmd
	case browser.AddNameMsg:
		return a, a.browser.OnAddName(msg)
	case browser.RenameTakenMsg:
		return a, a.browser.OnRenameTaken(msg)
	case common.OpenKeyMsg:
		a.valueBack = screenKeys
		if a.screen == screenAnalyze {
			a.valueBack = screenAnalyze
		}
		a.screen = screenValue
		a.layout()
		return a, common.Batch(a.viewer.Open(msg.Key, msg.Meta, msg.Has), a.touchRecent(msg.Key))
	case viewer.MetaMsg:
		return a, a.viewer.OnMeta(msg)
	case viewer.ValueMsg:
		return a, a.viewer.OnValue(msg)
	case common.KeyGoneMsg:
		return a, a.browser.Forget(msg.Key)
	case common.KeyChangedMsg:
		return a, a.browser.Refresh(msg.Key)
	case viewer.DecodedMsg:
		a.viewer.OnDecoded(msg)
		return a, nil
	case viewer.ExpandedMsg:
		a.viewer.OnExpanded(msg)
		return a, nil
	case dbSwitchMsg:
		return a, a.onDBSwitch(msg)
	case infopanel.Msg:
		a.info.OnInfo(msg)
		return a, nil
	case viewer.MemberTakenMsg:
		return a, a.viewer.OnMemberTaken(msg)
	case viewer.MemberMsg:
		return a, a.viewer.OnMember(msg)
	case viewer.GotoMsg:
		return a, a.viewer.OnGoto(msg)
	case viewer.EditReadyMsg:
		return a, a.onEditReady(msg)
	case viewer.EditDoneMsg:
		return a, a.onEditDone(msg)
	case viewer.EditSavedMsg:
		return a, a.onEditSaved(msg)
	case console.Event:
		return a, a.console.On(msg)
	case analyze.StartedMsg:
		return a, a.analyze.OnStarted(msg)
	case analyze.TickMsg:
		return a, a.analyze.OnTick(msg)
	case common.ShowKeysMsg:
		a.screen = screenKeys
		a.layout()
		return a, a.browser.Start(msg.Pattern, "")
	case discover.ProgressMsg, discover.AccessMsg, discover.AddedMsg:
		return a, a.onDiscoverMsg(msg)
	case tea.KeyPressMsg:
		return a, a.onKey(msg)
	case tea.PasteMsg:
		return a, a.onPaste(msg)
	case tea.MouseWheelMsg:
		return a, a.onWheel(msg)
	case tea.MouseClickMsg:
		if msg.Button != tea.MouseLeft || a.prompt != nil {
			return a, nil
		}
		switch a.screen {
		case screenKeys:
			return a, a.browser.Click(msg.Y - 1)
		case screenValue:
			a.viewer.Click(msg.Y - 1)
		}
	}
	return a, nil
}

func (a *App) onKey(msg tea.KeyPressMsg) tea.Cmd {
	k := a.c.Keys
	if a.screen == screenConsole && a.prompt == nil {
		return a.consoleKey(msg) // ctrl+c stops a stream there before it quits
	}
	if key.Matches(msg, k.ForceQuit) {
		return tea.Quit
	}
	if a.prompt != nil {
		if cmd, ok := a.promptKey(msg); ok {
			return cmd
		}
		switch msg.String() {
		case "esc":
			a.prompt = nil
			a.promptHist.pos = len(a.promptHist.lines)
			a.layout()
			return nil
		case "enter":
			line := a.prompt.Value()
			a.prompt = nil
			a.promptHist.add(line)
			a.layout()
			return a.runCommand(line)
		}
		cmd, _ := a.prompt.Update(msg)
		return cmd
	}
	if a.screen == screenDiscover {
		return a.discoverKey(msg) // typing filters, so the screen gets letters before the global keys
	}
	if a.screen == screenKeys && a.copy != nil {
		return a.copyKey(msg)
	}
	// A component that is editing text or asking a question gets every key first.
	a.browser.Profile = a.state.Profile // what a bulk action asks to be typed
	if a.screen == screenKeys && (a.browser.Input != nil || a.browser.Confirm != nil || a.browser.BulkActive()) {
		cmd := a.browser.Update(msg)
		a.layout()
		return cmd
	}
	if a.screen == screenValue && (a.viewer.Input != nil || a.viewer.Confirm != nil) {
		return a.viewer.Update(msg)
	}
	if a.helpView != nil {
		return a.helpKey(msg)
	}
	if a.keyList != nil && !key.Matches(msg, k.Command) && !key.Matches(msg, k.Help) {
		return a.keyListKey(msg)
	}
	if key.Matches(msg, k.Favourite) {
		if name, ok := a.favouriteTarget(); ok {
			return a.toggleFavourite(name)
		}
	}
	// q in a detail view goes back, as esc does (k9s): quitting from there is :q or ctrl+c.
	if key.Matches(msg, k.Quit) && a.screen != screenKeys {
		msg = tea.KeyPressMsg{Code: tea.KeyEscape}
	}
	switch {
	case key.Matches(msg, k.Quit):
		return tea.Quit
	case key.Matches(msg, k.Help):
		a.openHelp()
		return nil
	case key.Matches(msg, k.Command):
		a.prompt = common.NewLineInput(a.c, common.InputCommand, ":", "")
		a.layout()
		if a.life.opener != nil && a.life.list == nil {
			return a.loadProfiles() // profile names for completion
		}
		return nil
	case key.Matches(msg, k.Profiles):
		return a.showPicker()
	}
	if a.screen == screenAnalyze {
		if key.Matches(msg, k.Back) && !a.analyze.Captures(msg) {
			a.screen = screenKeys
			a.layout()
			return a.browser.MetaCmd()
		}
		return a.analyze.Update(msg)
	}
	if a.screen == screenSession || a.screen == screenInfo {
		if key.Matches(msg, k.Back) && !(a.screen == screenInfo && a.info.Captures(msg)) {
			a.screen = screenKeys
			a.layout()
			return nil
		}
		if a.screen == screenInfo {
			return a.info.Update(msg)
		}
		a.sessionPanelKey(msg)
		return nil
	}
	if a.screen == screenValue {
		if key.Matches(msg, k.Back) && !a.viewer.Expanded() {
			a.screen = a.valueBack
			a.layout()
			if a.screen == screenAnalyze {
				return nil
			}
			return a.browser.MetaCmd()
		}
		return a.viewer.Update(msg)
	}
	cmd := a.browser.Update(msg)
	a.layout()
	return cmd
}

func (a *App) onWheel(msg tea.MouseWheelMsg) tea.Cmd {
	d := 0
	switch msg.Button {
	case tea.MouseWheelUp:
		d = -3
	case tea.MouseWheelDown:
		d = 3
	default:
		return nil
	}
	switch a.screen {
	case screenValue:
		a.viewer.Scroll(d, a.viewer.LinesHeight())
		return nil
	case screenSession:
		return nil
	case screenConsole:
		a.console.ScrollBy(-d)
		return nil
	case screenInfo:
		a.info.Scroll(d)
		return nil
	case screenAnalyze:
		a.analyze.Scroll(d)
		return nil
	}
	if a.browser.Tree != nil {
		a.browser.Tree.Scroll(d)
		return a.browser.MetaCmd()
	}
	a.browser.ScrollBy(d, a.c.BodyHeight())
	return a.browser.MetaCmd()
}

// View renders header, the active screen and the footer. Its cost is bounded by the terminal
// size, never by the number of keys loaded.
func (a *App) View() tea.View {
	v := tea.NewView(a.Render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "amr-tui"
	if a.state.Profile != "" {
		v.WindowTitle = "amr-tui · " + a.state.Profile
	}
	return v
}

// startupTicks is how many ticks (a second each by default) end start-up when no scan has.
const startupTicks = 3

// endStartup runs the start-up hook, once.
func (a *App) endStartup() {
	if f := a.startupOver; f != nil {
		a.startupOver = nil
		f()
	}
}

// idle reports whether no request is outstanding: no SCAN page, DBSIZE, EXISTS, metadata,
// filter pass or value read in flight. Tests use it to know the screen has settled.
func (a *App) idle() bool {
	b := a.browser
	if b.Scan.InFlight || b.DBSizePending || len(b.MetaPending) > 0 || b.Filter.Pending || (b.Exact != nil && b.Exact.Pending) || b.Sorting() {
		return false
	}
	if b.Tree != nil && b.Tree.Busy() {
		return false
	}
	if a.screen == screenInfo && a.info.Loading {
		return false
	}
	if a.screen == screenConsole && a.console.Busy() {
		return false
	}
	if a.screen == screenAnalyze && a.analyze.Running() {
		return false
	}
	if a.screen == screenDiscover && a.disc.Busy() {
		return false
	}
	if a.copy != nil && a.copy.Busy() {
		return false
	}
	return a.screen != screenValue || !a.viewer.Busy()
}

// Render is the screen as a string (View().Content).
func (a *App) Render() string {
	w := a.c.Width
	var sb strings.Builder
	if a.startup() {
		sb.WriteString(a.startupHeader(w))
	} else {
		sb.WriteString(headerView(a.c, a.headerState(), a.session != nil, w))
	}
	sb.WriteByte('\n')
	if a.helpView != nil && !a.startup() {
		sb.WriteString(a.helpView.View(a.c, w, a.c.Height-1))
		return sb.String()
	}
	h := a.c.BodyHeight()
	var body string
	switch {
	case a.startup():
	case a.keyList != nil:
		body = a.keyList.View(a.c, a.lists.fav, w, h)
	case a.screen == screenValue:
		body = a.viewer.View(w, h)
	case a.screen == screenSession:
		body = a.sessionPanel(w, h)
	case a.screen == screenInfo:
		body = a.info.View(w, h)
	case a.screen == screenConsole:
		body = a.console.View(w, h)
	case a.screen == screenAnalyze:
		body = a.analyze.View(w, h)
	case a.screen == screenDiscover:
		body = a.disc.View(w, h)
	default:
		body = a.browser.View(w, h)
		if a.copy != nil {
			body = a.copy.View(body, w, h)
		}
	}
	sb.WriteString(a.lifeRender(body, w, h))
	sb.WriteByte('\n')
	if a.prompt != nil {
		sb.WriteString(a.prompt.View(w))
		sb.WriteByte('\n')
		sb.WriteString(a.c.Styles.Dim.Render(common.Fit("enter run · esc cancel · "+strings.Join(commandNames, " · "), w)))
		return sb.String()
	}
	sb.WriteString(footerView(a.c, &a.help, a.helpKeys(), w))
	return sb.String()
}
