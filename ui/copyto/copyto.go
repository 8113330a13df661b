package copyto

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/amr-tui/amr-tui/bulk"
	"github.com/amr-tui/amr-tui/ui/common"
)

// Phase is where the copy stands.
type Phase int

// The phases, in order.
const (
	PhasePick    Phase = iota // choosing the target profile
	PhasePreview              // opening the target and counting the marks, then the preview
	PhaseConfirm              // the target's name typed to confirm
	PhaseRun                  // copying
	PhaseReport               // done: the report
	PhaseClosed               // the screen is gone; App drops it
)

// TickEvery is how often a running open, preview or copy is looked at.
var TickEvery = 200 * time.Millisecond

// Conflicts are the conflict rules offered, in the order tab cycles them.
var Conflicts = []bulk.Conflict{bulk.ConflictSkip, bulk.ConflictReplace, bulk.ConflictFail}

// Model is the copy screen: an overlay over the key list.
type Model struct {
	c      *common.Common
	opener common.Opener
	source string // the profile in use (never offered as a target)
	sel    bulk.Selection
	marked int64
	gen    uint64

	Phase    Phase
	Profiles []common.ProfileSummary // the other saved profiles
	Cursor   int
	loading  bool
	// Notice is why something was refused or failed (a read-only target, an open that
	// failed, a confirmation that did not match); shown in the box.
	Notice string

	Target   common.ProfileSummary
	open     *openJob
	opened   *common.Opened // the target's session, owned here until the screen closes
	code     *common.DeviceCode
	preview  *bulk.Job
	pre      *previewResult
	Conflict bulk.Conflict
	DropTTL  bool

	Input *common.LineInput // the confirmation

	run    *bulk.Job
	Report *bulk.Report
	Err    error
}

// New returns the screen for the marked keys sel (count of them marked), copying from the
// profile source; Init loads the profile list.
func New(c *common.Common, opener common.Opener, source string, sel bulk.Selection, count int64) *Model {
	if sel.Keys != nil { // marks come from a map: a stable order for the preview's sample
		sel.Keys = slices.Clone(sel.Keys)
		slices.Sort(sel.Keys)
	}
	return &Model{c: c, opener: opener, source: source, sel: sel, marked: count, gen: c.NextGen(), Conflict: bulk.ConflictSkip, loading: true}
}

// ProfilesMsg carries the saved profiles read for the picker.
type ProfilesMsg struct {
	gen  uint64
	list common.ProfileList
	err  error
}

// TickMsg is a look at a running open, preview or copy.
type TickMsg struct{ gen uint64 }

func (m *Model) tick() tea.Cmd {
	gen := m.gen
	return tea.Tick(TickEvery, func(time.Time) tea.Msg { return TickMsg{gen: gen} })
}

// Init reads the saved profiles.
func (m *Model) Init() tea.Cmd {
	if m.opener == nil {
		m.loading = false
		m.Notice = "copying to another profile needs the saved profiles (start amr-tui with -p)"
		return nil
	}
	op, gen := m.opener, m.gen
	return m.c.IO(func(ctx context.Context) tea.Msg {
		l, err := op.Profiles(ctx)
		return ProfilesMsg{gen: gen, list: l, err: err}
	})
}

// OnProfiles takes the profile list.
func (m *Model) OnProfiles(msg ProfilesMsg) {
	if msg.gen != m.gen || m.Phase != PhasePick {
		return
	}
	m.loading = false
	if msg.err != nil {
		m.Notice = "the saved profiles could not be read: " + msg.err.Error()
		return
	}
	m.Profiles = m.Profiles[:0]
	for _, p := range msg.list.Profiles {
		if p.Name != m.source {
			m.Profiles = append(m.Profiles, p)
		}
	}
	if len(m.Profiles) == 0 {
		m.Notice = "there is no other saved profile to copy to (amr-tui profiles add …)"
	}
}

// Busy reports whether something runs in the background (tests wait for it to settle).
func (m *Model) Busy() bool {
	return m.loading || m.open != nil || m.preview != nil || m.run != nil
}

// Closed reports whether the screen is done; App drops it.
func (m *Model) Closed() bool { return m.Phase == PhaseClosed }

// openJob opens the target profile in the background; its fields are read after done.
type openJob struct {
	done   chan struct{}
	cancel context.CancelFunc
	opened common.Opened
	err    error
	mu     sync.Mutex
	code   *common.DeviceCode // a device code login waiting for the user
}

func (j *openJob) deviceCode() *common.DeviceCode {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.code
}

