package profiles

import "slices"

// ClusterMode says whether to talk to the server with a cluster-aware client.
type ClusterMode string

const (
	// ClusterAuto detects the topology when connecting (CLUSTER INFO / cluster_enabled). It is
	// the default when a profile leaves cluster mode unset.
	ClusterAuto ClusterMode = "auto"
	// ClusterOn always uses a cluster client (AMR with the OSS clustering policy).
	ClusterOn ClusterMode = "on"
	// ClusterOff always uses a standalone client (AMR Enterprise policy, ACR, local Redis).
	ClusterOff ClusterMode = "off"
)

// AuthKind names how a profile logs in.
type AuthKind string

const (
	// AuthServicePrincipal is an Entra app registration with a client secret.
	AuthServicePrincipal AuthKind = "service-principal"
	// AuthCertificate is an Entra app registration with a certificate (PEM or PKCS#12).
	AuthCertificate AuthKind = "certificate"
	// AuthManagedIdentity is an Azure managed identity, system- or user-assigned.
	AuthManagedIdentity AuthKind = "managed-identity"
	// AuthDeveloper is a person signing in through a developer tool or flow (see DeveloperMethod).
	AuthDeveloper AuthKind = "developer"
	// AuthAccessKey is a static Redis password (an access key), optionally with a username.
	AuthAccessKey AuthKind = "access-key"
	// AuthNone connects without AUTH (local Redis).
	AuthNone AuthKind = "none"
)

// AuthKinds lists every auth kind in the order the CLI and UI offer them.
var AuthKinds = []AuthKind{
	AuthDeveloper, AuthServicePrincipal, AuthCertificate, AuthManagedIdentity, AuthAccessKey, AuthNone,
}

// IsEntra reports whether the kind obtains Microsoft Entra ID access tokens (as opposed to a
// static password or no auth at all).
func (k AuthKind) IsEntra() bool {
	switch k {
	case AuthServicePrincipal, AuthCertificate, AuthManagedIdentity, AuthDeveloper:
		return true
	}
	return false
}

// DeveloperMethod is how an AuthDeveloper profile signs the user in.
type DeveloperMethod string

const (
	// DeveloperAzureCLI uses the Azure CLI's login (`az login`).
	DeveloperAzureCLI DeveloperMethod = "azure-cli"
	// DeveloperAzd uses the Azure Developer CLI's login (`azd auth login`).
	DeveloperAzd DeveloperMethod = "azd"
	// DeveloperDeviceCode prints a code to enter at the device-login page.
	DeveloperDeviceCode DeveloperMethod = "device-code"
	// DeveloperBrowser opens a browser for an interactive login.
	DeveloperBrowser DeveloperMethod = "browser"
	// DeveloperDefault is azidentity's DefaultAzureCredential chain. It is the default method.
	DeveloperDefault DeveloperMethod = "default"
)

// DeveloperMethods lists every developer method.
var DeveloperMethods = []DeveloperMethod{
	DeveloperDefault, DeveloperAzureCLI, DeveloperAzd, DeveloperDeviceCode, DeveloperBrowser,
}

// Profile says where to connect and how to log in. The zero values of optional fields mean
// "unset"; use Endpoint, Auth.EffectiveScopes, Auth.AuthorityHost and Token.Config for the
// values that apply once defaults are filled in.
type Profile struct {
	// Name identifies the profile; it is the key of its [profiles.NAME] table, not a field.
	Name string `toml:"-" json:"name"`
	// Label is an optional human description shown next to the name.
	Label string `toml:"label,omitempty" json:"label,omitempty"`
	// Color is an optional accent colour so production profiles look different: a name from
	// Colors, "#rgb"/"#rrggbb", or an ANSI colour number 0–255.
	Color string `toml:"color,omitempty" json:"color,omitempty"`
	// Host is the server's DNS name or IP address. Required.
	Host string `toml:"host" json:"host"`
	// Port is the server's port; 0 means the default for Host (see Endpoint).
	Port int `toml:"port,omitempty" json:"port,omitempty"`
	// DB is the database number selected after connecting (standalone servers only).
	DB int `toml:"db,omitempty" json:"db,omitempty"`
	// ReadOnly makes the UI refuse commands that write.
	ReadOnly bool `toml:"read_only,omitempty" json:"read_only,omitempty"`
	// Cluster selects a cluster or standalone client; empty means ClusterAuto.
	Cluster ClusterMode `toml:"cluster,omitempty" json:"cluster,omitempty"`
	// TreeDelimiters split key names into the tree view's folders, e.g. [":", "/"]; empty
	// means DefaultTreeDelimiters (see EffectiveTreeDelimiters).
	TreeDelimiters []string `toml:"tree_delimiters,omitempty" json:"tree_delimiters,omitempty"`
	// TLS holds transport security settings.
	TLS TLS `toml:"tls,omitempty" json:"tls,omitzero"`
	// Auth says how to log in.
	Auth Auth `toml:"auth" json:"auth"`
	// Token tunes the token manager for Entra kinds.
	Token TokenSettings `toml:"token,omitempty" json:"token,omitzero"`
}

