// Package discover is the `:discover` screen: the Azure caches the signed-in identity can
// reach, grouped by subscription and filtered by typing, with progress while they are listed,
// the subscriptions that failed, and who may use the selected cache. Enter writes a profile for
// the selected cache (App then opens it).
package discover

import (
	"context"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/amr-tui/amr-tui/azure/catalog"
	"github.com/amr-tui/amr-tui/ui/common"
)

// discoverTimeout bounds one discovery (every subscription) and one access read.
const discoverTimeout = 2 * time.Minute

// Model is the `:discover` screen.
type Model struct {
	c       *common.Common
	d       common.Discoverer
	profile string // whose sign-in discovery uses

	gen      uint64
	Loading  bool
	progress catalog.Progress
	res      catalog.Result
	err      string
	loaded   bool

	filter string
	rows   []row
	cursor int // index into rows; always a cache row when there is one
	offset int

	adding bool // a profile is being written

	access *accessView // nil: the list
}

// accessView is who may use one cache.
type accessView struct {
	cache   catalog.Cache
	loading bool
	acc     catalog.Access
	err     string
	offset  int
}

// row is one line of the list: a subscription, one of its failures, or a cache.
type row struct {
	kind  rowKind
	sub   catalog.Subscription
	text  string // failure message
	cache catalog.Cache
}

type rowKind int

const (
	rowSubscription rowKind = iota
	rowFailure
	rowEmpty // a readable subscription without caches
	rowCache
)

// event is one report of the background discovery.
type event struct {
	progress *catalog.Progress
	done     bool
	res      catalog.Result
	err      error
}

// ProgressMsg carries one event of discovery gen; App routes it back with OnProgress.
type ProgressMsg struct {
	gen uint64
	ch  <-chan event
	ev  event
}

// AccessMsg is the reply of an access read.
type AccessMsg struct {
	gen uint64
	acc catalog.Access
	err error
}

// AddedMsg says a profile was written for a cache (Err nil): App opens Name.
type AddedMsg struct {
	Name  string
	Cache catalog.Cache
	Err   error
}

// New returns the screen for discoverer d; it lists nothing until Start.
func New(c *common.Common, d common.Discoverer) *Model { return &Model{c: c, d: d} }

// Loaded reports whether a discovery has completed (or is running), so App need not start one.
func (m *Model) Loaded() bool { return m.loaded || m.Loading }

// Busy reports whether a request is in flight.
func (m *Model) Busy() bool {
	return m.Loading || m.adding || (m.access != nil && m.access.loading)
}

// Start lists the caches, signing in as profile does.
func (m *Model) Start(profile string) tea.Cmd {
	m.profile = profile
	m.gen = m.c.NextGen()
	m.Loading, m.err, m.progress = true, "", catalog.Progress{}
	m.res = catalog.Result{}
	m.access = nil
	m.rebuild()
	d, gen, parent := m.d, m.gen, m.c.Ctx
	return func() tea.Msg {
		ch := make(chan event, 64)
		go func() {
			ctx, cancel := context.WithTimeout(parent, discoverTimeout)
			defer cancel()
			res, err := d.Discover(ctx, profile, func(p catalog.Progress) {
				select {
				case ch <- event{progress: &p}:
				default: // the UI is behind; the next report or the result follows
				}
			})
			ch <- event{done: true, res: res, err: err}
		}()
		return wait(gen, ch)()
	}
}

func wait(gen uint64, ch <-chan event) tea.Cmd {
	return func() tea.Msg { return ProgressMsg{gen: gen, ch: ch, ev: <-ch} }
}

