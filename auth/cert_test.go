package auth

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"software.sslmate.com/src/go-pkcs12"

	"github.com/amr-tui/amr-tui/emulator/emutest"
	"github.com/amr-tui/amr-tui/profiles"
)

// setup applies the test rules: no Azure environment variable leaks in, and a request through
// http.DefaultTransport to a non-loopback host fails the test. That guard covers only code that
// uses http.DefaultTransport (and transports auth clones from it, see baseTransport); azcore's
// own default client does not, so every Source a test builds gets a guarded transport of its own
// from emuOptions or guardWrap.
func setup(t *testing.T) {
	t.Helper()
	emutest.CleanAzureEnv(t)
	emutest.GuardDefaultTransport(t)
}

// testCert is a certificate credential: an RSA leaf signed by a small CA, so chains can be tested.
type testCert struct {
	leaf  *x509.Certificate
	ca    *x509.Certificate
	key   *rsa.PrivateKey
	caKey *rsa.PrivateKey
}

var (
	rsaKeyPool []*rsa.PrivateKey
)

// rsaKey returns one of a few cached 2048-bit keys (generation is slow under -race).
func rsaKey(t *testing.T, i int) *rsa.PrivateKey {
	t.Helper()
	for len(rsaKeyPool) <= i {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		rsaKeyPool = append(rsaKeyPool, k)
	}
	return rsaKeyPool[i]
}

func newTestCert(t *testing.T, cn string, notAfter time.Time) testCert {
	t.Helper()
	caKey, key := rsaKey(t, 0), rsaKey(t, 1)
	now := time.Now()
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "amr-tui test CA"},
		NotBefore: now.Add(-48 * time.Hour), NotAfter: now.Add(24 * time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	leafTmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: cn},
		NotBefore: now.Add(-47 * time.Hour), NotAfter: notAfter, KeyUsage: x509.KeyUsageDigitalSignature}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(leafDER)
	return testCert{leaf: leaf, ca: ca, key: key, caKey: caKey}
}

func (c testCert) pem(t *testing.T, keyType string) []byte {
	t.Helper()
	var out []byte
	out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.leaf.Raw})...)
	out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.ca.Raw})...)
	switch keyType {
	case "PRIVATE KEY":
		der, err := x509.MarshalPKCS8PrivateKey(c.key)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: keyType, Bytes: der})...)
	case "RSA PRIVATE KEY":
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: keyType, Bytes: x509.MarshalPKCS1PrivateKey(c.key)})...)
	}
	return out
}

func (c testCert) pkcs12(t *testing.T, enc *pkcs12.Encoder, password string) []byte {
	t.Helper()
	b, err := enc.Encode(c.key, c.leaf, []*x509.Certificate{c.ca}, password)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestParseCertificateFormats reads every supported encoding and checks the key's certificate
// comes first and the chain is kept.
func TestParseCertificateFormats(t *testing.T) {
	setup(t)
	c := newTestCert(t, "amr-tui-test-app", time.Now().Add(24*time.Hour))
	cases := map[string]struct {
		data     []byte
		password string
	}{
		"pem-pkcs8":          {c.pem(t, "PRIVATE KEY"), ""},
		"pem-pkcs1":          {c.pem(t, "RSA PRIVATE KEY"), ""},
		"pkcs12-legacy-rc2":  {c.pkcs12(t, pkcs12.LegacyRC2, testCertPass), testCertPass},
		"pkcs12-legacy-des":  {c.pkcs12(t, pkcs12.LegacyDES, testCertPass), testCertPass},
		"pkcs12-modern-2023": {c.pkcs12(t, pkcs12.Modern2023, testCertPass), testCertPass},
		"pkcs12-modern-2026": {c.pkcs12(t, pkcs12.Modern2026, testCertPass), testCertPass},
		"pkcs12-no-password": {c.pkcs12(t, pkcs12.Passwordless, ""), ""},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			certs, key, err := parseCertificate(tc.data, tc.password, time.Now())
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if !certs[0].Equal(c.leaf) || !key.PublicKey.Equal(&c.key.PublicKey) {
				t.Fatal("the key's certificate is not first")
			}
			if len(certs) != 2 || !certs[1].Equal(c.ca) {
				t.Fatalf("chain has %d certificates, want leaf + CA", len(certs))
			}
		})
	}
}

// TestModernPKCS12NeedsOwnParser documents why auth parses PKCS#12 itself: azidentity's parser
// (golang.org/x/crypto/pkcs12) cannot read OpenSSL 3's default encoding.
func TestModernPKCS12NeedsOwnParser(t *testing.T) {
	setup(t)
	c := newTestCert(t, "amr-tui-test-app", time.Now().Add(24*time.Hour))
	if _, _, err := azidentity.ParseCertificates(c.pkcs12(t, pkcs12.Modern2023, testCertPass), []byte(testCertPass)); err == nil {
		t.Skip("azidentity now reads modern PKCS#12; auth's own parser is no longer required")
	}
	if _, _, err := parseCertificate(c.pkcs12(t, pkcs12.Modern2023, testCertPass), testCertPass, time.Now()); err != nil {
		t.Fatalf("auth cannot read modern PKCS#12: %v", err)
	}
}

