package discover

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/amr-tui/amr-tui/azure/catalog"
	"github.com/amr-tui/amr-tui/ui/common"
)

// fakeDiscoverer serves a fixed result, reporting progress per subscription as the real one does.
type fakeDiscoverer struct {
	res     catalog.Result
	err     error
	acc     catalog.Access
	added   []catalog.Cache
	profile string
}

func (f *fakeDiscoverer) Discover(_ context.Context, profile string, progress func(catalog.Progress)) (catalog.Result, error) {
	f.profile = profile
	progress(catalog.Progress{Subscriptions: len(f.res.Subscriptions)})
	for i := range f.res.Subscriptions {
		progress(catalog.Progress{Subscriptions: len(f.res.Subscriptions), Done: i + 1, Finished: &f.res.Subscriptions[i]})
	}
	return f.res, f.err
}

func (f *fakeDiscoverer) Access(_ context.Context, _ string, c catalog.Cache, me catalog.Identity) (catalog.Access, error) {
	a := f.acc
	a.Cache, a.Identity = c, me
	return a, nil
}

func (f *fakeDiscoverer) AddProfile(_ context.Context, _ string, c catalog.Cache) (string, error) {
	f.added = append(f.added, c)
	return c.Name, nil
}

const me = "b6a2f0c4-1d3e-4f5a-9b7c-8d9e0f1a2b3c"

func result() catalog.Result {
	amr := catalog.Cache{Kind: catalog.ManagedRedis, Name: "orders", Database: "default", ID: "/s/1/amr/orders", SubscriptionName: "Prod",
		ResourceGroup: "rg-orders", Location: "westeurope", HostName: "orders.westeurope.redis.catalog.net", Port: 10000,
		ClusteringPolicy: catalog.OSSCluster, EntraAuth: true, ProvisioningState: "Succeeded"}
	acr := catalog.Cache{Kind: catalog.CacheForRedis, Name: "sessions\x1b[31m", ID: "/s/1/acr/sessions", SubscriptionName: "Prod",
		ResourceGroup: "rg-web", Location: "eastus", HostName: "sessions.redis.cache.windows.net", Port: 6380,
		ClusteringPolicy: catalog.NoCluster, EntraAuth: true, ProvisioningState: "Succeeded"}
	return catalog.Result{
		Identity: catalog.Identity{ObjectID: me, AppID: "app", App: true},
		Subscriptions: []catalog.SubscriptionResult{
			{Subscription: catalog.Subscription{ID: "s2", Name: "Test"}, Failures: []*catalog.Failure{{Status: 403, Code: "AuthorizationFailed", Message: "Azure Managed Redis: 403 AuthorizationFailed"}}},
			{Subscription: catalog.Subscription{ID: "s1", Name: "Prod"}, Caches: []catalog.Cache{amr, acr}},
			{Subscription: catalog.Subscription{ID: "s3", Name: "Empty"}},
		},
	}
}

func newModel(f *fakeDiscoverer) *Model {
	c := &common.Common{Width: 160, Height: 30, Body: 28, Keys: common.DefaultKeyMap(), Now: time.Now,
		Styles: common.NewStyles(true, true), Ctx: context.Background(), Timeout: 5 * time.Second}
	return New(c, f)
}

// run runs cmd and feeds its messages back until none is left.
func run(t *testing.T, m *Model, cmd tea.Cmd) []tea.Msg {
	t.Helper()
	var msgs []tea.Msg
	for cmd != nil {
		msg := cmd()
		msgs = append(msgs, msg)
		switch msg := msg.(type) {
		case ProgressMsg:
			cmd = m.OnProgress(msg)
		case AccessMsg:
			m.OnAccess(msg)
			cmd = nil
		case AddedMsg:
			m.OnAdded(msg)
			cmd = nil
		default:
			t.Fatalf("unexpected message %T", msg)
		}
	}
	return msgs
}

func press(s string) tea.KeyPressMsg {
	switch s {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	}
	return tea.KeyPressMsg{Code: rune(s[0]), Text: s}
}

