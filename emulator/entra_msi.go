package emulator

import (
	"crypto/subtle"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// appServiceAPIVersion is the only api-version the App Service identity endpoint serves here.
const appServiceAPIVersion = "2019-08-01"

// handleMSI serves GET /msi/token like App Service's managed-identity endpoint: header
// X-IDENTITY-HEADER, api-version=2019-08-01, resource, and optionally client_id, object_id
// (or principal_id) or mi_res_id to pick a user-assigned identity.
func (e *Entra) handleMSI(w http.ResponseWriter, r *http.Request, _ string) {
	if h := r.Header.Get("X-IDENTITY-HEADER"); h == "" || subtle.ConstantTimeCompare([]byte(h), []byte(e.identityHeader)) != 1 {
		writeMSIError(w, http.StatusUnauthorized, "Unauthorized: the X-IDENTITY-HEADER header is missing or does not match IDENTITY_HEADER.")
		return
	}
	q := r.URL.Query()
	if v := q.Get("api-version"); v != appServiceAPIVersion {
		writeMSIError(w, http.StatusBadRequest, "The api-version '"+v+"' is not supported; use "+appServiceAPIVersion+".")
		return
	}
	resource := q.Get("resource")
	if resource == "" {
		writeMSIError(w, http.StatusBadRequest, "Required query parameter 'resource' is missing.")
		return
	}
	if !isKnownResource(resource) {
		a := errResourceNotFound(resource, e.tenant)
		writeMSIError(w, http.StatusBadRequest, "AADSTS500011: "+a.desc)
		return
	}
	mi, ok := e.findMI(q)
	if !ok {
		writeMSIError(w, http.StatusBadRequest, "Unable to load the proper Managed Identity. No managed identity matches the requested client_id/object_id/mi_res_id (or no system-assigned identity is enabled).")
		return
	}
	lifetime, refreshIn := e.settings()
	extra := map[string]any{}
	if mi.ResourceID != "" {
		extra["xms_mirid"] = mi.ResourceID
	}
	tok, exp, err := e.Mint(MintOptions{OID: mi.ObjectID, AppID: mi.ClientID, Lifetime: lifetime, Extra: extra, Audience: audienceFor(resource)})
	if err != nil {
		writeMSIError(w, http.StatusInternalServerError, err.Error())
		return
	}
	resp := map[string]any{
		"access_token": tok,
		"expires_on":   strconv.FormatInt(exp.Unix(), 10),
		"resource":     resource,
		"token_type":   "Bearer",
		"client_id":    mi.ClientID,
	}
	if refreshIn > 0 {
		resp["refresh_in"] = int64(refreshIn / time.Second)
	}
	writeJSON(w, http.StatusOK, resp)
}

// findMI picks the identity a request names; none named means the system-assigned one.
func (e *Entra) findMI(q map[string][]string) (ManagedIdentity, bool) {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	var match func(ManagedIdentity) bool
	switch {
	case get("client_id") != "":
		id := get("client_id")
		match = func(m ManagedIdentity) bool { return strings.EqualFold(m.ClientID, id) }
	case get("object_id") != "" || get("principal_id") != "":
		id := get("object_id") + get("principal_id")
		match = func(m ManagedIdentity) bool { return strings.EqualFold(m.ObjectID, id) }
	case get("mi_res_id") != "" || get("msi_res_id") != "":
		id := get("mi_res_id") + get("msi_res_id")
		match = func(m ManagedIdentity) bool { return m.ResourceID != "" && strings.EqualFold(m.ResourceID, id) }
	default:
		match = func(m ManagedIdentity) bool { return m.SystemAssigned }
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, m := range e.mis {
		if match(m) {
			return m, true
		}
	}
	return ManagedIdentity{}, false
}

// writeMSIError answers in App Service's identity-endpoint error shape.
func writeMSIError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]any{
		"statusCode":    status,
		"message":       msg,
		"correlationId": newGUID(),
	})
}