// OnProgress takes one event of the running discovery and waits for the next.
func (m *Model) OnProgress(msg ProgressMsg) tea.Cmd {
	if msg.gen != m.gen {
		return nil
	}
	ev := msg.ev
	if !ev.done {
		m.progress = *ev.progress
		if f := ev.progress.Finished; f != nil {
			m.res.Subscriptions = append(m.res.Subscriptions, *f)
			m.sortSubscriptions()
			m.rebuild()
		}
		return wait(msg.gen, msg.ch)
	}
	m.Loading, m.loaded = false, true
	if ev.err != nil {
		m.err = ev.err.Error()
	}
	if ev.res.Identity.ObjectID != "" || len(ev.res.Subscriptions) > 0 {
		m.res = ev.res
		m.res.Subscriptions = slices.Clone(ev.res.Subscriptions)
		slices.SortStableFunc(m.res.Subscriptions, func(a, b catalog.SubscriptionResult) int {
			return strings.Compare(strings.ToLower(a.Subscription.Name), strings.ToLower(b.Subscription.Name))
		})
	}
	m.rebuild()
	return nil
}

// sortSubscriptions keeps subscriptions in name order while they arrive.
func (m *Model) sortSubscriptions() {
	s := m.res.Subscriptions
	for i := len(s) - 1; i > 0 && strings.ToLower(s[i].Subscription.Name) < strings.ToLower(s[i-1].Subscription.Name); i-- {
		s[i], s[i-1] = s[i-1], s[i]
	}
}

// rebuild recomputes the rows from the result and the filter, keeping the selected cache
// while results arrive; a new filter selects its first match.
func (m *Model) rebuild() { m.rebuildKeeping(true) }

func (m *Model) refilter() {
	m.offset = 0
	m.rebuildKeeping(false)
}

func (m *Model) rebuildKeeping(keepSelection bool) {
	var keep string
	if c, ok := m.Selected(); ok && keepSelection {
		keep = c.ID
	}
	q := strings.ToLower(m.filter)
	m.rows = m.rows[:0]
	for _, s := range m.res.Subscriptions {
		var caches []row
		for _, c := range s.Caches {
			if q == "" || matches(c, q) {
				caches = append(caches, row{kind: rowCache, sub: s.Subscription, cache: c})
			}
		}
		subMatch := q != "" && strings.Contains(strings.ToLower(s.Subscription.Name), q)
		if subMatch {
			caches = caches[:0]
			for _, c := range s.Caches {
				caches = append(caches, row{kind: rowCache, sub: s.Subscription, cache: c})
			}
		}
		if len(caches) == 0 && q != "" && !subMatch {
			continue
		}
		m.rows = append(m.rows, row{kind: rowSubscription, sub: s.Subscription})
		for _, f := range s.Failures {
			m.rows = append(m.rows, row{kind: rowFailure, sub: s.Subscription, text: f.Message})
		}
		m.rows = append(m.rows, caches...)
		if len(s.Caches) == 0 && len(s.Failures) == 0 {
			m.rows = append(m.rows, row{kind: rowEmpty, sub: s.Subscription})
		}
	}
	m.cursor = -1
	for i, r := range m.rows {
		if r.kind == rowCache && (m.cursor < 0 || r.cache.ID == keep) {
			m.cursor = i
			if r.cache.ID == keep {
				break
			}
		}
	}
}

// matches is the filter: a substring of the name, resource group, region, host or service.
func matches(c catalog.Cache, q string) bool {
	for _, s := range []string{c.Ref(), c.ResourceGroup, c.Location, c.HostName, c.ServiceName(), c.ServiceShort(), c.SKU} {
		if strings.Contains(strings.ToLower(s), q) {
			return true
		}
	}
	return false
}

// Selected is the cache under the cursor.
func (m *Model) Selected() (catalog.Cache, bool) {
	if m.cursor < 0 || m.cursor >= len(m.rows) || m.rows[m.cursor].kind != rowCache {
		return catalog.Cache{}, false
	}
	return m.rows[m.cursor].cache, true
}

// move steps the cursor by d cache rows.
func (m *Model) move(d int) {
	if m.cursor < 0 {
		return
	}
	step := 1
	if d < 0 {
		step, d = -1, -d
	}
	for ; d > 0; d-- {
		i := m.cursor + step
		for i >= 0 && i < len(m.rows) && m.rows[i].kind != rowCache {
			i += step
		}
		if i < 0 || i >= len(m.rows) {
			return
		}
		m.cursor = i
	}
}

