package auth

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/amr-tui/amr-tui/profiles"
)

// DeviceCodePrompt is what a user needs to finish a device code login: open VerificationURL and
// enter UserCode. Message is Entra's own sentence saying so.
type DeviceCodePrompt struct {
	UserCode        string
	VerificationURL string
	Message         string
}

// Options are the process-level settings NewSource needs besides the profile. The zero value
// suits a real run, except that device code login needs DeviceCodePrompt.
type Options struct {
	// Transport carries every HTTP request of Entra credentials (token endpoint, managed
	// identity endpoint). Nil means a transport that trusts the system roots plus the profile's
	// authority_ca_file. When set it is used as is and must trust the authority itself (the
	// emulator's transport does).
	Transport policy.Transporter
	// WrapTransport, when set, wraps the transport auth builds itself when Transport is nil
	// (tests and the demo wrap it in emulator.LoopbackGuard).
	WrapTransport func(http.RoundTripper) http.RoundTripper
	// Retry overrides azcore's retry policy for Entra requests; nil keeps azcore's defaults.
	// Tests use MaxRetries: -1 so that failures surface at once.
	Retry *policy.RetryOptions
	// DeviceCodePrompt receives the device code prompt so the UI can show it in-app; it must
	// not print over the TUI. Returning an error aborts the login. Required for device code.
	DeviceCodePrompt func(context.Context, DeviceCodePrompt) error
	// BrowserRedirectURL is the interactive browser login's redirect URL; empty means
	// http://localhost on a free port, which the default client ID accepts.
	BrowserRedirectURL string
	// ResolveSecret turns a secret reference into the secret. Nil uses the default resolver
	// (env:, file:, keyring:).
	ResolveSecret func(profiles.SecretRef) (string, error)
	// Now is the clock for Token.ReceivedAt and certificate expiry checks; nil means time.Now.
	Now func() time.Time
}

