package emulator_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
)

// startEntra scrubs the Azure environment, guards http.DefaultTransport and starts a fake
// Entra for one test.
func startEntra(t *testing.T, opts emulator.EntraOptions) *emulator.Entra {
	t.Helper()
	emutest.CleanAzureEnv(t)
	emutest.GuardDefaultTransport(t)
	return emutest.StartEntra(t, opts)
}

// redisToken asks cred for a Redis token with a short deadline.
func redisToken(t *testing.T, cred azcore.TokenCredential) (azcore.AccessToken, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{emulator.RedisScope}})
}

// mustVerify checks tok with the Entra and that it names oid in this tenant.
func mustVerify(t *testing.T, e *emulator.Entra, tok azcore.AccessToken, oid string) map[string]any {
	t.Helper()
	vt, err := e.VerifyToken(tok.Token)
	if err != nil {
		t.Fatalf("VerifyToken: %v", err)
	}
	if vt.OID != oid || vt.TenantID != e.TenantID() {
		t.Fatalf("verified oid/tid = %s/%s, want %s/%s", vt.OID, vt.TenantID, oid, e.TenantID())
	}
	if d := vt.ExpiresAt.Sub(tok.ExpiresOn); d < -2*time.Second || d > 2*time.Second {
		t.Errorf("token exp %v and AccessToken.ExpiresOn %v differ by %v", vt.ExpiresAt, tok.ExpiresOn, d)
	}
	c := claimsOf(t, tok.Token)
	if c["aud"] != emulator.RedisResource {
		t.Errorf("aud = %v, want %s", c["aud"], emulator.RedisResource)
	}
	if c["iss"] != "https://sts.windows.net/"+e.TenantID()+"/" {
		t.Errorf("iss = %v", c["iss"])
	}
	return c
}

// claimsOf decodes a JWT's claims without verifying it.
func claimsOf(t *testing.T, tok string) map[string]any {
	t.Helper()
	claims := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(tok, claims); err != nil {
		t.Fatalf("decoding token: %v", err)
	}
	return claims
}

// wantAADSTS asserts that err is an AuthenticationFailedError whose Entra answer carries code.
func wantAADSTS(t *testing.T, err error, code int, secrets ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want AADSTS%d, got success", code)
	}
	var afe *azidentity.AuthenticationFailedError
	if !errors.As(err, &afe) {
		t.Fatalf("want *AuthenticationFailedError, got %T: %v", err, err)
	}
	if afe.RawResponse == nil {
		t.Fatalf("AuthenticationFailedError without RawResponse: %v", err)
	}
	body, perr := runtime.Payload(afe.RawResponse)
	if perr != nil {
		t.Fatalf("reading error body: %v", perr)
	}
	var aad struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
		Codes       []int  `json:"error_codes"`
		Correlation string `json:"correlation_id"`
	}
	if err := json.Unmarshal(body, &aad); err != nil {
		t.Fatalf("error body is not JSON: %v\n%s", err, body)
	}
	if !slices.Contains(aad.Codes, code) || !strings.HasPrefix(aad.Description, "AADSTS") || aad.Error == "" || aad.Correlation == "" {
		t.Fatalf("want AADSTS%d, got %+v", code, aad)
	}
	for _, s := range secrets {
		if strings.Contains(err.Error(), s) {
			t.Fatalf("error message leaks a secret: %v", err)
		}
	}
}

// testCert is a self-signed RSA certificate credential.
type testCert struct {
	cert *x509.Certificate
	key  *rsa.PrivateKey
	pem  []byte // CERTIFICATE + PRIVATE KEY blocks
}

func newTestCert(t *testing.T, cn string) testCert {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	p8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	pemBytes := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: p8})...)
	return testCert{cert: cert, key: key, pem: pemBytes}
}

// secretApp registers an app with a client secret and returns it.
func secretApp(e *emulator.Entra) emulator.App {
	a := emulator.App{ClientID: uuid.NewString(), Secret: "s3cr3t-" + uuid.NewString(), ObjectID: uuid.NewString(), DisplayName: "test app"}
	e.RegisterApp(a)
	return a
}

func secretCred(t *testing.T, e *emulator.Entra, tenant, clientID, secret string) *azidentity.ClientSecretCredential {
	t.Helper()
	cred, err := azidentity.NewClientSecretCredential(tenant, clientID, secret, &azidentity.ClientSecretCredentialOptions{
		ClientOptions: emutest.ClientOptions(t, e), DisableInstanceDiscovery: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	return cred
}

func policyScopes(scopes ...string) policy.TokenRequestOptions {
	return policy.TokenRequestOptions{Scopes: scopes}
}
