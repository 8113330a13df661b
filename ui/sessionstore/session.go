package sessionstore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/profiles"
	"github.com/amr-tui/amr-tui/session"
	"github.com/amr-tui/amr-tui/ui/common"
)

// Info is what the header shows about a session that does not change while it runs.
type Info struct {
	Profile  string
	Color    string
	Addr     string // host:port
	DB       int
	ReadOnly bool
	TLS      common.TLSMode
	// TreeDelimiters split key names into the tree view's folders.
	TreeDelimiters []string
}

// InfoFromProfile takes Info from a saved profile (its effective endpoint).
func InfoFromProfile(p profiles.Profile) Info {
	ep := p.Endpoint()
	mode := common.TLSOn
	switch {
	case !ep.TLS:
		mode = common.TLSOff
	case p.TLS.InsecureSkipVerify:
		mode = common.TLSInsecure
	}
	return Info{Profile: p.Name, Color: p.Color, Addr: ep.Addr(), DB: p.DB, ReadOnly: p.ReadOnly, TLS: mode,
		TreeDelimiters: p.EffectiveTreeDelimiters()}
}

// promptEvery re-sends a pending device code prompt before the footer's flash fades (6 s), so
// it stays on screen until the login completes.
const promptEvery = 5 * time.Second

// Session is common.Session over a *session.Session: the header's snapshot from Snapshot, and one
// common.SessionUpdate per session event, with a flash message where the event deserves one.
//
// It exists before the session does, so that its DeviceCodePrompt can be handed to
// auth.Options: a prompt that arrives before Attach goes to the Before hook (the TUI is not
// running yet); one that arrives later (a refresh that needs a new login) is shown in the
// footer, repeated until a token arrives, and never printed over the TUI.
type Session struct {
	info Info
	// Before receives device code prompts that arrive before Attach; nil drops them.
	Before func(auth.DeviceCodePrompt)

	ch   chan common.SessionUpdate
	stop chan struct{}
	wg   sync.WaitGroup

	mu        sync.Mutex
	s         *session.Session
	prompt    string    // pending device code prompt, "" when none
	promptAt  time.Time // when it arrived: only a later token or failure settles it
	refreshAt time.Time // when the token request in flight started; zero when none
	closed    bool
	promptCh  chan struct{}
}

var _ common.Session = (*Session)(nil)

