package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/amr-tui/amr-tui/azure"
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"
)

// discoveringOpener is a fakeOpener that also discovers: one cache, whose profile is "beta".
type discoveringOpener struct {
	*fakeOpener
	asked []string // the profiles discovery signed in as
}

func (o *discoveringOpener) Discover(_ context.Context, profile string, progress func(azure.Progress)) (azure.Result, error) {
	o.asked = append(o.asked, profile)
	sub := azure.SubscriptionResult{Subscription: azure.Subscription{ID: "s1", Name: "Prod"}, Caches: []azure.Cache{{
		Kind: azure.ManagedRedis, Name: "beta", Database: "default", ID: "/s1/beta", HostName: "beta.westeurope.redis.azure.net",
		Port: 10000, ClusteringPolicy: azure.EnterpriseCluster, EntraAuth: true, ProvisioningState: "Succeeded"}}}
	progress(azure.Progress{Subscriptions: 1, Done: 1, Finished: &sub})
	return azure.Result{Identity: azure.Identity{ObjectID: "oid-alice", UPN: "alice@contoso.com"}, Subscriptions: []azure.SubscriptionResult{sub}}, nil
}

func (o *discoveringOpener) Access(context.Context, string, azure.Cache, azure.Identity) (azure.Access, error) {
	return azure.Access{}, nil
}

func (o *discoveringOpener) AddProfile(_ context.Context, _ string, c azure.Cache) (string, error) {
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
	if r := a.Render(); !strings.Contains(r, "beta/default") || !strings.Contains(r, "1 subscription(s), 1 cache(s)") {
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
