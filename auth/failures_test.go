package auth

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
	"github.com/amr-tui/amr-tui/profiles"
)

// failureCase sets up a fake Entra and a profile that fails, and says how it must be classified.
type failureCase struct {
	name    string
	opts    emulator.EntraOptions
	prep    func(t *testing.T, e *emulator.Entra, a *profiles.Auth, o *Options) // adjust the profile/emulator
	timeout time.Duration
	step    Step
	code    string
}

// spAuth is a working service principal profile for e (secret in $AMR_TEST_SECRET).
func spAuth(t *testing.T, e *emulator.Entra) profiles.Auth {
	e.RegisterApp(emulator.App{ClientID: appClientID, Secret: testSecret, ObjectID: appObjectID})
	t.Setenv("AMR_TEST_SECRET", testSecret)
	return profiles.Auth{Kind: profiles.AuthServicePrincipal, TenantID: e.TenantID(), ClientID: appClientID, ClientSecret: "env:AMR_TEST_SECRET"}
}

func failNext(ep emulator.Endpoint, status int, code, desc string) func(*testing.T, *emulator.Entra, *profiles.Auth, *Options) {
	return func(t *testing.T, e *emulator.Entra, a *profiles.Auth, o *Options) {
		e.FailNext(ep, 1, status, code, desc)
	}
}

// TestEntraFailures: every failure class from the fake Entra, classified and explained (golden).
func TestEntraFailures(t *testing.T) {
	cases := []failureCase{
		{name: "wrong-secret", step: StepRefused, code: "AADSTS7000215", prep: func(t *testing.T, e *emulator.Entra, a *profiles.Auth, o *Options) {
			t.Setenv("AMR_TEST_SECRET", testWrongSecret)
		}},
		{name: "expired-secret", step: StepRefused, code: "AADSTS7000222", prep: failNext(emulator.EndpointToken, 401, "AADSTS7000222",
			"The provided client secret keys for app '"+appClientID+"' are expired.")},
		{name: "unknown-app", step: StepRefused, code: "AADSTS700016", prep: func(t *testing.T, e *emulator.Entra, a *profiles.Auth, o *Options) {
			a.ClientID = "44444444-dddd-4ddd-8ddd-444444444444"
		}},
		{name: "unknown-tenant", step: StepRefused, code: "AADSTS90002", prep: func(t *testing.T, e *emulator.Entra, a *profiles.Auth, o *Options) {
			a.TenantID = "unknown-tenant.example"
		}},
		{name: "wrong-scope", step: StepRefused, code: "AADSTS500011", prep: func(t *testing.T, e *emulator.Entra, a *profiles.Auth, o *Options) {
			a.Scopes = []string{"https://unknown-resource.example/.default"}
		}},
		{name: "consent-invalid-resource", step: StepRefused, code: "AADSTS650057", prep: failNext(emulator.EndpointToken, 400, "AADSTS650057",
			"Invalid resource. The client has requested access to a resource which is not listed in the requested permissions in the client's application registration.")},
		{name: "conditional-access", step: StepRefused, code: "AADSTS53003", prep: failNext(emulator.EndpointToken, 400, "AADSTS53003",
			"Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.")},
		{name: "clock-skew", step: StepRefused, code: "AADSTS700024", prep: failNext(emulator.EndpointToken, 400, "AADSTS700024",
			"Client assertion is not within its valid time range.")},
		{name: "unlisted-code", step: StepRefused, code: "AADSTS9999991", prep: failNext(emulator.EndpointToken, 400, "AADSTS9999991",
			"Something unusual happened that auth has no explanation for.")},
		{name: "entra-503", step: StepReach, prep: failNext(emulator.EndpointToken, 503, "", "The service is temporarily unavailable.")},
		{name: "entra-429", step: StepReach, prep: failNext(emulator.EndpointToken, 429, "", "Too many requests.")},
		{name: "entra-down", step: StepReach, prep: func(t *testing.T, e *emulator.Entra, a *profiles.Auth, o *Options) { e.GoDown(time.Minute) }},
		{name: "timeout", step: StepTimeout, timeout: 300 * time.Millisecond, prep: func(t *testing.T, e *emulator.Entra, a *profiles.Auth, o *Options) {
			// Short enough that the emulator's handler, still sleeping after the client gave up,
			// ends before goleak looks.
			e.SetLatency(emulator.EndpointToken, time.Second)
		}},
		{name: "non-loopback-authority", step: StepReach, prep: func(t *testing.T, e *emulator.Entra, a *profiles.Auth, o *Options) {
			a.Authority = "https://login.example.com/"
			expectBlocked(t, e, o, "login.example.com")
		}},
		{name: "certificate-not-registered", step: StepRefused, code: "AADSTS700027", prep: func(t *testing.T, e *emulator.Entra, a *profiles.Auth, o *Options) {
			registered := newTestCert(t, "registered", time.Now().Add(time.Hour))
			e.RegisterApp(emulator.App{ClientID: appClientID, Certificate: registered.leaf, ObjectID: appObjectID})
			other := newTestCertWithKey(t, "unregistered", rsaKey(t, 2)) // not the registered certificate
			*a = profiles.Auth{Kind: profiles.AuthCertificate, TenantID: e.TenantID(), ClientID: appClientID,
				CertificateFile: writeFile(t, "other.pem", other.pem(t, "PRIVATE KEY")), Authority: a.Authority}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := startEntra(t, tc.opts)
			a := spAuth(t, e)
			a.Authority = e.AuthorityHost()
			o := emuOptions(t, e)
			if tc.prep != nil {
				tc.prep(t, e, &a, &o)
			}
			runFailure(t, e, profiles.Profile{Name: "emu", Auth: a}, o, tc)
		})
	}
}