type previewResult struct {
	res bulk.PreviewResult
	err error
}

// choose refuses a read-only target, or opens it and counts the marks on the source.
func (m *Model) choose() tea.Cmd {
	if m.Cursor < 0 || m.Cursor >= len(m.Profiles) {
		return nil
	}
	t := m.Profiles[m.Cursor]
	if t.ReadOnly {
		m.Notice = common.Printable(t.Name) + " is read-only: copying into it is refused (nothing was sent)"
		return nil
	}
	br, ok := m.c.Store.(common.BulkRunner)
	if _, copies := m.c.Store.(common.BulkCopier); !ok || !copies {
		m.Notice = "this connection cannot copy keys"
		return nil
	}
	m.Target, m.Notice, m.Phase = t, "", PhasePreview
	m.gen = m.c.NextGen()
	ctx, cancel := context.WithCancel(m.c.Ctx)
	j := &openJob{done: make(chan struct{}), cancel: cancel}
	op, name := m.opener, t.Name
	go func() {
		o, err := op.Open(ctx, name, func(dc common.DeviceCode) {
			j.mu.Lock()
			j.code = &dc
			j.mu.Unlock()
		})
		if err == nil && ctx.Err() != nil && o.Close != nil { // cancelled while it succeeded
			o.Close()
			o, err = common.Opened{}, ctx.Err()
		}
		j.opened, j.err = o, err
		close(j.done)
	}()
	m.open = j
	sel, pctx := m.sel, m.c.Ctx
	res := &previewResult{}
	m.pre = res
	m.preview = bulk.Start(0, 0, func(ctl *bulk.Control) (bulk.Report, error) {
		p, err := br.BulkPreview(pctx, sel, bulk.PreviewOptions{Sample: 5}, ctl)
		res.res, res.err = p, err // read only after Done
		return bulk.Report{Matched: p.Count}, err
	})
	return m.tick()
}

// OnTick follows the open, the preview and the copy.
func (m *Model) OnTick(msg TickMsg) tea.Cmd {
	if msg.gen != m.gen {
		return nil
	}
	switch m.Phase {
	case PhasePreview:
		if j := m.open; j != nil {
			select {
			case <-j.done:
				m.open = nil
				if j.err != nil {
					return m.fail("opening " + common.Printable(m.Target.Name) + " failed: " + j.err.Error())
				}
				m.opened = &j.opened
				if j.opened.Session != nil && j.opened.Session.State().ReadOnly {
					return m.fail(common.Printable(m.Target.Name) + " is read-only: copying into it is refused (nothing was sent)")
				}
			default:
				m.code = j.deviceCode()
			}
		}
		if m.preview != nil {
			select {
			case <-m.preview.Done():
				m.preview = nil
				if m.pre.err != nil {
					return m.fail("counting the marked keys failed: " + m.pre.err.Error())
				}
				if m.pre.res.Count == 0 {
					return m.fail("no marked key exists any more: nothing to copy")
				}
			default:
			}
		}
		if m.open != nil || m.preview != nil {
			return m.tick()
		}
	case PhaseRun:
		select {
		case <-m.run.Done():
		default:
			return m.tick()
		}
		rep, err := m.run.Result()
		m.run = nil
		m.Report, m.Err, m.Phase = &rep, err, PhaseReport
	}
	return nil
}

// fail ends the flow at the picker with a reason, closing the target if it was opened.
func (m *Model) fail(reason string) tea.Cmd {
	cmd := m.release()
	m.Phase, m.Notice = PhasePick, reason
	return cmd
}

// release stops what runs and closes the target's session (off the event loop).
func (m *Model) release() tea.Cmd {
	m.gen = m.c.NextGen()
	var cmds []tea.Cmd
	if j := m.open; j != nil {
		m.open = nil
		j.cancel()
		// An open that succeeded just before the cancel is closed once it reports.
		cmds = append(cmds, func() tea.Msg {
			<-j.done
			if j.err == nil && j.opened.Close != nil {
				j.opened.Close()
			}
			return nil
		})
	}
	if m.preview != nil {
		m.preview.Control.Cancel()
		m.preview = nil
	}
	m.Input = nil
	if m.opened != nil && m.opened.Close != nil {
		closeFn := m.opened.Close
		cmds = append(cmds, func() tea.Msg { closeFn(); return nil })
	}
	m.opened = nil
	return common.Batch(cmds...)
}

