package ui

import (
	"github.com/amr-tui/amr-tui/ui/browser"
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"

	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeOpener opens fake profiles: each has its own store and session; a profile can fail,
// ask for a device code, or wait on a gate before it opens.
type fakeOpener struct {
	mu       sync.Mutex
	list     common.ProfileList
	stores   map[string]*uitest.FakeStore
	sessions map[string]*uitest.FakeSession
	fail     map[string]error
	code     map[string]common.DeviceCode
	gate     map[string]chan struct{} // Open waits for it to close (or the context to end)
	closed   []string
	opened   []string
	saved    []map[string]string
	deleted  []string
	saveErr  error
}

func newFakeOpener(names ...string) *fakeOpener {
	o := &fakeOpener{stores: map[string]*uitest.FakeStore{}, sessions: map[string]*uitest.FakeSession{}, fail: map[string]error{},
		code: map[string]common.DeviceCode{}, gate: map[string]chan struct{}{}}
	o.list.Path = "/home/alice/.config/amr-tui/profiles.toml"
	colors := []string{"red", "green", "blue", "yellow"}
	for i, n := range names {
		o.list.Profiles = append(o.list.Profiles, common.ProfileSummary{Name: n, Auth: "developer/azure-cli",
			Addr: n + ".westeurope.redis.azure.net:10000", Color: colors[i%len(colors)], ReadOnly: i == 0})
		st := uitest.NewFakeStore()
		st.Set(n+":key", "value of "+n)
		o.stores[n] = st
		o.sessions[n] = uitest.NewFakeSession(common.SessionState{Profile: n, Color: colors[i%len(colors)], Addr: n + ".westeurope.redis.azure.net:10000",
			Identity: "alice@contoso.com", Expires: true, ExpiresAt: uitest.T0.Add(50 * time.Minute)})
	}
	return o
}

func (o *fakeOpener) Profiles(context.Context) (common.ProfileList, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	l := o.list
	l.Profiles = slices.Clone(l.Profiles)
	return l, nil
}

func (o *fakeOpener) Open(ctx context.Context, name string, prompt func(common.DeviceCode)) (common.Opened, error) {
	o.mu.Lock()
	dc, hasCode := o.code[name]
	gate, err := o.gate[name], o.fail[name]
	st, sess := o.stores[name], o.sessions[name]
	o.mu.Unlock()
	if hasCode {
		prompt(dc)
	}
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return common.Opened{}, ctx.Err()
		}
	}
	if err != nil {
		return common.Opened{}, err
	}
	o.mu.Lock()
	o.opened = append(o.opened, name)
	o.mu.Unlock()
	return common.Opened{Store: st, Session: sess, Close: func() {
		o.mu.Lock()
		o.closed = append(o.closed, name)
		o.mu.Unlock()
	}}, nil
}

func (o *fakeOpener) FormFields(kind string) []common.FormField {
	f := []common.FormField{{Key: "name", Label: "name"}, {Key: "host", Label: "host"},
		{Key: "auth.kind", Label: "auth", Choices: []string{"developer", "service-principal"}}}
	if kind == "service-principal" {
		f = append(f, common.FormField{Key: "auth.client_id", Label: "client ID"}, common.FormField{Key: "auth.client_secret", Label: "client secret", Secret: true})
	}
	return f
}

func (o *fakeOpener) LoadProfile(_ context.Context, name string) (map[string]string, error) {
	return map[string]string{"name": name, "host": name + ".example", "auth.kind": "service-principal",
		"auth.client_id": "c1", "auth.client_secret": "env:SECRET"}, nil
}

func (o *fakeOpener) SaveProfile(_ context.Context, original string, v map[string]string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.saveErr != nil {
		return o.saveErr
	}
	o.saved = append(o.saved, v)
	if original == "" {
		o.list.Profiles = append(o.list.Profiles, common.ProfileSummary{Name: v["name"], Auth: v["auth.kind"], Addr: v["host"] + ":6379"})
	}
	return nil
}

func (o *fakeOpener) DeleteProfile(_ context.Context, name string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.deleted = append(o.deleted, name)
	o.list.Profiles = slices.DeleteFunc(o.list.Profiles, func(p common.ProfileSummary) bool { return p.Name == name })
	return nil
}

func (o *fakeOpener) openedNames() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.opened)
}

func (o *fakeOpener) closedNames() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.closed)
}

func openerApp(t *testing.T, o *fakeOpener, open string) *App {
	t.Helper()
	a, _ := testApp(t, nil, nil, 100, 30, func(opt *Options) { opt.Opener, opt.OpenProfile = o, open })
	start(t, a)
	return a
}

