package azure

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/amr-tui/amr-tui/profiles"
)

// Endpoint is an Azure Resource Manager endpoint and the token audience it accepts.
type Endpoint struct {
	// URL is the base URL, such as https://management.azure.com.
	URL string
	// Audience is the resource whose "/.default" scope a token must be requested for.
	Audience string
}

// Management endpoints of the Azure clouds.
var (
	PublicCloud = Endpoint{URL: "https://management.azure.com", Audience: "https://management.azure.com"}
	ChinaCloud  = Endpoint{URL: "https://management.chinacloudapi.cn", Audience: "https://management.chinacloudapi.cn"}
	USGovCloud  = Endpoint{URL: "https://management.usgovcloudapi.net", Audience: "https://management.usgovcloudapi.net"}
)

// Scope is the token scope for the endpoint, e.g. https://management.azure.com/.default.
func (e Endpoint) Scope() string { return strings.TrimSuffix(e.Audience, "/") + "/.default" }

// EndpointFor picks the management endpoint of a profile's cloud (auth.authority): the public
// cloud when unset, China or US Government by name. A custom authority (an emulator or a
// private cloud) has no known management endpoint: override must name one then, and it wins
// over the authority whenever it is set.
func EndpointFor(authority, override string) (Endpoint, error) {
	if override != "" {
		return CustomEndpoint(override)
	}
	switch authority {
	case "", profiles.AuthorityPublic:
		return PublicCloud, nil
	case profiles.AuthorityChina:
		return ChinaCloud, nil
	case profiles.AuthorityUSGov:
		return USGovCloud, nil
	}
	return Endpoint{}, fmt.Errorf("the sign-in authority %s is not a known Azure cloud, so its management endpoint is unknown: pass --management-endpoint (or set %s)", authority, EnvEndpoint)
}

// EnvEndpoint names the environment variable that overrides the management endpoint (the demo
// sets it to its fake ARM).
const EnvEndpoint = "AMR_TUI_MANAGEMENT_ENDPOINT"

// EnvCAFile names the environment variable holding extra CAs (PEM) to trust for the management
// endpoint and for the caches found through it.
const EnvCAFile = "AMR_TUI_MANAGEMENT_CA_FILE"

// CustomEndpoint checks a management endpoint URL given by the user: https, no user info,
// query or fragment. Tokens for it are requested for the public cloud's ARM audience (the
// emulator accepts those); a known cloud's URL gets that cloud's audience.
func CustomEndpoint(raw string) (Endpoint, error) {
	u, err := url.Parse(raw)
	switch {
	case err != nil || u.Host == "" || u.Opaque != "":
		return Endpoint{}, fmt.Errorf("management endpoint: want an https URL such as https://management.azure.com")
	case u.Scheme != "https":
		return Endpoint{}, fmt.Errorf("management endpoint: must use https (the token is sent to it), got %q", u.Scheme+"://"+u.Host)
	case u.User != nil:
		return Endpoint{}, fmt.Errorf("management endpoint: must not contain a user name or password")
	case u.RawQuery != "" || u.Fragment != "":
		return Endpoint{}, fmt.Errorf("management endpoint: a bare URL without query or fragment, such as https://%s", u.Host)
	}
	base := strings.TrimSuffix(u.Scheme+"://"+u.Host+u.EscapedPath(), "/")
	for _, known := range []Endpoint{PublicCloud, ChinaCloud, USGovCloud} {
		if strings.EqualFold(base, known.URL) {
			return known, nil
		}
	}
	return Endpoint{URL: base, Audience: "https://management.azure.com"}, nil
}
