package sessionstore

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/profiles"
	"github.com/amr-tui/amr-tui/session"
	"github.com/amr-tui/amr-tui/ui"
)

// Info is what the header shows about a session that does not change while it runs.
type Info struct {
	Profile  string
	Color    string
	Addr     string // host:port
	DB       int
	ReadOnly bool
	TLS      ui.TLSMode
}

// InfoFromProfile takes Info from a saved profile (its effective endpoint).
func InfoFromProfile(p profiles.Profile) Info {
	ep := p.Endpoint()
	mode := ui.TLSOn
	switch {
	case !ep.TLS:
		mode = ui.TLSOff
	case p.TLS.InsecureSkipVerify:
		mode = ui.TLSInsecure
	}
	return Info{Profile: p.Name, Color: p.Color, Addr: ep.Addr(), DB: p.DB, ReadOnly: p.ReadOnly, TLS: mode}
}

// promptEvery re-sends a pending device code prompt before the footer's flash fades (6 s), so
// it stays on screen until the login completes.
const promptEvery = 5 * time.Second

// Session is ui.Session over a *session.Session: the header's snapshot from Snapshot, and one
// ui.SessionUpdate per session event, with a flash message where the event deserves one.
//
// It exists before the session does, so that its DeviceCodePrompt can be handed to
// auth.Options: a prompt that arrives before Attach goes to the Before hook (the TUI is not
// running yet); one that arrives later (a refresh that needs a new login) is shown in the
// footer, repeated until a token arrives, and never printed over the TUI.
type Session struct {
	info Info
	// Before receives device code prompts that arrive before Attach; nil drops them.
	Before func(auth.DeviceCodePrompt)

	ch   chan ui.SessionUpdate
	stop chan struct{}
	wg   sync.WaitGroup

	mu       sync.Mutex
	s        *session.Session
	prompt   string    // pending device code prompt, "" when none
	promptAt time.Time // when it arrived: only a later token or failure settles it
	closed   bool
	promptCh chan struct{}
}

var _ ui.Session = (*Session)(nil)

// NewSession returns an adapter not yet attached to a session.
func NewSession(info Info) *Session {
	return &Session{info: info, ch: make(chan ui.SessionUpdate, 64), stop: make(chan struct{}),
		promptCh: make(chan struct{}, 1)}
}

// Attach starts forwarding s's events. Call it once, after session.Open.
func (x *Session) Attach(s *session.Session) {
	x.mu.Lock()
	x.s = s
	x.mu.Unlock()
	x.wg.Add(1)
	go x.forward(s)
}

// Close stops forwarding and closes the Updates channel. It does not close the session.
func (x *Session) Close() {
	x.mu.Lock()
	if x.closed {
		x.mu.Unlock()
		return
	}
	x.closed = true
	x.mu.Unlock()
	close(x.stop)
	x.wg.Wait()
	close(x.ch)
}

// DeviceCodePrompt is an auth.Options.DeviceCodePrompt that shows the prompt in the UI.
func (x *Session) DeviceCodePrompt(_ context.Context, p auth.DeviceCodePrompt) error {
	text := p.Message
	if text == "" {
		text = fmt.Sprintf("To sign in, open %s and enter the code %s", p.VerificationURL, p.UserCode)
	}
	x.mu.Lock()
	attached, before := x.s != nil, x.Before
	x.prompt, x.promptAt = text, time.Now()
	x.mu.Unlock()
	if !attached {
		if before != nil {
			before(p)
		}
		return nil
	}
	select {
	case x.promptCh <- struct{}{}:
	default:
	}
	return nil
}

// State implements ui.Session.
func (x *Session) State() ui.SessionState {
	x.mu.Lock()
	s := x.s
	x.mu.Unlock()
	if s == nil {
		return x.base()
	}
	return x.stateOf(s.Snapshot())
}

// Updates implements ui.Session.
func (x *Session) Updates() <-chan ui.SessionUpdate { return x.ch }