// runFailure gets a token, expects the classified failure and compares its explanation.
func runFailure(t *testing.T, e *emulator.Entra, p profiles.Profile, o Options, tc failureCase) {
	t.Helper()
	s, err := NewSource(p, o)
	if err == nil {
		d := tc.timeout
		if d == 0 {
			d = 20 * time.Second
		}
		var tok Token
		tok, err = s.Token(ctxT(t, d))
		trackSecret(tok.Value)
	}
	got := asError(t, err)
	if got.Step != tc.step || got.Code != tc.code {
		t.Errorf("classified as step %q code %q, want %q %q\n%s", got.Step, got.Code, tc.step, tc.code, got.Explain())
	}
	if got.Fix == "" || got.Summary == "" {
		t.Errorf("no summary or fix:\n%s", got.Explain())
	}
	golden(t, explainGolden(got, idNames(e)))
}

// TestManagedIdentityFailures: identity not assigned, no managed identity here, endpoint errors.
func TestManagedIdentityFailures(t *testing.T) {
	cases := []failureCase{
		{name: "unknown-client-id", step: StepRefused, prep: func(t *testing.T, e *emulator.Entra, a *profiles.Auth, o *Options) {
			a.ClientID = "55555555-eeee-4eee-8eee-555555555555"
		}},
		{name: "unknown-object-id", step: StepRefused, prep: func(t *testing.T, e *emulator.Entra, a *profiles.Auth, o *Options) {
			a.ObjectID = "66666666-ffff-4fff-8fff-666666666666"
		}},
		{name: "no-system-assigned", step: StepRefused},
		{name: "endpoint-500", step: StepReach, prep: failNext(emulator.EndpointMSI, 500, "", "Internal error in the identity endpoint.")},
		{name: "wrong-scope", step: StepRefused, code: "AADSTS500011", prep: func(t *testing.T, e *emulator.Entra, a *profiles.Auth, o *Options) {
			a.Scopes = []string{"https://unknown-resource.example/.default"}
			a.ClientID = uuid.NewString()
			e.RegisterManagedIdentity(emulator.ManagedIdentity{ClientID: a.ClientID})
		}},
		{name: "not-on-azure", step: StepUnavailable, prep: func(t *testing.T, e *emulator.Entra, a *profiles.Auth, o *Options) {
			// No IDENTITY_* variables: MSAL falls back to IMDS (169.254.169.254), which the
			// loopback guard refuses, as an unreachable IMDS off Azure would fail.
			t.Setenv("IDENTITY_ENDPOINT", "")
			t.Setenv("IDENTITY_HEADER", "")
			a.ClientID = uuid.NewString()
			expectBlocked(t, e, o, "169.254.169.254")
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := startEntra(t, emulator.EntraOptions{TokenLifetime: 4 * time.Minute})
			emutest.SetAppServiceEnv(t, e)
			a := profiles.Auth{Kind: profiles.AuthManagedIdentity}
			o := emuOptions(t, e)
			if tc.prep != nil {
				tc.prep(t, e, &a, &o)
			}
			runFailure(t, e, profiles.Profile{Name: "emu", Auth: a}, o, tc)
		})
	}
}

