package auth

import (
	"context"
	"encoding/base64"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"software.sslmate.com/src/go-pkcs12"

	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
	"github.com/amr-tui/amr-tui/profiles"
)

// TestServicePrincipalSecret: a client secret from a secret reference, with the tenant ID or
// the multi-tenant authorities; RefreshOn comes through from Entra's refresh_in.
func TestServicePrincipalSecret(t *testing.T) {
	for _, tenant := range []string{"", "organizations", "common"} {
		name := tenant
		if name == "" {
			name = "tenant-id"
		}
		t.Run(name, func(t *testing.T) {
			e := startEntra(t, emulator.EntraOptions{RefreshIn: 30 * time.Minute})
			e.RegisterApp(emulator.App{ClientID: appClientID, Secret: testSecret, ObjectID: appObjectID})
			t.Setenv("AMR_TEST_SECRET", testSecret)
			if tenant == "" {
				tenant = e.TenantID()
			}
			before := time.Now()
			s, tok, err := getToken(t, emuProfile(e, profiles.Auth{
				Kind: profiles.AuthServicePrincipal, TenantID: tenant, ClientID: appClientID, ClientSecret: "env:AMR_TEST_SECRET",
			}), emuOptions(t, e))
			if err != nil {
				t.Fatal(err)
			}
			if s.Kind() != "service principal (client secret)" {
				t.Errorf("Kind() = %q", s.Kind())
			}
			checkEntraToken(t, e, tok, appObjectID)
			if tok.Claims.AppID != appClientID || tok.Claims.TenantID != e.TenantID() || tok.Claims.Audience == "" || tok.Claims.IssuedAt.IsZero() {
				t.Errorf("claims = %+v", tok.Claims)
			}
			if d := tok.RefreshOn.Sub(before); d < 29*time.Minute || d > 31*time.Minute {
				t.Errorf("RefreshOn is %v after the request, want about 30m (refresh_in)", d)
			}
			if d := tok.ExpiresOn.Sub(before); d < 59*time.Minute || d > 61*time.Minute {
				t.Errorf("ExpiresOn is %v after the request, want about 1h", d)
			}
		})
	}
}

// TestInteractiveBrowserBuilds: the browser kind is checked by hand (README.md); here only that
// its credential is built without any request.
func TestInteractiveBrowserBuilds(t *testing.T) {
	e := startEntra(t, emulator.EntraOptions{})
	s, err := NewSource(emuProfile(e, profiles.Auth{Kind: profiles.AuthDeveloper, Method: profiles.DeveloperBrowser, TenantID: e.TenantID()}), emuOptions(t, e))
	if err != nil {
		t.Fatal(err)
	}
	if s.Kind() != "developer login (interactive browser)" {
		t.Errorf("Kind() = %q", s.Kind())
	}
	if n := e.Requests(emulator.EndpointDiscovery) + e.Requests(emulator.EndpointToken); n != 0 {
		t.Errorf("building the credential made %d requests", n)
	}
}

// TestAuthorities: named clouds map to azcore's cloud configurations; a custom host turns
// instance discovery off (MSAL would otherwise ask login.microsoftonline.com about it).
func TestAuthorities(t *testing.T) {
	setup(t)
	for _, tc := range []struct {
		authority, host string
		custom          bool
	}{
		{"", "https://login.microsoftonline.com/", false},
		{profiles.AuthorityPublic, "https://login.microsoftonline.com/", false},
		{profiles.AuthorityChina, "https://login.chinacloudapi.cn/", false},
		{profiles.AuthorityUSGov, "https://login.microsoftonline.us/", false},
		{"https://login.example.com/", "https://login.example.com/", true},
		{"https://login.microsoftonline.com/", "https://login.microsoftonline.com/", false},
	} {
		a, err := resolveAuthority("x", profiles.Auth{Authority: tc.authority})
		if err != nil {
			t.Fatalf("%q: %v", tc.authority, err)
		}
		if a.cloud.ActiveDirectoryAuthorityHost != tc.host || a.custom != tc.custom {
			t.Errorf("%q: host %q custom %v, want %q %v", tc.authority, a.cloud.ActiveDirectoryAuthorityHost, a.custom, tc.host, tc.custom)
		}
	}
}