// NewSession returns an adapter not yet attached to a session.
func NewSession(info Info) *Session {
	return &Session{info: info, ch: make(chan common.SessionUpdate, 64), stop: make(chan struct{}),
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

// State implements common.Session.
func (x *Session) State() common.SessionState {
	x.mu.Lock()
	s := x.s
	x.mu.Unlock()
	if s == nil {
		return x.base()
	}
	return x.stateOf(s.Snapshot())
}

// Updates implements common.Session.
func (x *Session) Updates() <-chan common.SessionUpdate { return x.ch }

func (x *Session) base() common.SessionState {
	i := x.info
	x.mu.Lock()
	prompt := x.prompt
	x.mu.Unlock()
	return common.SessionState{Profile: i.Profile, Color: i.Color, Addr: i.Addr, DB: i.DB, ReadOnly: i.ReadOnly, TLS: i.TLS,
		TreeDelimiters: i.TreeDelimiters, DeviceCode: prompt}
}

func (x *Session) stateOf(st session.State) common.SessionState {
	u := x.base()
	u.DB = st.DB // :db may have moved it from the profile's
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
	u.TenantID, u.Credential, u.IssuedAt = c.TenantID, st.Kind, c.IssuedAt
	u.NextRefreshAt, u.Generation = st.NextRefreshAt, st.Generation
	cn := st.Connections
	u.Pool, u.Console, u.PubSub, u.Stale = cn.Pool, cn.Console, cn.PubSub, cn.Stale
	if st.LastErr != nil {
		u.LastError = explain(st.LastErr)
	}
	u.Cluster, u.Shards = st.Cluster, st.Shards
	return u
}

func (x *Session) forward(s *session.Session) {
	defer x.wg.Done()
	t := time.NewTicker(promptEvery)
	defer t.Stop()
	for {
		var u common.SessionUpdate
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

func (x *Session) promptUpdate(s *session.Session) common.SessionUpdate {
	x.mu.Lock()
	p := x.prompt
	x.mu.Unlock()
	return common.SessionUpdate{State: x.stateOf(s.Snapshot()), Flash: p, Level: common.FlashWarn}
}

// update turns one event into a snapshot, a line of the session panel's history and, where it
// matters to the user, a flash message.
func (x *Session) update(st session.State, ev session.Event) common.SessionUpdate {
	var u common.SessionUpdate
	h := &common.SessionEvent{At: ev.When()}
	switch e := ev.(type) {
	case session.RefreshStarted:
		x.mu.Lock()
		x.refreshAt = e.Time
		x.mu.Unlock()
		h = nil // its outcome (a token or a failure) is the history line, with the duration
	case session.TokenAcquired:
		x.settlePrompt(e.Time)
		// A new token is announced by its re-AUTH round ("token refreshed, 4 connections…").
		h.What = "token acquired"
		if e.Generation > 1 {
			h.What = "token refreshed"
		}
		h.Detail = fmt.Sprintf("#%d, expires %s, next refresh %s", e.Generation, clock(e.ExpiresAt), clock(e.NextRefreshAt))
		h.Duration = x.sinceRefresh(e.Time)
	case session.TokenUnchanged:
		h.What = "token unchanged"
		h.Detail = fmt.Sprintf("the source returned the token in use; asking again at %s", clock(e.NextPollAt))
		h.Duration = x.sinceRefresh(e.Time)
	case session.ReauthDone:
		u.Flash = fmt.Sprintf("token refreshed, %s re-authenticated", plural(e.Connections, "connection"))
		if e.Evicted > 0 {
			u.Flash += fmt.Sprintf(", %s closed while idle", plural(e.Evicted, "connection"))
		}
		h.What, h.Duration = "re-AUTH", e.Duration
		h.Detail = fmt.Sprintf("token #%d on %s", e.Generation, plural(e.Connections, "connection"))
		if e.Evicted > 0 {
			h.Detail += fmt.Sprintf(", %d closed while idle", e.Evicted)
		}
		if e.Failed > 0 {
			u.Flash += fmt.Sprintf(", %d failed", e.Failed)
			if e.Err != nil {
				u.Flash += ": " + e.Err.Error()
				h.Err = explain(e.Err)
			}
			u.Level = common.FlashError
			h.Detail += fmt.Sprintf(", %d failed", e.Failed)
			h.Level = common.FlashError
		}
	case session.RefreshFailed:
		x.settlePrompt(e.Time)
		u.Flash = fmt.Sprintf("token refresh failed (attempt %d): %s", e.Attempt, errText(e.Err))
		u.Level = common.FlashWarn
		h.What, h.Level = "refresh failed", common.FlashWarn
		h.Detail = fmt.Sprintf("attempt %d, retry at %s", e.Attempt, clock(e.NextRetryAt))
		h.Duration = x.sinceRefresh(e.Time)
		h.Err = explain(e.Err)
	case session.TokenExpired:
		u.Flash = "token expired"
		if e.LastErr != nil {
			u.Flash += ": " + errText(e.LastErr)
			h.Err = explain(e.LastErr)
		}
		u.Level = common.FlashError
		h.What, h.Level = "token expired", common.FlashError
		h.Detail = "at " + clock(e.ExpiredAt) + "; the server closes connections still holding it"
	case session.ConnectionLost:
		u.Flash = "connection lost: " + errText(e.Err)
		u.Level = common.FlashError
		h.What, h.Level, h.Detail = "connection lost", common.FlashError, errText(e.Err)
	case session.ConnectionRestored:
		u.Flash = "connection restored after " + e.Down.Round(100*time.Millisecond).String()
		h.What, h.Duration = "connection restored", e.Down
		h.Detail = "the server answers again"
	default:
		h = nil
	}
	u.State = x.stateOf(st)
	u.Event = h
	return u
}

// sinceRefresh is how long the token request that ended at end took; 0 when its start was
// not seen.
func (x *Session) sinceRefresh(end time.Time) time.Duration {
	x.mu.Lock()
	defer x.mu.Unlock()
	start := x.refreshAt
	x.refreshAt = time.Time{}
	if start.IsZero() || end.Before(start) {
		return 0
	}
	return end.Sub(start)
}

// explain is an error in full for the session panel: an auth.Error's explanation (which
// credential, which step, the likely fix; never a secret), else its text.
func explain(err error) string {
	var ae *auth.Error
	if errors.As(err, &ae) {
		return ae.Explain()
	}
	return errText(err)
}

func clock(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Format("15:04:05")
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
