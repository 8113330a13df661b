package auth

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/amr-tui/amr-tui/profiles"
)

const (
	cfgTenant = "contoso.onmicrosoft.com"
	cfgClient = "11111111-1111-1111-1111-111111111111"
)

// TestConfigErrors: bad profiles fail in NewSource with a configuration error that names the
// field and the fix (golden). No request is made.
func TestConfigErrors(t *testing.T) {
	sp := profiles.Auth{Kind: profiles.AuthServicePrincipal, TenantID: cfgTenant, ClientID: cfgClient, ClientSecret: "env:AMR_TEST_SECRET"}
	with := func(f func(a *profiles.Auth)) profiles.Auth {
		a := sp
		f(&a)
		return a
	}
	notPEM := filepath.Join("testdata", "not-pem.txt")
	cases := []struct {
		name string
		auth profiles.Auth
		opts Options
	}{
		{"kind-missing", profiles.Auth{}, Options{}},
		{"kind-unknown", profiles.Auth{Kind: "kerberos"}, Options{}},
		{"sp-tenant-missing", with(func(a *profiles.Auth) { a.TenantID = "" }), Options{}},
		{"sp-client-id-missing", with(func(a *profiles.Auth) { a.ClientID = "" }), Options{}},
		{"sp-secret-missing", with(func(a *profiles.Auth) { a.ClientSecret = "" }), Options{}},
		{"sp-secret-env-unset", with(func(a *profiles.Auth) { a.ClientSecret = "env:AMR_TEST_UNSET_SECRET" }), Options{}},
		{"sp-secret-file-missing", with(func(a *profiles.Auth) { a.ClientSecret = "file:/nonexistent/amr-tui/secret" }), Options{}},
		{"sp-secret-not-a-reference", with(func(a *profiles.Auth) { a.ClientSecret = "plain-text-value" }), Options{}},
		{"tenant-invalid", with(func(a *profiles.Auth) { a.TenantID = "contoso tenant/1" }), Options{}},
		{"authority-unknown", with(func(a *profiles.Auth) { a.Authority = "germany" }), Options{}},
		{"authority-http", with(func(a *profiles.Auth) { a.Authority = "http://login.example.com/" }), Options{}},
		{"authority-ca-file-missing", with(func(a *profiles.Auth) {
			a.Authority, a.AuthorityCAFile = "https://login.example.com/", "/nonexistent/amr-tui/ca.pem"
		}), Options{}},
		{"authority-ca-file-not-pem", with(func(a *profiles.Auth) { a.Authority, a.AuthorityCAFile = "https://login.example.com/", notPEM }), Options{}},
		{"scope-blank", with(func(a *profiles.Auth) { a.Scopes = []string{"https://redis.azure.com/.default openid"} }), Options{}},
		{"cert-none", profiles.Auth{Kind: profiles.AuthCertificate, TenantID: cfgTenant, ClientID: cfgClient}, Options{}},
		{"cert-both", profiles.Auth{Kind: profiles.AuthCertificate, TenantID: cfgTenant, ClientID: cfgClient, CertificateFile: "/x.pem", Certificate: "env:X"}, Options{}},
		{"mi-two-ids", profiles.Auth{Kind: profiles.AuthManagedIdentity, ClientID: cfgClient, ObjectID: cfgClient}, Options{}},
		{"mi-two-scopes", profiles.Auth{Kind: profiles.AuthManagedIdentity, Scopes: []string{profiles.DefaultScope, "https://other.example/.default"}}, Options{}},
		{"cli-two-scopes", profiles.Auth{Kind: profiles.AuthDeveloper, Method: profiles.DeveloperAzureCLI, Scopes: []string{profiles.DefaultScope, "https://other.example/.default"}}, Options{}},
		{"developer-method-unknown", profiles.Auth{Kind: profiles.AuthDeveloper, Method: "kerberos"}, Options{}},
		{"device-code-no-prompt", profiles.Auth{Kind: profiles.AuthDeveloper, Method: profiles.DeveloperDeviceCode}, Options{}},
		{"access-key-missing", profiles.Auth{Kind: profiles.AuthAccessKey}, Options{}},
		{"access-key-env-unset", profiles.Auth{Kind: profiles.AuthAccessKey, Password: "env:AMR_TEST_UNSET_KEY"}, Options{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			setup(t)
			t.Setenv("AMR_TEST_SECRET", testSecret)
			t.Setenv("AMR_TEST_UNSET_SECRET", "")
			t.Setenv("AMR_TEST_UNSET_KEY", "")
			_, err := NewSource(profiles.Profile{Name: "bad", Host: "example.redis.azure.net", Auth: tc.auth}, tc.opts)
			e := asError(t, err)
			if e.Step != StepConfig {
				t.Errorf("step = %v, want configuration", e.Step)
			}
			if e.Fix == "" {
				t.Error("no fix")
			}
			golden(t, explainGolden(e, map[string]string{cfgClient: "CLIENT-ID"}))
		})
	}
}