func TestServicePrincipalCertificate(t *testing.T) {
	c := newTestCert(t, "amr-tui-test-app", time.Now().Add(24*time.Hour))
	cases := map[string]struct {
		file   []byte
		secret string
		pass   string
		chain  bool
	}{
		"pem":                {file: c.pem(t, "PRIVATE KEY")},
		"pkcs12-legacy":      {file: c.pkcs12(t, pkcs12.LegacyRC2, testCertPass), pass: testCertPass},
		"pkcs12-modern":      {file: c.pkcs12(t, pkcs12.Modern2023, testCertPass), pass: testCertPass},
		"pkcs12-base64-ref":  {secret: base64.StdEncoding.EncodeToString(c.pkcs12(t, pkcs12.Modern, testCertPass)), pass: testCertPass},
		"send-chain":         {file: c.pem(t, "RSA PRIVATE KEY"), chain: true},
		"pkcs12-no-password": {file: c.pkcs12(t, pkcs12.Passwordless, "")},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			e := startEntra(t, emulator.EntraOptions{})
			e.RegisterApp(emulator.App{ClientID: appClientID, Certificate: c.leaf, ObjectID: appObjectID})
			a := profiles.Auth{Kind: profiles.AuthCertificate, TenantID: e.TenantID(), ClientID: appClientID, SendCertificateChain: tc.chain}
			if tc.secret != "" {
				t.Setenv("AMR_TEST_CERT", tc.secret)
				a.Certificate = "env:AMR_TEST_CERT"
			} else {
				a.CertificateFile = writeFile(t, "cert", tc.file)
			}
			if tc.pass != "" {
				t.Setenv("AMR_TEST_CERT_PASSWORD", tc.pass)
				a.CertificatePassword = "env:AMR_TEST_CERT_PASSWORD"
			}
			_, tok, err := getToken(t, emuProfile(e, a), emuOptions(t, e))
			if err != nil {
				t.Fatal(err)
			}
			checkEntraToken(t, e, tok, appObjectID)
		})
	}
}

// TestManagedIdentity covers system-assigned and the three ways to select a user-assigned
// identity. MSAL's managed identity cache is process-wide (azure.md §2), so every identity is
// unique to its case and tokens live under five minutes (never cached).
func TestManagedIdentity(t *testing.T) {
	for _, name := range []string{"system-assigned", "client-id", "object-id", "resource-id"} {
		t.Run(name, func(t *testing.T) {
			e := startEntra(t, emulator.EntraOptions{TokenLifetime: 4 * time.Minute})
			emutest.SetAppServiceEnv(t, e)
			mi := emulator.ManagedIdentity{ClientID: uuid.NewString(), ObjectID: uuid.NewString(),
				ResourceID: "/subscriptions/" + uuid.NewString() + "/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-" + name}
			a := profiles.Auth{Kind: profiles.AuthManagedIdentity}
			want := "managed identity (system-assigned)"
			switch name {
			case "system-assigned":
				mi.SystemAssigned = true
				mi.ResourceID = ""
			case "client-id":
				a.ClientID = mi.ClientID
				want = "managed identity (user-assigned, client ID " + mi.ClientID + ")"
			case "object-id":
				a.ObjectID = mi.ObjectID
				want = "managed identity (user-assigned, object ID " + mi.ObjectID + ")"
			case "resource-id":
				a.ResourceID = mi.ResourceID
				want = "managed identity (user-assigned, resource ID " + mi.ResourceID + ")"
			}
			e.RegisterManagedIdentity(mi)
			s, tok, err := getToken(t, emuProfile(e, a), emuOptions(t, e))
			if err != nil {
				t.Fatal(err)
			}
			if s.Kind() != want {
				t.Errorf("Kind() = %q, want %q", s.Kind(), want)
			}
			checkEntraToken(t, e, tok, mi.ObjectID)
			if tok.Claims.AppID != mi.ClientID {
				t.Errorf("AppID = %q, want the identity's client ID", tok.Claims.AppID)
			}
		})
	}
}

