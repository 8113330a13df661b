package auth

import (
	"errors"
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/profiles"
)

// TestExplainRedisError: Redis's refusals after a good token, from the AMR gate where it can
// produce them, explained with the username that was used (golden).
func TestExplainRedisError(t *testing.T) {
	e := startEntra(t, emulator.EntraOptions{})
	other := startEntra(t, emulator.EntraOptions{}) // a directory the gate does not trust
	for _, x := range []*emulator.Entra{e, other} {
		x.RegisterApp(emulator.App{ClientID: appClientID, Secret: testSecret, ObjectID: appObjectID})
	}
	t.Setenv("AMR_TEST_SECRET", testSecret)
	t.Setenv("AMR_TEST_KEY", testWrongSecret)
	g := startGate(t, e, map[string]string{"default": testAccessKey})
	names := idNames(e)
	names[other.TenantID()] = "OTHER-TENANT"

	token := func(t *testing.T, x *emulator.Entra, username string) Token {
		t.Helper()
		_, tok, err := getToken(t, emuProfile(x, profiles.Auth{Kind: profiles.AuthServicePrincipal, TenantID: x.TenantID(),
			ClientID: appClientID, ClientSecret: "env:AMR_TEST_SECRET", Username: username}), emuOptions(t, x))
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	check := func(t *testing.T, tok Token, redisErr error, wantCode string) {
		t.Helper()
		got := asError(t, ExplainRedisError(redisErr, tok))
		if got.Step != StepRedis || got.Code != wantCode {
			t.Errorf("step %v code %q, want Redis refused %s", got.Step, got.Code, wantCode)
		}
		golden(t, explainGolden(got, names))
	}

	t.Run("wrongpass-client-id-as-username", func(t *testing.T) {
		tok := token(t, e, appClientID) // the classic mistake: client ID instead of object ID
		check(t, tok, redisAUTH(t, g.Addr(), tok), "WRONGPASS")
	})
	t.Run("wrongpass-principal-not-authorised", func(t *testing.T) {
		tok := token(t, other, "") // right oid, but the cache does not accept this principal's token
		check(t, tok, redisAUTH(t, g.Addr(), tok), "WRONGPASS")
	})
	t.Run("wrongpass-access-key", func(t *testing.T) {
		_, tok, err := getToken(t, profiles.Profile{Name: "k", Auth: profiles.Auth{Kind: profiles.AuthAccessKey, Password: "env:AMR_TEST_KEY"}}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		check(t, tok, redisAUTH(t, g.Addr(), tok), "WRONGPASS")
	})
	t.Run("noauth", func(t *testing.T) {
		check(t, Token{}, redisAUTH(t, g.Addr(), Token{}), "NOAUTH")
	})
	t.Run("noperm", func(t *testing.T) {
		// The gate has no access policies; this is the reply AMR gives a Data Reader.
		tok := token(t, e, "")
		check(t, tok, errors.New("NOPERM User "+tok.Username+" has no permissions to run the 'flushall' command"), "NOPERM")
	})
	t.Run("wrongpass-expired-token", func(t *testing.T) {
		tok := token(t, e, "")
		tok.ExpiresOn = time.Now().Add(-time.Minute)
		check(t, tok, errors.New("WRONGPASS invalid username-password pair or user is disabled."), "WRONGPASS")
	})
	t.Run("not-an-auth-error", func(t *testing.T) {
		in := errors.New("ERR unknown command 'FOO'")
		if out := ExplainRedisError(in, Token{}); out != in {
			t.Errorf("ExplainRedisError changed an unrelated error: %v", out)
		}
		if ExplainRedisError(nil, Token{}) != nil {
			t.Error("nil in, non-nil out")
		}
	})
	t.Run("echoed-token-redacted", func(t *testing.T) {
		tok := token(t, e, "")
		got := asError(t, ExplainRedisError(errors.New("WRONGPASS bad token "+tok.Value), tok))
		assertNoSecret(t, "unwrapped", errors.Unwrap(got).Error())
	})
}