// TestCertificateErrors: each bad certificate gives a clear configuration error (golden).
func TestCertificateErrors(t *testing.T) {
	setup(t)
	now := time.Now()
	c := newTestCert(t, "amr-tui-test-app", now.Add(24*time.Hour))
	expired := newTestCert(t, "amr-tui-expired-app", now.Add(-24*time.Hour))

	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ecTmpl := &x509.Certificate{SerialNumber: big.NewInt(3), Subject: pkix.Name{CommonName: "ec"}, NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour)}
	ecDER, _ := x509.CreateCertificate(rand.Reader, ecTmpl, ecTmpl, &ecKey.PublicKey, ecKey)
	ecCert, _ := x509.ParseCertificate(ecDER)
	ecKeyDER, _ := x509.MarshalECPrivateKey(ecKey)
	ecPKCS8, _ := x509.MarshalPKCS8PrivateKey(ecKey)
	ecPEM := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ecDER}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: ecKeyDER})...)
	ecPKCS8PEM := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ecDER}), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: ecPKCS8})...)
	ecP12, err := pkcs12.Modern.Encode(ecKey, ecCert, nil, testCertPass)
	if err != nil {
		t.Fatal(err)
	}
	other := rsaKey(t, 2)
	otherDER, _ := x509.MarshalPKCS8PrivateKey(other)
	mismatch := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.leaf.Raw}), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: otherDER})...)
	encrypted := append(c.pem(t, ""), pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte{1, 2, 3}})...)

	cases := map[string]struct {
		file     []byte // certificate_file contents
		secret   string // or: base64 PKCS#12 secret
		password string
	}{
		"ec-key-pem":              {file: ecPEM},
		"ec-key-pkcs8-pem":        {file: ecPKCS8PEM},
		"ec-key-pkcs12":           {file: ecP12, password: testCertPass},
		"pem-without-key":         {file: c.pem(t, "")},
		"pem-without-cert":        {file: pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(c.key)})},
		"pem-encrypted-key":       {file: encrypted},
		"pem-key-mismatch":        {file: mismatch},
		"pkcs12-wrong-password":   {file: c.pkcs12(t, pkcs12.Modern, testCertPass), password: testWrongSecret},
		"pkcs12-missing-password": {file: c.pkcs12(t, pkcs12.LegacyRC2, testCertPass)},
		"not-a-certificate":       {file: []byte("hello, this is not a certificate\n")},
		"expired":                 {file: expired.pem(t, "PRIVATE KEY")},
		"secret-not-base64":       {secret: "***not base64***"},
		"secret-base64-garbage":   {secret: base64.StdEncoding.EncodeToString([]byte("garbage bytes"))},
		"missing-file":            {},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			setup(t)
			a := profiles.Auth{Kind: profiles.AuthCertificate, TenantID: "contoso.onmicrosoft.com", ClientID: "11111111-1111-1111-1111-111111111111"}
			env := map[string]string{}
			switch {
			case tc.secret != "":
				a.Certificate = "env:AMR_TEST_CERT"
				env["AMR_TEST_CERT"] = tc.secret
			case tc.file != nil:
				a.CertificateFile = writeFile(t, "cert.bin", tc.file)
			default:
				a.CertificateFile = filepath.Join(t.TempDir(), "missing.pfx")
			}
			if tc.password != "" {
				a.CertificatePassword = "env:AMR_TEST_CERT_PASSWORD"
				env["AMR_TEST_CERT_PASSWORD"] = tc.password
			}
			for k, v := range env {
				t.Setenv(k, v)
			}
			_, err := NewSource(profiles.Profile{Name: "cert", Host: "localhost", Auth: a}, Options{})
			e := asError(t, err)
			if e.Step != StepConfig {
				t.Errorf("step = %v, want configuration", e.Step)
			}
			golden(t, explainGolden(e, nil))
		})
	}
}

// TestCertificateFromSecret: a base64 PKCS#12 bundle held in a secret reference works.
func TestCertificateFromSecret(t *testing.T) {
	setup(t)
	c := newTestCert(t, "amr-tui-test-app", time.Now().Add(24*time.Hour))
	t.Setenv("AMR_TEST_CERT", base64.StdEncoding.EncodeToString(c.pkcs12(t, pkcs12.Modern, testCertPass)))
	t.Setenv("AMR_TEST_CERT_PASSWORD", testCertPass)
	s, err := NewSource(profiles.Profile{Name: "cert", Auth: profiles.Auth{
		Kind: profiles.AuthCertificate, TenantID: "contoso.onmicrosoft.com", ClientID: "11111111-1111-1111-1111-111111111111",
		Certificate: "env:AMR_TEST_CERT", CertificatePassword: "env:AMR_TEST_CERT_PASSWORD",
	}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Kind() != "service principal (certificate)" {
		t.Errorf("Kind() = %q", s.Kind())
	}
}

// newTestCertWithKey is a self-signed certificate for key (its own "CA").
func newTestCertWithKey(t *testing.T, cn string, key *rsa.PrivateKey) testCert {
	t.Helper()
	now := time.Now()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: cn},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return testCert{leaf: c, ca: c, key: key, caKey: key}
}
