package emulator

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/google/uuid"
)

// Well-known identifiers of the real Microsoft identity platform that the fake reproduces.
const (
	// RedisResource is the v1 resource URI of Azure Cache for Redis / Azure Managed Redis.
	RedisResource = "https://redis.azure.com"
	// RedisAppID is the application ID of the Redis resource (the v2 audience).
	RedisAppID = "acca5fbb-b7e4-4009-81f1-37e38fd66d78"
	// RedisScope is the scope a credential asks for to get a Redis token.
	RedisScope = RedisResource + "/.default"
	// AzureCLIClientID is the public client ID of the Azure CLI, which azd and azidentity's
	// DeviceCodeCredential use by default.
	AzureCLIClientID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"

	defaultTokenLifetime = time.Hour
	defaultPendingPolls  = 2
)

// EntraOptions configures StartEntra. The zero value is usable.
type EntraOptions struct {
	// CA signs the server certificate; nil generates a fresh one.
	CA *CA
	// TenantID is the directory ID; empty picks a random GUID.
	TenantID string
	// TokenLifetime is the lifetime of every access token issued; 0 means one hour. Any value
	// from about a second upwards works (tokens carry whole seconds).
	TokenLifetime time.Duration
	// RefreshIn, when positive, is sent as refresh_in so that MSAL sets AccessToken.RefreshOn.
	RefreshIn time.Duration
}

// App is an app registration (service principal) that may use the client-credentials grant.
type App struct {
	ClientID string
	// Secret, when non-empty, is an accepted client secret.
	Secret string
	// Certificate, when set, is an accepted certificate credential: client assertions signed
	// with its key and naming it in x5t#S256 are accepted.
	Certificate *x509.Certificate
	// ObjectID is the service principal's object ID (the oid claim and the Redis username).
	ObjectID    string
	DisplayName string
}

// ManagedIdentity is a managed identity the App Service–style /msi/token endpoint serves.
type ManagedIdentity struct {
	// SystemAssigned marks the identity returned when a request names no user-assigned ID.
	SystemAssigned bool
	ClientID       string
	// ObjectID is the identity's principal ID: the oid claim and the Redis username.
	ObjectID string
	// ResourceID is the ARM resource ID of a user-assigned identity (mi_res_id).
	ResourceID string
}

// User is the human signed in for device code, the fake az and the fake azd.
type User struct {
	UPN      string
	ObjectID string
}

// Entra is a fake Microsoft Entra ID on loopback. It serves OpenID discovery, the v2 token
// and device-code endpoints, JWKS, an App Service managed-identity endpoint and the backend of
// the fake az/azd, and it mints and verifies RS256 access tokens. It is safe for concurrent use.
type Entra struct {
	ca     *CA
	tenant string
	key    *rsa.PrivateKey
	kid    string
	// identityHeader is the App Service IDENTITY_HEADER secret the MSI endpoint requires.
	identityHeader string
	// cliKey is a random path segment only the installed fake CLIs know.
	cliKey string
	// subscription is the subscription ID the fake az reports.
	subscription string

	srv *http.Server
	ln  net.Listener
	// closed ends handlers sleeping on injected latency, which http.Server.Close does not
	// wait for, so no goroutine outlives Close.
	closed    chan struct{}
	closeOnce sync.Once
	cliSrv    *http.Server
	cliLn     net.Listener
	transport *http.Transport
	host      string // 127.0.0.1:PORT of the TLS server

	mu            sync.Mutex
	lifetime      time.Duration
	refreshIn     time.Duration
	apps          map[string]App // by lower-case client ID
	mis           []ManagedIdentity
	user          User
	cliLoggedIn   bool
	pendingPolls  int
	deviceCodes   map[string]*deviceCode
	refreshTokens map[string]refreshGrant
	faults        faults
}

