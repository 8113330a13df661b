package azure_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amr-tui/amr-tui/azure"
	"github.com/amr-tui/amr-tui/profiles"
)

func TestProfileForEachClusteringPolicy(t *testing.T) {
	e := newEnv(t, fixture(), fastRetry())
	caches := discover(t, e)
	signIn := azure.SignIn{Method: profiles.DeveloperAzureCLI, TenantID: "contoso.onmicrosoft.com"}
	path := filepath.Join(t.TempDir(), "profiles.toml")
	cases := []struct {
		ref     string
		host    string
		port    int
		cluster profiles.ClusterMode
	}{
		{"prod-amr/default", "prod-amr.westeurope.redis.azure.net", 10000, profiles.ClusterOn}, // OSSCluster
		{"ent-amr/default", "ent-amr.northeurope.redis.azure.net", 10000, profiles.ClusterOff}, // EnterpriseCluster
		{"legacy-acr", "legacy-acr.redis.cache.windows.net", 6380, profiles.ClusterOff},        // NoCluster
	}
	for i, c := range cases {
		cache, err := azure.Find(slicesValues(caches), c.ref)
		if err != nil {
			t.Fatal(err)
		}
		name := "p" + string(rune('a'+i))
		p, err := azure.ProfileFor(cache, azure.ProfileOptions{Name: name, ReadOnly: i == 0, Auth: signIn.Auth()})
		if err != nil {
			t.Fatalf("%s: %v", c.ref, err)
		}
		if err := azure.AddProfile(path, p); err != nil {
			t.Fatalf("%s: %v", c.ref, err)
		}
		f, err := profiles.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := f.Get(name)
		if !ok {
			t.Fatalf("%s: profile %s not written", c.ref, name)
		}
		if got.Host != c.host || got.Port != c.port || got.Cluster != c.cluster || got.TLS.Enabled == nil || !*got.TLS.Enabled ||
			got.ReadOnly != (i == 0) || got.Auth.Kind != profiles.AuthDeveloper || got.Auth.Method != profiles.DeveloperAzureCLI ||
			got.Auth.TenantID != "contoso.onmicrosoft.com" || len(got.Auth.Scopes) != 0 || got.TLS.CAFile != "" {
			t.Errorf("%s: profile = %+v", c.ref, got)
		}
		if !strings.Contains(got.Label, cache.ServiceName()) || !strings.Contains(got.Label, cache.SubscriptionName) {
			t.Errorf("%s: label %q", c.ref, got.Label)
		}
	}

	// A second profile of the same name is refused and the first kept.
	cache, _ := azure.Find(slicesValues(caches), "legacy-acr")
	p, _ := azure.ProfileFor(cache, azure.ProfileOptions{Name: "pa", Auth: signIn.Auth()})
	if err := azure.AddProfile(path, p); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("overwrote an existing profile: %v", err)
	}
	f, _ := profiles.Load(path)
	if got, _ := f.Get("pa"); got.Host != "prod-amr.westeurope.redis.azure.net" {
		t.Errorf("existing profile changed: %+v", got)
	}
}

func TestProfileForOSSClusterAzureCacheForRedis(t *testing.T) {
	e := newEnv(t, fixture(), fastRetry())
	caches := discover(t, e)
	cache := caches["premium-acr"]
	// Entra is off on this cache: an Entra profile would be refused at AUTH, so none is made.
	if _, err := azure.ProfileFor(cache, azure.ProfileOptions{Name: "x", Auth: azure.SignIn{}.Auth()}); err == nil ||
		!strings.Contains(err.Error(), "Entra authentication turned off") {
		t.Errorf("err = %v", err)
	}
	cache.EntraAuth = true
	p, err := azure.ProfileFor(cache, azure.ProfileOptions{Name: "x", Auth: azure.SignIn{}.Auth(), CAFile: "/tmp/ca.pem"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Cluster != profiles.ClusterOn || p.Port != 6380 || p.TLS.CAFile != "/tmp/ca.pem" || p.Auth.Method != profiles.DeveloperDefault {
		t.Errorf("profile = %+v", p)
	}
}

func TestAddProfileNeverOverwritesAMalformedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "profiles.toml")
	bad := []byte("version = 1\n[profiles.x\nhost = \n")
	if err := os.WriteFile(path, bad, 0o600); err != nil {
		t.Fatal(err)
	}
	p := profiles.Profile{Name: "new", Host: "a.redis.cache.windows.net", Auth: profiles.Auth{Kind: profiles.AuthNone}}
	if err := azure.AddProfile(path, p); err == nil {
		t.Fatal("wrote into a malformed profiles file")
	}
	if got, _ := os.ReadFile(path); string(got) != string(bad) {
		t.Errorf("the malformed file changed:\n%s", got)
	}
}

func TestFind(t *testing.T) {
	caches := []azure.Cache{
		{Kind: azure.ManagedRedis, Name: "amr", Database: "default", ID: "/subscriptions/s1/resourceGroups/a/providers/Microsoft.Cache/redisEnterprise/amr/databases/default"},
		{Kind: azure.CacheForRedis, Name: "dup", ID: "/subscriptions/s1/resourceGroups/a/providers/Microsoft.Cache/Redis/dup"},
		{Kind: azure.CacheForRedis, Name: "dup", ID: "/subscriptions/s2/resourceGroups/b/providers/Microsoft.Cache/Redis/dup"},
	}
	for ref, want := range map[string]string{"amr": caches[0].ID, "AMR/default": caches[0].ID, caches[2].ID: caches[2].ID} {
		c, err := azure.Find(caches, ref)
		if err != nil || c.ID != want {
			t.Errorf("Find(%q) = %v, %v", ref, c.ID, err)
		}
	}
	if _, err := azure.Find(caches, "dup"); err == nil || !strings.Contains(err.Error(), "matches 2 caches") || !strings.Contains(err.Error(), caches[1].ID) {
		t.Errorf("ambiguous: %v", err)
	}
	if _, err := azure.Find(caches, "amr/other"); err == nil || !strings.Contains(err.Error(), "amr/other") {
		t.Errorf("missing database: %v", err)
	}
}

func slicesValues(m map[string]azure.Cache) []azure.Cache {
	var out []azure.Cache
	for _, c := range m {
		out = append(out, c)
	}
	return out
}
