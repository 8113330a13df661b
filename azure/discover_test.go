package azure_test

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/amr-tui/amr-tui/azure"
	"github.com/amr-tui/amr-tui/emulator"
)

func fastRetry() *policy.RetryOptions {
	return &policy.RetryOptions{MaxRetries: 2, RetryDelay: 10 * time.Millisecond, MaxRetryDelay: 5 * time.Second}
}

func byRef(r azure.Result) map[string]azure.Cache {
	m := map[string]azure.Cache{}
	for _, c := range r.Caches() {
		m[c.Ref()] = c
	}
	return m
}

func TestDiscoverListsEveryCacheFollowingNextLink(t *testing.T) {
	e := newEnv(t, fixture(), fastRetry())
	var progress []azure.Progress
	var mu sync.Mutex
	start := time.Now()
	res, err := e.client.Discover(ctx(t), azure.DiscoverOptions{OnProgress: func(p azure.Progress) {
		mu.Lock()
		progress = append(progress, p)
		mu.Unlock()
	}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Identity.ObjectID != appObjectID || res.Identity.AppID != appClientID || !res.Identity.App {
		t.Errorf("identity = %+v", res.Identity)
	}
	var names []string
	for _, s := range res.Subscriptions {
		names = append(names, s.Subscription.Name)
	}
	if want := []string{"Contoso Dev", "Contoso Prod", "Contoso Test", "Contoso Throttled"}; !slices.Equal(names, want) {
		t.Errorf("subscriptions = %q, want %q (enabled only, by name)", names, want)
	}
	got := byRef(res)
	want := map[string]azure.Cache{
		"prod-amr/default": {Kind: azure.ManagedRedis, Name: "prod-amr", Database: "default", SubscriptionID: subProd, SubscriptionName: "Contoso Prod",
			ResourceGroup: "rg-prod", Location: "westeurope", SKU: "Balanced_B1", HostName: "prod-amr.westeurope.redis.azure.net", Port: 10000, TLS: true,
			ClusteringPolicy: azure.OSSCluster, EntraAuth: true, AccessKeys: false, Modules: []string{"RediSearch", "RedisJSON"}, RedisVersion: "7.4", ProvisioningState: "Succeeded"},
		"ent-amr/default": {Kind: azure.ManagedRedis, Name: "ent-amr", Database: "default", SubscriptionID: subProd, SubscriptionName: "Contoso Prod",
			ResourceGroup: "rg-prod", Location: "northeurope", SKU: "MemoryOptimized_M10", HostName: "ent-amr.northeurope.redis.azure.net", Port: 10000, TLS: true,
			ClusteringPolicy: azure.EnterpriseCluster, EntraAuth: true, AccessKeys: true, RedisVersion: "7.4", ProvisioningState: "Succeeded"},
		"legacy-acr": {Kind: azure.CacheForRedis, Name: "legacy-acr", SubscriptionID: subProd, SubscriptionName: "Contoso Prod",
			ResourceGroup: "rg-legacy", Location: "eastus", SKU: "Standard C1", HostName: "legacy-acr.redis.cache.windows.net", Port: 6380, TLS: true,
			ClusteringPolicy: azure.NoCluster, EntraAuth: true, AccessKeys: true, RedisVersion: "6.0", ProvisioningState: "Succeeded"},
		"premium-acr": {Kind: azure.CacheForRedis, Name: "premium-acr", SubscriptionID: subProd, SubscriptionName: "Contoso Prod",
			ResourceGroup: "rg-legacy", Location: "eastus", SKU: "Premium P2", HostName: "premium-acr.redis.cache.windows.net", Port: 6380, TLS: true,
			ClusteringPolicy: azure.OSSCluster, EntraAuth: false, AccessKeys: true, RedisVersion: "6.0", ProvisioningState: "Succeeded"},
		"test-acr": {Kind: azure.CacheForRedis, Name: "test-acr", SubscriptionID: subTest, SubscriptionName: "Contoso Test",
			ResourceGroup: "rg-test", Location: "westus", SKU: "Standard C0", HostName: "test-acr.redis.cache.windows.net", Port: 6380, TLS: true,
			ClusteringPolicy: azure.NoCluster, EntraAuth: true, AccessKeys: true, RedisVersion: "6.0", ProvisioningState: "Succeeded"},
		"busy-acr": {Kind: azure.CacheForRedis, Name: "busy-acr", SubscriptionID: subThrott, SubscriptionName: "Contoso Throttled",
			ResourceGroup: "rg-busy", HostName: "busy-acr.redis.cache.windows.net", Port: 6380, TLS: true, SKU: "Standard C0",
			ClusteringPolicy: azure.NoCluster, EntraAuth: true, AccessKeys: true, RedisVersion: "6.0", ProvisioningState: "Succeeded"},
	}
	if len(got) != len(want) {
		t.Errorf("found %d caches, want %d: %v", len(got), len(want), slices.Collect(mapsKeys(got)))
	}
	for ref, w := range want {
		g, ok := got[ref]
		if !ok {
			t.Errorf("%s not found", ref)
			continue
		}
		if g.ID == "" || !strings.Contains(g.ID, "/resourceGroups/"+w.ResourceGroup+"/") {
			t.Errorf("%s: ID %q", ref, g.ID)
		}
		g.ID = ""
		if !equalCache(g, w) {
			t.Errorf("%s:\n got %+v\nwant %+v", ref, g, w)
		}
	}

	// The forbidden subscription says so; the others have no failures.
	for _, s := range res.Subscriptions {
		switch s.Subscription.ID {
		case subDev:
			if len(s.Failures) != 2 || len(s.Caches) != 0 {
				t.Fatalf("Contoso Dev: %d caches, failures %v; want none and two 403s", len(s.Caches), s.Failures)
			}
			for _, f := range s.Failures {
				if f.Status != 403 || f.Code != "AuthorizationFailed" || !f.Forbidden() || !strings.Contains(f.Message, "Reader") {
					t.Errorf("Contoso Dev failure = %+v", f)
				}
			}
		default:
			if len(s.Failures) != 0 {
				t.Errorf("%s: unexpected failures %v", s.Subscription.Name, s.Failures)
			}
		}
	}

	// Every list went through pages of one (nextLink followed): prod's redis list has two items.
	var pages int
	for _, r := range e.arm.Requests() {
		if strings.Contains(r, "/subscriptions/"+subProd+"/providers/Microsoft.Cache/redis?") {
			pages++
		}
	}
	if pages != 3 { // two pages with an item, and the last with the second item has no nextLink
		t.Logf("requests: %q", e.arm.Requests())
	}
	if pages < 2 {
		t.Errorf("Azure Cache for Redis list of Contoso Prod took %d requests; nextLink not followed", pages)
	}

	// The throttled subscription waited as Retry-After asked (1 s) before the retry succeeded.
	if el := time.Since(start); el < time.Second {
		t.Errorf("discovery took %s; the 429's Retry-After of 1s was not honoured", el)
	}
	var saw429 bool
	for _, r := range e.arm.Requests() {
		if strings.Contains(r, subThrott) {
			saw429 = true
		}
	}
	if !saw429 {
		t.Error("the throttled subscription was never asked")
	}

	// Progress: one report after listing, then one per subscription, ending complete.
	if len(progress) != 5 || progress[0].Done != 0 || progress[0].Subscriptions != 4 || progress[4].Done != 4 {
		t.Errorf("progress = %+v", progress)
	}
}

func mapsKeys(m map[string]azure.Cache) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func equalCache(a, b azure.Cache) bool { return reflect.DeepEqual(a, b) }

func TestDiscoverReportsPersistentThrottling(t *testing.T) {
	f := emulator.ARMFixture{Subscriptions: []emulator.ARMSubscription{
		{ID: subThrott, DisplayName: "Throttled", Throttle: 100, RetryAfter: time.Second},
		{ID: subTest, DisplayName: "Fine", Caches: []emulator.ARMCache{{Name: "ok", ResourceGroup: "rg", HostName: "ok.redis.cache.windows.net", SSLPort: 6380}}},
	}}
	e := newEnv(t, f, &policy.RetryOptions{MaxRetries: 1, RetryDelay: 10 * time.Millisecond})
	res, err := e.client.Discover(ctx(t), azure.DiscoverOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range res.Subscriptions {
		switch s.Subscription.Name {
		case "Throttled":
			if len(s.Failures) == 0 {
				t.Fatal("a subscription answering 429 on every try shows no failure")
			}
			for _, f := range s.Failures {
				if f.Status != 429 || !strings.Contains(f.Message, "Retry-After") {
					t.Errorf("failure = %+v", f)
				}
			}
		case "Fine":
			if len(s.Caches) != 1 || len(s.Failures) != 0 {
				t.Errorf("the other subscription: %+v", s)
			}
		}
	}
}

func TestDiscoverEmptyTenant(t *testing.T) {
	e := newEnv(t, emulator.ARMFixture{}, fastRetry())
	res, err := e.client.Discover(ctx(t), azure.DiscoverOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Subscriptions) != 0 || len(res.Caches()) != 0 {
		t.Errorf("empty tenant gave %+v", res)
	}
	if res.Identity.ObjectID != appObjectID {
		t.Errorf("identity = %+v", res.Identity)
	}
}

func TestDiscoverOneSubscription(t *testing.T) {
	e := newEnv(t, fixture(), fastRetry())
	res, err := e.client.Discover(ctx(t), azure.DiscoverOptions{Subscription: "contoso test"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Subscriptions) != 1 || res.Subscriptions[0].Subscription.ID != subTest {
		t.Fatalf("got %+v", res.Subscriptions)
	}
	_, err = e.client.Discover(ctx(t), azure.DiscoverOptions{Subscription: "nope"})
	if err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("unknown subscription: %v", err)
	}
	_, err = e.client.Discover(ctx(t), azure.DiscoverOptions{Subscription: subOld})
	if err == nil {
		t.Error("a disabled subscription was accepted")
	}
}

func TestNextLinkToAnotherHostIsRefused(t *testing.T) {
	f := fixture()
	f.NextLinkBase = "https://evil.example.com"
	e := newEnv(t, f, fastRetry())
	_, err := e.client.Subscriptions(ctx(t))
	if err == nil || !strings.Contains(err.Error(), "evil.example.com") || !strings.Contains(err.Error(), "another host") {
		t.Fatalf("err = %v", err)
	}
	for _, r := range e.arm.Requests() {
		if strings.Contains(r, "skipToken") {
			t.Errorf("followed the foreign nextLink: %s", r)
		}
	}
}

func TestWrongTokenAudienceIsRefused(t *testing.T) {
	// A Redis token is not a management token: the fake ARM refuses it as ARM does.
	e := newEnv(t, fixture(), fastRetry())
	tok, _, err := e.entra.Mint(emulator.MintOptions{OID: appObjectID})
	if err != nil {
		t.Fatal(err)
	}
	var f *azure.Failure
	_, err = newClientWith(t, e, staticCred(tok)).Subscriptions(ctx(t))
	if !errors.As(err, &f) || f.Status != 401 {
		t.Fatalf("err = %v", err)
	}
}