func TestListGroupedWithProgressAndFailures(t *testing.T) {
	f := &fakeDiscoverer{res: result()}
	m := newModel(f)
	msgs := run(t, m, m.Start("prod-profile"))
	if f.profile != "prod-profile" || len(msgs) != 5 || m.Loading {
		t.Fatalf("profile %q, %d messages, loading %v", f.profile, len(msgs), m.Loading)
	}
	v := m.View(160, 28)
	for _, want := range []string{
		"Azure caches · 3 subscriptions, 2 caches · signed in as app app (" + me + ")",
		"Empty  s3", "  no caches", "Prod  s1", "orders/default", "OSSCluster", "Test  s2", "! Azure Managed Redis: 403 AuthorizationFailed",
		`sessions\x1b[31m`, // escaped, never raw
	} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "\x1b[31m") {
		t.Error("a cache name reached the terminal raw")
	}
	// Subscriptions in name order: Empty, Prod, Test.
	if !(strings.Index(v, "Empty") < strings.Index(v, "Prod") && strings.Index(v, "Prod") < strings.Index(v, "Test")) {
		t.Errorf("subscriptions out of order:\n%s", v)
	}
	if c, ok := m.Selected(); !ok || c.Name != "orders" {
		t.Errorf("selected %+v", c)
	}
}

func TestFilterByTypingAndEnterAdds(t *testing.T) {
	f := &fakeDiscoverer{res: result()}
	m := newModel(f)
	run(t, m, m.Start("p"))
	for _, r := range "web" { // the resource group of sessions
		if cmd, back := m.Update(press(string(r))); cmd != nil || back {
			t.Fatal("typing returned a command or left")
		}
	}
	if c, ok := m.Selected(); !ok || !strings.HasPrefix(c.Name, "sessions") {
		t.Fatalf("filter web selected %+v", c)
	}
	v := m.View(160, 28)
	if strings.Contains(v, "orders") || !strings.Contains(v, "filter: web") || strings.Contains(v, "Test") {
		t.Errorf("filtered view:\n%s", v)
	}
	cmd, _ := m.Update(press("enter"))
	msgs := run(t, m, cmd)
	if a, ok := msgs[0].(AddedMsg); !ok || a.Err != nil || len(f.added) != 1 || !strings.HasPrefix(f.added[0].Name, "sessions") {
		t.Fatalf("enter: %+v, added %+v", msgs, f.added)
	}
	// esc clears the filter first, then leaves.
	if _, back := m.Update(press("esc")); back || m.filter != "" {
		t.Fatalf("esc with a filter: back %v, filter %q", back, m.filter)
	}
	if _, back := m.Update(press("esc")); !back {
		t.Fatal("esc without a filter did not leave")
	}
	// A filter that matches nothing says so.
	for _, r := range "qqq" {
		m.Update(press(string(r)))
	}
	if v := m.View(160, 28); !strings.Contains(v, "no cache matches the filter") {
		t.Errorf("view:\n%s", v)
	}
}

func TestAccessView(t *testing.T) {
	f := &fakeDiscoverer{res: result(), acc: catalog.Access{
		Policies: []catalog.Policy{{Name: "default", Type: "BuiltIn", Permissions: "+@all ~*"}},
		Assignments: []catalog.Assignment{
			{Name: "x", ObjectID: "app", Policy: "default", ClientIDMistake: true},
			{Name: "y", ObjectID: "9a8b", Policy: "default"},
		},
	}}
	m := newModel(f)
	run(t, m, m.Start("p"))
	cmd, _ := m.Update(press("tab"))
	run(t, m, cmd)
	v := m.View(160, 28)
	for _, want := range []string{"Who can use orders/default", "you (" + me + ") have no access policy on this cache",
		"← your app's client ID, not its object ID", "Assignments (2)", "+@all ~*"} {
		if !strings.Contains(v, want) {
			t.Errorf("access view lacks %q:\n%s", want, v)
		}
	}
	m.Update(press("esc"))
	if m.access != nil {
		t.Error("esc did not close the access view")
	}
}

func TestDiscoveryFailureIsShown(t *testing.T) {
	f := &fakeDiscoverer{err: errors.New("AzureCLICredential: Please run 'az login'")}
	m := newModel(f)
	run(t, m, m.Start("p"))
	if v := m.View(160, 28); !strings.Contains(v, "Please run 'az login'") {
		t.Errorf("view:\n%s", v)
	}
	// A stale reply of an earlier discovery is dropped.
	old := ProgressMsg{gen: m.gen - 1, ev: event{done: true, err: errors.New("stale")}}
	m.OnProgress(old)
	if strings.Contains(m.err, "stale") {
		t.Error("a stale reply was taken")
	}
}
