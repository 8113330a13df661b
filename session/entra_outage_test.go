package session

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
	"github.com/amr-tui/amr-tui/profiles"
)

// TestGateEntraOutageThroughAuth runs the outage scenarios with every real part in the token
// path: a service-principal profile, the auth package's azidentity credential, and the fake
// Entra actually going down (connections reset), not a flag in a test source. 4 s tokens are
// below MSAL's 5-minute cache threshold, so every refresh reaches the fake Entra.
func TestGateEntraOutageThroughAuth(t *testing.T) {
	emutest.CleanAzureEnv(t)
	emutest.GuardDefaultTransport(t)
	env := startGateEnv(t)
	env.entra.SetTokenLifetime(4 * time.Second)
	src := spSource(t, env.entra)
	s := openSession(t, env.config(t), src)
	rec := record(t, s)
	ctx := context.Background()

	// Shorter than the token's remaining life: refreshes fail and are retried, no command fails.
	stop := runWorkers(s, 4)
	env.entra.SetDown(true)
	_, i := rec.wait(t, 8*time.Second, 0, isType[RefreshFailed])
	env.entra.SetDown(false)
	_, i = rec.wait(t, 8*time.Second, i, isType[TokenAcquired])
	rec.wait(t, 5*time.Second, i, isType[ReauthDone])
	if n, errs := stop(); len(errs) > 0 {
		t.Fatalf("short outage: %d of %d commands failed; first: %v", len(errs), n, errs[0])
	}
	if st := env.gate.Stats(); st.ClosedForExpiry != 0 || st.AuthFailed != 0 {
		t.Fatalf("short outage: gate closed %d connections for expiry, %d AUTHs failed", st.ClosedForExpiry, st.AuthFailed)
	}

	// Longer than the token's life: expiry is reported, commands fail with the token error,
	// and the session recovers by itself once Entra is back.
	env.entra.SetDown(true)
	_, i = rec.wait(t, 15*time.Second, i, isType[TokenExpired])
	err := s.Client().Ping(ctx).Err()
	for deadline := time.Now().Add(5 * time.Second); !errors.Is(err, ErrTokenExpired) && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
		err = s.Client().Ping(ctx).Err()
	}
	if !errors.Is(err, ErrTokenExpired) {
		t.Fatalf("command during a long outage: %v; want ErrTokenExpired", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "service principal") {
		t.Errorf("the expiry error should name the credential: %q", msg)
	}
	env.entra.SetDown(false)
	rec.wait(t, 15*time.Second, i, isType[TokenAcquired])
	deadline := time.Now().Add(10 * time.Second)
	for err = s.Client().Ping(ctx).Err(); err != nil; err = s.Client().Ping(ctx).Err() {
		if time.Now().After(deadline) {
			t.Fatalf("no recovery after Entra came back: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// spSource is a service-principal profile's real auth.Source (azidentity's client secret
// credential, every request through the loopback guard) against the fake Entra e.
func spSource(t *testing.T, e *emulator.Entra) auth.Source {
	t.Helper()
	const clientID, objectID = "5b8f4a3e-6c2d-4e1f-9a7b-3c4d5e6f7a8b", "9e8d7c6b-5a49-4382-b1a0-f9e8d7c6b5a4"
	e.RegisterApp(emulator.App{ClientID: clientID, Secret: "outage-test-secret", ObjectID: objectID})
	t.Setenv("AMR_TUI_TEST_SECRET", "outage-test-secret")
	caFile := filepath.Join(t.TempDir(), "entra-ca.pem")
	if err := os.WriteFile(caFile, e.CA().CertPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	p := profiles.Profile{Name: "outage", Host: "127.0.0.1", Auth: profiles.Auth{
		Kind: profiles.AuthServicePrincipal, TenantID: e.TenantID(), ClientID: clientID,
		ClientSecret: "env:AMR_TUI_TEST_SECRET", Authority: e.AuthorityHost(), AuthorityCAFile: caFile,
	}}
	src, err := auth.NewSource(p, auth.Options{
		WrapTransport: func(rt http.RoundTripper) http.RoundTripper { return emutest.Guard(t, rt) },
	})
	if err != nil {
		t.Fatal(err)
	}
	return src
}
