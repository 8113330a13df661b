package emulator_test

import (
	"crypto/x509"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/google/uuid"
	"software.sslmate.com/src/go-pkcs12"

	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
)

func TestClientSecretCredential(t *testing.T) {
	e := startEntra(t, emulator.EntraOptions{TokenLifetime: 2 * time.Minute})
	app := secretApp(e)
	cred := secretCred(t, e, e.TenantID(), app.ClientID, app.Secret)

	tok, err := redisToken(t, cred)
	if err != nil {
		t.Fatal(err)
	}
	c := mustVerify(t, e, tok, app.ObjectID)
	if c["appid"] != app.ClientID || c["idtyp"] != "app" || c["ver"] != "1.0" || c["sub"] != app.ObjectID {
		t.Errorf("claims = %v", c)
	}
	if got := time.Until(tok.ExpiresOn); got > 2*time.Minute || got < 110*time.Second {
		t.Errorf("ExpiresOn in %v, want about 2m", got)
	}
	// Tokens under 5 minutes are not cached by MSAL: a second call reaches the fake again.
	before := e.Requests(emulator.EndpointToken)
	if _, err := redisToken(t, cred); err != nil {
		t.Fatal(err)
	}
	if got := e.Requests(emulator.EndpointToken); got != before+1 {
		t.Errorf("token requests = %d, want %d", got, before+1)
	}
	if e.Requests(emulator.EndpointDiscovery) < 1 {
		t.Error("discovery was not counted")
	}
}

func TestRefreshInSetsRefreshOn(t *testing.T) {
	e := startEntra(t, emulator.EntraOptions{TokenLifetime: 2 * time.Minute, RefreshIn: time.Minute})
	app := secretApp(e)
	tok, err := redisToken(t, secretCred(t, e, e.TenantID(), app.ClientID, app.Secret))
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Until(tok.RefreshOn); d <= 0 || d > time.Minute {
		t.Errorf("RefreshOn in %v, want within a minute", d)
	}
}

func TestClientCertificateCredential(t *testing.T) {
	e := startEntra(t, emulator.EntraOptions{TokenLifetime: 2 * time.Minute})
	tc := newTestCert(t, "amr-tui test app")
	app := emulator.App{ClientID: uuid.NewString(), Certificate: tc.cert, ObjectID: uuid.NewString()}
	e.RegisterApp(app)

	pfx, err := pkcs12.Legacy.Encode(tc.key, tc.cert, nil, "pfx-pass")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name      string
		data      []byte
		password  string
		sendChain bool
	}{
		{"PEM", tc.pem, "", false},
		{"PKCS12", pfx, "pfx-pass", false},
		{"PEM with SendCertificateChain", tc.pem, "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			certs, key, err := azidentity.ParseCertificates(c.data, []byte(c.password))
			if err != nil {
				t.Fatal(err)
			}
			cred, err := azidentity.NewClientCertificateCredential(e.TenantID(), app.ClientID, certs, key, &azidentity.ClientCertificateCredentialOptions{
				ClientOptions: emutest.ClientOptions(t, e), DisableInstanceDiscovery: true, SendCertificateChain: c.sendChain,
			})
			if err != nil {
				t.Fatal(err)
			}
			tok, err := redisToken(t, cred)
			if err != nil {
				t.Fatal(err)
			}
			if cl := mustVerify(t, e, tok, app.ObjectID); cl["appid"] != app.ClientID {
				t.Errorf("appid = %v", cl["appid"])
			}
		})
	}
}

func TestTokenEndpointErrors(t *testing.T) {
	e := startEntra(t, emulator.EntraOptions{})
	app := secretApp(e)
	registered := newTestCert(t, "registered")
	other := newTestCert(t, "not registered")
	certApp := emulator.App{ClientID: uuid.NewString(), Certificate: registered.cert, ObjectID: uuid.NewString()}
	e.RegisterApp(certApp)

	certCred := func(t *testing.T, clientID string, tc testCert) *azidentity.ClientCertificateCredential {
		cred, err := azidentity.NewClientCertificateCredential(e.TenantID(), clientID, []*x509.Certificate{tc.cert}, tc.key,
			&azidentity.ClientCertificateCredentialOptions{ClientOptions: emutest.ClientOptions(t, e), DisableInstanceDiscovery: true})
		if err != nil {
			t.Fatal(err)
		}
		return cred
	}

	t.Run("wrong secret", func(t *testing.T) {
		_, err := redisToken(t, secretCred(t, e, e.TenantID(), app.ClientID, "not-the-secret-value"))
		wantAADSTS(t, err, 7000215, "not-the-secret-value", app.Secret)
	})
	t.Run("unknown client", func(t *testing.T) {
		_, err := redisToken(t, secretCred(t, e, e.TenantID(), uuid.NewString(), app.Secret))
		wantAADSTS(t, err, 700016, app.Secret)
	})
	t.Run("unknown tenant", func(t *testing.T) {
		_, err := redisToken(t, secretCred(t, e, uuid.NewString(), app.ClientID, app.Secret))
		wantAADSTS(t, err, 90002, app.Secret)
	})
	t.Run("unregistered certificate", func(t *testing.T) {
		_, err := redisToken(t, certCred(t, certApp.ClientID, other))
		wantAADSTS(t, err, 700027)
	})
	t.Run("certificate for a secret-only app", func(t *testing.T) {
		_, err := redisToken(t, certCred(t, app.ClientID, registered))
		wantAADSTS(t, err, 700027)
	})
	t.Run("secret for a certificate-only app", func(t *testing.T) {
		_, err := redisToken(t, secretCred(t, e, e.TenantID(), certApp.ClientID, "anything"))
		wantAADSTS(t, err, 7000215, "anything")
	})
	t.Run("non-Redis scope", func(t *testing.T) {
		cred := secretCred(t, e, e.TenantID(), app.ClientID, app.Secret)
		_, err := cred.GetToken(t.Context(), policyScopes("https://storage.azure.com/.default"))
		wantAADSTS(t, err, 500011, app.Secret)
	})
	t.Run("app-ID Redis scope is accepted", func(t *testing.T) {
		cred := secretCred(t, e, e.TenantID(), app.ClientID, app.Secret)
		tok, err := cred.GetToken(t.Context(), policyScopes(emulator.RedisAppID+"/.default"))
		if err != nil {
			t.Fatal(err)
		}
		mustVerify(t, e, tok, app.ObjectID)
	})
}
