package azure_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"os"
	"strconv"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/azure"
	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
)

// TestDemoCachesOpenForReal: in the demo, discovery with the demo-sp profile's own sign-in
// finds the demo's caches, and the profile written for each opens it: TLS against the demo CA,
// AUTH with an Entra token, PING.
func TestDemoCachesOpenForReal(t *testing.T) {
	emutest.CleanAzureEnv(t)
	d, err := emulator.StartDemo(ctx(t), emulator.DemoOptions{Dir: t.TempDir(), Keys: 10})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	var sp = d.Profiles()[0]
	if sp.Name != "demo-sp" {
		t.Fatalf("first demo profile is %s", sp.Name)
	}
	env := d.Env(os.Getenv("PATH"))
	ep, err := azure.EndpointFor(sp.Auth.Authority, env[azure.EnvEndpoint])
	if err != nil {
		t.Fatal(err)
	}
	opts := auth.Options{WrapTransport: func(rt http.RoundTripper) http.RoundTripper { return emutest.Guard(t, rt) }}
	cred, err := azure.Credential(sp, ep, opts)
	if err != nil {
		t.Fatal(err)
	}
	c, err := azure.New(cred, azure.Options{Endpoint: ep, Transport: emutest.Transport(t, d.Entra), Retry: fastRetry()})
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Discover(ctx(t), azure.DiscoverOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Subscriptions) != 3 {
		t.Fatalf("subscriptions: %+v", res.Subscriptions)
	}
	caches := byRef(res)
	for _, ref := range []string{"demo-amr/default", "demo-acr"} {
		cache, ok := caches[ref]
		if !ok {
			t.Fatalf("%s not discovered: %+v", ref, res)
		}
		p, err := azure.ProfileFor(cache, azure.ProfileOptions{Name: "found", Auth: sp.Auth, CAFile: env[azure.EnvCAFile]})
		if err != nil {
			t.Fatal(err)
		}
		src, err := auth.NewSource(p, opts)
		if err != nil {
			t.Fatal(err)
		}
		tok, err := src.Token(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		pem, err := os.ReadFile(p.TLS.CAFile)
		if err != nil {
			t.Fatal(err)
		}
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(pem)
		rc := redis.NewClient(&redis.Options{Addr: p.Host + ":" + strconv.Itoa(p.Port), Username: tok.Username, Password: tok.Value,
			TLSConfig: &tls.Config{RootCAs: pool, ServerName: p.Host, MinVersion: tls.VersionTLS12}, MaxRetries: -1})
		if err := rc.Ping(context.Background()).Err(); err != nil {
			t.Errorf("%s: PING through the written profile: %v", ref, err)
		}
		rc.Close()
	}
	me := res.Identity
	a, err := c.Access(ctx(t), caches["demo-acr"], me)
	if err != nil {
		t.Fatal(err)
	}
	if a.HasAccess() || len(a.Verdict()) != 2 {
		t.Errorf("demo-acr verdict for demo-sp: %q", a.Verdict())
	}
	a, err = c.Access(ctx(t), caches["demo-amr/default"], me)
	if err != nil || !a.HasAccess() {
		t.Errorf("demo-amr access: %+v, %v", a, err)
	}
}
