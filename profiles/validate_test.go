package profiles

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestValidateValues checks one bad value at a time: the problem names the field and says what
// is expected.
func TestValidateValues(t *testing.T) {
	base := func() Profile {
		return Profile{Name: "p", Host: "p.redis.azure.net", Auth: Auth{Kind: AuthDeveloper}}
	}
	for _, tc := range []struct {
		name   string
		change func(p *Profile)
		field  string
		msg    string
	}{
		{"host with port", func(p *Profile) { p.Host = "x.redis.azure.net:10000" }, "host", "without a port"},
		{"bracketed ipv6", func(p *Profile) { p.Host = "[::1]" }, "host", "without brackets"},
		{"host with space", func(p *Profile) { p.Host = "my host" }, "host", "DNS name or IP"},
		{"label control chars", func(p *Profile) { p.Label = "a\x1b[31mred" }, "label", "control characters"},
		{"long label", func(p *Profile) { p.Label = strings.Repeat("x", 81) }, "label", "at most 80"},
		{"negative db", func(p *Profile) { p.DB = -1 }, "db", "0 or more"},
		{"db in cluster", func(p *Profile) { p.DB = 2; p.Cluster = ClusterOn }, "db", "only database 0"},
		{"server name", func(p *Profile) { p.TLS.ServerName = "a b" }, "tls.server_name", "DNS name"},
		{"cert without key", func(p *Profile) { p.TLS.CertFile = "/c.pem" }, "tls.key_file", "both"},
		{"key without cert", func(p *Profile) { p.TLS.KeyFile = "/k.pem" }, "tls.cert_file", "both"},
		{"authority garbage", func(p *Profile) { p.Auth.Authority = "login" }, "auth.authority", `want "public"`},
		{"authority with user", func(p *Profile) { p.Auth.Authority = "https://u:pw@x/" }, "auth.authority", "user name or password"},
		{"authority with query", func(p *Profile) { p.Auth.Authority = "https://x/?a=1" }, "auth.authority", "without query"},
		{"authority ca for cloud", func(p *Profile) { p.Auth.AuthorityCAFile = "/ca.pem" }, "auth.authority_ca_file", "only a custom authority"},
		{"authority for azure-cli", func(p *Profile) { p.Auth.Method = DeveloperAzureCLI; p.Auth.Authority = "china" }, "auth.authority", `method "azure-cli"`},
		{"client id for default", func(p *Profile) { p.Auth.ClientID = "22222222-2222-2222-2222-222222222222" }, "auth.client_id", "not used"},
		{"tenant", func(p *Profile) { p.Auth.TenantID = "not a tenant" }, "auth.tenant_id", "tenant ID"},
		{"username with space", func(p *Profile) { p.Auth.Username = "a b" }, "auth.username", "spaces"},
		{"empty scopes", func(p *Profile) { p.Auth.Scopes = []string{} }, "auth.scopes", "at least one"},
		{"bad scope", func(p *Profile) { p.Auth.Scopes = []string{"a b"} }, "auth.scopes", "without spaces"},
		{"mi scopes", func(p *Profile) { p.Auth = Auth{Kind: AuthManagedIdentity, Scopes: []string{"a", "b"}} }, "auth.scopes", "exactly one"},
		{"mi resource id", func(p *Profile) { p.Auth = Auth{Kind: AuthManagedIdentity, ResourceID: "/subscriptions/x"} }, "auth.resource_id", "resource ID"},
		{"object id", func(p *Profile) { p.Auth = Auth{Kind: AuthManagedIdentity, ObjectID: "abc"} }, "auth.object_id", "GUID"},
		{"cert both", func(p *Profile) {
			p.Auth = Auth{Kind: AuthCertificate, TenantID: "t.example", ClientID: "22222222-2222-2222-2222-222222222222",
				CertificateFile: "/a.pem", Certificate: "env:X"}
		}, "auth.certificate", "not both"},
		{"cert relative", func(p *Profile) {
			p.Auth = Auth{Kind: AuthCertificate, TenantID: "t.example", ClientID: "22222222-2222-2222-2222-222222222222", CertificateFile: "a.pem"}
		}, "auth.certificate_file", "absolute path"},
		{"timeout", func(p *Profile) { p.Token.RequestTimeout = Dur(0) }, "token.request_timeout", "greater than 0"},
		{"bound", func(p *Profile) { p.Token.LowerRefreshBound = Dur(-1) }, "token.lower_refresh_bound", "0 or more"},
		{"attempts", func(p *Profile) { p.Token.RetryMaxAttempts = Ptr(-1) }, "token.retry_max_attempts", "0 (no limit before the token expires)"},
		{"initial delay", func(p *Profile) { p.Token.RetryInitialDelay = Dur(0) }, "token.retry_initial_delay", "greater than 0"},
		{"max delay", func(p *Profile) { p.Token.RetryMaxDelay = Dur(1) }, "token.retry_max_delay", "at least retry_initial_delay"},
		{"multiplier", func(p *Profile) { p.Token.RetryBackoffMultiplier = Ptr(0.5) }, "token.retry_backoff_multiplier", "from 1 to 100"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := base()
			tc.change(&p)
			err := p.Validate()
			if err == nil {
				t.Fatal("validated")
			}
			probs := err.(*ValidationError).Problems
			if len(probs) != 1 || probs[0].Field != tc.field || !strings.Contains(probs[0].Msg, tc.msg) {
				t.Errorf("problems = %+v, want one for %s containing %q", probs, tc.field, tc.msg)
			}
		})
	}
	ok := base()
	ok.Host = "fe80::1"
	if err := ok.Validate(); err != nil {
		t.Errorf("IPv6 host: %v", err)
	}
}

func TestExpandPath(t *testing.T) {
	home, err := os.UserHomeDir()
	if err != nil {
		t.Skip(err)
	}
	if p, _ := ExpandPath("~/x/y"); p != filepath.Join(home, "x", "y") {
		t.Errorf("ExpandPath = %s", p)
	}
	if p, _ := ExpandPath("/abs"); p != "/abs" {
		t.Errorf("ExpandPath = %s", p)
	}
}

func TestDurationText(t *testing.T) {
	var d Duration
	if err := d.UnmarshalText([]byte("1m30s")); err != nil || d.Minutes() != 1.5 {
		t.Errorf("UnmarshalText: %v %v", d, err)
	}
	if err := d.UnmarshalText([]byte("soon")); err == nil {
		t.Error("accepted soon")
	}
	b, _ := json.Marshal(TokenSettings{RequestTimeout: Dur(30e9)})
	if string(b) != `{"request_timeout":"30s"}` {
		t.Errorf("JSON = %s", b)
	}
}

func TestProfileTOML(t *testing.T) {
	b, err := everyKind()[0].TOML()
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if !strings.HasPrefix(s, "[profiles.prod]\n") || !strings.Contains(s, "client_secret = 'keyring:amr-tui/prod/client_secret'") {
		t.Errorf("TOML:\n%s", s)
	}
}
