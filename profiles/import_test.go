package profiles

import (
	"reflect"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestFromEnv(t *testing.T) {
	const tenant, client = "11111111-1111-1111-1111-111111111111", "22222222-2222-2222-2222-222222222222"
	for _, tc := range []struct {
		name string
		env  map[string]string
		want Profile
	}{
		{"service principal", map[string]string{
			"REDIS_HOST": "a.redis.azure.net", "AZURE_TENANT_ID": tenant, "AZURE_CLIENT_ID": client,
			"AZURE_CLIENT_SECRET": "shh", "REDIS_OBJECT_ID": "33333333-3333-3333-3333-333333333333"},
			Profile{Name: "p", Host: "a.redis.azure.net", Auth: Auth{Kind: AuthServicePrincipal, TenantID: tenant,
				ClientID: client, ClientSecret: "env:AZURE_CLIENT_SECRET", Username: "33333333-3333-3333-3333-333333333333"}}},
		{"certificate", map[string]string{
			"REDIS_ENDPOINT": "c.redis.cache.windows.net:6380", "AZURE_TENANT_ID": tenant, "AZURE_CLIENT_ID": client,
			"AZURE_CLIENT_CERTIFICATE_PATH": "/etc/app.pem", "AZURE_CLIENT_CERTIFICATE_PASSWORD": "pw",
			"AZURE_CLIENT_SEND_CERTIFICATE_CHAIN": "true", "REDIS_USERNAME": "user1"},
			Profile{Name: "p", Host: "c.redis.cache.windows.net", Port: 6380, Auth: Auth{Kind: AuthCertificate, TenantID: tenant,
				ClientID: client, CertificateFile: "/etc/app.pem", CertificatePassword: "env:AZURE_CLIENT_CERTIFICATE_PASSWORD",
				SendCertificateChain: true, Username: "user1"}}},
		{"managed identity", map[string]string{"REDIS_HOST": "a.redis.azure.net", "REDIS_PORT": "10000", "AZURE_CLIENT_ID": client},
			Profile{Name: "p", Host: "a.redis.azure.net", Port: 10000, Auth: Auth{Kind: AuthManagedIdentity, ClientID: client}}},
		{"developer", map[string]string{"REDIS_ENDPOINT": "rediss://a.redis.azure.net:10000", "AZURE_TENANT_ID": tenant},
			Profile{Name: "p", Host: "a.redis.azure.net", Port: 10000, TLS: TLS{Enabled: Ptr(true)},
				Auth: Auth{Kind: AuthDeveloper, Method: DeveloperDefault, TenantID: tenant}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := FromEnv("p", env(tc.env))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
			if err := got.Validate(); err != nil {
				t.Errorf("imported profile invalid: %v", err)
			}
			if strings.Contains(got.Auth.ClientSecret.String()+got.Auth.CertificatePassword.String(), "shh") {
				t.Error("secret value copied into the profile")
			}
		})
	}
	for _, bad := range []map[string]string{{}, {"REDIS_HOST": "x", "REDIS_PORT": "http"}, {"REDIS_ENDPOINT": "x:y:z:w"}} {
		if _, err := FromEnv("p", env(bad)); err == nil {
			t.Errorf("FromEnv(%v) accepted", bad)
		}
	}
}

func TestFromURL(t *testing.T) {
	for in, want := range map[string]Profile{
		"rediss://33333333-3333-3333-3333-333333333333@x.eastus.redis.azure.net:10000/0": {Name: "u",
			Host: "x.eastus.redis.azure.net", Port: 10000, TLS: TLS{Enabled: Ptr(true)},
			Auth: Auth{Kind: AuthDeveloper, Method: DeveloperDefault, Username: "33333333-3333-3333-3333-333333333333"}},
		"redis://localhost:6379/2": {Name: "u", Host: "localhost", Port: 6379, DB: 2, TLS: TLS{Enabled: Ptr(false)}, Auth: Auth{Kind: AuthNone}},
		"redis://app@10.0.0.1":     {Name: "u", Host: "10.0.0.1", TLS: TLS{Enabled: Ptr(false)}, Auth: Auth{Kind: AuthAccessKey, Username: "app"}},
		"rediss://[::1]:7000":      {Name: "u", Host: "::1", Port: 7000, TLS: TLS{Enabled: Ptr(true)}, Auth: Auth{Kind: AuthNone}},
	} {
		got, err := FromURL("u", in)
		if err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", in, got, want)
		}
	}
	for _, bad := range []string{"http://x", "redis://", "redis://x/abc", "redis://x:0", "redis://x?db=1", "::"} {
		if _, err := FromURL("u", bad); err == nil {
			t.Errorf("FromURL(%q) accepted", bad)
		}
	}
	_, err := FromURL("u", "rediss://user:TopSecretPw@x.redis.azure.net")
	if err == nil || strings.Contains(err.Error(), "TopSecretPw") {
		t.Errorf("URL with password: %v", err)
	}
}
