package cli

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
	"github.com/amr-tui/amr-tui/profiles"
)

// TestDemoProfilesLogIn proves that every profile `demo --serve` writes works as written: it is
// loaded back from the file, a real auth.Source gets a token from the fake Entra through the
// real azidentity credential, and the gate accepts AUTH with it.
func TestDemoProfilesLogIn(t *testing.T) {
	emutest.CleanAzureEnv(t)
	emutest.GuardDefaultTransport(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()

	dir := t.TempDir()
	d, err := emulator.StartDemo(ctx, emulator.DemoOptions{Dir: dir, TokenLifetime: 2 * time.Minute, Keys: 50})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for k, v := range d.Env(os.Getenv("PATH")) {
		t.Setenv(k, v)
	}
	config := dir + "/profiles.toml"
	names, err := d.WriteProfiles(config)
	if err != nil {
		t.Fatal(err)
	}
	f, err := profiles.Load(config)
	if err != nil {
		t.Fatalf("the demo's own profiles file does not load: %v", err)
	}
	if f.LastUsed() != "demo-sp" {
		t.Errorf("last used = %q, want demo-sp", f.LastUsed())
	}
	caPEM, err := os.ReadFile(d.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(caPEM)

	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			p, ok := f.Get(name)
			if !ok {
				t.Fatalf("profile %s missing after reload", name)
			}
			prompted := false
			src, err := auth.NewSource(p, auth.Options{
				WrapTransport: func(rt http.RoundTripper) http.RoundTripper { return emutest.Guard(t, rt) },
				DeviceCodePrompt: func(context.Context, auth.DeviceCodePrompt) error {
					prompted = true
					return nil
				},
			})
			if err != nil {
				t.Fatalf("NewSource: %v", err)
			}
			tok, err := src.Token(ctx)
			if err != nil {
				t.Fatalf("Token (%s): %v", src.Kind(), err)
			}
			if p.Auth.Method == profiles.DeveloperDeviceCode && !prompted {
				t.Errorf("device code login never showed its prompt")
			}
			if tok.Username == "" || tok.Username != tok.Claims.ObjectID {
				t.Errorf("username %q, token oid %q: the username must be the oid", tok.Username, tok.Claims.ObjectID)
			}
			ep := p.Endpoint()
			rdb := redis.NewClient(&redis.Options{
				Addr: ep.Addr(), Username: tok.Username, Password: tok.Value, Protocol: 3,
				TLSConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12},
			})
			defer rdb.Close()
			if err := rdb.Ping(ctx).Err(); err != nil {
				t.Fatalf("the gate refused %s's token: %v", name, err)
			}
		})
	}
	if st := d.Gate.Stats(); st.AuthFailed != 0 {
		t.Errorf("gate counted %d failed AUTHs", st.AuthFailed)
	}
}