// TLS holds a profile's transport security settings.
type TLS struct {
	// Enabled turns TLS on or off; nil means the default for the host (see Endpoint).
	Enabled *bool `toml:"enabled,omitempty" json:"enabled,omitempty"`
	// CAFile is a PEM bundle of extra certificate authorities to trust for the server.
	CAFile string `toml:"ca_file,omitempty" json:"ca_file,omitempty"`
	// CertFile and KeyFile are a PEM client certificate and key for mutual TLS; both or neither.
	CertFile string `toml:"cert_file,omitempty" json:"cert_file,omitempty"`
	// KeyFile is the PEM private key matching CertFile.
	KeyFile string `toml:"key_file,omitempty" json:"key_file,omitempty"`
	// ServerName overrides the name verified in the server certificate (needed for AMR's OSS
	// cluster policy, whose nodes are advertised by IP address).
	ServerName string `toml:"server_name,omitempty" json:"server_name,omitempty"`
	// InsecureSkipVerify turns certificate verification off. It must be set explicitly and the
	// UI flags every profile that sets it.
	InsecureSkipVerify bool `toml:"insecure_skip_verify,omitempty" json:"insecure_skip_verify,omitempty"`
}

// Auth holds a profile's login settings. One flat table serves every kind; each field's
// comment says which kinds use it, and Validate rejects a field that the kind does not use.
type Auth struct {
	// Kind selects the login method. Required.
	Kind AuthKind `toml:"kind" json:"kind"`

	// TenantID is the Entra tenant (directory) ID or domain. Required for service-principal and
	// certificate; optional for developer (the tool's or flow's default tenant otherwise).
	TenantID string `toml:"tenant_id,omitempty" json:"tenant_id,omitempty"`
	// ClientID is the application (client) ID for service-principal and certificate, or the
	// client ID of a user-assigned managed identity.
	ClientID string `toml:"client_id,omitempty" json:"client_id,omitempty"`
	// ClientSecret is the service principal's secret. Required for service-principal.
	ClientSecret SecretRef `toml:"client_secret,omitempty" json:"client_secret,omitempty"`

	// CertificateFile is a PEM or PKCS#12 file with the certificate and its RSA private key
	// (certificate kind). Exactly one of CertificateFile and Certificate is set.
	CertificateFile string `toml:"certificate_file,omitempty" json:"certificate_file,omitempty"`
	// Certificate is a secret holding a base64-encoded PKCS#12 bundle (certificate kind).
	Certificate SecretRef `toml:"certificate,omitempty" json:"certificate,omitempty"`
	// CertificatePassword is the PKCS#12 password, if any (certificate kind).
	CertificatePassword SecretRef `toml:"certificate_password,omitempty" json:"certificate_password,omitempty"`
	// SendCertificateChain sends the x5c header (subject name/issuer auth; certificate kind).
	SendCertificateChain bool `toml:"send_certificate_chain,omitempty" json:"send_certificate_chain,omitempty"`

	// ObjectID selects a user-assigned managed identity by object (principal) ID.
	ObjectID string `toml:"object_id,omitempty" json:"object_id,omitempty"`
	// ResourceID selects a user-assigned managed identity by Azure resource ID. With none of
	// ClientID, ObjectID and ResourceID set, a managed-identity profile is system-assigned.
	ResourceID string `toml:"resource_id,omitempty" json:"resource_id,omitempty"`

	// Method is the developer login method; empty means DeveloperDefault (developer kind).
	Method DeveloperMethod `toml:"method,omitempty" json:"method,omitempty"`

	// Username is the Redis username. For access-key it is the ACL user (empty: the default
	// user). For Entra kinds it overrides the token's oid claim; set it to the principal's
	// object ID when the token carries no oid.
	Username string `toml:"username,omitempty" json:"username,omitempty"`
	// Password is the access key. Required for access-key.
	Password SecretRef `toml:"password,omitempty" json:"password,omitempty"`

	// Authority is the Entra cloud for Entra kinds: "public" (the default), "china", "usgov",
	// or a custom authority host as an https URL (e.g. a local emulator).
	Authority string `toml:"authority,omitempty" json:"authority,omitempty"`
	// AuthorityCAFile is a PEM bundle of extra CAs to trust for a custom authority host.
	AuthorityCAFile string `toml:"authority_ca_file,omitempty" json:"authority_ca_file,omitempty"`
	// Scopes are the scopes requested for Entra kinds; empty means DefaultScopes.
	Scopes []string `toml:"scopes,omitempty" json:"scopes,omitempty"`
}