func TestStartupOpensTheProfileInTheBackground(t *testing.T) {
	o := newFakeOpener("alpha", "beta")
	a := openerApp(t, o, "beta")
	if a.c.Store != common.Store(o.stores["beta"]) || a.session != common.Session(o.sessions["beta"]) {
		t.Fatal("the profile asked for is not in use after the open")
	}
	if a.state.Profile != "beta" || a.browser.Count() != 1 {
		t.Fatalf("state %q, %d keys", a.state.Profile, a.browser.Count())
	}
}

func TestSwitchSuccessSwapsAndClosesTheOldSession(t *testing.T) {
	o := newFakeOpener("alpha", "beta")
	a := openerApp(t, o, "alpha")
	press(t, a, "P")
	if a.life.picker == nil {
		t.Fatal("P did not open the switcher")
	}
	typeText(t, a, "bet")
	if got := a.life.picker.Selected(); got != "beta" {
		t.Fatalf("fuzzy selection %q", got)
	}
	press(t, a, "enter")
	if a.c.Store != common.Store(o.stores["beta"]) || a.state.Profile != "beta" {
		t.Fatal("the new profile was not swapped in")
	}
	if a.life.picker != nil {
		t.Fatal("the switcher stayed open after a successful switch")
	}
	if k := a.browser.KeyAt(0); k != "beta:key" {
		t.Fatalf("the browser did not rescan the new store: first key %q", k)
	}
	if got := o.closedNames(); !slices.Equal(got, []string{"alpha"}) {
		t.Fatalf("closed %v, want the old session alpha", got)
	}
	// An update still in flight from the old session is ignored.
	_, cmd := a.Update(sessionMsg{u: common.SessionUpdate{State: common.SessionState{Profile: "alpha"}}, ok: true, from: o.sessions["alpha"]})
	if cmd != nil || a.state.Profile != "beta" {
		t.Fatal("an update of the old session was applied")
	}
}

func TestSwitchFailureKeepsTheSession(t *testing.T) {
	o := newFakeOpener("alpha", "broken")
	o.fail["broken"] = errors.New("profile \"broken\": service principal: token request refused\n\nFix: check the client secret")
	a := openerApp(t, o, "alpha")
	press(t, a, ":")
	typeText(t, a, "profiles")
	press(t, a, "enter")
	typeText(t, a, "brok")
	press(t, a, "enter")
	if a.c.Store != common.Store(o.stores["alpha"]) || a.state.Profile != "alpha" {
		t.Fatal("a failed switch replaced the session")
	}
	if len(o.closedNames()) != 0 {
		t.Fatal("a failed switch closed the session in use")
	}
	p := a.life.picker
	if p == nil || p.Failure == nil || !strings.Contains(p.Failure.Text, "Fix: check the client secret") {
		t.Fatalf("the diagnosis is not shown: %+v", p)
	}
	if !strings.Contains(a.Render(), "could not open broken") {
		t.Fatalf("screen:\n%s", a.Render())
	}
	press(t, a, "esc")
	if a.life.picker != nil || a.c.Store != common.Store(o.stores["alpha"]) {
		t.Fatal("esc did not close the switcher back to the session")
	}
}

func TestStartupFailureOffersThePicker(t *testing.T) {
	o := newFakeOpener("alpha", "broken")
	o.fail["broken"] = errors.New("no route")
	a := openerApp(t, o, "broken")
	if !a.startup() || a.life.picker == nil || a.life.picker.Failure == nil {
		t.Fatal("a failed startup open does not show the picker with the failure")
	}
	press(t, a, "up", "up") // to alpha
	press(t, a, "enter")
	if a.startup() || a.state.Profile != "alpha" {
		t.Fatal("picking another profile after a failure did not open it")
	}
}

func TestDeviceCodeShowsWhileTheOpenWaits(t *testing.T) {
	o := newFakeOpener("dev")
	o.code["dev"] = common.DeviceCode{Code: "ABCD-1234", URL: "https://microsoft.com/devicelogin",
		Message: "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code ABCD-1234 to authenticate."}
	gate := make(chan struct{})
	o.gate["dev"] = gate
	a := openerApp(t, o, "dev")
	if a.life.opening == nil || a.life.opening.code == nil || a.life.opening.code.Code != "ABCD-1234" {
		t.Fatal("the device code did not reach the UI while the open waits")
	}
	if s := a.Render(); strings.Count(s, "ABCD-1234") != 1 || strings.Count(s, "https://microsoft.com/devicelogin") != 1 {
		t.Fatalf("the device code and URL are not on screen exactly once:\n%s", s)
	}
	close(gate)
	deliver(t, a)
	if a.startup() || a.state.Profile != "dev" {
		t.Fatal("the open did not complete after the login")
	}
}

