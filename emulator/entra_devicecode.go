package emulator

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// deviceCodeLifetime is how long a device code stays redeemable (real Entra: 15 minutes).
const deviceCodeLifetime = 15 * time.Minute

// deviceCode is an issued, not yet redeemed device code.
type deviceCode struct {
	clientID string
	pending  int // authorization_pending answers left before the user "approves"
	expires  time.Time
}

// refreshGrant is what a refresh token stands for.
type refreshGrant struct {
	clientID string
	user     User
}

// handleDeviceCode serves POST /{tenant}/oauth2/v2.0/devicecode (MSAL derives the URL from the
// token endpoint). The user approves automatically after the configured pending polls.
func (e *Entra) handleDeviceCode(w http.ResponseWriter, r *http.Request, _ string) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		e.writeErr(w, &aadError{http.StatusBadRequest, "invalid_request", 900144, "The request body must be application/x-www-form-urlencoded."})
		return
	}
	clientID := r.PostForm.Get("client_id")
	if !e.publicClientKnown(clientID) {
		e.writeErr(w, errUnknownClient(clientID, e.tenant))
		return
	}
	if aerr := checkRedisScope(r.PostForm.Get("scope"), false, e.tenant); aerr != nil {
		e.writeErr(w, aerr)
		return
	}
	code := randomToken(32)
	userCode := strings.ToUpper(randomAlnum(9))
	e.mu.Lock()
	e.deviceCodes[code] = &deviceCode{clientID: clientID, pending: e.pendingPolls, expires: time.Now().Add(deviceCodeLifetime)}
	e.mu.Unlock()
	uri := e.DeviceLoginURL()
	writeJSON(w, http.StatusOK, map[string]any{
		"user_code":        userCode,
		"device_code":      code,
		"verification_uri": uri,
		"expires_in":       int(deviceCodeLifetime / time.Second),
		"interval":         1,
		"message":          fmt.Sprintf("To sign in, use a web browser to open the page %s and enter the code %s to authenticate.", uri, userCode),
	})
}

// DeviceLoginURL is the verification URL device-code prompts show.
func (e *Entra) DeviceLoginURL() string { return e.AuthorityHost() + "devicelogin" }

// handleDeviceLogin is the page behind the verification URL; in the emulator the user
// approves by itself, so it only says so.
func (e *Entra) handleDeviceLogin(w http.ResponseWriter, _ *http.Request, _ string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	u := e.CurrentUser()
	fmt.Fprintf(w, "amr-tui emulator: device codes are approved automatically as %s.\n", u.UPN)
}

// publicClientKnown accepts the Azure CLI's client ID (azidentity's default) and registered apps.
func (e *Entra) publicClientKnown(clientID string) bool {
	if strings.EqualFold(clientID, AzureCLIClientID) {
		return true
	}
	_, ok := e.lookupApp(clientID)
	return ok
}

// redeemDeviceCode answers a device-code poll: authorization_pending while the code has
// pending polls left, then the user's tokens (once: the code is consumed).
func (e *Entra) redeemDeviceCode(w http.ResponseWriter, code, clientID, scope string) {
	e.mu.Lock()
	dc, ok := e.deviceCodes[code]
	var pending bool
	if ok {
		switch {
		case time.Now().After(dc.expires):
			delete(e.deviceCodes, code)
		case dc.pending > 0:
			dc.pending--
			pending = true
		default:
			delete(e.deviceCodes, code)
		}
	}
	e.mu.Unlock()
	switch {
	case !ok || !strings.EqualFold(dc.clientID, clientID):
		e.writeErr(w, &aadError{http.StatusBadRequest, "invalid_grant", 70000, "The provided value for the input parameter 'device_code' is not valid."})
	case time.Now().After(dc.expires):
		e.writeErr(w, &aadError{http.StatusBadRequest, "expired_token", 70020, "The provided value for the input parameter 'device_code' is not valid. This device code has expired."})
	case pending:
		e.writeErr(w, &aadError{http.StatusBadRequest, "authorization_pending", 70016, "OAuth 2.0 device flow error. Authorization is pending. Continue polling."})
	default:
		e.issueUserTokens(w, e.CurrentUser(), dc.clientID, scope)
	}
}

// redeemRefreshToken answers a refresh_token grant (MSAL's silent refresh for users).
func (e *Entra) redeemRefreshToken(w http.ResponseWriter, rt, clientID, scope string) {
	e.mu.Lock()
	g, ok := e.refreshTokens[rt]
	e.mu.Unlock()
	if !ok || !strings.EqualFold(g.clientID, clientID) {
		e.writeErr(w, &aadError{http.StatusBadRequest, "invalid_grant", 70000, "The provided value for the input parameter 'refresh_token' or 'assertion' is not valid."})
		return
	}
	e.issueUserTokens(w, g.user, g.clientID, scope)
}

// issueUserTokens answers with an access token for u plus what MSAL needs to keep a user
// account: id_token, client_info and a refresh token.
func (e *Entra) issueUserTokens(w http.ResponseWriter, u User, clientID, scope string) {
	if aerr := checkRedisScope(scope, false, e.tenant); aerr != nil {
		e.writeErr(w, aerr)
		return
	}
	lifetime, refreshIn := e.settings()
	now := time.Now()
	tok, exp, err := e.Mint(MintOptions{OID: u.ObjectID, UPN: u.UPN, AppID: clientID, Lifetime: lifetime, IssuedAt: now, Audience: audienceFor(scope)})
	if err != nil {
		e.writeErr(w, &aadError{http.StatusInternalServerError, "server_error", 0, err.Error()})
		return
	}
	idTok, err := e.mintIDToken(u, clientID, now)
	if err != nil {
		e.writeErr(w, &aadError{http.StatusInternalServerError, "server_error", 0, err.Error()})
		return
	}
	rt := randomToken(48)
	e.mu.Lock()
	e.refreshTokens[rt] = refreshGrant{clientID: clientID, user: u}
	e.mu.Unlock()
	resp := tokenResponse(tok, exp, refreshIn)
	resp["refresh_token"] = rt
	resp["id_token"] = idTok
	resp["client_info"] = e.clientInfo(u)
	writeJSON(w, http.StatusOK, resp)
}

// randomAlnum is n characters from an alphabet without look-alikes, for user codes.
func randomAlnum(n int) string {
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := []byte(randomToken(n))
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b[:n])
}
