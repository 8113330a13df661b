package emulator

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// API versions the fake ARM serves, the ones amr-tui's azure package calls.
const (
	ARMSubscriptionsAPI = "2022-12-01"
	ARMRedisAPI         = "2024-11-01"
	ARMEnterpriseAPI    = "2025-07-01"
	// ARMAccessStringAPI is the newer Microsoft.Cache/redisEnterprise version whose access policy
	// assignments carry accessString.
	ARMAccessStringAPI = "2026-05-01-preview"
)

// ARMOptions configures StartARM.
type ARMOptions struct {
	// Entra issues and signs the tokens the fake accepts (audience ManagementResource). Required.
	Entra *Entra
	// CA signs the server certificate; nil uses the Entra's CA.
	CA *CA
	// Fixture is the initial content; SetFixture replaces it.
	Fixture ARMFixture
}

// ARM is a fake Azure Resource Manager on https://127.0.0.1:PORT serving the read calls amr-tui
// makes: subscriptions, Microsoft.Cache/redis and redisEnterprise (with databases), and their
// access policies and assignments. Every request needs a bearer token for the management plane
// from the fake Entra. It is safe for concurrent use.
type ARM struct {
	entra *Entra
	srv   *http.Server
	ln    net.Listener

	mu        sync.Mutex
	fixture   ARMFixture
	throttled map[string]int // subscription ID -> 429s already sent
	requests  []string
}

// StartARM starts the fake ARM.
func StartARM(opts ARMOptions) (*ARM, error) {
	if opts.Entra == nil {
		return nil, fmt.Errorf("fake ARM: an Entra to verify tokens is required")
	}
	ca := opts.CA
	if ca == nil {
		ca = opts.Entra.CA()
	}
	tlsCfg, err := ca.ServerTLSConfig()
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("fake ARM: listen: %w", err)
	}
	a := &ARM{entra: opts.Entra, ln: ln, fixture: opts.Fixture, throttled: map[string]int{}}
	a.srv = &http.Server{Handler: http.HandlerFunc(a.serve), TLSConfig: tlsCfg, ReadHeaderTimeout: 10 * time.Second, ErrorLog: quietLog()}
	go func() { _ = a.srv.Serve(tls.NewListener(ln, tlsCfg)) }()
	return a, nil
}

// Endpoint is the base URL clients use instead of https://management.azure.com.
func (a *ARM) Endpoint() string { return "https://" + a.ln.Addr().String() }

// Close stops the server.
func (a *ARM) Close() { _ = a.srv.Close() }

// SetFixture replaces what the fake serves and resets the throttling counters.
func (a *ARM) SetFixture(f ARMFixture) {
	a.mu.Lock()
	a.fixture = f
	a.throttled = map[string]int{}
	a.mu.Unlock()
}

// Requests lists every request served so far as "METHOD PATH?QUERY", oldest first.
func (a *ARM) Requests() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.requests...)
}

func (a *ARM) serve(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	a.requests = append(a.requests, r.Method+" "+r.URL.RequestURI())
	a.mu.Unlock()
	w.Header().Set("x-ms-request-id", newGUID())
	oid, ok := a.authorize(w, r)
	if !ok {
		return
	}
	if r.Method != http.MethodGet {
		armError(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "The fake ARM serves GET requests only.")
		return
	}
	a.route(w, r, oid)
}

// authorize checks the bearer token as ARM does: signed by the directory, for the management
// audience, current. It answers 401 with a WWW-Authenticate challenge otherwise.
func (a *ARM) authorize(w http.ResponseWriter, r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	tok, found := strings.CutPrefix(h, "Bearer ")
	if !found || tok == "" {
		w.Header().Set("WWW-Authenticate", `Bearer authorization_uri="`+a.entra.AuthorityHost()+a.entra.TenantID()+`", error="invalid_token", error_description="The authentication failed because of missing 'Authorization' header."`)
		armError(w, http.StatusUnauthorized, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.")
		return "", false
	}
	oid, err := a.entra.verifyManagementToken(tok)
	if err != nil {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		armError(w, http.StatusUnauthorized, "InvalidAuthenticationToken", "The access token is invalid: "+err.Error())
		return "", false
	}
	return oid, true
}

// verifyManagementToken checks a token the way ARM does and returns its oid.
func (e *Entra) verifyManagementToken(token string) (string, error) {
	var claims struct {
		jwt.RegisteredClaims
		OID string `json:"oid"`
		TID string `json:"tid"`
	}
	p := jwt.NewParser(jwt.WithValidMethods([]string{jwt.SigningMethodRS256.Alg()}),
		jwt.WithAudience(ManagementResource, strings.TrimSuffix(ManagementResource, "/")),
		jwt.WithExpirationRequired(), jwt.WithLeeway(0))
	if _, err := p.ParseWithClaims(token, &claims, func(t *jwt.Token) (any, error) {
		if kid, _ := t.Header["kid"].(string); kid != e.kid {
			return nil, fmt.Errorf("unknown signing key id %q", kid)
		}
		return &e.key.PublicKey, nil
	}); err != nil {
		return "", err
	}
	if !strings.EqualFold(claims.TID, e.tenant) {
		return "", fmt.Errorf("issued for tenant %q, not %q", claims.TID, e.tenant)
	}
	if claims.OID == "" {
		return "", fmt.Errorf("no oid claim")
	}
	return claims.OID, nil
}

// armError writes ARM's error envelope.
func armError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]string{"code": code, "message": msg}})
}
