package auth

import (
	"regexp"
	"strings"
	"sync"
)

// aadstsInfo explains one Microsoft Entra error code.
type aadstsInfo struct {
	Meaning string // what the code means, as a short sentence fragment
	Fix     string // the likely remedy
}

// aadsts maps Entra error codes (without the "AADSTS" prefix) to their meaning and fix. It
// covers the codes a Redis client meets in practice; others are shown with Entra's own text.
// Source: https://learn.microsoft.com/entra/identity-platform/reference-error-codes
var aadsts = map[string]aadstsInfo{
	"7000215": {
		"invalid client secret",
		"the client secret is wrong: use the secret's Value (not its Secret ID) from the app registration's Certificates & secrets page, and update the profile's client_secret",
	},
	"7000222": {
		"the client secret has expired",
		"create a new client secret for the app registration and update the profile's client_secret",
	},
	"700016": {
		"application not found in the tenant",
		"check client_id (the Application (client) ID, not the object ID) and tenant_id; a multi-tenant app must be consented to in this tenant",
	},
	"90002": {
		"tenant not found",
		"check tenant_id (the Directory (tenant) ID or a verified domain) and the authority (public, china, usgov) the tenant lives in",
	},
	"900023": {
		"the tenant ID is not a valid GUID or domain name",
		"set tenant_id to the Directory (tenant) ID GUID, a verified domain, or organizations/common",
	},
	"90014": {
		"a required field is missing from the request",
		"check the profile's client_id, tenant_id and scopes; a credential built with empty values sends an incomplete request",
	},
	"700027": {
		"the certificate is not registered for the application (or the assertion's signature is invalid)",
		"upload this certificate (its public part) to the app registration's Certificates & secrets page, or point the profile at the certificate that is registered; with send_certificate_chain the app must be set up for subject name/issuer auth",
	},
	"700024": {
		"the client assertion is not within its valid time range",
		"the machine's clock is wrong; sync it (NTP) and retry",
	},
	"7000218": {
		"the request needs a client_assertion or client_secret",
		"this app is a confidential client: configure a client secret or certificate, or enable 'Allow public client flows' on the app registration for device code login",
	},
	"50034": {
		"the user account does not exist in this tenant",
		"sign in with an account of this tenant, or set tenant_id to the account's home tenant",
	},
	"50126": {
		"invalid username or password",
		"sign in again with the right credentials",
	},
	"53003": {
		"access blocked by a Conditional Access policy",
		"ask your Entra administrator which Conditional Access policy applies (sign-in logs show it, by correlation ID) and sign in from a compliant device or location",
	},
	"50076": {
		"multi-factor authentication is required",
		"sign in interactively (device code or browser) so you can complete MFA, or run `az login` again",
	},
	"50079": {
		"the user must enroll in multi-factor authentication",
		"complete MFA registration at https://aka.ms/mfasetup, then sign in again",
	},
	"65001": {
		"the user or administrator has not consented to the application",
		"grant consent for the app (Enterprise applications → Permissions → Grant admin consent) or sign in interactively once to consent",
	},
	"650057": {
		"invalid resource: the client has not been granted access to the requested resource",
		"the app registration lacks the Azure Cache for Redis permission: check the scope (https://redis.azure.com/.default) and grant the app access to it, or use the default scope",
	},
	"500011": {
		"the resource principal was not found in the tenant (wrong scope)",
		"check the profile's scopes; for Redis use https://redis.azure.com/.default (or leave scopes unset)",
	},
	"70011": {
		"the requested scope is invalid",
		"check the profile's scopes: a client credential scope must end in /.default, e.g. https://redis.azure.com/.default",
	},
	"700082": {
		"the refresh token has expired due to inactivity",
		"sign in again (device code, browser, or `az login`)",
	},
	"70043": {
		"the refresh token has expired or is invalid due to sign-in frequency checks",
		"sign in again (device code, browser, or `az login`)",
	},
	"50173": {
		"the grant has expired because the user's password or session was revoked",
		"sign in again (device code, browser, or `az login`)",
	},
	"7000112": {
		"the application is disabled",
		"enable the service principal (Enterprise applications → Properties → Enabled for users to sign in)",
	},
	"700054": {
		"response_type 'id_token' is not enabled for the application",
		"enable ID tokens in the app registration's Authentication settings, or use the default client ID",
	},
	"50020": {
		"the user account is from an identity provider that does not exist in this tenant",
		"invite the user as a guest in the tenant, or sign in with a tenant account",
	},
	"50053": {
		"the account is locked or the sign-in was blocked (too many attempts or a suspicious IP)",
		"wait and retry, or ask an administrator to unlock the account",
	},
	"50057": {
		"the user account is disabled",
		"ask an administrator to enable the account",
	},
	"70016": {
		"authorization is still pending (the device code has not been entered yet)",
		"open the verification URL, enter the code and sign in",
	},
	"70020": {
		"the device code expired before sign-in finished",
		"start the device code login again and enter the code within its validity",
	},
	"1002016": {
		"TLS 1.2 or newer is required",
		"the system's TLS configuration is too old; update it",
	},
}

var aadstsInText = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`AADSTS(\d+)`) })

// lookupAADSTS returns the explanation of an AADSTS code given with or without its prefix.
func lookupAADSTS(code string) (aadstsInfo, bool) {
	info, ok := aadsts[strings.TrimPrefix(code, "AADSTS")]
	return info, ok
}