func (o Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// NewSource builds the Source for a profile's auth settings. Errors are *Error with Step
// StepConfig; no network request is made (a device code or browser login starts only on the
// first Token call).
func NewSource(p profiles.Profile, opts Options) (Source, error) {
	a := p.Auth
	kind := KindName(a)
	switch a.Kind {
	case profiles.AuthNone:
		return noneSource{}, nil
	case profiles.AuthAccessKey:
		return newAccessKeySource(a, kind, opts)
	case profiles.AuthServicePrincipal, profiles.AuthCertificate, profiles.AuthManagedIdentity, profiles.AuthDeveloper:
		return newEntraSource(p, kind, opts)
	case "":
		return nil, configError("profile "+quote(p.Name), "auth.kind is not set", "set auth.kind to one of "+kindList())
	}
	return nil, configError("profile "+quote(p.Name), "unknown auth.kind "+quote(string(a.Kind)), "set auth.kind to one of "+kindList())
}

func kindList() string {
	var s []string
	for _, k := range profiles.AuthKinds {
		s = append(s, string(k))
	}
	return strings.Join(s, ", ")
}

// authority is the resolved Entra cloud of a profile.
type authority struct {
	cloud cloud.Configuration
	name  string // "public cloud", "Azure China", "Azure US Government", or the custom host
	// custom: a host not on Microsoft's list, so instance discovery must be off (it would ask
	// login.microsoftonline.com about the host).
	custom bool
}

// microsoftAuthorityHosts are hosts MSAL knows; instance discovery works for them.
var microsoftAuthorityHosts = map[string]bool{
	"login.microsoftonline.com": true, "login.microsoft.com": true, "login.windows.net": true,
	"sts.windows.net": true, "login.chinacloudapi.cn": true, "login.partner.microsoftonline.cn": true,
	"login.microsoftonline.us": true, "login.usgovcloudapi.net": true,
}

// resolveAuthority maps auth.authority to an azcore cloud configuration.
func resolveAuthority(cred string, a profiles.Auth) (authority, *Error) {
	switch a.Authority {
	case "", profiles.AuthorityPublic:
		return authority{cloud: cloud.AzurePublic, name: "public cloud"}, nil
	case profiles.AuthorityChina:
		return authority{cloud: cloud.AzureChina, name: "Azure China"}, nil
	case profiles.AuthorityUSGov:
		return authority{cloud: cloud.AzureGovernment, name: "Azure US Government"}, nil
	}
	host, err := a.AuthorityHost()
	if err != nil {
		return authority{}, configError(cred, err.Error(),
			"set auth.authority to public, china, usgov, or a custom authority host such as https://login.example.com/")
	}
	u, _ := url.Parse(host)
	return authority{
		cloud:  cloud.Configuration{ActiveDirectoryAuthorityHost: host, Services: map[cloud.ServiceName]cloud.ServiceConfiguration{}},
		name:   u.Host,
		custom: !microsoftAuthorityHosts[strings.ToLower(u.Hostname())],
	}, nil
}

// clientOptions builds the azcore options shared by every HTTP-based credential.
func clientOptions(cred string, a profiles.Auth, auth authority, opts Options) (azcore.ClientOptions, *Error) {
	co := azcore.ClientOptions{Cloud: auth.cloud}
	if opts.Retry != nil {
		co.Retry = *opts.Retry
	}
	switch {
	case opts.Transport != nil:
		co.Transport = opts.Transport
	case a.AuthorityCAFile != "":
		t, err := caTransport(cred, a.AuthorityCAFile, opts.WrapTransport)
		if err != nil {
			return co, err
		}
		co.Transport = t
	case opts.WrapTransport != nil:
		co.Transport = &http.Client{Transport: opts.WrapTransport(baseTransport(nil))}
	}
	return co, nil
}

// caTransport trusts the system roots plus the PEM bundle in file.
func caTransport(cred, file string, wrap func(http.RoundTripper) http.RoundTripper) (policy.Transporter, *Error) {
	path, err := profiles.ExpandPath(file)
	if err != nil {
		return nil, configError(cred, "auth.authority_ca_file: "+err.Error(), "use an absolute path")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, configError(cred, "cannot read auth.authority_ca_file "+quote(file)+": "+pathErr(err),
			"point auth.authority_ca_file at a readable PEM file holding the authority's CA certificate")
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(data) {
		return nil, configError(cred, "auth.authority_ca_file "+quote(file)+" holds no PEM certificate",
			"point auth.authority_ca_file at a PEM file with -----BEGIN CERTIFICATE----- blocks")
	}
	var rt http.RoundTripper = baseTransport(&tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12})
	if wrap != nil {
		rt = wrap(rt)
	}
	return &http.Client{Transport: rt}, nil
}

// baseTransport is a fresh transport with Go's defaults (proxy from the environment, HTTP/2)
// and the given TLS configuration, cloned from http.DefaultTransport.
//
// Tests and the demo replace http.DefaultTransport with an emulator.LoopbackGuard so that no
// request leaves loopback. That guard is kept: the *http.Transport inside it is cloned and
// reconfigured, and the result is wrapped in a copy of the same guard (same OnBlocked). Any
// other wrapper cannot be rebuilt with a different TLS configuration, so auth then starts from
// a plain transport with Go's defaults; callers that need such a wrapper pass WrapTransport.
func baseTransport(tc *tls.Config) http.RoundTripper {
	return rebuildTransport(http.DefaultTransport, tc)
}

// transportWrapper is a RoundTripper that wraps another and can be rebuilt around a new one.
// emulator.LoopbackGuard is one: declaring the shape here keeps auth free of the emulator.
type transportWrapper interface {
	http.RoundTripper
	Unwrap() http.RoundTripper
	Rewrap(http.RoundTripper) http.RoundTripper
}

func rebuildTransport(rt http.RoundTripper, tc *tls.Config) http.RoundTripper {
	var t *http.Transport
	switch d := rt.(type) {
	case transportWrapper:
		return d.Rewrap(rebuildTransport(d.Unwrap(), tc))
	case *http.Transport:
		t = d.Clone()
	default: // nil (a guard's Next defaulting to http.DefaultTransport) or a foreign wrapper
		t = &http.Transport{Proxy: http.ProxyFromEnvironment, ForceAttemptHTTP2: true, TLSHandshakeTimeout: 10 * time.Second}
	}
	if tc != nil {
		t.TLSClientConfig = tc
	}
	return t
}

// pathErr gives the reason of a file error without repeating the path.
func pathErr(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func quote(s string) string { return "\"" + s + "\"" }
