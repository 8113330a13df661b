package profiles

import (
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// everyKind returns valid profiles that together set every field of Profile.
func everyKind() []Profile {
	return []Profile{
		{
			Name: "prod", Label: "Production – West Europe", Color: "red",
			Host: "prod.westeurope.redis.azure.net", Port: 10000, DB: 0, ReadOnly: true, Cluster: ClusterOn,
			TreeDelimiters: []string{":", "/", "::"},
			TLS: TLS{Enabled: Ptr(true), CAFile: "/etc/ssl/extra.pem", CertFile: "~/certs/client.pem",
				KeyFile: "~/certs/client.key", ServerName: "prod.westeurope.redis.azure.net", InsecureSkipVerify: true},
			Auth: Auth{Kind: AuthServicePrincipal, TenantID: "11111111-1111-1111-1111-111111111111",
				ClientID: "22222222-2222-2222-2222-222222222222", ClientSecret: "keyring:amr-tui/prod/client_secret",
				Username: "33333333-3333-3333-3333-333333333333", Authority: "https://127.0.0.1:8443/",
				AuthorityCAFile: "/tmp/emulator-ca.pem", Scopes: []string{"https://redis.azure.com/.default", "openid"}},
			Token: TokenSettings{RefreshRatio: Ptr(0.8), LowerRefreshBound: Dur(4 * time.Minute),
				RequestTimeout: Dur(10 * time.Second), RetryMaxAttempts: Ptr(7), RetryInitialDelay: Dur(500 * time.Millisecond),
				RetryMaxDelay: Dur(time.Minute), RetryBackoffMultiplier: Ptr(1.5)},
		},
		{
			Name: "cert-file", Host: "cache1.redis.cache.windows.net", DB: 3, Cluster: ClusterOff,
			Auth: Auth{Kind: AuthCertificate, TenantID: "contoso.onmicrosoft.com", ClientID: "22222222-2222-2222-2222-222222222222",
				CertificateFile: "/etc/amr/app.p12", CertificatePassword: "env:CERT_PASSWORD", SendCertificateChain: true,
				Authority: AuthorityChina},
		},
		{
			Name: "cert-ref", Host: "cache2.redis.cache.windows.net", Cluster: ClusterAuto,
			Auth: Auth{Kind: AuthCertificate, TenantID: "11111111-1111-1111-1111-111111111111",
				ClientID: "22222222-2222-2222-2222-222222222222", Certificate: "file:/run/secrets/app.p12.b64",
				Authority: AuthorityUSGov},
		},
		{Name: "mi-system", Host: "a.redis.azure.net", Auth: Auth{Kind: AuthManagedIdentity}},
		{Name: "mi-client", Host: "a.redis.azure.net", Auth: Auth{Kind: AuthManagedIdentity, ClientID: "44444444-4444-4444-4444-444444444444"}},
		{Name: "mi-object", Host: "a.redis.azure.net", Auth: Auth{Kind: AuthManagedIdentity, ObjectID: "55555555-5555-5555-5555-555555555555"}},
		{Name: "mi-resource", Host: "a.redis.azure.net", Auth: Auth{Kind: AuthManagedIdentity,
			ResourceID: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1"}},
		{Name: "dev-cli", Host: "a.redis.azure.net", Auth: Auth{Kind: AuthDeveloper, Method: DeveloperAzureCLI, TenantID: "11111111-1111-1111-1111-111111111111"}},
		{Name: "dev-azd", Host: "a.redis.azure.net", Auth: Auth{Kind: AuthDeveloper, Method: DeveloperAzd}},
		{Name: "dev-device", Host: "a.redis.azure.net", Auth: Auth{Kind: AuthDeveloper, Method: DeveloperDeviceCode,
			ClientID: "04b07795-8ddb-461a-bbee-02f9e1bf7b46", Authority: AuthorityPublic}},
		{Name: "dev-browser", Host: "a.redis.azure.net", Auth: Auth{Kind: AuthDeveloper, Method: DeveloperBrowser}},
		{Name: "dev-default", Host: "a.redis.azure.net", Auth: Auth{Kind: AuthDeveloper, Method: DeveloperDefault}},
		{Name: "key", Host: "10.0.0.5", Port: 6380, Color: "#ff8800", Auth: Auth{Kind: AuthAccessKey, Username: "app", Password: "env:REDIS_KEY"}},
		{Name: "local", Host: "localhost", TLS: TLS{Enabled: Ptr(false)}, Color: "42", Auth: Auth{Kind: AuthNone}},
	}
}

func TestRoundTripEveryField(t *testing.T) {
	path := filepath.Join(t.TempDir(), "profiles.toml")
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	want := everyKind()
	for _, p := range want {
		if err := f.Put(p); err != nil {
			t.Fatalf("Put(%s): %v", p.Name, err)
		}
	}
	if err := f.SetLastUsed("prod"); err != nil {
		t.Fatal(err)
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	g, err := Load(path)
	if err != nil {
		t.Fatalf("loading what was saved: %v", err)
	}
	if g.LastUsed() != "prod" {
		t.Errorf("LastUsed = %q, want prod", g.LastUsed())
	}
	if len(g.Names()) != len(want) {
		t.Errorf("Names = %v, want %d profiles", g.Names(), len(want))
	}
	for _, p := range want {
		got, ok := g.Get(p.Name)
		if !ok {
			t.Errorf("profile %s lost", p.Name)
			continue
		}
		if !reflect.DeepEqual(got, p) {
			t.Errorf("profile %s changed in the round trip:\n got %+v\nwant %+v", p.Name, got, p)
		}
	}
}

// TestRoundTripCoversEveryField guards the round-trip test: a field added to Profile later must
// be set in everyKind, or this fails.
func TestRoundTripCoversEveryField(t *testing.T) {
	set := map[string]bool{}
	for _, p := range everyKind() {
		markSet(reflect.ValueOf(p), "", set)
	}
	var missing []string
	walkFields(reflect.TypeFor[Profile](), "", func(path string) {
		if !set[path] {
			missing = append(missing, path)
		}
	})
	if len(missing) > 0 {
		t.Errorf("fields never set by everyKind (so never round-tripped): %v", missing)
	}
}

var durType = reflect.TypeFor[Duration]()

func walkFields(t reflect.Type, prefix string, leaf func(string)) {
	for i := range t.NumField() {
		f := t.Field(i)
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct && ft != durType {
			walkFields(ft, prefix+f.Name+".", leaf)
			continue
		}
		leaf(prefix + f.Name)
	}
}

func markSet(v reflect.Value, prefix string, set map[string]bool) {
	for i := range v.NumField() {
		f, fv := v.Type().Field(i), v.Field(i)
		if fv.Kind() == reflect.Struct && fv.Type() != durType {
			markSet(fv, prefix+f.Name+".", set)
			continue
		}
		if !fv.IsZero() {
			set[prefix+f.Name] = true
		}
	}
}

func TestLoadFullExample(t *testing.T) {
	f, err := Load("testdata/full.toml")
	if err != nil {
		t.Fatal(err)
	}
	p, ok := f.Get("prod")
	if !ok {
		t.Fatal("no prod profile")
	}
	if e := p.Endpoint(); e != (Endpoint{Host: "prod.westeurope.redis.azure.net", Port: 10000, TLS: true}) {
		t.Errorf("Endpoint = %+v", e)
	}
	c := p.Token.Config()
	if c.RefreshRatio != 0.8 || c.LowerRefreshBound != 4*time.Minute || c.RequestTimeout != DefaultRequestTimeout {
		t.Errorf("token config = %+v", c)
	}
	if f.LastUsed() != "prod" {
		t.Errorf("LastUsed = %q", f.LastUsed())
	}
}