func TestCancelledOpenIsClosedWhenItArrives(t *testing.T) {
	o := newFakeOpener("alpha", "slow")
	gate := make(chan struct{})
	o.gate["slow"] = gate
	a := openerApp(t, o, "alpha")
	press(t, a, "P")
	typeText(t, a, "slow")
	press(t, a, "enter")
	if a.life.opening == nil {
		t.Fatal("no open in flight")
	}
	press(t, a, "esc")
	if a.life.opening != nil || a.state.Profile != "alpha" {
		t.Fatal("esc did not cancel the open")
	}
	deliver(t, a) // the cancelled open ends (its context is done) and is dropped
	if a.state.Profile != "alpha" {
		t.Fatal("a cancelled open was swapped in")
	}
}

func TestNoProfilesScreenSaysHowToAddOne(t *testing.T) {
	o := newFakeOpener()
	a := openerApp(t, o, "")
	s := a.Render()
	for _, want := range []string{"No saved profiles yet", "amr-tui profiles add NAME", "amr-tui demo", "ctrl+a"} {
		if !strings.Contains(s, want) {
			t.Errorf("%q missing:\n%s", want, s)
		}
	}
}

func TestProfileFormAddEditDelete(t *testing.T) {
	o := newFakeOpener("alpha")
	a := openerApp(t, o, "alpha")
	press(t, a, "P", "ctrl+a")
	if a.life.form == nil {
		t.Fatal("ctrl+a did not open the form")
	}
	typeText(t, a, "gamma")
	press(t, a, "tab")
	typeText(t, a, "gamma.example")
	press(t, a, "tab", "right") // auth: service-principal adds its fields
	if n := len(a.life.form.Fields); n != 5 {
		t.Fatalf("%d fields for a service principal", n)
	}
	press(t, a, "tab")
	typeText(t, a, "client-1")
	press(t, a, "tab")
	typeText(t, a, "s3cret-value")
	if strings.Contains(a.Render(), "s3cret-value") {
		t.Fatal("a typed secret is on screen")
	}
	press(t, a, "ctrl+s")
	if a.life.form != nil || len(o.saved) != 1 {
		t.Fatalf("not saved: %v", o.saved)
	}
	v := o.saved[0]
	if v["name"] != "gamma" || v["host"] != "gamma.example" || v["auth.kind"] != "service-principal" || v["auth.client_secret"] != "s3cret-value" {
		t.Fatalf("saved %v", v)
	}
	// A validation error keeps the form and what was typed.
	o.saveErr = errors.New(`profile "alpha": auth.client_id: missing required field`)
	press(t, a, "ctrl+e")
	if a.life.form == nil || a.life.form.Original == "" {
		t.Fatal("ctrl+e did not open the edit form")
	}
	if a.life.form.Collect()["auth.client_secret"] != "" {
		t.Fatal("the edit form holds a saved secret reference as a value")
	}
	press(t, a, "ctrl+s")
	if a.life.form == nil || !strings.Contains(a.life.form.Err, "missing required field") {
		t.Fatalf("the validation error is not shown: %+v", a.life.form)
	}
	press(t, a, "esc")
	// Delete asks first.
	press(t, a, "ctrl+x")
	if len(o.deleted) != 0 || a.life.picker.Confirm == "" {
		t.Fatal("delete did not ask for confirmation")
	}
	press(t, a, "n")
	if len(o.deleted) != 0 {
		t.Fatal("n deleted")
	}
	press(t, a, "ctrl+x", "y")
	if len(o.deleted) != 1 {
		t.Fatal("y did not delete")
	}
}

func TestSessionHistoryIsBounded(t *testing.T) {
	sess := uitest.NewFakeSession(common.SessionState{Profile: "p", Expires: true, ExpiresAt: uitest.T0.Add(time.Hour)})
	a, _ := testApp(t, uitest.NewFakeStore(), sess, 100, 30)
	for i := range common.SessionHistoryMax + 10 {
		a.Update(sessionMsg{ok: true, from: sess, u: common.SessionUpdate{State: sess.St, Event: &common.SessionEvent{At: uitest.T0, What: "re-AUTH", Duration: time.Duration(i)}}})
	}
	h := a.life.history
	if len(h) != common.SessionHistoryMax || h[len(h)-1].Duration != time.Duration(common.SessionHistoryMax+9) {
		t.Fatalf("history holds %d, newest %v", len(h), h[len(h)-1].Duration)
	}
}