// StartEntra starts a fake Entra on https://127.0.0.1:0 (certificate for 127.0.0.1,
// localhost and ::1 from the CA) plus a plain-HTTP loopback listener for the fake CLIs.
func StartEntra(opts EntraOptions) (*Entra, error) {
	ca := opts.CA
	if ca == nil {
		var err error
		if ca, err = NewCA(); err != nil {
			return nil, err
		}
	}
	tenant := opts.TenantID
	if tenant == "" {
		tenant = uuid.NewString()
	}
	if !validTenantSegment(tenant) {
		return nil, fmt.Errorf("fake Entra: tenant ID %q is not a valid path segment", tenant)
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("fake Entra: generating signing key: %w", err)
	}
	tlsCfg, err := ca.ServerTLSConfig()
	if err != nil {
		return nil, err
	}
	// HTTP/1.1 only: fault injection resets connections by hijacking them.
	tlsCfg.NextProtos = []string{"http/1.1"}

	e := &Entra{
		closed:         make(chan struct{}),
		ca:             ca,
		tenant:         tenant,
		key:            key,
		kid:            keyID(&key.PublicKey),
		identityHeader: randomToken(24),
		cliKey:         randomToken(16),
		subscription:   uuid.NewString(),
		lifetime:       defaultTokenLifetime,
		refreshIn:      opts.RefreshIn,
		apps:           map[string]App{},
		user:           User{UPN: "dev@contoso.example", ObjectID: uuid.NewString()},
		cliLoggedIn:    true,
		pendingPolls:   defaultPendingPolls,
		deviceCodes:    map[string]*deviceCode{},
		refreshTokens:  map[string]refreshGrant{},
		faults:         newFaults(),
	}
	if opts.TokenLifetime > 0 {
		e.lifetime = opts.TokenLifetime
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("fake Entra: listen: %w", err)
	}
	cliLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		ln.Close()
		return nil, fmt.Errorf("fake Entra: listen for CLIs: %w", err)
	}
	e.ln, e.cliLn = ln, cliLn
	e.host = ln.Addr().String()
	e.srv = &http.Server{
		Handler:           e.routes(),
		TLSConfig:         tlsCfg,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          quietLog(),
	}
	e.cliSrv = &http.Server{
		Handler:           e.cliRoutes(),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          quietLog(),
	}
	e.transport = &http.Transport{
		Proxy:               nil, // never send emulator traffic through an HTTPS_PROXY
		TLSClientConfig:     ca.ClientTLSConfig(),
		MaxIdleConnsPerHost: 8,
		IdleConnTimeout:     30 * time.Second,
	}
	go func() { _ = e.srv.Serve(tls.NewListener(ln, tlsCfg)) }()
	go func() { _ = e.cliSrv.Serve(cliLn) }()
	return e, nil
}

// Close stops both listeners and drops idle client connections.
func (e *Entra) Close() {
	e.closeOnce.Do(func() { close(e.closed) })
	_ = e.srv.Close()
	_ = e.cliSrv.Close()
	e.transport.CloseIdleConnections()
}

// AuthorityHost is the value for azcore's Cloud.ActiveDirectoryAuthorityHost or
// AZURE_AUTHORITY_HOST: "https://127.0.0.1:PORT/".
func (e *Entra) AuthorityHost() string { return "https://" + e.host + "/" }

// TenantID is the directory's tenant ID.
func (e *Entra) TenantID() string { return e.tenant }

// CA is the certificate authority that signed the server certificate.
func (e *Entra) CA() *CA { return e.ca }

// Transport trusts the emulator CA and refuses every non-loopback host. Use it as
// azcore.ClientOptions.Transport; tests use emutest.Transport, which also fails the test.
func (e *Entra) Transport() policy.Transporter { return e.GuardedTransport(nil) }

// GuardedTransport is Transport with onBlocked (when not nil) told about every refused request.
func (e *Entra) GuardedTransport(onBlocked func(*http.Request)) LoopbackGuard {
	return LoopbackGuard{Next: e.transport, OnBlocked: onBlocked}
}

// ClientOptions are azcore client options aimed at this Entra: authority host, Transport and
// no retries (errors surface at once).
func (e *Entra) ClientOptions() azcore.ClientOptions {
	return azcore.ClientOptions{
		Cloud:     cloud.Configuration{ActiveDirectoryAuthorityHost: e.AuthorityHost(), Services: map[cloud.ServiceName]cloud.ServiceConfiguration{}},
		Transport: e.Transport(),
		Retry:     policy.RetryOptions{MaxRetries: -1},
	}
}

