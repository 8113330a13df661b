package emulator

import (
	"encoding/json"
	"io"
	"log"
	"net/http"
	"strings"
)

// tenantHandler serves a route whose first path segment is a tenant.
type tenantHandler func(w http.ResponseWriter, r *http.Request, tenant string)

// route is one entry of the fake Entra's routing table.
type route struct {
	ep       Endpoint
	method   string
	tenanted bool // first path segment is a tenant that must exist
	handle   tenantHandler
}

// routes dispatches by path shape. Every request is counted, then passes the fault layer
// (down, latency, injected failure) before its handler runs.
func (e *Entra) routes() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rt, tenant := e.match(r.URL.Path)
		if !e.admitRequest(w, r, rt.ep) {
			return
		}
		if rt.handle == nil {
			e.writeAADError(w, http.StatusNotFound, "invalid_request", 0, "The fake Entra has no route for "+r.Method+" "+r.URL.Path+".")
			return
		}
		if r.Method != rt.method {
			w.Header().Set("Allow", rt.method)
			e.writeAADError(w, http.StatusMethodNotAllowed, "invalid_request", 900561, "The endpoint only accepts "+rt.method+" requests. Received a "+r.Method+" request.")
			return
		}
		if rt.tenanted && !e.resolveTenant(tenant) {
			e.writeAADError(w, http.StatusBadRequest, "invalid_tenant", 90002,
				"Tenant '"+tenant+"' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. "+
					"Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.")
			return
		}
		rt.handle(w, r, tenant)
	})
}

// match finds the route for path and the tenant segment it names.
func (e *Entra) match(path string) (route, string) {
	seg := strings.Split(strings.Trim(path, "/"), "/")
	rest := strings.Join(seg[1:], "/")
	switch {
	case path == "/msi/token":
		return route{ep: EndpointMSI, method: http.MethodGet, handle: e.handleMSI}, ""
	case path == "/devicelogin":
		return route{ep: EndpointDeviceCode, method: http.MethodGet, handle: e.handleDeviceLogin}, ""
	case len(seg) < 2:
		return route{ep: EndpointUnknown}, ""
	case rest == "v2.0/.well-known/openid-configuration":
		return route{ep: EndpointDiscovery, method: http.MethodGet, tenanted: true, handle: e.handleDiscovery}, seg[0]
	case rest == "oauth2/v2.0/token":
		return route{ep: EndpointToken, method: http.MethodPost, tenanted: true, handle: e.handleToken}, seg[0]
	case rest == "oauth2/v2.0/devicecode":
		return route{ep: EndpointDeviceCode, method: http.MethodPost, tenanted: true, handle: e.handleDeviceCode}, seg[0]
	case rest == "discovery/v2.0/keys":
		return route{ep: EndpointJWKS, method: http.MethodGet, tenanted: true, handle: e.handleJWKS}, seg[0]
	}
	return route{ep: EndpointUnknown}, ""
}

// handleDiscovery serves the OpenID configuration MSAL reads before its first token request.
// Endpoints keep the tenant segment the client used (so "organizations" stays a multi-tenant
// authority); the issuer names this directory.
func (e *Entra) handleDiscovery(w http.ResponseWriter, _ *http.Request, tenant string) {
	base := e.AuthorityHost() + tenant
	writeJSON(w, http.StatusOK, map[string]any{
		"token_endpoint":                        base + "/oauth2/v2.0/token",
		"device_authorization_endpoint":         base + "/oauth2/v2.0/devicecode",
		"authorization_endpoint":                base + "/oauth2/v2.0/authorize",
		"end_session_endpoint":                  base + "/oauth2/v2.0/logout",
		"jwks_uri":                              e.AuthorityHost() + tenant + "/discovery/v2.0/keys",
		"issuer":                                e.AuthorityHost() + e.tenant + "/v2.0",
		"token_endpoint_auth_methods_supported": []string{"client_secret_post", "private_key_jwt", "client_secret_basic"},
		"response_types_supported":              []string{"code", "id_token", "code id_token", "id_token token"},
		"scopes_supported":                      []string{"openid", "profile", "email", "offline_access"},
		"subject_types_supported":               []string{"pairwise"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"request_uri_parameter_supported":       false,
		"tenant_region_scope":                   "EU",
		"cloud_instance_name":                   "emulator.invalid",
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store, no-cache")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// quietLog keeps net/http's own complaints (TLS handshake resets from tests, hijacked
// connections) out of test output.
func quietLog() *log.Logger { return log.New(io.Discard, "", 0) }
