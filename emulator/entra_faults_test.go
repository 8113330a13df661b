package emulator_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
)

func TestFailNext(t *testing.T) {
	e := startEntra(t, emulator.EntraOptions{TokenLifetime: 2 * time.Minute})
	app := secretApp(e)
	cred := secretCred(t, e, e.TenantID(), app.ClientID, app.Secret)

	e.FailNext(emulator.EndpointToken, 2, http.StatusUnauthorized, "AADSTS7000222", "The provided client secret keys for app are expired.")
	for i := range 2 {
		_, err := redisToken(t, cred)
		wantAADSTS(t, err, 7000222, app.Secret)
		if i == 0 && !strings.Contains(err.Error(), "invalid_client") {
			t.Errorf("injected AADSTS7000222 should be an invalid_client error: %v", err)
		}
	}
	if _, err := redisToken(t, cred); err != nil {
		t.Fatalf("third request should succeed: %v", err)
	}
	if got := e.Requests(emulator.EndpointToken); got != 3 {
		t.Errorf("token requests = %d, want 3", got)
	}

	// Discovery failures surface too (fresh credential: MSAL caches the resolved authority).
	e.FailNext(emulator.EndpointDiscovery, 1, http.StatusBadRequest, "AADSTS90002", "Tenant not found.")
	_, err := redisToken(t, secretCred(t, e, e.TenantID(), app.ClientID, app.Secret))
	if err == nil || !strings.Contains(err.Error(), "AADSTS90002") {
		t.Fatalf("want the injected discovery failure, got %v", err)
	}
}

func TestFailNextMSIShape(t *testing.T) {
	e := startEntra(t, emulator.EntraOptions{})
	e.FailNext(emulator.EndpointMSI, 1, http.StatusInternalServerError, "", "identity service restarting")
	env := e.AppServiceEnv()
	req, _ := http.NewRequest(http.MethodGet, env["IDENTITY_ENDPOINT"]+"?api-version=2019-08-01&resource=https://redis.azure.com", nil)
	req.Header.Set("X-IDENTITY-HEADER", env["IDENTITY_HEADER"])
	status, body := do(t, e, req)
	if status != http.StatusInternalServerError || !strings.Contains(body, `"statusCode":500`) || !strings.Contains(body, "identity service restarting") {
		t.Errorf("status %d body %s", status, body)
	}
}

func TestLatency(t *testing.T) {
	e := startEntra(t, emulator.EntraOptions{TokenLifetime: 2 * time.Minute})
	app := secretApp(e)
	cred := secretCred(t, e, e.TenantID(), app.ClientID, app.Secret)
	if _, err := redisToken(t, cred); err != nil { // resolve the authority first
		t.Fatal(err)
	}

	// A short delay is waited out: the answer never comes sooner (a lower bound only).
	const short = 300 * time.Millisecond
	e.SetLatency(emulator.EndpointToken, short)
	start := time.Now()
	if _, err := redisToken(t, cred); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < short {
		t.Errorf("GetToken took %v despite %v latency", d, short)
	}

	// A delay far longer than the client waits: the request arrives, is counted, and the client
	// gives up on its own deadline.
	e.SetLatency(emulator.EndpointToken, time.Hour)
	before := e.Requests(emulator.EndpointToken)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second) // ample to arrive
	defer cancel()
	if _, err := cred.GetToken(ctx, policyScopes(emulator.RedisScope)); err == nil || ctx.Err() == nil {
		t.Fatalf("want a client-side timeout, got %v", err)
	}
	if got := e.Requests(emulator.EndpointToken); got != before+1 {
		t.Errorf("token requests while delayed: %d, want %d", got, before+1)
	}
	// Other endpoints are not delayed.
	req, _ := http.NewRequest(http.MethodGet, e.AuthorityHost()+e.TenantID()+"/discovery/v2.0/keys", nil)
	if status, _ := do(t, e, req); status != http.StatusOK {
		t.Errorf("JWKS while the token endpoint is delayed: %d", status)
	}

	// Removing the delay: an hour's latency would outlast redisToken's 15 s deadline.
	e.SetLatency(emulator.EndpointToken, 0)
	if _, err := redisToken(t, cred); err != nil {
		t.Fatalf("latency not removed: %v", err)
	}
}

func TestGoDown(t *testing.T) {
	e := startEntra(t, emulator.EntraOptions{TokenLifetime: 2 * time.Minute})
	app := secretApp(e)
	cred := secretCred(t, e, e.TenantID(), app.ClientID, app.Secret)
	if _, err := redisToken(t, cred); err != nil {
		t.Fatal(err)
	}

	e.GoDown(time.Minute)
	before := e.Requests(emulator.EndpointToken)
	if _, err := redisToken(t, cred); err == nil {
		t.Fatal("GetToken succeeded while Entra was down")
	}
	if e.Requests(emulator.EndpointToken) <= before {
		t.Error("requests while down were not counted")
	}
	e.GoDown(0)
	if _, err := redisToken(t, cred); err != nil {
		t.Fatalf("after GoDown(0): %v", err)
	}
	e.GoDown(time.Nanosecond) // a window that is over before any request arrives
	if _, err := redisToken(t, cred); err != nil {
		t.Fatalf("after a window that has passed: %v", err)
	}

	e.SetDown(true)
	if _, err := redisToken(t, cred); err == nil {
		t.Fatal("GetToken succeeded while Entra was set down")
	}
	e.GoDown(0)
	if _, err := redisToken(t, cred); err != nil {
		t.Fatalf("after GoDown(0): %v", err)
	}
}

func TestRoutes(t *testing.T) {
	e := startEntra(t, emulator.EntraOptions{})
	get := func(path string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, e.AuthorityHost()+path, nil)
		return do(t, e, req)
	}

	if status, body := get(e.TenantID() + "/v2.0/.well-known/openid-configuration"); status != 200 ||
		!strings.Contains(body, `"token_endpoint":"`+e.AuthorityHost()+e.TenantID()+`/oauth2/v2.0/token"`) {
		t.Errorf("discovery: %d %s", status, body)
	}
	if status, body := get("no-such-tenant/v2.0/.well-known/openid-configuration"); status != 400 || !strings.Contains(body, "AADSTS90002") {
		t.Errorf("discovery for unknown tenant: %d %s", status, body)
	}
	if status, _ := get("nothing/here"); status != 404 {
		t.Errorf("unknown route: %d", status)
	}
	if status, _ := get("x"); status != 404 {
		t.Errorf("unknown route: %d", status)
	}
	if got := e.Requests(emulator.EndpointUnknown); got != 2 {
		t.Errorf("unknown-route requests = %d, want 2", got)
	}
	if status, body := get(e.TenantID() + "/oauth2/v2.0/token"); status != 405 || !strings.Contains(body, "AADSTS900561") {
		t.Errorf("GET on the token endpoint: %d %s", status, body)
	}
	if status, body := get("msi/token?api-version=2019-08-01&resource=https://redis.azure.com"); status != 401 || !strings.Contains(body, "statusCode") {
		t.Errorf("msi without header: %d %s", status, body)
	}
}

// do sends req through the Entra's guarded transport and returns status and body.
func do(t *testing.T, e *emulator.Entra, req *http.Request) (int, string) {
	t.Helper()
	resp, err := (&http.Client{Transport: emutest.Transport(t, e).(http.RoundTripper), Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}