// Run starts opening the profile before the App exists; Init takes that open over instead of
// opening the profile a second time.
func TestEarlyOpenIsTakenOverByInit(t *testing.T) {
	o := newFakeOpener("alpha", "beta")
	a := earlyOpenApp(t, o, "beta", "beta")
	start(t, a)
	if a.c.Store != common.Store(o.stores["beta"]) || a.state.Profile != "beta" {
		t.Fatal("the early open was not put in use")
	}
	if opened := o.openedNames(); !slices.Equal(opened, []string{"beta"}) {
		t.Fatalf("opened %v, want beta once", opened)
	}
	if a.life.early != nil {
		t.Fatal("the early open is still held after Init took it")
	}
}

// An early open of another profile than the one Init opens is abandoned, and the session it
// opened is closed rather than leaked.
func TestEarlyOpenOfAnotherProfileIsClosed(t *testing.T) {
	o := newFakeOpener("alpha", "beta")
	a := earlyOpenApp(t, o, "alpha", "beta")
	start(t, a)
	if a.state.Profile != "beta" {
		t.Fatalf("profile %q in use, want beta", a.state.Profile)
	}
	eventually(t, func() bool { return slices.Equal(o.closedNames(), []string{"alpha"}) })
}

// Quitting before Init took the early open over closes what it opened.
func TestEarlyOpenClosedAtShutdown(t *testing.T) {
	o := newFakeOpener("alpha")
	a := earlyOpenApp(t, o, "alpha", "alpha")
	a.life.shutdown()
	eventually(t, func() bool { return slices.Equal(o.closedNames(), []string{"alpha"}) })
}

// earlyOpenApp is an App that opens profile open at Init, handed an early open of profile
// early that has already opened it (as Run does before it builds the App).
func earlyOpenApp(t *testing.T, o *fakeOpener, early, open string) *App {
	t.Helper()
	e := beginEarlyOpen(context.Background(), o, early)
	eventually(t, func() bool { return len(o.openedNames()) == 1 })
	a, _ := testApp(t, nil, nil, 100, 30, func(opt *Options) { opt.Opener, opt.OpenProfile = o, open })
	a.life.early = e
	return a
}

// eventually waits up to 10 s for cond, which other goroutines make true.
func eventually(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
	}
}

// Run's start-up hook (it lowers the start-up GOGC) runs once start-up is over: not at the
// first page, where the collection it set off made that page's store take 7–13 ms of mark
// assists, but once the scan has loaded browser.SettledKeys keys, or has stopped short of
// them (a small keyspace, a paused or failed scan).
func TestStartupHookRunsOnceTheScanHasSettled(t *testing.T) {
	for _, c := range []struct {
		name        string
		keys        int
		wantAtLeast int
	}{
		{"big keyspace", 3 * browser.SettledKeys, browser.SettledKeys},
		{"small keyspace", 5000, 5000},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := newFakeOpener("alpha")
			o.stores["alpha"].AddStrings("more", c.keys)
			gate := make(chan struct{})
			o.gate["alpha"] = gate
			var (
				a  *App
				at []int
			)
			a, _ = testApp(t, nil, nil, 100, 30, func(opt *Options) {
				opt.Opener, opt.OpenProfile = o, "alpha"
				opt.LoadBatch = 100_000
				opt.startupOver = func() { at = append(at, a.browser.Count()) }
			})
			cmd := a.Init()
			close(gate)
			drain(t, a, cmd)
			if len(at) != 1 {
				t.Fatalf("the hook ran %d times, want once", len(at))
			}
			if at[0] < c.wantAtLeast {
				t.Fatalf("the hook ran with %d keys loaded, want at least %d", at[0], c.wantAtLeast)
			}
		})
	}
}

// Without a scan (the open failed, the user never got to keys) start-up ends after
// startupTicks ticks all the same, so the collector does not keep its start-up setting.
func TestStartupHookRunsAfterTicksWithoutAScan(t *testing.T) {
	o := newFakeOpener("broken")
	o.fail["broken"] = errors.New("no route")
	calls := 0
	a, _ := testApp(t, nil, nil, 100, 30, func(opt *Options) {
		opt.Opener, opt.OpenProfile = o, "broken"
		opt.startupOver = func() { calls++ }
	})
	drain(t, a, a.Init())
	for i := range startupTicks + 2 {
		if i == startupTicks-1 && calls != 0 {
			t.Fatalf("the hook ran after %d ticks, want %d", i, startupTicks)
		}
		a.Update(tickMsg{id: a.tickID})
	}
	if calls != 1 {
		t.Fatalf("the hook ran %d times, want once", calls)
	}
}