// TestKindNamesAndDescribe: the names the UI shows, without secrets.
func TestKindNamesAndDescribe(t *testing.T) {
	setup(t)
	cases := []profiles.Auth{
		{Kind: profiles.AuthServicePrincipal, TenantID: cfgTenant, ClientID: cfgClient, ClientSecret: "keyring:amr-tui/prod/client_secret"},
		{Kind: profiles.AuthCertificate, TenantID: cfgTenant, ClientID: cfgClient, CertificateFile: "~/certs/app.pfx", CertificatePassword: "env:PFX_PASSWORD", SendCertificateChain: true, Authority: profiles.AuthorityUSGov},
		{Kind: profiles.AuthCertificate, TenantID: "organizations", ClientID: cfgClient, Certificate: "file:/run/secrets/app-pfx", Authority: profiles.AuthorityChina},
		{Kind: profiles.AuthManagedIdentity},
		{Kind: profiles.AuthManagedIdentity, ClientID: cfgClient},
		{Kind: profiles.AuthManagedIdentity, ObjectID: cfgClient},
		{Kind: profiles.AuthManagedIdentity, ResourceID: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id"},
		{Kind: profiles.AuthDeveloper},
		{Kind: profiles.AuthDeveloper, Method: profiles.DeveloperAzureCLI, TenantID: cfgTenant},
		{Kind: profiles.AuthDeveloper, Method: profiles.DeveloperAzd},
		{Kind: profiles.AuthDeveloper, Method: profiles.DeveloperDeviceCode, TenantID: "common", Username: "override-oid"},
		{Kind: profiles.AuthDeveloper, Method: profiles.DeveloperBrowser, Authority: "https://login.example.com/", Scopes: []string{"api://custom/.default"}},
		{Kind: profiles.AuthAccessKey, Password: "env:REDIS_KEY"},
		{Kind: profiles.AuthAccessKey, Username: "reader", Password: "keyring:amr-tui/local/password"},
		{Kind: profiles.AuthNone},
	}
	var out string
	for _, a := range cases {
		out += KindName(a) + "\n    " + Describe(profiles.Profile{Name: "p", Auth: a}) + "\n"
	}
	golden(t, out)
}

// TestStaticSources: access keys re-read their secret on Fresh; none sends nothing.
func TestStaticSources(t *testing.T) {
	setup(t)
	t.Setenv("AMR_TEST_KEY", testAccessKey)
	s, err := NewSource(profiles.Profile{Name: "k", Auth: profiles.Auth{Kind: profiles.AuthAccessKey, Password: "env:AMR_TEST_KEY"}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := s.Token(context.Background())
	if err != nil || tok.Value != testAccessKey || tok.Username != "" || tok.Expires() {
		t.Fatalf("token %+v, %v", tok.Username, err)
	}
	t.Setenv("AMR_TEST_KEY", testAccessKey+"-rotated")
	tok, err = s.Fresh(context.Background())
	if err != nil || tok.Value != testAccessKey+"-rotated" {
		t.Fatalf("Fresh did not pick up the rotated key: %v", err)
	}
	t.Setenv("AMR_TEST_KEY", "")
	_, err = s.Fresh(context.Background())
	if e := asError(t, err); e.Step != StepConfig {
		t.Errorf("step %v", e.Step)
	}
}
