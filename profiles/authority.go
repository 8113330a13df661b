package profiles

import (
	"fmt"
	"net/url"
	"regexp"
	"sync"
)

// Authority names accepted in auth.authority besides a custom https URL.
const (
	AuthorityPublic = "public"
	AuthorityChina  = "china"
	AuthorityUSGov  = "usgov"
)

// Authority hosts of the national clouds, as azcore's cloud configurations define them.
const (
	AuthorityHostPublic = "https://login.microsoftonline.com/"
	AuthorityHostChina  = "https://login.chinacloudapi.cn/"
	AuthorityHostUSGov  = "https://login.microsoftonline.us/"
)

// DefaultScope is the Entra scope for Azure Managed Redis and Azure Cache for Redis.
const DefaultScope = "https://redis.azure.com/.default"

// DefaultScopes returns the scopes requested when a profile sets none.
func DefaultScopes() []string { return []string{DefaultScope} }

// EffectiveScopes returns the profile's scopes, or DefaultScopes when it sets none.
func (a Auth) EffectiveScopes() []string {
	if len(a.Scopes) == 0 {
		return DefaultScopes()
	}
	return append([]string(nil), a.Scopes...)
}

// AuthorityHost returns the authority host URL for the profile's cloud: the public cloud when
// unset, a national cloud by name, or the custom https URL as given.
func (a Auth) AuthorityHost() (string, error) {
	switch a.Authority {
	case "", AuthorityPublic:
		return AuthorityHostPublic, nil
	case AuthorityChina:
		return AuthorityHostChina, nil
	case AuthorityUSGov:
		return AuthorityHostUSGov, nil
	}
	if msg := checkAuthorityURL(a.Authority); msg != "" {
		return "", fmt.Errorf("auth.authority: %s", msg)
	}
	return a.Authority, nil
}

// IsCustomAuthority reports whether the authority is a custom URL rather than a known cloud.
func (a Auth) IsCustomAuthority() bool {
	switch a.Authority {
	case "", AuthorityPublic, AuthorityChina, AuthorityUSGov:
		return false
	}
	return true
}

// checkAuthorityURL explains what is wrong with a custom authority host, or returns "".
func checkAuthorityURL(s string) string {
	want := `want "public", "china", "usgov" or an https URL such as "https://login.example.com/"`
	u, err := url.Parse(s)
	switch {
	// The value is repeated only when it is a plain word (a misspelt cloud name) or, for a URL,
	// only its scheme, host and path: user info, query and fragment may carry secrets.
	case hasControl(s) || err != nil || u.Host == "" || u.Opaque != "":
		if plainWordRE().MatchString(s) {
			return fmt.Sprintf("%s, got %q", want, s)
		}
		return want + "; the value is not such a URL"
	case u.User != nil:
		// Not echoed: user info may hold a password.
		return "a custom authority must not contain a user name or password"
	case u.Scheme != "https":
		// azidentity and MSAL refuse anything else; say so here rather than at login.
		return fmt.Sprintf("a custom authority must use https, got %q", u.Scheme+"://"+u.Host+u.EscapedPath())
	case u.RawQuery != "" || u.Fragment != "":
		return fmt.Sprintf("a custom authority is a bare host URL without query or fragment, such as https://%s/", u.Host)
	}
	return ""
}

// plainWordRE matches a short word that is safe to repeat in an error (a misspelt "public").
var plainWordRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z][A-Za-z-]{0,15}$`) })