func (x *Session) base() ui.SessionState {
	i := x.info
	return ui.SessionState{Profile: i.Profile, Color: i.Color, Addr: i.Addr, DB: i.DB, ReadOnly: i.ReadOnly, TLS: i.TLS}
}

func (x *Session) stateOf(st session.State) ui.SessionState {
	u := x.base()
	c := st.Claims
	switch {
	case c.UPN != "":
		u.Identity = c.UPN
	case c.AppID != "":
		u.Identity = c.AppID
	case st.Username != "":
		u.Identity = st.Username // access key with an ACL user
	}
	u.ObjectID = c.ObjectID
	if u.ObjectID == "" && c.UPN+c.AppID != "" {
		u.ObjectID = st.Username
	}
	u.Expires, u.ExpiresAt = st.Expires, st.ExpiresAt
	u.Refreshing, u.RetryAt, u.Expired = st.Refreshing, st.RetryAt, st.Expired
	u.Cluster, u.Shards = st.Cluster, st.Shards
	return u
}

func (x *Session) forward(s *session.Session) {
	defer x.wg.Done()
	t := time.NewTicker(promptEvery)
	defer t.Stop()
	for {
		var u ui.SessionUpdate
		select {
		case <-x.stop:
			return
		case ev := <-s.Events():
			u = x.update(s.Snapshot(), ev)
		case <-x.promptCh:
			u = x.promptUpdate(s)
		case <-t.C:
			u = x.promptUpdate(s)
			if u.Flash == "" {
				continue
			}
		}
		select {
		case x.ch <- u:
		case <-x.stop:
			return
		}
	}
}

func (x *Session) promptUpdate(s *session.Session) ui.SessionUpdate {
	x.mu.Lock()
	p := x.prompt
	x.mu.Unlock()
	return ui.SessionUpdate{State: x.stateOf(s.Snapshot()), Flash: p, Level: ui.FlashWarn}
}

// update turns one event into a snapshot and, where it matters to the user, a flash message.
func (x *Session) update(st session.State, ev session.Event) ui.SessionUpdate {
	u := ui.SessionUpdate{State: x.stateOf(st)}
	switch e := ev.(type) {
	case session.TokenAcquired:
		x.settlePrompt(e.Time)
		// A new token is announced by its re-AUTH round ("token refreshed, 4 connections…").
	case session.ReauthDone:
		u.Flash = fmt.Sprintf("token refreshed, %s re-authenticated", plural(e.Connections, "connection"))
		if e.Evicted > 0 {
			u.Flash += fmt.Sprintf(", %s closed while idle", plural(e.Evicted, "connection"))
		}
		if e.Failed > 0 {
			u.Flash += fmt.Sprintf(", %d failed", e.Failed)
			if e.Err != nil {
				u.Flash += ": " + e.Err.Error()
			}
			u.Level = ui.FlashError
		}
	case session.RefreshFailed:
		x.settlePrompt(e.Time)
		u.Flash = fmt.Sprintf("token refresh failed (attempt %d): %s", e.Attempt, errText(e.Err))
		u.Level = ui.FlashWarn
	case session.TokenExpired:
		u.Flash = "token expired"
		if e.LastErr != nil {
			u.Flash += ": " + errText(e.LastErr)
		}
		u.Level = ui.FlashError
	case session.ConnectionLost:
		u.Flash = "connection lost: " + errText(e.Err)
		u.Level = ui.FlashError
	case session.ConnectionRestored:
		u.Flash = "connection restored after " + e.Down.Round(100*time.Millisecond).String()
	}
	return u
}

// settlePrompt forgets the pending prompt when the login it asked for has ended (a token or a
// failure that happened after it was shown).
func (x *Session) settlePrompt(at time.Time) {
	x.mu.Lock()
	if at.After(x.promptAt) {
		x.prompt = ""
	}
	x.mu.Unlock()
}

// errText is one line for the footer: an auth.Error's one-line form (it holds no secret).
func errText(err error) string {
	if err == nil {
		return "unknown error"
	}
	return err.Error()
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
