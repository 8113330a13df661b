package auth

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// unsignedJWT builds a JWT with the given claims and a dummy signature: ClaimsFromToken does
// not verify signatures.
func unsignedJWT(t *testing.T, claims map[string]any) string {
	t.Helper()
	h, _ := json.Marshal(map[string]any{"alg": "RS256", "typ": "JWT", "kid": "k"})
	c, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding
	return enc.EncodeToString(h) + "." + enc.EncodeToString(c) + "." + enc.EncodeToString([]byte("not-a-real-signature-but-long-enough"))
}

// staticCred is an azcore.TokenCredential returning a fixed token.
type staticCred string

func (s staticCred) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: string(s), ExpiresOn: time.Now().Add(time.Hour)}, nil
}

func TestClaimsFromToken(t *testing.T) {
	setup(t)
	iat := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := map[string]struct {
		claims map[string]any
		want   Claims
		who    string
	}{
		"v1-app": {
			claims: map[string]any{"oid": appObjectID, "tid": "tenant-1", "appid": appClientID, "aud": "https://redis.azure.com",
				"iss": "https://sts.windows.net/tenant-1/", "iat": iat.Unix(), "nbf": iat.Unix(), "exp": iat.Add(time.Hour).Unix()},
			want: Claims{ObjectID: appObjectID, TenantID: "tenant-1", AppID: appClientID, Audience: "https://redis.azure.com",
				Issuer: "https://sts.windows.net/tenant-1/", IssuedAt: iat, NotBefore: iat, ExpiresAt: iat.Add(time.Hour)},
			who: "app " + appClientID + " (oid " + appObjectID + ", tenant tenant-1)",
		},
		"v2-user": {
			claims: map[string]any{"oid": userOID, "tid": "tenant-2", "azp": "client-2", "preferred_username": userUPN,
				"aud": []string{"acca5fbb-b7e4-4009-81f1-37e38fd66d78"}, "exp": iat.Unix()},
			want: Claims{ObjectID: userOID, TenantID: "tenant-2", AppID: "client-2", UPN: userUPN,
				Audience: "acca5fbb-b7e4-4009-81f1-37e38fd66d78", ExpiresAt: iat},
			who: "user " + userUPN + " (oid " + userOID + ", tenant tenant-2)",
		},
		"v1-user-upn": {
			claims: map[string]any{"oid": userOID, "upn": "upn@contoso.example", "unique_name": "other@contoso.example"},
			want:   Claims{ObjectID: userOID, UPN: "upn@contoso.example"},
			who:    "user upn@contoso.example (oid " + userOID + ")",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := ClaimsFromToken(unsignedJWT(t, tc.claims))
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
			if got.Identity() != tc.who {
				t.Errorf("Identity() = %q, want %q", got.Identity(), tc.who)
			}
		})
	}
	for _, bad := range []string{"", "opaque", "a.b", "a.b.c", "eyJhbGciOiJub25lIn0.bm90IGpzb24.sig"} {
		if _, err := ClaimsFromToken(bad); err == nil {
			t.Errorf("ClaimsFromToken(%q) gave no error", bad)
		}
	}
}

// TestAADSTSTable: the codes the issue names are explained, each with a fix.
func TestAADSTSTable(t *testing.T) {
	setup(t)
	for _, c := range []string{"7000215", "7000222", "700016", "90002", "700027", "700024", "50034", "50126", "53003",
		"65001", "650057", "500011", "7000218", "50076", "50079", "700082", "90014", "900023"} {
		info, ok := lookupAADSTS("AADSTS" + c)
		if !ok || info.Meaning == "" || info.Fix == "" {
			t.Errorf("AADSTS%s has no explanation", c)
		}
	}
}
