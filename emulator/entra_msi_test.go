package emulator_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/google/uuid"

	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
)

// MSAL caches managed-identity tokens process-wide, keyed by identity and resource, and never
// caches tokens expiring within 5 minutes; these tests use 2-minute tokens and fresh IDs so
// that every GetToken really reaches the fake.
const miLifetime = 2 * time.Minute

func miCred(t *testing.T, e *emulator.Entra, id azidentity.ManagedIDKind) *azidentity.ManagedIdentityCredential {
	t.Helper()
	cred, err := azidentity.NewManagedIdentityCredential(&azidentity.ManagedIdentityCredentialOptions{ClientOptions: emutest.ClientOptions(t, e), ID: id})
	if err != nil {
		t.Fatal(err)
	}
	return cred
}

func TestManagedIdentityAppService(t *testing.T) {
	e := startEntra(t, emulator.EntraOptions{TokenLifetime: miLifetime})
	emutest.SetAppServiceEnv(t, e)
	system := emulator.ManagedIdentity{SystemAssigned: true, ClientID: uuid.NewString(), ObjectID: uuid.NewString()}
	user := emulator.ManagedIdentity{
		ClientID: uuid.NewString(), ObjectID: uuid.NewString(),
		ResourceID: "/subscriptions/" + uuid.NewString() + "/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-" + uuid.NewString()[:8],
	}
	e.RegisterManagedIdentity(system)
	e.RegisterManagedIdentity(user)

	cases := []struct {
		name string
		id   azidentity.ManagedIDKind
		want emulator.ManagedIdentity
	}{
		{"system-assigned", nil, system},
		{"client ID", azidentity.ClientID(user.ClientID), user},
		{"object ID", azidentity.ObjectID(user.ObjectID), user},
		{"resource ID", azidentity.ResourceID(user.ResourceID), user},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := e.Requests(emulator.EndpointMSI)
			tok, err := redisToken(t, miCred(t, e, c.id))
			if err != nil {
				t.Fatal(err)
			}
			cl := mustVerify(t, e, tok, c.want.ObjectID)
			if cl["appid"] != c.want.ClientID || cl["idtyp"] != "app" {
				t.Errorf("claims = %v", cl)
			}
			if got := e.Requests(emulator.EndpointMSI); got != before+1 {
				t.Errorf("msi requests = %d, want %d", got, before+1)
			}
		})
	}

	t.Run("unknown identity", func(t *testing.T) {
		_, err := redisToken(t, miCred(t, e, azidentity.ClientID(uuid.NewString())))
		var afe *azidentity.AuthenticationFailedError
		if !errors.As(err, &afe) || afe.RawResponse == nil || afe.RawResponse.StatusCode != 400 {
			t.Fatalf("want a 400 AuthenticationFailedError, got %T %v", err, err)
		}
		if !strings.Contains(err.Error(), `"statusCode"`) || !strings.Contains(err.Error(), "Managed Identity") {
			t.Errorf("error is not in the App Service shape: %v", err)
		}
	})
	t.Run("wrong identity header", func(t *testing.T) {
		t.Setenv("IDENTITY_HEADER", "wrong")
		_, err := redisToken(t, miCred(t, e, azidentity.ClientID(user.ClientID)))
		var afe *azidentity.AuthenticationFailedError
		if !errors.As(err, &afe) || afe.RawResponse == nil || afe.RawResponse.StatusCode != 401 {
			t.Fatalf("want a 401 AuthenticationFailedError, got %T %v", err, err)
		}
	})
}

// Without any managed-identity environment, MSAL falls back to IMDS at 169.254.169.254: the
// guard in the Entra's Transport must refuse it at once instead of letting it leave the host.
func TestManagedIdentityWithoutEnvIsBlocked(t *testing.T) {
	e := startEntra(t, emulator.EntraOptions{})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// The refusal is what this test wants, so it counts refusals instead of failing on them.
	var blocked atomic.Int32
	opts := e.ClientOptions()
	opts.Transport = e.GuardedTransport(func(r *http.Request) {
		if r.URL.Hostname() == "169.254.169.254" {
			blocked.Add(1)
		} else {
			t.Errorf("unexpected request to %s", r.URL.Host)
		}
	})
	cred, err := azidentity.NewManagedIdentityCredential(&azidentity.ManagedIdentityCredentialOptions{
		ClientOptions: opts, ID: azidentity.ClientID(uuid.NewString()),
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = cred.GetToken(ctx, policyScopes(emulator.RedisScope))
	if err == nil {
		t.Fatal("managed identity without environment got a token")
	}
	if !strings.Contains(err.Error(), "blocked non-loopback request to 169.254.169.254") {
		t.Fatalf("want the loopback guard's refusal, got %v", err)
	}
	if n := blocked.Load(); n != 1 {
		t.Errorf("IMDS was tried %d times: the guard's error should not be retried", n)
	}
}