// TokenSettings tunes the token manager for Entra kinds: the same knobs the official Redis Entra
// libraries expose. Each field is optional (nil means the default); Config gives the values in
// effect.
type TokenSettings struct {
	// RefreshRatio is the fraction of a token's lifetime after which it is refreshed, in (0, 1].
	RefreshRatio *float64 `toml:"refresh_ratio,omitempty" json:"refresh_ratio,omitempty"`
	// LowerRefreshBound refreshes a token no later than this long before it expires.
	LowerRefreshBound *Duration `toml:"lower_refresh_bound,omitempty" json:"lower_refresh_bound,omitempty"`
	// RequestTimeout bounds one token request to the identity provider.
	RequestTimeout *Duration `toml:"request_timeout,omitempty" json:"request_timeout,omitempty"`
	// RetryMaxAttempts caps the retries of a refresh before the token expires; 0 retries
	// without limit, so a session never gives up while its token is still valid. After expiry
	// retries never stop: every RetryMaxDelay until a token comes.
	RetryMaxAttempts *int `toml:"retry_max_attempts,omitempty" json:"retry_max_attempts,omitempty"`
	// RetryInitialDelay is the wait before the first retry.
	RetryInitialDelay *Duration `toml:"retry_initial_delay,omitempty" json:"retry_initial_delay,omitempty"`
	// RetryMaxDelay caps the wait between retries, and is the wait between retries once the
	// token has expired.
	RetryMaxDelay *Duration `toml:"retry_max_delay,omitempty" json:"retry_max_delay,omitempty"`
	// RetryBackoffMultiplier grows the wait after each failed retry; at least 1.
	RetryBackoffMultiplier *float64 `toml:"retry_backoff_multiplier,omitempty" json:"retry_backoff_multiplier,omitempty"`
}

// Clone returns a deep copy, so that callers can change it without touching the original.
func (p Profile) Clone() Profile {
	c := p
	c.Auth.Scopes = slices.Clone(p.Auth.Scopes)
	c.TreeDelimiters = slices.Clone(p.TreeDelimiters)
	c.TLS.Enabled = clonePtr(p.TLS.Enabled)
	c.Token = TokenSettings{
		RefreshRatio:           clonePtr(p.Token.RefreshRatio),
		LowerRefreshBound:      clonePtr(p.Token.LowerRefreshBound),
		RequestTimeout:         clonePtr(p.Token.RequestTimeout),
		RetryMaxAttempts:       clonePtr(p.Token.RetryMaxAttempts),
		RetryInitialDelay:      clonePtr(p.Token.RetryInitialDelay),
		RetryMaxDelay:          clonePtr(p.Token.RetryMaxDelay),
		RetryBackoffMultiplier: clonePtr(p.Token.RetryBackoffMultiplier),
	}
	return c
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// Ptr returns a pointer to v, for filling optional fields such as TLS.Enabled.
func Ptr[T any](v T) *T { return &v }

// DefaultTreeDelimiters split key names into folders when a profile sets no tree_delimiters.
func DefaultTreeDelimiters() []string { return []string{":"} }

// EffectiveTreeDelimiters returns the profile's tree delimiters, or DefaultTreeDelimiters.
func (p Profile) EffectiveTreeDelimiters() []string {
	if len(p.TreeDelimiters) == 0 {
		return DefaultTreeDelimiters()
	}
	return slices.Clone(p.TreeDelimiters)
}
