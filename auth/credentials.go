package auth

import (
	"context"
	"crypto/x509"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/managedidentity"

	"github.com/amr-tui/amr-tui/profiles"
)

// family groups credential kinds that fail alike, for classification.
type family int

const (
	famSecret family = iota + 1
	famCert
	famMI
	famCLI
	famAzd
	famDeviceCode
	famBrowser
	famDefault
)

// built is one credential instance plus the secrets it was built from (for redaction).
type built struct {
	cred    azcore.TokenCredential
	secrets []string
}

// builder makes credential instances for one profile. Each call resolves secret references
// and reads certificate files again, so Fresh picks up a rotated secret or certificate.
type builder struct {
	kind    string
	fam     family
	auth    profiles.Auth
	cloud   authority
	opts    Options
	co      azcore.ClientOptions
	miSrc   managedidentity.Source // managed identity only: where MSAL will ask
	scopes  []string
	freshOK bool // a new instance bypasses the in-process cache and needs no user interaction

	promptMu  sync.Mutex
	promptErr error // the last error DeviceCodePrompt returned, to classify an abandoned login

	net *netFailures // the HTTP transport's last failure, for classify
}

func (b *builder) lastPromptError() error {
	b.promptMu.Lock()
	defer b.promptMu.Unlock()
	return b.promptErr
}

func newBuilder(p profiles.Profile, kind string, opts Options) (*builder, *Error) {
	a := p.Auth
	auth, cerr := resolveAuthority(kind, a)
	if cerr != nil {
		return nil, cerr
	}
	b := &builder{kind: kind, auth: a, cloud: auth, opts: opts, scopes: a.EffectiveScopes()}
	for _, s := range b.scopes {
		if strings.TrimSpace(s) == "" || strings.ContainsAny(s, " \t\n") {
			return nil, configError(kind, "auth.scopes holds an empty or blank-containing scope "+quote(s),
				"list each scope separately, e.g. scopes = [\"https://redis.azure.com/.default\"], or leave scopes unset")
		}
	}
	switch a.Kind {
	case profiles.AuthServicePrincipal:
		b.fam, b.freshOK = famSecret, true
		if err := b.needAppAndTenant(); err != nil {
			return nil, err
		}
		if a.ClientSecret.IsZero() {
			return nil, configError(kind, "auth.client_secret is not set", "set auth.client_secret to a secret reference (keyring:, env: or file:) holding the app's client secret")
		}
	case profiles.AuthCertificate:
		b.fam, b.freshOK = famCert, true
		if err := b.needAppAndTenant(); err != nil {
			return nil, err
		}
		switch {
		case a.CertificateFile == "" && a.Certificate.IsZero():
			return nil, configError(kind, "neither auth.certificate_file nor auth.certificate is set",
				"set auth.certificate_file to a PEM or PKCS#12 file, or auth.certificate to a secret holding a base64 PKCS#12 bundle")
		case a.CertificateFile != "" && !a.Certificate.IsZero():
			return nil, configError(kind, "both auth.certificate_file and auth.certificate are set", "keep only one of them")
		}
	case profiles.AuthManagedIdentity:
		b.fam, b.freshOK = famMI, true
		n := 0
		for _, v := range []string{a.ClientID, a.ObjectID, a.ResourceID} {
			if v != "" {
				n++
			}
		}
		if n > 1 {
			return nil, configError(kind, "more than one of auth.client_id, auth.object_id and auth.resource_id is set",
				"a user-assigned managed identity is selected by exactly one of them; leave all unset for the system-assigned identity")
		}
		if len(b.scopes) != 1 {
			return nil, configError(kind, "a managed identity requests exactly one scope, but auth.scopes has "+strconv.Itoa(len(b.scopes)),
				"keep one scope (https://redis.azure.com/.default) or leave scopes unset")
		}
		src, err := managedidentity.GetSource()
		if err != nil {
			return nil, configError(kind, "cannot tell which managed identity endpoint applies here: "+err.Error(), "check the IDENTITY_*/MSI_* environment variables")
		}
		b.miSrc = src
	case profiles.AuthDeveloper:
		if a.TenantID != "" {
			if err := checkTenant(kind, a.TenantID); err != nil {
				return nil, err
			}
		}
		switch developerMethod(a) {
		case profiles.DeveloperAzureCLI:
			b.fam, b.freshOK = famCLI, true
			if len(b.scopes) != 1 {
				return nil, configError(kind, "the Azure CLI gets a token for exactly one scope, but auth.scopes has "+strconv.Itoa(len(b.scopes)),
					"keep one scope (https://redis.azure.com/.default) or leave scopes unset")
			}
		case profiles.DeveloperAzd:
			b.fam, b.freshOK = famAzd, true
		case profiles.DeveloperDeviceCode:
			b.fam = famDeviceCode
			if opts.DeviceCodePrompt == nil {
				return nil, configError(kind, "device code login needs somewhere to show the code (no prompt handler)",
					"this is a bug in the caller: pass auth.Options.DeviceCodePrompt")
			}
		case profiles.DeveloperBrowser:
			b.fam = famBrowser
		case profiles.DeveloperDefault:
			b.fam, b.freshOK = famDefault, true
		default:
			var ms []string
			for _, m := range profiles.DeveloperMethods {
				ms = append(ms, string(m))
			}
			return nil, configError(kind, "unknown auth.method "+quote(string(a.Method)), "set auth.method to one of "+strings.Join(ms, ", "))
		}
	}
	co, cerr := clientOptions(kind, a, auth, opts)
	if cerr != nil {
		return nil, cerr
	}
	if co.Transport == nil {
		co.Transport = &http.Client{Transport: baseTransport(nil)}
	}
	b.net = &netFailures{}
	co.Transport = recordingTransport{next: co.Transport, rec: b.net}
	b.co = co
	return b, nil
}