// AppServiceEnv returns the environment variables that make ManagedIdentityCredential use
// this Entra's App Service–style endpoint. IDENTITY_HEADER is a per-instance secret.
func (e *Entra) AppServiceEnv() map[string]string {
	return map[string]string{
		"IDENTITY_ENDPOINT": e.MSIEndpoint(),
		"IDENTITY_HEADER":   e.identityHeader,
	}
}

// MSIEndpoint is the App Service managed-identity endpoint URL. Like App Service's own it is
// plain HTTP on loopback (http://127.0.0.1:PORT/msi/token); the TLS server answers the same
// path for clients that prefer it.
func (e *Entra) MSIEndpoint() string { return "http://" + e.cliLn.Addr().String() + "/msi/token" }

// SetTokenLifetime changes the lifetime of tokens issued from now on.
func (e *Entra) SetTokenLifetime(d time.Duration) {
	if d <= 0 {
		d = defaultTokenLifetime
	}
	e.mu.Lock()
	e.lifetime = d
	e.mu.Unlock()
}

// TokenLifetime is the lifetime of tokens issued now.
func (e *Entra) TokenLifetime() time.Duration {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.lifetime
}

// RegisterApp adds or replaces an app registration. An empty ObjectID gets a random one.
func (e *Entra) RegisterApp(a App) {
	if a.ObjectID == "" {
		a.ObjectID = uuid.NewString()
	}
	e.mu.Lock()
	e.apps[strings.ToLower(a.ClientID)] = a
	e.mu.Unlock()
}

// RegisterManagedIdentity adds a managed identity. Empty ClientID or ObjectID get random
// GUIDs. Registering a second system-assigned identity replaces the first.
func (e *Entra) RegisterManagedIdentity(mi ManagedIdentity) {
	if mi.ClientID == "" {
		mi.ClientID = uuid.NewString()
	}
	if mi.ObjectID == "" {
		mi.ObjectID = uuid.NewString()
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if mi.SystemAssigned {
		kept := e.mis[:0]
		for _, m := range e.mis {
			if !m.SystemAssigned {
				kept = append(kept, m)
			}
		}
		e.mis = kept
	}
	e.mis = append(e.mis, mi)
}

// SetUser sets the signed-in user for device code, az and azd. An empty ObjectID gets a
// random one.
func (e *Entra) SetUser(u User) {
	if u.ObjectID == "" {
		u.ObjectID = uuid.NewString()
	}
	e.mu.Lock()
	e.user = u
	e.mu.Unlock()
}

// CurrentUser returns the signed-in user.
func (e *Entra) CurrentUser() User {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.user
}

// SetCLILoggedIn decides whether the fake az and azd act logged in (the default) or fail as a
// logged-out CLI does.
func (e *Entra) SetCLILoggedIn(ok bool) {
	e.mu.Lock()
	e.cliLoggedIn = ok
	e.mu.Unlock()
}

// SetDeviceCodePendingPolls sets how many authorization_pending answers a new device code gets
// before the user "approves" it (default 2).
func (e *Entra) SetDeviceCodePendingPolls(n int) {
	if n < 0 {
		n = 0
	}
	e.mu.Lock()
	e.pendingPolls = n
	e.mu.Unlock()
}

// settings returns a consistent snapshot of the mutable token settings.
func (e *Entra) settings() (lifetime, refreshIn time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.lifetime, e.refreshIn
}

func (e *Entra) lookupApp(clientID string) (App, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	a, ok := e.apps[strings.ToLower(clientID)]
	return a, ok
}

// resolveTenant maps a tenant path segment to this directory: its ID, or the multi-tenant
// aliases real Entra accepts for user sign-in.
func (e *Entra) resolveTenant(seg string) bool {
	switch strings.ToLower(seg) {
	case strings.ToLower(e.tenant), "common", "organizations":
		return true
	}
	return false
}

func validTenantSegment(s string) bool {
	// MSAL derives the device-code URL by replacing every "token" in the token URL.
	return s != "" && !strings.ContainsAny(s, "/?#% ") && !strings.Contains(strings.ToLower(s), "token")
}

func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return b64url(b)
}