// TestDeveloperFailures: CLIs not logged in or not installed, the default chain finding
// nothing, device code aborted or timing out.
func TestDeveloperFailures(t *testing.T) {
	dev := func(m profiles.DeveloperMethod) func(*testing.T, *emulator.Entra, *profiles.Auth, *Options) {
		return func(t *testing.T, e *emulator.Entra, a *profiles.Auth, o *Options) { a.Method = m }
	}
	noCLIs := func(t *testing.T) { t.Setenv("PATH", t.TempDir()) }
	cases := []failureCase{
		{name: "az-not-logged-in", step: StepCLILogin, prep: dev(profiles.DeveloperAzureCLI)},
		{name: "azd-not-logged-in", step: StepCLILogin, prep: dev(profiles.DeveloperAzd)},
		{name: "az-not-logged-in-tenant", step: StepCLILogin, prep: func(t *testing.T, e *emulator.Entra, a *profiles.Auth, o *Options) {
			a.Method, a.TenantID = profiles.DeveloperAzureCLI, e.TenantID()
		}},
		{name: "az-refresh-token-expired", step: StepCLILogin, code: "AADSTS700082", prep: func(t *testing.T, e *emulator.Entra, a *profiles.Auth, o *Options) {
			a.Method = profiles.DeveloperAzureCLI
			e.SetCLILoggedIn(true)
			e.FailNext(emulator.EndpointCLI, 1, 1, "AADSTS700082", "The refresh token has expired due to inactivity.")
		}},
		{name: "az-not-installed", step: StepUnavailable, prep: func(t *testing.T, e *emulator.Entra, a *profiles.Auth, o *Options) {
			a.Method = profiles.DeveloperAzureCLI
			noCLIs(t)
		}},
		{name: "azd-not-installed", step: StepUnavailable, prep: func(t *testing.T, e *emulator.Entra, a *profiles.Auth, o *Options) {
			a.Method = profiles.DeveloperAzd
			noCLIs(t)
		}},
		{name: "default-chain-nothing-available", step: StepUnavailable, prep: func(t *testing.T, e *emulator.Entra, a *profiles.Auth, o *Options) {
			a.Method = profiles.DeveloperDefault
			t.Setenv("AZURE_TOKEN_CREDENTIALS", "dev")
			noCLIs(t)
		}},
		{name: "default-chain-bad-selector", step: StepConfig, prep: func(t *testing.T, e *emulator.Entra, a *profiles.Auth, o *Options) {
			a.Method = profiles.DeveloperDefault
			t.Setenv("AZURE_TOKEN_CREDENTIALS", "NoSuchCredential")
		}},
		{name: "device-code-prompt-aborted", step: StepInteraction, prep: func(t *testing.T, e *emulator.Entra, a *profiles.Auth, o *Options) {
			a.Method, a.TenantID, a.Authority = profiles.DeveloperDeviceCode, e.TenantID(), e.AuthorityHost()
			o.DeviceCodePrompt = func(context.Context, DeviceCodePrompt) error {
				return errors.New("the user closed the sign-in dialog")
			}
		}},
		{name: "device-code-timeout", step: StepTimeout, timeout: 700 * time.Millisecond, prep: func(t *testing.T, e *emulator.Entra, a *profiles.Auth, o *Options) {
			a.Method, a.TenantID, a.Authority = profiles.DeveloperDeviceCode, e.TenantID(), e.AuthorityHost()
			e.SetDeviceCodePendingPolls(1000)
			o.DeviceCodePrompt = func(context.Context, DeviceCodePrompt) error { return nil }
		}},
		{name: "device-code-public-flows-disabled", step: StepRefused, code: "AADSTS7000218", prep: func(t *testing.T, e *emulator.Entra, a *profiles.Auth, o *Options) {
			a.Method, a.TenantID, a.Authority = profiles.DeveloperDeviceCode, e.TenantID(), e.AuthorityHost()
			o.DeviceCodePrompt = func(context.Context, DeviceCodePrompt) error { return nil }
			e.FailNext(emulator.EndpointToken, 1, 401, "AADSTS7000218", "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := startEntra(t, emulator.EntraOptions{})
			emutest.InstallFakeCLIs(t, e)
			e.SetUser(emulator.User{UPN: userUPN, ObjectID: userOID})
			e.SetCLILoggedIn(false)
			a := profiles.Auth{Kind: profiles.AuthDeveloper}
			o := emuOptions(t, e)
			if tc.prep != nil {
				tc.prep(t, e, &a, &o)
			}
			runFailure(t, e, profiles.Profile{Name: "emu", Auth: a}, o, tc)
		})
	}
}

// TestTokenWithoutOID: a token that carries no oid (or is not a JWT) is a clear error, never a
// silent fallback to "default"; an override fixes it.
func TestTokenWithoutOID(t *testing.T) {
	setup(t)
	noOID := unsignedJWT(t, map[string]any{"tid": "tenant-x", "appid": appClientID, "aud": "https://redis.azure.com", "exp": time.Now().Add(time.Hour).Unix()})
	for _, tc := range []struct {
		name, token, override string
		wantErr               bool
	}{
		{"no-oid", noOID, "", true},
		{"not-a-jwt", "opaque-access-token-value", "", true},
		{"no-oid-override", noOID, appObjectID, false},
		{"not-a-jwt-override", "opaque-access-token-value", appObjectID, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			trackSecret(tc.token)
			s := &entraSource{b: &builder{kind: "service principal (client secret)", scopes: []string{DefaultScope}}, username: tc.override,
				cur: built{cred: staticCred(tc.token)}}
			tok, err := s.Token(ctxT(t, time.Second))
			if !tc.wantErr {
				if err != nil || tok.Username != tc.override {
					t.Fatalf("got %q, %v; want the override", tok.Username, err)
				}
				return
			}
			got := asError(t, err)
			if got.Step != StepToken || tok.Username != "" {
				t.Errorf("step %v, username %q", got.Step, tok.Username)
			}
			golden(t, explainGolden(got, idNames(nil)))
		})
	}
}

// TestNoSecretInErrors: with secrets and tokens that an endpoint (wrongly) echoes back, no
// error text carries them.
func TestNoSecretInErrors(t *testing.T) {
	e := startEntra(t, emulator.EntraOptions{})
	a := spAuth(t, e)
	a.Authority = e.AuthorityHost()
	e.FailNext(emulator.EndpointToken, 1, http.StatusUnauthorized, "AADSTS7000215", "Invalid client secret provided: "+testSecret)
	s, err := NewSource(profiles.Profile{Name: "emu", Auth: a}, emuOptions(t, e))
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Token(ctxT(t, 10*time.Second))
	got := asError(t, err) // asError scans Error() and Explain()
	assertNoSecret(t, "unwrapped error", errors.Unwrap(err).Error())
	if got.Code != "AADSTS7000215" {
		t.Errorf("code %q", got.Code)
	}
}