func TestDeveloperCLIs(t *testing.T) {
	for _, m := range []profiles.DeveloperMethod{profiles.DeveloperAzureCLI, profiles.DeveloperAzd} {
		t.Run(string(m), func(t *testing.T) {
			e := startEntra(t, emulator.EntraOptions{})
			emutest.InstallFakeCLIs(t, e)
			e.SetUser(emulator.User{UPN: userUPN, ObjectID: userOID})
			e.SetCLILoggedIn(true)
			_, tok, err := getToken(t, emuProfile(e, profiles.Auth{Kind: profiles.AuthDeveloper, Method: m}), Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkEntraToken(t, e, tok, userOID)
			if tok.Claims.UPN != userUPN {
				t.Errorf("UPN = %q, want %q", tok.Claims.UPN, userUPN)
			}
		})
	}
}

func TestDeveloperDeviceCode(t *testing.T) {
	e := startEntra(t, emulator.EntraOptions{})
	e.SetUser(emulator.User{UPN: userUPN, ObjectID: userOID})
	e.SetDeviceCodePendingPolls(1)
	var (
		mu      sync.Mutex
		prompts []DeviceCodePrompt
	)
	opts := emuOptions(t, e)
	opts.DeviceCodePrompt = func(_ context.Context, p DeviceCodePrompt) error {
		mu.Lock()
		prompts = append(prompts, p)
		mu.Unlock()
		return nil
	}
	s, tok, err := getToken(t, emuProfile(e, profiles.Auth{Kind: profiles.AuthDeveloper, Method: profiles.DeveloperDeviceCode, TenantID: e.TenantID()}), opts)
	if err != nil {
		t.Fatal(err)
	}
	checkEntraToken(t, e, tok, userOID)
	mu.Lock()
	defer mu.Unlock()
	if len(prompts) != 1 || prompts[0].UserCode == "" || !strings.HasPrefix(prompts[0].VerificationURL, "https://127.0.0.1:") || !strings.Contains(prompts[0].Message, prompts[0].UserCode) {
		t.Fatalf("prompts = %+v, want one with code, URL and message", prompts)
	}
	// Fresh must not make the user sign in again.
	if _, err := s.Fresh(ctxT(t, 10*time.Second)); err != nil {
		t.Fatal(err)
	}
	if len(prompts) != 1 {
		t.Errorf("Fresh prompted again (%d prompts)", len(prompts))
	}
}

// TestDeveloperDefaultChain selects one credential of DefaultAzureCredential with
// AZURE_TOKEN_CREDENTIALS (the variable the profile honours) and gets a token through it.
func TestDeveloperDefaultChain(t *testing.T) {
	t.Run("AzureCliCredential", func(t *testing.T) {
		e := startEntra(t, emulator.EntraOptions{})
		emutest.InstallFakeCLIs(t, e)
		e.SetUser(emulator.User{UPN: userUPN, ObjectID: userOID})
		e.SetCLILoggedIn(true)
		t.Setenv("AZURE_TOKEN_CREDENTIALS", "AzureCliCredential")
		s, tok, err := getToken(t, emuProfile(e, profiles.Auth{Kind: profiles.AuthDeveloper}), emuOptions(t, e))
		if err != nil {
			t.Fatal(err)
		}
		if s.Kind() != "developer login (DefaultAzureCredential chain)" {
			t.Errorf("Kind() = %q", s.Kind())
		}
		checkEntraToken(t, e, tok, userOID)
	})
	t.Run("dev", func(t *testing.T) {
		e := startEntra(t, emulator.EntraOptions{})
		emutest.InstallFakeCLIs(t, e)
		e.SetUser(emulator.User{UPN: userUPN, ObjectID: userOID})
		e.SetCLILoggedIn(true)
		t.Setenv("AZURE_TOKEN_CREDENTIALS", "dev")
		_, tok, err := getToken(t, emuProfile(e, profiles.Auth{Kind: profiles.AuthDeveloper, Method: profiles.DeveloperDefault}), emuOptions(t, e))
		if err != nil {
			t.Fatal(err)
		}
		checkEntraToken(t, e, tok, userOID)
	})
	t.Run("ManagedIdentityCredential", func(t *testing.T) {
		e := startEntra(t, emulator.EntraOptions{TokenLifetime: 4 * time.Minute})
		emutest.SetAppServiceEnv(t, e)
		mi := emulator.ManagedIdentity{ClientID: uuid.NewString(), ObjectID: uuid.NewString()}
		e.RegisterManagedIdentity(mi)
		t.Setenv("AZURE_TOKEN_CREDENTIALS", "ManagedIdentityCredential")
		t.Setenv("AZURE_CLIENT_ID", mi.ClientID) // DefaultAzureCredential's way to pick a user-assigned identity
		_, tok, err := getToken(t, emuProfile(e, profiles.Auth{Kind: profiles.AuthDeveloper}), emuOptions(t, e))
		if err != nil {
			t.Fatal(err)
		}
		checkEntraToken(t, e, tok, mi.ObjectID)
	})
}

func TestAccessKeyAndNone(t *testing.T) {
	setup(t)
	g := startGate(t, nil, map[string]string{"default": testAccessKey, "reader": testAccessKey + "-reader"})
	t.Setenv("AMR_TEST_KEY", testAccessKey)
	t.Setenv("AMR_TEST_READER", testAccessKey+"-reader")

	for _, tc := range []struct {
		name, user string
		ref        profiles.SecretRef
		kind       string
	}{
		{"default-user", "", "env:AMR_TEST_KEY", "access key"},
		{"acl-user", "reader", "env:AMR_TEST_READER", "access key (ACL user reader)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, tok, err := getToken(t, profiles.Profile{Name: "key", Auth: profiles.Auth{Kind: profiles.AuthAccessKey, Username: tc.user, Password: tc.ref}}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if s.Kind() != tc.kind || tok.Username != tc.user || tok.Expires() || !tok.Claims.ExpiresAt.IsZero() {
				t.Errorf("Kind %q, token user %q, expires %v", s.Kind(), tok.Username, tok.Expires())
			}
			if err := redisAUTH(t, g.Addr(), tok); err != nil {
				t.Errorf("gate refused the access key: %v", err)
			}
		})
	}

	t.Run("none", func(t *testing.T) {
		s, tok, err := getToken(t, profiles.Profile{Name: "none", Auth: profiles.Auth{Kind: profiles.AuthNone}}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if tok != (Token{}) || s.Kind() != "no authentication" {
			t.Errorf("none gave %+v / %q", tok, s.Kind())
		}
		// The gate requires AUTH, so no auth is refused there, and the refusal is explained.
		err = ExplainRedisError(redisAUTH(t, g.Addr(), tok), tok)
		e := asError(t, err)
		if e.Code != "NOAUTH" {
			t.Errorf("code = %q, want NOAUTH", e.Code)
		}
	})
}

