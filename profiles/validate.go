package profiles

import (
	"fmt"
	"net"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// maxLabel bounds labels so they fit a list row.
const maxLabel = 80

// Validate checks the profile and returns a *ValidationError listing every problem, or nil.
// Problems name the profile and the field as written in the file (for example
// "auth.client_secret"), and never contain a secret.
func (p *Profile) Validate() error {
	probs := p.problems()
	if len(probs) == 0 {
		return nil
	}
	return &ValidationError{Problems: probs}
}

// validator collects problems for one profile.
type validator struct {
	profile string
	probs   []Problem
}

func (v *validator) add(field, format string, args ...any) {
	v.probs = append(v.probs, Problem{Profile: v.profile, Field: field, Msg: fmt.Sprintf(format, args...)})
}

func (p *Profile) problems() []Problem {
	v := &validator{profile: p.Name}
	if err := ValidName(p.Name); err != nil {
		v.add("", "invalid profile name: %s", strings.TrimPrefix(err.Error(), fmt.Sprintf("invalid profile name %q: ", p.Name)))
	}
	p.checkConnection(v)
	p.TLS.check(v)
	p.Auth.check(v)
	p.checkToken(v)
	return v.probs
}

func (p *Profile) checkConnection(v *validator) {
	switch {
	case p.Label != "" && hasControl(p.Label):
		v.add("label", "the label contains control characters")
	case utf8.RuneCountInString(p.Label) > maxLabel:
		v.add("label", "want at most %d characters, got %d", maxLabel, utf8.RuneCountInString(p.Label))
	}
	if p.Color != "" && !ValidColor(p.Color) {
		v.add("color", "want one of %s, \"#rrggbb\" or an ANSI colour number 0-255, got %q", strings.Join(Colors, ", "), p.Color)
	}
	if msg := checkHost(p.Host); msg != "" {
		v.add("host", "%s", msg)
	}
	if p.Port < 0 || p.Port > 65535 {
		v.add("port", "want a port number from 1 to 65535 (or leave it out for the host's default), got %d", p.Port)
	}
	if p.DB < 0 {
		v.add("db", "want a database number of 0 or more, got %d", p.DB)
	}
	switch p.Cluster {
	case "", ClusterAuto, ClusterOff:
	case ClusterOn:
		if p.DB != 0 {
			v.add("db", "a cluster has only database 0, got %d (cluster = \"on\")", p.DB)
		}
	default:
		v.add("cluster", "want \"auto\", \"on\" or \"off\", got %q", p.Cluster)
	}
	p.checkTreeDelimiters(v)
}

// maxTreeDelimiters and maxTreeDelimiterLen keep delimiters to what splits key names: a few
// short separators.
const (
	maxTreeDelimiters   = 8
	maxTreeDelimiterLen = 8
)

func (p *Profile) checkTreeDelimiters(v *validator) {
	if p.TreeDelimiters == nil {
		return
	}
	if len(p.TreeDelimiters) == 0 {
		v.add("tree_delimiters", "want at least one delimiter, such as [\":\", \"/\"], or leave it out for [\":\"]")
		return
	}
	if len(p.TreeDelimiters) > maxTreeDelimiters {
		v.add("tree_delimiters", "want at most %d delimiters, got %d", maxTreeDelimiters, len(p.TreeDelimiters))
	}
	for i, d := range p.TreeDelimiters {
		switch {
		case d == "":
			v.add("tree_delimiters", "delimiter %d is empty; want a separator such as \":\"", i+1)
		case len(d) > maxTreeDelimiterLen:
			v.add("tree_delimiters", "delimiter %d is %d bytes long; want at most %d", i+1, len(d), maxTreeDelimiterLen)
		case hasControl(d) || !utf8.ValidString(d):
			v.add("tree_delimiters", "delimiter %d contains control characters or invalid UTF-8", i+1)
		case slices.Contains(p.TreeDelimiters[:i], d):
			v.add("tree_delimiters", "delimiter %q is listed twice", d)
		}
	}
}

// checkHost explains what is wrong with a host, or returns "". A bad host is not repeated: it
// may come from an environment variable or a pasted connection string that carries a secret.
// Only a part that is itself a valid host name or port number is shown.
func checkHost(h string) string {
	switch {
	case h == "":
		return "missing required field: want the server's host name, e.g. \"myredis.westeurope.redis.azure.net\""
	case looksLikeConnectionString(h):
		return "the value " + connStringMsg + "; set host and port separately and give the access key as a secret reference"
	case strings.Contains(h, "://"):
		return "want a host name, not a URL; to import a URL use `amr-tui profiles add --from-url URL`"
	case strings.HasPrefix(h, "["):
		return "write IPv6 addresses without brackets (::1, not [::1])"
	case strings.Count(h, ":") >= 2 && isIP(h):
		return ""
	case strings.Contains(h, ":"):
		if host, port, err := net.SplitHostPort(h); err == nil && hostRE().MatchString(host) && allDigits(port) && len(port) <= 5 {
			return fmt.Sprintf("want a host name without a port: set host to %q and port to %s", host, port)
		}
		return "want a host name without a port (set port separately)"
	case !hostRE().MatchString(h) && !isIP(h):
		return "want a DNS name or IP address (letters, digits, '-' and '.')"
	}
	return ""
}

func (t *TLS) check(v *validator) {
	for _, f := range []struct{ name, path string }{
		{"tls.ca_file", t.CAFile}, {"tls.cert_file", t.CertFile}, {"tls.key_file", t.KeyFile},
	} {
		if f.path != "" {
			if msg := checkPath(f.path); msg != "" {
				v.add(f.name, "%s", msg)
			}
		}
	}
	if (t.CertFile == "") != (t.KeyFile == "") {
		missing := "tls.key_file"
		if t.CertFile == "" {
			missing = "tls.cert_file"
		}
		v.add(missing, "mutual TLS needs both cert_file and key_file")
	}
	if t.ServerName != "" && (hasControl(t.ServerName) || !hostRE().MatchString(t.ServerName)) {
		v.add("tls.server_name", "want a DNS name, got %q", t.ServerName)
	}
	if t.Enabled != nil && !*t.Enabled {
		if t.CAFile != "" || t.CertFile != "" || t.KeyFile != "" || t.ServerName != "" || t.InsecureSkipVerify {
			v.add("tls.enabled", "TLS is off but other TLS settings are set; remove them or turn TLS on")
		}
	}
}

// authField describes one auth field: whether it is set, and which kinds (and developer
// methods) use it.
type authField struct {
	name  string
	isSet func(a *Auth) bool
	used  func(a *Auth) bool
}

func kinds(ks ...AuthKind) func(a *Auth) bool {
	return func(a *Auth) bool { return slices.Contains(ks, a.Kind) }
}

// usesAuthority: managed identity endpoints and the CLI tools pick their own cloud.
func usesAuthority(a *Auth) bool {
	switch a.Kind {
	case AuthServicePrincipal, AuthCertificate:
		return true
	case AuthDeveloper:
		return a.Method != DeveloperAzureCLI && a.Method != DeveloperAzd
	}
	return false
}

// usesClientID: the interactive developer flows may use a custom app registration.
func usesClientID(a *Auth) bool {
	switch a.Kind {
	case AuthServicePrincipal, AuthCertificate, AuthManagedIdentity:
		return true
	case AuthDeveloper:
		return a.Method == DeveloperDeviceCode || a.Method == DeveloperBrowser
	}
	return false
}

var authFields = []authField{
	{"tenant_id", func(a *Auth) bool { return a.TenantID != "" }, kinds(AuthServicePrincipal, AuthCertificate, AuthDeveloper)},
	{"client_id", func(a *Auth) bool { return a.ClientID != "" }, usesClientID},
	{"client_secret", func(a *Auth) bool { return a.ClientSecret != "" }, kinds(AuthServicePrincipal)},
	{"certificate_file", func(a *Auth) bool { return a.CertificateFile != "" }, kinds(AuthCertificate)},
	{"certificate", func(a *Auth) bool { return a.Certificate != "" }, kinds(AuthCertificate)},
	{"certificate_password", func(a *Auth) bool { return a.CertificatePassword != "" }, kinds(AuthCertificate)},
	{"send_certificate_chain", func(a *Auth) bool { return a.SendCertificateChain }, kinds(AuthCertificate)},
	{"object_id", func(a *Auth) bool { return a.ObjectID != "" }, kinds(AuthManagedIdentity)},
	{"resource_id", func(a *Auth) bool { return a.ResourceID != "" }, kinds(AuthManagedIdentity)},
	{"method", func(a *Auth) bool { return a.Method != "" }, kinds(AuthDeveloper)},
	{"username", func(a *Auth) bool { return a.Username != "" }, func(a *Auth) bool { return a.Kind.IsEntra() || a.Kind == AuthAccessKey }},
	{"password", func(a *Auth) bool { return a.Password != "" }, kinds(AuthAccessKey)},
	{"authority", func(a *Auth) bool { return a.Authority != "" }, usesAuthority},
	{"authority_ca_file", func(a *Auth) bool { return a.AuthorityCAFile != "" }, usesAuthority},
	{"scopes", func(a *Auth) bool { return a.Scopes != nil }, func(a *Auth) bool { return a.Kind.IsEntra() }},
}

func (a *Auth) usedBy() string {
	if a.Kind == AuthDeveloper && a.Method != "" {
		return fmt.Sprintf("kind %q with method %q", a.Kind, a.Method)
	}
	return fmt.Sprintf("kind %q", a.Kind)
}

func (a *Auth) check(v *validator) {
	switch a.Kind {
	case "":
		v.add("auth.kind", "missing required field: want one of %s", quoteAll(AuthKinds))
		return
	case AuthServicePrincipal, AuthCertificate, AuthManagedIdentity, AuthDeveloper, AuthAccessKey, AuthNone:
	default:
		v.add("auth.kind", "want one of %s, got %q", quoteAll(AuthKinds), a.Kind)
		return
	}
	if a.Kind == AuthDeveloper && a.Method != "" && !slices.Contains(DeveloperMethods, a.Method) {
		v.add("auth.method", "want one of %s, got %q", quoteAll(DeveloperMethods), a.Method)
		return
	}
	for _, f := range authFields {
		if f.isSet(a) && !f.used(a) {
			v.add("auth."+f.name, "not used by %s; remove it", a.usedBy())
		}
	}
	a.checkValues(v)
	a.checkRequired(v)
}

func (a *Auth) checkValues(v *validator) {
	if a.TenantID != "" && !validTenant(a.TenantID) {
		v.add("auth.tenant_id", "want a tenant ID (a GUID) or domain such as \"contoso.onmicrosoft.com\", got %s", unshownValue(a.TenantID))
	}
	for _, f := range []struct{ name, val string }{{"client_id", a.ClientID}, {"object_id", a.ObjectID}} {
		if f.val != "" && !isGUID(f.val) {
			v.add("auth."+f.name, "want a GUID such as \"00000000-0000-0000-0000-000000000000\", got %s", unshownValue(f.val))
		}
	}
	if a.ResourceID != "" && !miResourceRE().MatchString(a.ResourceID) {
		v.add("auth.resource_id", "want a user-assigned identity's resource ID, \"/subscriptions/SUB/resourceGroups/RG/providers/Microsoft.ManagedIdentity/userAssignedIdentities/NAME\", got %q", a.ResourceID)
	}
	if a.Username != "" && (hasControl(a.Username) || strings.ContainsAny(a.Username, " \t")) {
		v.add("auth.username", "a username cannot contain spaces or control characters")
	}
	if a.IsCustomAuthority() {
		if msg := checkAuthorityURL(a.Authority); msg != "" {
			v.add("auth.authority", "%s", msg)
		}
	}
	if a.AuthorityCAFile != "" {
		if msg := checkPath(a.AuthorityCAFile); msg != "" {
			v.add("auth.authority_ca_file", "%s", msg)
		} else if !a.IsCustomAuthority() {
			v.add("auth.authority_ca_file", "only a custom authority URL needs an extra CA; the Azure clouds use the system's CAs")
		}
	}
	if a.CertificateFile != "" {
		if msg := checkPath(a.CertificateFile); msg != "" {
			v.add("auth.certificate_file", "%s", msg)
		}
	}
	if a.Scopes != nil {
		if len(a.Scopes) == 0 {
			v.add("auth.scopes", "want at least one scope, or leave it out for %q", DefaultScope)
		}
		for _, s := range a.Scopes {
			if s == "" || hasControl(s) || strings.ContainsAny(s, " \t") {
				v.add("auth.scopes", "want scopes such as %q without spaces, got %q", DefaultScope, s)
				break
			}
		}
		if a.Kind == AuthManagedIdentity && len(a.Scopes) > 1 {
			v.add("auth.scopes", "managed identity takes exactly one scope, got %d", len(a.Scopes))
		}
	}
	for _, s := range a.secrets() {
		if !s.ref.IsZero() {
			if msg := checkSecretRef(s.ref, v.profile, s.field); msg != "" {
				v.add(s.field, "%s", msg)
			}
		}
	}
}

var miResourceRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)^/subscriptions/[^/]+/resourcegroups/[^/]+/providers/microsoft\.managedidentity/userassignedidentities/[^/]+$`)
})

func (a *Auth) checkRequired(v *validator) {
	need := func(field string, set bool, what string) {
		if !set {
			v.add("auth."+field, "missing required field for kind %q: want %s", a.Kind, what)
		}
	}
	switch a.Kind {
	case AuthServicePrincipal, AuthCertificate:
		need("tenant_id", a.TenantID != "", "the tenant (directory) ID")
		need("client_id", a.ClientID != "", "the application (client) ID")
	}
	switch a.Kind {
	case AuthServicePrincipal:
		need("client_secret", a.ClientSecret != "", "a reference to the client secret: keyring:, env:NAME or file:PATH")
	case AuthCertificate:
		switch {
		case a.CertificateFile == "" && a.Certificate == "":
			v.add("auth.certificate_file", "missing required field for kind %q: want certificate_file (a PEM or PKCS#12 file) or certificate (a reference to base64 PKCS#12)", a.Kind)
		case a.CertificateFile != "" && a.Certificate != "":
			v.add("auth.certificate", "set certificate_file or certificate, not both")
		}
	case AuthManagedIdentity:
		n := 0
		for _, s := range []string{a.ClientID, a.ObjectID, a.ResourceID} {
			if s != "" {
				n++
			}
		}
		if n > 1 {
			v.add("auth.client_id", "a user-assigned identity is selected by one of client_id, object_id or resource_id, not several")
		}
	case AuthAccessKey:
		need("password", a.Password != "", "a reference to the access key: keyring:, env:NAME or file:PATH")
	}
}

func (p *Profile) checkToken(v *validator) {
	t := p.Token
	if t.IsZero() {
		return
	}
	if !p.Auth.Kind.IsEntra() && p.Auth.Kind != "" {
		v.add("token", "token settings apply only to Entra kinds, not to kind %q; remove the [token] table", p.Auth.Kind)
		return
	}
	if r := t.RefreshRatio; r != nil && !(*r > 0 && *r <= 1) {
		v.add("token.refresh_ratio", "want a fraction of the token lifetime greater than 0 and at most 1, e.g. 0.7, got %v", *r)
	}
	if d := t.LowerRefreshBound; d != nil && d.Duration < 0 {
		v.add("token.lower_refresh_bound", "want a duration of 0 or more, got %q", d)
	}
	if d := t.RequestTimeout; d != nil && d.Duration <= 0 {
		v.add("token.request_timeout", "want a duration greater than 0, e.g. \"30s\", got %q", d)
	}
	if n := t.RetryMaxAttempts; n != nil && *n < 0 {
		v.add("token.retry_max_attempts", "want 0 (no limit before the token expires) or more, got %d", *n)
	}
	if d := t.RetryInitialDelay; d != nil && d.Duration <= 0 {
		v.add("token.retry_initial_delay", "want a duration greater than 0, e.g. \"1s\", got %q", d)
	}
	c := t.Config()
	if d := t.RetryMaxDelay; d != nil && c.RetryMaxDelay < c.RetryInitialDelay {
		v.add("token.retry_max_delay", "want at least retry_initial_delay (%s), got %q", c.RetryInitialDelay, d)
	}
	if m := t.RetryBackoffMultiplier; m != nil && !(*m >= 1 && *m <= 100) {
		v.add("token.retry_backoff_multiplier", "want a number from 1 to 100, e.g. 2.0, got %v", *m)
	}
}

func quoteAll[T ~string](vals []T) string {
	q := make([]string, len(vals))
	for i, s := range vals {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

// unshownValue describes a bad ID without repeating it: a client secret pasted into client_id or
// tenant_id by mistake is a common slip, and an error message must never display a secret.
func unshownValue(v string) string {
	return fmt.Sprintf("a %d-character value that is not one (not shown, in case a secret was pasted here)", len([]rune(v)))
}