func (b *builder) needAppAndTenant() *Error {
	if b.auth.TenantID == "" {
		return configError(b.kind, "auth.tenant_id is not set",
			"set auth.tenant_id to the Directory (tenant) ID from the app registration's overview (or organizations/common for a multi-tenant app)")
	}
	if b.auth.ClientID == "" {
		return configError(b.kind, "auth.client_id is not set", "set auth.client_id to the Application (client) ID from the app registration's overview")
	}
	return checkTenant(b.kind, b.auth.TenantID)
}

// checkTenant applies azidentity's rule (letters, digits, '-' and '.') so a bad tenant is a
// clear configuration error instead of azidentity's generic one.
func checkTenant(kind, t string) *Error {
	for _, r := range t {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			return configError(kind, "auth.tenant_id "+quote(t)+" is not a tenant ID or domain name",
				"set auth.tenant_id to the Directory (tenant) ID GUID, a verified domain (contoso.onmicrosoft.com), or organizations/common")
		}
	}
	return nil
}

// build makes a new credential instance.
func (b *builder) build() (built, *Error) {
	a := b.auth
	disco := b.cloud.custom
	switch b.fam {
	case famSecret:
		secret, err := resolveSecret(b.kind, "auth.client_secret", a.ClientSecret, b.opts)
		if err != nil {
			return built{}, err.(*Error)
		}
		c, cerr := azidentity.NewClientSecretCredential(a.TenantID, a.ClientID, secret, &azidentity.ClientSecretCredentialOptions{
			ClientOptions: b.co, DisableInstanceDiscovery: disco,
		})
		if cerr != nil {
			return built{}, b.constructorError(cerr, []string{secret})
		}
		return built{cred: c, secrets: []string{secret}}, nil
	case famCert:
		certs, key, secrets, err := b.loadCertificate()
		if err != nil {
			return built{}, err
		}
		c, cerr := azidentity.NewClientCertificateCredential(a.TenantID, a.ClientID, certs, key, &azidentity.ClientCertificateCredentialOptions{
			ClientOptions: b.co, DisableInstanceDiscovery: disco, SendCertificateChain: a.SendCertificateChain,
		})
		if cerr != nil {
			return built{}, b.constructorError(cerr, secrets)
		}
		return built{cred: c, secrets: secrets}, nil
	case famMI:
		o := &azidentity.ManagedIdentityCredentialOptions{ClientOptions: b.co}
		switch {
		case a.ClientID != "":
			o.ID = azidentity.ClientID(a.ClientID)
		case a.ObjectID != "":
			o.ID = azidentity.ObjectID(a.ObjectID)
		case a.ResourceID != "":
			o.ID = azidentity.ResourceID(a.ResourceID)
		}
		c, err := azidentity.NewManagedIdentityCredential(o)
		if err != nil {
			return built{}, b.constructorError(err, nil)
		}
		return built{cred: c}, nil
	case famCLI:
		c, err := azidentity.NewAzureCLICredential(&azidentity.AzureCLICredentialOptions{TenantID: a.TenantID})
		if err != nil {
			return built{}, b.constructorError(err, nil)
		}
		return built{cred: c}, nil
	case famAzd:
		c, err := azidentity.NewAzureDeveloperCLICredential(&azidentity.AzureDeveloperCLICredentialOptions{TenantID: a.TenantID})
		if err != nil {
			return built{}, b.constructorError(err, nil)
		}
		return built{cred: c}, nil
	case famDeviceCode:
		prompt := b.opts.DeviceCodePrompt
		c, err := azidentity.NewDeviceCodeCredential(&azidentity.DeviceCodeCredentialOptions{
			ClientOptions: b.co, TenantID: a.TenantID, ClientID: a.ClientID, DisableInstanceDiscovery: disco,
			UserPrompt: func(ctx context.Context, m azidentity.DeviceCodeMessage) error {
				err := prompt(ctx, DeviceCodePrompt{UserCode: m.UserCode, VerificationURL: m.VerificationURL, Message: m.Message})
				b.promptMu.Lock()
				b.promptErr = err
				b.promptMu.Unlock()
				return err
			},
		})
		if err != nil {
			return built{}, b.constructorError(err, nil)
		}
		return built{cred: c}, nil
	case famBrowser:
		c, err := azidentity.NewInteractiveBrowserCredential(&azidentity.InteractiveBrowserCredentialOptions{
			ClientOptions: b.co, TenantID: a.TenantID, ClientID: a.ClientID, DisableInstanceDiscovery: disco, RedirectURL: b.opts.BrowserRedirectURL,
		})
		if err != nil {
			return built{}, b.constructorError(err, nil)
		}
		return built{cred: c}, nil
	case famDefault:
		c, err := azidentity.NewDefaultAzureCredential(&azidentity.DefaultAzureCredentialOptions{
			ClientOptions: b.co, TenantID: a.TenantID, DisableInstanceDiscovery: disco,
		})
		if err != nil {
			e := b.constructorError(err, nil)
			if v, ok := os.LookupEnv("AZURE_TOKEN_CREDENTIALS"); ok {
				e.Summary = "AZURE_TOKEN_CREDENTIALS=" + quote(v) + " is not a value DefaultAzureCredential accepts"
				e.Fix = "set AZURE_TOKEN_CREDENTIALS to dev, prod, or one credential name (AzureCliCredential, AzureDeveloperCliCredential, EnvironmentCredential, WorkloadIdentityCredential, ManagedIdentityCredential, AzurePowerShellCredential), or unset it"
			}
			return built{}, e
		}
		return built{cred: c}, nil
	}
	return built{}, configError(b.kind, "unsupported credential", "")
}

