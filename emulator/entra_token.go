package emulator

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// aadError is an error answer of the token or device-code endpoint.
type aadError struct {
	status int
	oauth  string
	code   int
	desc   string
}

func (e *Entra) writeErr(w http.ResponseWriter, a *aadError) {
	e.writeAADError(w, a.status, a.oauth, a.code, a.desc)
}

// maxFormBytes bounds request bodies; real requests are a few kilobytes.
const maxFormBytes = 64 << 10

// handleToken serves POST /{tenant}/oauth2/v2.0/token for the grants azidentity uses.
func (e *Entra) handleToken(w http.ResponseWriter, r *http.Request, tenant string) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		e.writeErr(w, &aadError{http.StatusBadRequest, "invalid_request", 900144, "The request body must be application/x-www-form-urlencoded."})
		return
	}
	f := r.PostForm
	clientID := f.Get("client_id")
	if clientID == "" {
		e.writeErr(w, &aadError{http.StatusBadRequest, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'."})
		return
	}
	switch gt := f.Get("grant_type"); gt {
	case "client_credentials":
		e.clientCredentials(w, f.Get, tenant)
	case "urn:ietf:params:oauth:grant-type:device_code", "device_code":
		e.redeemDeviceCode(w, f.Get("device_code"), clientID, f.Get("scope"))
	case "refresh_token":
		e.redeemRefreshToken(w, f.Get("refresh_token"), clientID, f.Get("scope"))
	case "":
		e.writeErr(w, &aadError{http.StatusBadRequest, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'."})
	default:
		e.writeErr(w, &aadError{http.StatusBadRequest, "unsupported_grant_type", 70003, fmt.Sprintf("The app requested an unsupported grant type '%s'.", gt)})
	}
}

// clientCredentials authenticates an app by secret or certificate assertion.
func (e *Entra) clientCredentials(w http.ResponseWriter, get func(string) string, tenant string) {
	clientID := get("client_id")
	app, ok := e.lookupApp(clientID)
	if !ok {
		e.writeErr(w, errUnknownClient(clientID, e.tenant))
		return
	}
	if aerr := checkRedisScope(get("scope"), true, e.tenant); aerr != nil {
		e.writeErr(w, aerr)
		return
	}
	switch {
	case get("client_assertion") != "":
		if t := get("client_assertion_type"); t != assertionType {
			e.writeErr(w, &aadError{http.StatusBadRequest, "invalid_request", 50027, fmt.Sprintf("Invalid client_assertion_type '%s'.", t)})
			return
		}
		if aerr := e.verifyAssertion(app, get("client_assertion"), e.AuthorityHost()+tenant+"/oauth2/v2.0/token", time.Now()); aerr != nil {
			e.writeErr(w, aerr)
			return
		}
	case get("client_secret") != "":
		if app.Secret == "" || subtle.ConstantTimeCompare([]byte(app.Secret), []byte(get("client_secret"))) != 1 {
			e.writeErr(w, &aadError{http.StatusUnauthorized, "invalid_client", 7000215, fmt.Sprintf(
				"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '%s'.", app.ClientID)})
			return
		}
	default:
		e.writeErr(w, &aadError{http.StatusUnauthorized, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."})
		return
	}
	lifetime, refreshIn := e.settings()
	tok, exp, err := e.Mint(MintOptions{OID: app.ObjectID, AppID: app.ClientID, Lifetime: lifetime, Audience: audienceFor(get("scope"))})
	if err != nil {
		e.writeErr(w, &aadError{http.StatusInternalServerError, "server_error", 0, err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, tokenResponse(tok, exp, refreshIn))
}

// tokenResponse is the JSON of a successful token answer. scope is left out on purpose: MSAL
// then assumes every requested scope was granted (a partial scope list means "declined").
func tokenResponse(tok string, exp time.Time, refreshIn time.Duration) map[string]any {
	in := int64(time.Until(exp) / time.Second)
	if in < 1 {
		in = 1
	}
	m := map[string]any{
		"token_type":     "Bearer",
		"expires_in":     in,
		"ext_expires_in": in,
		"access_token":   tok,
	}
	if refreshIn > 0 {
		m["refresh_in"] = int64(refreshIn / time.Second)
	}
	return m
}

// checkRedisScope accepts exactly one Redis or ARM scope besides the OpenID scopes MSAL adds.
// Client-credential requests must use the /.default form, as real Entra insists.
func checkRedisScope(scope string, requireDefault bool, tenant string) *aadError {
	var resources []string
	for _, s := range strings.Fields(scope) {
		switch s {
		case "openid", "profile", "offline_access", "email":
			continue
		}
		resources = append(resources, s)
	}
	if len(resources) != 1 {
		return &aadError{http.StatusBadRequest, "invalid_scope", 70011, fmt.Sprintf(
			"The provided request must include a 'scope' input parameter naming exactly one resource. The provided value '%s' is not valid.", scope)}
	}
	s := resources[0]
	i := strings.LastIndexByte(s, '/')
	if i < 0 || (requireDefault && s[i+1:] != ".default") {
		return &aadError{http.StatusBadRequest, "invalid_scope", 1002012, fmt.Sprintf(
			"The provided value for scope %s is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).", s)}
	}
	if res := s[:i]; !isKnownResource(res) {
		return errResourceNotFound(res, tenant)
	}
	return nil
}

// isRedisResource accepts the resource URI (with or without a trailing slash) or app ID.
func isRedisResource(res string) bool {
	res = strings.TrimSuffix(res, "/")
	return strings.EqualFold(res, RedisResource) || strings.EqualFold(res, RedisAppID)
}

func errResourceNotFound(res, tenant string) *aadError {
	return &aadError{http.StatusBadRequest, "invalid_resource", 500011, fmt.Sprintf(
		"The resource principal named %s was not found in the tenant named %s. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.", res, tenant)}
}

func errUnknownClient(clientID, tenant string) *aadError {
	return &aadError{http.StatusBadRequest, "unauthorized_client", 700016, fmt.Sprintf(
		"Application with identifier '%s' was not found in the directory '%s'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.", clientID, tenant)}
}
