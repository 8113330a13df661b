package emulator_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/google/uuid"

	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
)

func TestDeviceCodeCredential(t *testing.T) {
	e := startEntra(t, emulator.EntraOptions{TokenLifetime: 2 * time.Minute})
	user := emulator.User{UPN: "grace@contoso.example", ObjectID: uuid.NewString()}
	e.SetUser(user)
	e.SetDeviceCodePendingPolls(2)

	var mu sync.Mutex
	var prompts []azidentity.DeviceCodeMessage
	cred, err := azidentity.NewDeviceCodeCredential(&azidentity.DeviceCodeCredentialOptions{
		ClientOptions:            emutest.ClientOptions(t, e),
		TenantID:                 e.TenantID(),
		DisableInstanceDiscovery: true,
		UserPrompt: func(_ context.Context, m azidentity.DeviceCodeMessage) error {
			mu.Lock()
			defer mu.Unlock()
			prompts = append(prompts, m)
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	opts := policyScopes(emulator.RedisScope)
	rec, err := cred.Authenticate(ctx, &opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(prompts) != 1 {
		t.Fatalf("UserPrompt called %d times, want 1", len(prompts))
	}
	p := prompts[0]
	if p.UserCode == "" || p.VerificationURL != e.DeviceLoginURL() || !strings.Contains(p.Message, p.UserCode) {
		t.Errorf("prompt = %+v", p)
	}
	if rec.Username != user.UPN || rec.TenantID != e.TenantID() || rec.HomeAccountID != user.ObjectID+"."+e.TenantID() {
		t.Errorf("authentication record = %+v", rec)
	}
	// devicecode once, then 2 authorization_pending polls and the successful one.
	if got := e.Requests(emulator.EndpointDeviceCode); got != 1 {
		t.Errorf("devicecode requests = %d, want 1", got)
	}
	if got := e.Requests(emulator.EndpointToken); got != 3 {
		t.Errorf("token requests = %d, want 3 (2 pending + 1 success)", got)
	}

	// The access token is the user's. Tokens under 5 minutes are not cached, so this
	// GetToken redeems the refresh token silently: no second prompt.
	tok, err := redisToken(t, cred)
	if err != nil {
		t.Fatal(err)
	}
	cl := mustVerify(t, e, tok, user.ObjectID)
	if cl["upn"] != user.UPN || cl["appid"] != emulator.AzureCLIClientID {
		t.Errorf("claims = %v", cl)
	}
	if len(prompts) != 1 {
		t.Errorf("UserPrompt called again (%d): the refresh token should have been used", len(prompts))
	}
	if got := e.Requests(emulator.EndpointToken); got != 4 {
		t.Errorf("token requests = %d, want 4 (refresh_token grant)", got)
	}
}

func TestDeviceCodeErrors(t *testing.T) {
	e := startEntra(t, emulator.EntraOptions{})
	newCred := func(clientID string, prompt func(context.Context, azidentity.DeviceCodeMessage) error) *azidentity.DeviceCodeCredential {
		cred, err := azidentity.NewDeviceCodeCredential(&azidentity.DeviceCodeCredentialOptions{
			ClientOptions: emutest.ClientOptions(t, e), TenantID: e.TenantID(), ClientID: clientID,
			DisableInstanceDiscovery: true, UserPrompt: prompt,
		})
		if err != nil {
			t.Fatal(err)
		}
		return cred
	}
	ok := func(context.Context, azidentity.DeviceCodeMessage) error { return nil }

	t.Run("unknown client", func(t *testing.T) {
		// azidentity passes errors of the devicecode request through as MSAL's CallErr, not as
		// an AuthenticationFailedError, so only the message carries the AADSTS code.
		_, err := redisToken(t, newCred(uuid.NewString(), ok))
		if err == nil || !strings.Contains(err.Error(), "AADSTS700016") {
			t.Fatalf("want AADSTS700016, got %v", err)
		}
	})
	t.Run("prompt error aborts", func(t *testing.T) {
		boom := errors.New("user closed the prompt")
		before := e.Requests(emulator.EndpointToken)
		_, err := redisToken(t, newCred("", func(context.Context, azidentity.DeviceCodeMessage) error { return boom }))
		if !errors.Is(err, boom) && (err == nil || !strings.Contains(err.Error(), boom.Error())) {
			t.Fatalf("want the prompt's error, got %v", err)
		}
		if got := e.Requests(emulator.EndpointToken); got != before {
			t.Errorf("token endpoint polled %d times after the prompt failed", got-before)
		}
	})
}

// Without a TenantID azidentity signs users in through the "organizations" authority, which
// the fake serves as an alias of its tenant.
func TestDeviceCodeOrganizationsAuthority(t *testing.T) {
	e := startEntra(t, emulator.EntraOptions{TokenLifetime: 2 * time.Minute})
	e.SetDeviceCodePendingPolls(0)
	cred, err := azidentity.NewDeviceCodeCredential(&azidentity.DeviceCodeCredentialOptions{
		ClientOptions: emutest.ClientOptions(t, e), DisableInstanceDiscovery: true,
		UserPrompt: func(context.Context, azidentity.DeviceCodeMessage) error { return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := redisToken(t, cred)
	if err != nil {
		t.Fatal(err)
	}
	mustVerify(t, e, tok, e.CurrentUser().ObjectID)
}