// constructorError explains a credential constructor's failure: always a configuration problem.
func (b *builder) constructorError(err error, secrets []string) *Error {
	e := &Error{Credential: b.kind, Step: StepConfig, Summary: "the credential cannot be created: " + firstLine(err.Error()),
		Fix: "check the profile's auth settings", err: err}
	return e.redact(secrets)
}

// loadCertificate reads the certificate and key from the profile's file or secret.
func (b *builder) loadCertificate() ([]*x509.Certificate, any, []string, *Error) {
	a := b.auth
	var (
		data    []byte
		secrets []string
		what    string
	)
	password := ""
	if !a.CertificatePassword.IsZero() {
		pw, err := resolveSecret(b.kind, "auth.certificate_password", a.CertificatePassword, b.opts)
		if err != nil {
			return nil, nil, nil, err.(*Error)
		}
		password = pw
		secrets = append(secrets, pw)
	}
	if a.CertificateFile != "" {
		what = "auth.certificate_file " + quote(a.CertificateFile)
		path, err := profiles.ExpandPath(a.CertificateFile)
		if err == nil {
			data, err = os.ReadFile(path)
		}
		if err != nil {
			return nil, nil, nil, configError(b.kind, "cannot read "+what+": "+pathErr(err), "point auth.certificate_file at the PEM or PKCS#12 file holding the certificate and its RSA key")
		}
	} else {
		what = "the certificate in " + a.Certificate.String()
		s, err := resolveSecret(b.kind, "auth.certificate", a.Certificate, b.opts)
		if err != nil {
			return nil, nil, nil, err.(*Error)
		}
		secrets = append(secrets, s)
		d, derr := decodeBase64PKCS12(s)
		if derr != nil {
			ce := derr.(*certError)
			return nil, nil, nil, configError(b.kind, ce.summary, ce.fix).redact(secrets)
		}
		data = d
	}
	certs, key, err := parseCertificate(data, password, b.opts.now())
	if err != nil {
		if ce, ok := err.(*certError); ok {
			if ce.notCert && a.CertificateFile == "" {
				ce.summary = "the secret is base64 but not a PKCS#12 bundle"
				ce.fix = "store base64 of the .pfx file (base64 -w0 cert.pfx) in the secret"
			}
			return nil, nil, nil, configError(b.kind, what+": "+ce.summary, ce.fix).redact(secrets)
		}
		return nil, nil, nil, configError(b.kind, what+": "+err.Error(), "").redact(secrets)
	}
	return certs, key, secrets, nil
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		return strings.TrimSpace(s[:i])
	}
	return s
}
