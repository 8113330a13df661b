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

// TestImportErrorsDoNotEchoSecrets: a StackExchange.Redis connection string (what the Azure
// portal shows next to the access keys) or any other malformed value in the environment or a
// URL is described, never repeated.
func TestImportErrorsDoNotEchoSecrets(t *testing.T) {
	const secret = "S3cr3tKey="
	conn := "c.redis.cache.windows.net:6380,password=" + secret + ",ssl=True"
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"endpoint connection string", map[string]string{"REDIS_ENDPOINT": conn}, "REDIS_ENDPOINT looks like a StackExchange.Redis connection string"},
		{"endpoint connection string, abortConnect", map[string]string{"REDIS_ENDPOINT": "h:6380,abortConnect=False," + secret}, "connection string"},
		{"host connection string", map[string]string{"REDIS_HOST": conn}, "REDIS_HOST looks like"},
		{"port connection string", map[string]string{"REDIS_HOST": "h", "REDIS_PORT": "6380,password=" + secret}, "REDIS_PORT looks like"},
		{"port not a number", map[string]string{"REDIS_HOST": "h", "REDIS_PORT": secret}, "REDIS_PORT: want a port number from 1 to 65535; the value is not a number"},
		{"endpoint port not a number", map[string]string{"REDIS_ENDPOINT": "c.redis.cache.windows.net:" + secret}, "REDIS_ENDPOINT: host c.redis.cache.windows.net: want a port number"},
		{"endpoint malformed", map[string]string{"REDIS_ENDPOINT": "x:y:" + secret}, "want HOST or HOST:PORT"},
		{"url db not a number", map[string]string{"REDIS_ENDPOINT": "rediss://h.redis.azure.net/" + secret}, "want a database number"},
		{"url connection string", map[string]string{"REDIS_ENDPOINT": "rediss://" + conn}, "connection string"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := FromEnv("p", env(tc.env))
			if err == nil {
				t.Fatal("accepted")
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error repeats the secret: %v", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q lacks %q", err, tc.want)
			}
		})
	}
	if _, err := FromEnv("p", env(map[string]string{"REDIS_HOST": "h", "REDIS_PORT": "99999"})); err == nil || !strings.Contains(err.Error(), "got 99999") {
		t.Errorf("out-of-range port not shown: %v", err)
	}
	for _, raw := range []string{conn, "rediss://h.redis.azure.net/0," + secret} {
		if _, err := FromURL("u", raw); err == nil || strings.Contains(err.Error(), secret) {
			t.Errorf("FromURL: %v", err)
		}
	}
	// A connection string given as a host (flag, file or REDIS_HOST) fails validation without
	// being repeated.
	p := Profile{Name: "p", Host: conn, Auth: Auth{Kind: AuthNone}}
	if err := p.Validate(); err == nil || strings.Contains(err.Error(), secret) || !strings.Contains(err.Error(), "connection string") {
		t.Errorf("Validate: %v", err)
	}
	for _, host := range []string{"h:" + secret, "[" + secret + "]", secret + "!"} {
		p.Host = host
		if err := p.Validate(); err == nil || strings.Contains(err.Error(), secret) {
			t.Errorf("Validate(host %q): %v", host, err)
		}
	}
	p.Host, p.Auth = "h", Auth{Kind: AuthDeveloper, Method: DeveloperDefault}
	for _, a := range []string{"https://login.example.com/?code=" + secret, "http://login.example.com/#" + secret, "not a url " + secret, "http://u:" + secret + "@login.example.com/"} {
		p.Auth.Authority = a
		if err := p.Validate(); err == nil || strings.Contains(err.Error(), secret) {
			t.Errorf("Validate(authority %q): %v", a, err)
		}
	}
}
