package emulator_test

import (
	"crypto/rand"
	"crypto/rsa"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
)

// TestGateWithEntraTokens joins the two halves of the emulator: tokens that real azidentity
// credentials obtain from the fake Entra are accepted by the gate, and tokens the fake Entra
// mints wrongly (another key, expired, wrong audience, another principal's username) are
// refused, in front of both the embedded backend and a real redis-server.
func TestGateWithEntraTokens(t *testing.T) {
	emutest.CleanAzureEnv(t)
	emutest.GuardDefaultTransport(t)
	for _, b := range gateBackends {
		t.Run(b.name, func(t *testing.T) {
			e := startEntra(t, emulator.EntraOptions{TokenLifetime: 2 * time.Minute})
			env := startGateEnv(t, b, func(o *emulator.GateOptions) { o.Verifier = e })
			app := secretApp(e)
			tok, err := redisToken(t, secretCred(t, e, e.TenantID(), app.ClientID, app.Secret))
			if err != nil {
				t.Fatalf("ClientSecretCredential: %v", err)
			}

			t.Run("real credential token is accepted", func(t *testing.T) {
				c := env.dial(t)
				c.expect("+OK\r\n", "AUTH", app.ObjectID, tok.Token)
				c.expect("+PONG\r\n", "PING")
			})

			otherKey, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				t.Fatal(err)
			}
			mint := func(o emulator.MintOptions) string {
				s, _, err := e.Mint(o)
				if err != nil {
					t.Fatal(err)
				}
				return s
			}
			const wrongpass = "-WRONGPASS invalid username-password pair or user is disabled.\r\n"
			bad := []struct{ name, user, token string }{
				{"forged (signed by another key)", app.ObjectID, mint(emulator.MintOptions{OID: app.ObjectID, Lifetime: time.Minute, SigningKey: otherKey})},
				{"expired", app.ObjectID, mint(emulator.MintOptions{OID: app.ObjectID, Lifetime: time.Minute, IssuedAt: time.Now().Add(-2 * time.Hour)})},
				{"wrong audience", app.ObjectID, mint(emulator.MintOptions{OID: app.ObjectID, Lifetime: time.Minute, Audience: "https://management.azure.com"})},
				{"username is not the token's oid", uuid.NewString(), tok.Token},
				{"username is the client ID", app.ClientID, tok.Token},
				{"corrupted signature", app.ObjectID, tok.Token[:len(tok.Token)-6] + strings.Repeat("A", 6)},
			}
			for _, tc := range bad {
				t.Run("refused: "+tc.name, func(t *testing.T) {
					c := env.dial(t)
					c.expect(wrongpass, "AUTH", tc.user, tc.token)
					c.expect("-NOAUTH Authentication required.\r\n", "PING")
				})
			}
		})
	}
}