// TestFreshBypassesCache: Token serves MSAL's cache; Fresh gets a new token from Entra.
func TestFreshBypassesCache(t *testing.T) {
	e := startEntra(t, emulator.EntraOptions{TokenLifetime: time.Hour})
	e.RegisterApp(emulator.App{ClientID: appClientID, Secret: testSecret, ObjectID: appObjectID})
	t.Setenv("AMR_TEST_SECRET", testSecret)
	s, first, err := getToken(t, emuProfile(e, profiles.Auth{
		Kind: profiles.AuthServicePrincipal, TenantID: e.TenantID(), ClientID: appClientID, ClientSecret: "env:AMR_TEST_SECRET",
	}), emuOptions(t, e))
	if err != nil {
		t.Fatal(err)
	}
	n := e.Requests(emulator.EndpointToken)
	again, err := s.Token(ctxT(t, 10*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if again.Value != first.Value || e.Requests(emulator.EndpointToken) != n {
		t.Error("Token did not serve the cached token")
	}
	time.Sleep(1100 * time.Millisecond) // tokens carry whole seconds; make the new one differ
	fresh, err := s.Fresh(ctxT(t, 10*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	trackSecret(fresh.Value)
	if fresh.Value == first.Value || e.Requests(emulator.EndpointToken) != n+1 {
		t.Errorf("Fresh returned the cached token (token requests %d → %d)", n, e.Requests(emulator.EndpointToken))
	}
	if !fresh.ExpiresOn.After(first.ExpiresOn) || fresh.Username != appObjectID {
		t.Errorf("fresh token expires %v (first %v), user %q", fresh.ExpiresOn, first.ExpiresOn, fresh.Username)
	}
	// Token now serves the fresh token.
	if now, _ := s.Token(ctxT(t, 10*time.Second)); now.Value != fresh.Value {
		t.Error("Token after Fresh does not serve the fresh token")
	}
}

// TestUsernameOverride: the profile's username replaces the oid.
func TestUsernameOverride(t *testing.T) {
	e := startEntra(t, emulator.EntraOptions{})
	e.RegisterApp(emulator.App{ClientID: appClientID, Secret: testSecret, ObjectID: appObjectID})
	t.Setenv("AMR_TEST_SECRET", testSecret)
	_, tok, err := getToken(t, emuProfile(e, profiles.Auth{
		Kind: profiles.AuthServicePrincipal, TenantID: e.TenantID(), ClientID: appClientID, ClientSecret: "env:AMR_TEST_SECRET",
		Username: "override-user",
	}), emuOptions(t, e))
	if err != nil {
		t.Fatal(err)
	}
	if tok.Username != "override-user" || tok.Claims.ObjectID != appObjectID {
		t.Errorf("username %q, oid %q", tok.Username, tok.Claims.ObjectID)
	}
}

// TestAuthorityCAFile: with no transport given, auth builds one trusting authority_ca_file.
func TestAuthorityCAFile(t *testing.T) {
	e := startEntra(t, emulator.EntraOptions{})
	e.RegisterApp(emulator.App{ClientID: appClientID, Secret: testSecret, ObjectID: appObjectID})
	t.Setenv("AMR_TEST_SECRET", testSecret)
	a := profiles.Auth{Kind: profiles.AuthServicePrincipal, TenantID: e.TenantID(), ClientID: appClientID, ClientSecret: "env:AMR_TEST_SECRET"}
	opts := emuOptions(t, e)
	opts.Transport = nil
	opts.WrapTransport = guardWrap(t)

	t.Run("untrusted", func(t *testing.T) {
		_, _, err := getToken(t, emuProfile(e, a), opts)
		e2 := asError(t, err)
		if e2.Step != StepReach {
			t.Errorf("step = %v", e2.Step)
		}
		golden(t, explainGolden(e2, idNames(e)))
	})
	t.Run("trusted", func(t *testing.T) {
		ca := writeFile(t, "ca.pem", e.CA().CertPEM())
		a := a
		a.AuthorityCAFile = ca
		_, tok, err := getToken(t, emuProfile(e, a), opts)
		if err != nil {
			t.Fatal(err)
		}
		checkEntraToken(t, e, tok, appObjectID)
	})
}

// TestFreshManagedIdentityProcessCache documents the exception in Source.Fresh: MSAL caches
// managed identity tokens process-wide, so a new credential instance still gets the cached token.
func TestFreshManagedIdentityProcessCache(t *testing.T) {
	e := startEntra(t, emulator.EntraOptions{TokenLifetime: time.Hour})
	emutest.SetAppServiceEnv(t, e)
	mi := emulator.ManagedIdentity{ClientID: uuid.NewString(), ObjectID: uuid.NewString()} // unique: the cache is keyed by ID
	e.RegisterManagedIdentity(mi)
	s, first, err := getToken(t, emuProfile(e, profiles.Auth{Kind: profiles.AuthManagedIdentity, ClientID: mi.ClientID}), emuOptions(t, e))
	if err != nil {
		t.Fatal(err)
	}
	n := e.Requests(emulator.EndpointMSI)
	fresh, err := s.Fresh(ctxT(t, 10*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if fresh.Value != first.Value || e.Requests(emulator.EndpointMSI) != n {
		t.Skip("MSAL no longer serves managed identity tokens from a process-wide cache; update Source.Fresh's doc")
	}
	if fresh.Username != mi.ObjectID {
		t.Errorf("username %q", fresh.Username)
	}
}

// TestScopeOverride: a profile may request the Redis resource by its application ID instead.
func TestScopeOverride(t *testing.T) {
	e := startEntra(t, emulator.EntraOptions{})
	e.RegisterApp(emulator.App{ClientID: appClientID, Secret: testSecret, ObjectID: appObjectID})
	t.Setenv("AMR_TEST_SECRET", testSecret)
	_, tok, err := getToken(t, emuProfile(e, profiles.Auth{
		Kind: profiles.AuthServicePrincipal, TenantID: e.TenantID(), ClientID: appClientID, ClientSecret: "env:AMR_TEST_SECRET",
		Scopes: []string{emulator.RedisAppID + "/.default"},
	}), emuOptions(t, e))
	if err != nil {
		t.Fatal(err)
	}
	checkEntraToken(t, e, tok, appObjectID)
}
