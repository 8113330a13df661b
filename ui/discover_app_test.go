package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/amr-tui/amr-tui/azure/catalog"
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"
)

// discoveringOpener is a fakeOpener that also discovers: one cache, whose profile is "beta".
type discoveringOpener struct {
	*fakeOpener
	asked []string // the profiles discovery signed in as
}

func (o *discoveringOpener) Discover(_ context.Context, profile string, progress func(catalog.Progress)) (catalog.Result, error) {
	o.asked = append(o.asked, profile)
	sub := catalog.SubscriptionResult{Subscription: catalog.Subscription{ID: "s1", Name: "Prod"}, Caches: []catalog.Cache{{
		Kind: catalog.ManagedRedis, Name: "beta", Database: "default", ID: "/s1/beta", HostName: "beta.westeurope.redis.catalog.net",
		Port: 10000, ClusteringPolicy: catalog.EnterpriseCluster, EntraAuth: true, ProvisioningState: "Succeeded"}}}
	progress(catalog.Progress{Subscriptions: 1, Done: 1, Finished: &sub})
	return catalog.Result{Identity: catalog.Identity{ObjectID: "oid-alice", UPN: "alice@contoso.com"}, Subscriptions: []catalog.SubscriptionResult{sub}}, nil
}

func (o *discoveringOpener) Access(context.Context, string, catalog.Cache, catalog.Identity) (catalog.Access, error) {
	return catalog.Access{}, nil
}

func (o *discoveringOpener) AddProfile(_ context.Context, _ string, c catalog.Cache) (string, error) {
	return c.Name, nil
}

func TestDiscoverWithoutADiscovererSaysSo(t *testing.T) {
	a, _ := testApp(t, uitest.NewFakeStore(), nil, 100, 30)
	press(t, a, ":")
	typeText(t, a, "discover")
	press(t, a, "enter")
	if a.screen != screenKeys || !strings.Contains(a.c.FlashMsg.Text, ":discover needs a saved profile") {
		t.Fatalf("screen %v, flash %q", a.screen, a.c.FlashMsg.Text)
	}
}

func TestDiscoverFiltersAndEnterOpensTheProfileWritten(t *testing.T) {
	o := &discoveringOpener{fakeOpener: newFakeOpener("alpha", "beta")}
	a, _ := testApp(t, nil, nil, 140, 30, func(opt *Options) { opt.Opener, opt.OpenProfile = o, "alpha" })
	start(t, a)
	press(t, a, ":")
	typeText(t, a, "discover")
	press(t, a, "enter")
	if a.screen != screenDiscover || len(o.asked) != 1 || o.asked[0] != "alpha" {
		t.Fatalf("screen %v, discovery signed in as %q", a.screen, o.asked)
	}
	if r := a.Render(); !strings.Contains(r, "beta/default") || !strings.Contains(r, "1 subscription, 1 cache") {
		t.Fatalf("screen:\n%s", r)
	}
	// Letters filter here: q does not quit.
	typeText(t, a, "q")
	if a.screen != screenDiscover || a.disc.Busy() || !strings.Contains(a.Render(), "no cache matches the filter") {
		t.Fatalf("q on the discover screen:\n%s", a.Render())
	}
	press(t, a, "backspace")
	press(t, a, "enter")
	if a.screen != screenKeys || a.state.Profile != "beta" || a.c.Store != common.Store(o.stores["beta"]) {
		t.Fatalf("after enter: screen %v, profile %q", a.screen, a.state.Profile)
	}
	// Back on :discover, the list is kept (no new sign-in).
	press(t, a, ":")
	typeText(t, a, "discover")
	press(t, a, "enter")
	if len(o.asked) != 1 {
		t.Errorf("discovery ran %d times", len(o.asked))
	}
	press(t, a, "esc")
	if a.screen != screenKeys {
		t.Errorf("esc left the screen at %v", a.screen)
	}
}