// Update handles a key on this screen. It reports back when the user leaves the screen (esc
// with nothing to undo).
func (m *Model) Update(msg tea.KeyPressMsg) (cmd tea.Cmd, back bool) {
	if m.access != nil {
		return m.accessKey(msg)
	}
	k := m.c.Keys
	switch s := msg.String(); {
	case s == "esc":
		if m.filter != "" {
			m.filter = ""
			m.refilter()
			return nil, false
		}
		return nil, true
	case s == "enter":
		return m.add(), false
	case s == "tab":
		return m.openAccess(), false
	case s == "ctrl+r":
		return m.Start(m.profile), false
	case s == "backspace":
		if m.filter == "" {
			return nil, true
		}
		r := []rune(m.filter)
		m.filter = string(r[:len(r)-1])
		m.refilter()
		return nil, false
	case s == "up" || s == "ctrl+p":
		m.move(-1)
	case s == "down" || s == "ctrl+n":
		m.move(1)
	case key.Matches(msg, k.PageUp):
		m.move(-max(1, m.c.BodyHeight()-3))
	case key.Matches(msg, k.PageDown):
		m.move(max(1, m.c.BodyHeight()-3))
	case msg.Text != "" && isPrintable(msg.Text):
		m.filter += msg.Text
		m.refilter()
	}
	return nil, false
}

func isPrintable(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}

// add writes a profile for the selected cache; App opens it on AddedMsg.
func (m *Model) add() tea.Cmd {
	c, ok := m.Selected()
	if !ok || m.adding {
		return nil
	}
	if c.Err != "" {
		m.c.Flash(c.Ref()+": "+c.Err, common.FlashWarn)
		return nil
	}
	m.adding = true
	d, profile := m.d, m.profile
	return m.c.IO(func(ctx context.Context) tea.Msg {
		name, err := d.AddProfile(ctx, profile, c)
		return AddedMsg{Name: name, Cache: c, Err: err}
	})
}

// OnAdded clears the pending write; App does the rest.
func (m *Model) OnAdded(msg AddedMsg) {
	m.adding = false
	if msg.Err != nil {
		m.c.Flash(msg.Err.Error(), common.FlashError)
	}
}

// openAccess shows who may use the selected cache.
func (m *Model) openAccess() tea.Cmd {
	c, ok := m.Selected()
	if !ok {
		return nil
	}
	m.gen = m.c.NextGen()
	m.access = &accessView{cache: c, loading: true}
	d, profile, me, gen, parent := m.d, m.profile, m.res.Identity, m.gen, m.c.Ctx
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(parent, discoverTimeout)
		defer cancel()
		acc, err := d.Access(ctx, profile, c, me)
		return AccessMsg{gen: gen, acc: acc, err: err}
	}
}

// OnAccess takes the access read.
func (m *Model) OnAccess(msg AccessMsg) {
	if m.access == nil || msg.gen != m.gen {
		return
	}
	m.access.loading = false
	if msg.err != nil {
		m.access.err = msg.err.Error()
		return
	}
	m.access.acc = msg.acc
}

func (m *Model) accessKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := m.c.Keys
	switch {
	case key.Matches(msg, k.Back), msg.String() == "tab":
		m.access = nil
	case key.Matches(msg, k.Up):
		m.access.offset = max(0, m.access.offset-1)
	case key.Matches(msg, k.Down):
		m.access.offset++
	case msg.String() == "enter":
		m.access = nil
		return m.add(), false
	}
	return nil, false
}

// Help is the footer's key list.
func (m *Model) Help() common.HelpKeys {
	b := func(keys, help, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys), key.WithHelp(help, desc))
	}
	if m.access != nil {
		return common.HelpKeys{Short: []key.Binding{b("enter", "enter", "write profile & open"), b("esc", "esc", "back to the list"), m.c.Keys.Command}}
	}
	return common.HelpKeys{Short: []key.Binding{
		b("enter", "enter", "write profile & open"), b("tab", "tab", "who can use it"),
		b("type", "type", "filter"), b("ctrl+r", "ctrl+r", "list again"), b("esc", "esc", "back"), m.c.Keys.Command,
	}}
}
