package profiles

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
)

// FromEnv builds a profile from the environment variables that Azure's docs and samples use.
// getenv is usually os.Getenv.
//
//   - Where: REDIS_ENDPOINT (host:port or a redis:// / rediss:// URL), or REDIS_HOST and
//     REDIS_PORT.
//   - How: AZURE_CLIENT_CERTIFICATE_PATH (with AZURE_TENANT_ID and AZURE_CLIENT_ID) gives a
//     certificate profile, AZURE_CLIENT_SECRET a service-principal profile, AZURE_CLIENT_ID
//     alone a user-assigned managed identity, and nothing a developer profile using the default
//     credential chain (with AZURE_TENANT_ID as its tenant, if set).
//   - REDIS_OBJECT_ID or REDIS_USERNAME sets the Redis username override.
//
// Secrets are not copied: the profile refers to them as env:AZURE_CLIENT_SECRET and
// env:AZURE_CLIENT_CERTIFICATE_PASSWORD, so those variables must be set when connecting (the
// CLI can move them into the keychain instead). The profile is not validated; File.Put does that.
func FromEnv(name string, getenv func(string) string) (Profile, error) {
	p := Profile{Name: name}
	switch ep, host := getenv("REDIS_ENDPOINT"), getenv("REDIS_HOST"); {
	case strings.Contains(ep, "://"):
		u, err := FromURL(name, ep)
		if err != nil {
			return Profile{}, fmt.Errorf("REDIS_ENDPOINT: %w", err)
		}
		p = u
	case ep != "":
		h, port, err := splitHostPort(ep)
		if err != nil {
			return Profile{}, fmt.Errorf("REDIS_ENDPOINT: %w", err)
		}
		p.Host, p.Port = h, port
	case host != "":
		p.Host = host
	default:
		return Profile{}, errors.New("neither REDIS_ENDPOINT nor REDIS_HOST is set")
	}
	if ps := getenv("REDIS_PORT"); ps != "" {
		port, err := parsePort(ps)
		if err != nil {
			return Profile{}, fmt.Errorf("REDIS_PORT: %w", err)
		}
		p.Port = port
	}

	a := Auth{TenantID: getenv("AZURE_TENANT_ID"), ClientID: getenv("AZURE_CLIENT_ID")}
	switch {
	case getenv("AZURE_CLIENT_CERTIFICATE_PATH") != "":
		a.Kind = AuthCertificate
		certPath, err := filepath.Abs(getenv("AZURE_CLIENT_CERTIFICATE_PATH"))
		if err != nil {
			return Profile{}, fmt.Errorf("AZURE_CLIENT_CERTIFICATE_PATH: %w", err)
		}
		a.CertificateFile = certPath
		if getenv("AZURE_CLIENT_CERTIFICATE_PASSWORD") != "" {
			a.CertificatePassword = "env:AZURE_CLIENT_CERTIFICATE_PASSWORD"
		}
		switch strings.ToLower(getenv("AZURE_CLIENT_SEND_CERTIFICATE_CHAIN")) {
		case "1", "true":
			a.SendCertificateChain = true
		}
	case getenv("AZURE_CLIENT_SECRET") != "":
		a.Kind = AuthServicePrincipal
		a.ClientSecret = "env:AZURE_CLIENT_SECRET"
	case a.ClientID != "":
		// DefaultAzureCredential reads a lone AZURE_CLIENT_ID as a user-assigned identity.
		a.Kind = AuthManagedIdentity
		a.TenantID = ""
	default:
		a.Kind = AuthDeveloper
		a.Method = DeveloperDefault
	}
	if u := getenv("REDIS_OBJECT_ID"); u != "" {
		a.Username = u
	} else if u := getenv("REDIS_USERNAME"); u != "" {
		a.Username = u
	}
	p.Auth = a
	return p, nil
}

// FromURL builds a profile from a redis:// (TLS off) or rediss:// (TLS on) URL of the form
// SCHEME://[USER@]HOST[:PORT][/DB]. A user on an Azure host becomes the Entra username override
// of a developer profile; elsewhere it makes an access-key profile that still needs a password
// reference. A URL with a password is refused, because the password would end up in plain text
// in shell history and must not go into the file; the error does not repeat the URL. The profile
// is not validated; File.Put does that.
func FromURL(name, raw string) (Profile, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Profile{}, errors.New("not a valid URL; want redis://[USER@]HOST[:PORT][/DB] or rediss://…")
	}
	if _, hasPw := u.User.Password(); hasPw {
		return Profile{}, errors.New("the URL contains a password; amr-tui does not keep secrets in plain text: remove it from the URL and give the password with --password-stdin or --password-ref")
	}
	p := Profile{Name: name}
	switch u.Scheme {
	case "redis":
		p.TLS.Enabled = Ptr(false)
	case "rediss":
		p.TLS.Enabled = Ptr(true)
	default:
		return Profile{}, fmt.Errorf("want a redis:// or rediss:// URL, got scheme %q", u.Scheme)
	}
	if u.Opaque != "" || u.RawQuery != "" || u.Fragment != "" {
		return Profile{}, errors.New("want redis://[USER@]HOST[:PORT][/DB] without query or fragment")
	}
	p.Host = u.Hostname()
	if p.Host == "" {
		return Profile{}, errors.New("the URL has no host")
	}
	if ps := u.Port(); ps != "" {
		if p.Port, err = parsePort(ps); err != nil {
			return Profile{}, err
		}
	}
	if db := strings.Trim(u.Path, "/"); db != "" {
		n, err := strconv.Atoi(db)
		if err != nil || n < 0 {
			return Profile{}, fmt.Errorf("want a database number after the host, got %q", db)
		}
		p.DB = n
	}
	user := u.User.Username()
	switch kind := ClassifyHost(p.Host); {
	case kind == HostAMR || kind == HostACR:
		p.Auth = Auth{Kind: AuthDeveloper, Method: DeveloperDefault, Username: user}
	case user != "":
		p.Auth = Auth{Kind: AuthAccessKey, Username: user}
	default:
		p.Auth = Auth{Kind: AuthNone}
	}
	return p, nil
}

// splitHostPort splits "host:port"; a bare host keeps its default port.
func splitHostPort(s string) (string, int, error) {
	if !strings.Contains(s, ":") || isIP(s) {
		return s, 0, nil
	}
	h, ps, err := net.SplitHostPort(s)
	if err != nil {
		return "", 0, fmt.Errorf("want HOST or HOST:PORT, got %q", s)
	}
	port, err := parsePort(ps)
	return h, port, err
}

func parsePort(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 65535 {
		return 0, fmt.Errorf("want a port number from 1 to 65535, got %q", s)
	}
	return n, nil
}
