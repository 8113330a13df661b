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
	ep, host := getenv("REDIS_ENDPOINT"), getenv("REDIS_HOST")
	for _, v := range []struct{ name, val string }{{"REDIS_ENDPOINT", ep}, {"REDIS_HOST", host}, {"REDIS_PORT", getenv("REDIS_PORT")}} {
		if looksLikeConnectionString(v.val) {
			return Profile{}, fmt.Errorf("%s %s; set REDIS_HOST and REDIS_PORT instead, and give the key as a secret reference (see --password-ref and --password-stdin in `amr-tui profiles add --help`)", v.name, connStringMsg)
		}
	}
	switch {
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
	if looksLikeConnectionString(raw) {
		return Profile{}, fmt.Errorf("the value %s; give --host and --port instead, and the access key with --password-stdin or --password-ref", connStringMsg)
	}
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
			// Not echoed: the path is free text and may hold anything.
			return Profile{}, errors.New("want a database number (0, 1, …) after the host, as in redis://HOST:PORT/0")
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

// splitHostPort splits "host:port"; a bare host keeps its default port. Errors do not repeat
// the value (it comes from the environment and may carry a secret), only a host part that is a
// valid host name.
func splitHostPort(s string) (string, int, error) {
	if !strings.Contains(s, ":") || isIP(s) {
		return s, 0, nil
	}
	h, ps, err := net.SplitHostPort(s)
	if err != nil {
		return "", 0, errors.New("want HOST or HOST:PORT (an IPv6 address in brackets, as in [::1]:6380); the value is not in that form")
	}
	port, err := parsePort(ps)
	if err != nil && checkHost(h) == "" {
		return "", 0, fmt.Errorf("host %s: %w", h, err)
	}
	return h, port, err
}

// parsePort parses a port number. Its error repeats the value only when it is all digits (a
// number out of range), never free text that could be a secret.
func parsePort(s string) (int, error) {
	n, err := strconv.Atoi(s)
	switch {
	case err == nil && n >= 1 && n <= 65535:
		return n, nil
	case allDigits(s) && len(s) <= 10:
		return 0, fmt.Errorf("want a port number from 1 to 65535, got %s", s)
	}
	return 0, errors.New("want a port number from 1 to 65535; the value is not a number")
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// connStringMsg follows the name of a setting that holds a connection string.
const connStringMsg = "looks like a StackExchange.Redis connection string (HOST:PORT,password=…,ssl=True,…); its value is not shown because it carries the access key"

// connStringKeys are option names of StackExchange.Redis configuration strings, the
// "connection string" the Azure portal shows next to a cache's access keys.
var connStringKeys = []string{"password=", "ssl=", "abortconnect=", "user=", "allowadmin=", "connecttimeout=",
	"synctimeout=", "asynctimeout=", "connectretry=", "sslprotocols=", "sslhost=", "defaultdatabase="}

// looksLikeConnectionString reports whether s has the shape of a StackExchange.Redis
// configuration string: HOST:PORT followed by comma-separated key=value options. Such a value
// usually carries the access key (password=…), so it must never be echoed in an error.
func looksLikeConnectionString(s string) bool {
	l := strings.ToLower(s)
	for _, k := range connStringKeys {
		if strings.Contains(l, k) {
			return true
		}
	}
	_, opts, ok := strings.Cut(s, ",")
	return ok && strings.Contains(opts, "=")
}
