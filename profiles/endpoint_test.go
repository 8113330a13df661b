package profiles

import (
	"testing"
	"time"
)

func TestEndpointDefaults(t *testing.T) {
	for _, tc := range []struct {
		host string
		port int
		tls  *bool
		want Endpoint
	}{
		{"x.westeurope.redis.azure.net", 0, nil, Endpoint{"x.westeurope.redis.azure.net", 10000, true}},
		{"X.WestEurope.Redis.Azure.Net.", 0, nil, Endpoint{"X.WestEurope.Redis.Azure.Net.", 10000, true}},
		{"c.redis.cache.windows.net", 0, nil, Endpoint{"c.redis.cache.windows.net", 6380, true}},
		{"localhost", 0, nil, Endpoint{"localhost", 6379, false}},
		{"127.0.0.1", 0, nil, Endpoint{"127.0.0.1", 6379, false}},
		{"::1", 0, nil, Endpoint{"::1", 6379, false}},
		{"redis.internal", 0, nil, Endpoint{"redis.internal", 6379, true}},
		{"localhost", 7000, Ptr(true), Endpoint{"localhost", 7000, true}},
		{"x.redis.azure.net", 8500, Ptr(false), Endpoint{"x.redis.azure.net", 8500, false}},
	} {
		p := Profile{Host: tc.host, Port: tc.port, TLS: TLS{Enabled: tc.tls}}
		if got := p.Endpoint(); got != tc.want {
			t.Errorf("%s:%d: Endpoint = %+v, want %+v", tc.host, tc.port, got, tc.want)
		}
	}
	if a := (Endpoint{"::1", 6379, false}).Addr(); a != "[::1]:6379" {
		t.Errorf("Addr = %s", a)
	}
}

func TestTokenConfigDefaults(t *testing.T) {
	want := TokenConfig{0.7, 5 * time.Minute, 30 * time.Second, 0, time.Second, 30 * time.Second, 2.0}
	if got := (TokenSettings{}).Config(); got != want {
		t.Errorf("defaults = %+v", got)
	}
	got := TokenSettings{RetryMaxAttempts: Ptr(3), LowerRefreshBound: Dur(0)}.Config()
	if got.RetryMaxAttempts != 3 || got.LowerRefreshBound != 0 || got.RefreshRatio != 0.7 {
		t.Errorf("explicit zero or value lost: %+v", got)
	}
}

func TestAuthority(t *testing.T) {
	for in, want := range map[string]string{
		"": AuthorityHostPublic, "public": AuthorityHostPublic, "china": AuthorityHostChina,
		"usgov": AuthorityHostUSGov, "https://127.0.0.1:8443/": "https://127.0.0.1:8443/",
	} {
		if got, err := (Auth{Authority: in}).AuthorityHost(); err != nil || got != want {
			t.Errorf("AuthorityHost(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := (Auth{Authority: "http://x"}).AuthorityHost(); err == nil {
		t.Error("http authority accepted")
	}
	if s := (Auth{}).EffectiveScopes(); len(s) != 1 || s[0] != DefaultScope {
		t.Errorf("EffectiveScopes = %v", s)
	}
}

func TestValidateUsableWithoutFile(t *testing.T) {
	p := Profile{Name: "x", Host: "x.redis.azure.net", Auth: Auth{Kind: AuthServicePrincipal}}
	err := p.Validate()
	if err == nil {
		t.Fatal("incomplete profile validated")
	}
	want := `profile "x", field auth.tenant_id: missing required field for kind "service-principal": want the tenant (directory) ID` + "\n" +
		`profile "x", field auth.client_id: missing required field for kind "service-principal": want the application (client) ID` + "\n" +
		`profile "x", field auth.client_secret: missing required field for kind "service-principal": want a reference to the client secret: keyring:, env:NAME or file:PATH`
	if err.Error() != want {
		t.Errorf("Validate:\n%s", err)
	}
	for _, p := range everyKind() {
		if err := p.Validate(); err != nil {
			t.Errorf("%s: %v", p.Name, err)
		}
	}
}

func TestValidColor(t *testing.T) {
	for c, ok := range map[string]bool{"red": true, "#abc": true, "#A0B1C2": true, "0": true, "255": true,
		"256": false, "007": false, "#abcd": false, "Red": false, "": false} {
		if ValidColor(c) != ok {
			t.Errorf("ValidColor(%q) = %v", c, !ok)
		}
	}
}

func TestUnset(t *testing.T) {
	p := everyKind()[0]
	for _, f := range []string{"label", "tls.ca_file", "auth.scopes", "token"} {
		if err := p.Unset(f); err != nil {
			t.Fatal(err)
		}
	}
	if p.Label != "" || p.TLS.CAFile != "" || p.Auth.Scopes != nil || !p.Token.IsZero() || p.Host == "" {
		t.Errorf("Unset left %+v", p)
	}
	for _, bad := range []string{"", "nope", "tls.nope", "label.x", "token.request_timeout.x"} {
		if p.Unset(bad) == nil {
			t.Errorf("Unset(%q) accepted", bad)
		}
	}
	if n := FieldNames(); n[0] != "label" || len(n) < 30 {
		t.Errorf("FieldNames = %v", n)
	}
}
