package azure_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/azure"
	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
	"github.com/amr-tui/amr-tui/profiles"
)

// TestCredentialAzureCLI: discovery signs in through the (fake) Azure CLI for the management
// scope and sees the user's caches.
func TestCredentialAzureCLI(t *testing.T) {
	e := newEnv(t, fixture(), fastRetry())
	e.entra.SetUser(emulator.User{UPN: "dev@contoso.example", ObjectID: otherOID})
	emutest.InstallFakeCLIs(t, e.entra)
	cred, err := azure.Credential(azure.SignIn{Method: profiles.DeveloperAzureCLI}.Profile(), e.client.Endpoint(), auth.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := newClientWith(t, e, cred)
	me, err := c.Identity(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if me.ObjectID != otherOID || me.UPN != "dev@contoso.example" || me.App {
		t.Errorf("identity = %+v", me)
	}
	res, err := c.Discover(ctx(t), azure.DiscoverOptions{Subscription: subProd})
	if err != nil {
		t.Fatal(err)
	}
	a, err := c.Access(ctx(t), byRef(res)["ent-amr/default"], me)
	if err != nil || !a.HasAccess() {
		t.Errorf("access = %+v, %v", a, err)
	}
}

// TestCredentialFromServicePrincipalProfile: a profile's own sign-in (custom authority and its
// CA, a file: secret) reaches ARM with the management scope instead of Redis's.
func TestCredentialFromServicePrincipalProfile(t *testing.T) {
	e := newEnv(t, fixture(), fastRetry())
	dir := t.TempDir()
	caFile := filepath.Join(dir, "ca.pem")
	if err := e.entra.CA().WriteFile(caFile); err != nil {
		t.Fatal(err)
	}
	secretFile := filepath.Join(dir, "secret")
	if err := os.WriteFile(secretFile, []byte(appSecret), 0o600); err != nil {
		t.Fatal(err)
	}
	p := profiles.Profile{Name: "sp", Host: "x.redis.azure.net", Auth: profiles.Auth{
		Kind: profiles.AuthServicePrincipal, TenantID: e.entra.TenantID(), ClientID: appClientID,
		ClientSecret: profiles.SecretRef("file:" + secretFile), Authority: e.entra.AuthorityHost(), AuthorityCAFile: caFile,
	}}
	cred, err := azure.Credential(p, e.client.Endpoint(), auth.Options{WrapTransport: func(rt http.RoundTripper) http.RoundTripper { return emutest.Guard(t, rt) }})
	if err != nil {
		t.Fatal(err)
	}
	me, err := newClientWith(t, e, cred).Identity(ctx(t))
	if err != nil || me.ObjectID != appObjectID || me.AppID != appClientID {
		t.Errorf("identity = %+v, %v", me, err)
	}
	p.Auth = profiles.Auth{Kind: profiles.AuthAccessKey, Password: "env:X"}
	if _, err := azure.Credential(p, e.client.Endpoint(), auth.Options{}); err == nil || !strings.Contains(err.Error(), "access-key") {
		t.Errorf("access-key profile: %v", err)
	}
}