// Close ends the screen (App calls it when it goes away for another reason).
func (m *Model) Close() tea.Cmd {
	if m.run != nil {
		m.run.Control.Cancel()
		m.run = nil
	}
	cmd := m.release()
	m.Phase = PhaseClosed
	return cmd
}

// start runs the confirmed copy.
func (m *Model) start() tea.Cmd {
	bc, _ := m.c.Store.(common.BulkCopier)
	if bc == nil || m.opened == nil {
		return m.fail("the copy cannot start: no connection")
	}
	m.Phase, m.Input = PhaseRun, nil
	m.gen = m.c.NextGen()
	ctx, target, sel := m.c.Ctx, m.opened.Store, m.sel
	opts := bulk.CopyOptions{Conflict: m.Conflict, DropTTL: m.DropTTL}
	opts.ReadOnly = m.opened.Session != nil && m.opened.Session.State().ReadOnly
	m.run = bulk.Start(0, m.pre.res.Count, func(ctl *bulk.Control) (bulk.Report, error) {
		o := opts
		o.Control = ctl
		return bc.BulkCopyTo(ctx, target, sel, o)
	})
	return m.tick()
}

// Update handles a key while the screen is up.
func (m *Model) Update(msg tea.KeyPressMsg) tea.Cmd {
	k := m.c.Keys
	s := msg.String()
	switch m.Phase {
	case PhasePick:
		switch {
		case s == "esc" || s == "q":
			return m.Close()
		case key.Matches(msg, k.Up):
			m.Cursor = max(0, m.Cursor-1)
		case key.Matches(msg, k.Down):
			m.Cursor = min(len(m.Profiles)-1, m.Cursor+1)
		case s == "enter":
			return m.choose()
		}
	case PhasePreview:
		switch {
		case s == "esc":
			return m.Close()
		case m.open != nil || m.preview != nil:
		case s == "tab" || s == "right" || s == "l":
			m.Conflict = Conflicts[(slices.Index(Conflicts, m.Conflict)+1)%len(Conflicts)]
		case s == "shift+tab" || s == "left" || s == "h":
			m.Conflict = Conflicts[(slices.Index(Conflicts, m.Conflict)+len(Conflicts)-1)%len(Conflicts)]
		case s == "t":
			m.DropTTL = !m.DropTTL
		case s == "enter":
			m.Phase = PhaseConfirm
			m.Input = common.NewLineInput(m.c, common.InputBulkConfirm, "type "+common.Printable(m.Target.Name)+" to confirm: ", "")
		}
	case PhaseConfirm:
		switch s {
		case "esc":
			m.Phase, m.Input = PhasePreview, nil
		case "enter":
			if m.Input.Value() != m.Target.Name {
				m.Phase, m.Input = PhasePreview, nil
				m.Notice = "not confirmed: nothing was sent"
				return nil
			}
			m.Notice = ""
			return m.start()
		default:
			cmd, _ := m.Input.Update(msg)
			return cmd
		}
	case PhaseRun:
		if common.ToggleOrCancel(m.run.Control, s) {
			m.Notice = "cancelling after the batch in flight…"
		}
	case PhaseReport:
		if s == "esc" || s == "enter" || s == "q" {
			return m.Close()
		}
	}
	return nil
}

// Paste feeds pasted text to the confirmation prompt.
func (m *Model) Paste(text string) tea.Cmd {
	if m.Input == nil {
		return nil
	}
	return m.Input.Paste(text)
}

// Help lists the keys of the current phase for the footer.
func (m *Model) Help() common.HelpKeys {
	b := func(k, desc string) key.Binding { return key.NewBinding(key.WithKeys(k), key.WithHelp(k, desc)) }
	var ks []key.Binding
	switch m.Phase {
	case PhasePick:
		ks = []key.Binding{m.c.Keys.Up, m.c.Keys.Down, b("enter", "choose"), b("esc", "cancel")}
	case PhasePreview:
		ks = []key.Binding{b("tab", "conflict rule"), b("t", "TTL keep/none"), b("enter", "confirm"), b("esc", "cancel")}
	case PhaseConfirm:
		ks = []key.Binding{b("enter", "copy"), b("esc", "back")}
	case PhaseRun:
		ks = []key.Binding{b("p", "pause/resume"), b("esc", "cancel")}
	default:
		ks = []key.Binding{b("enter", "close")}
	}
	return common.HelpKeys{Short: ks}
}

// cancelled reports whether the copy ended by a cancel.
func (m *Model) cancelled() bool {
	return m.Err != nil && (errors.Is(m.Err, bulk.ErrCancelled) || errors.Is(m.Err, context.Canceled))
}
