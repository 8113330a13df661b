package emulator

import "strings"

// Azure Resource Manager as the fake Entra knows it: besides Redis, it issues tokens for the
// management plane, which the fake ARM (StartARM) accepts and the Redis gate refuses.
const (
	// ManagementResource is the v1 resource URI of Azure Resource Manager, and the aud claim of
	// the tokens the fake Entra issues for it.
	ManagementResource = "https://management.azure.com/"
	// ManagementScope is the scope a credential asks for to call ARM.
	ManagementScope = ManagementResource + ".default"
	// legacyManagementResource is the older ARM resource URI, which Entra still accepts.
	legacyManagementResource = "https://management.core.windows.net/"
)

// isManagementResource accepts ARM's resource URIs with or without the trailing slash.
func isManagementResource(res string) bool {
	res = strings.TrimSuffix(res, "/") + "/"
	return strings.EqualFold(res, ManagementResource) || strings.EqualFold(res, legacyManagementResource)
}

// isKnownResource reports whether the fake Entra issues tokens for res: Redis or ARM.
func isKnownResource(res string) bool { return isRedisResource(res) || isManagementResource(res) }

// audienceFor is the aud claim of a token issued for a scope or resource the checks above
// accepted: ARM's resource URI for the management plane, Redis's otherwise (Mint's default).
func audienceFor(scopeOrResource string) string {
	for _, s := range strings.Fields(scopeOrResource) {
		if isManagementResource(strings.TrimSuffix(s, ".default")) {
			return ManagementResource
		}
	}
	return ""
}
