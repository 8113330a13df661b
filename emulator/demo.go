package emulator

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/alicebob/miniredis/v2"
)

// The demo's identities use fixed IDs so that documentation, screenshots and saved profiles stay
// the same from run to run. They are made up: no real tenant or principal has them.
const (
	DemoTenantID          = "7e1d2a3b-0c4d-4e5f-8a9b-0c1d2e3f4a5b"
	DemoAppClientID       = "3f6c1e2a-9b8d-4c7e-a1f0-5d2b3c4e5f60" // service principal, client secret
	DemoAppObjectID       = "b6a2f0c4-1d3e-4f5a-9b7c-8d9e0f1a2b3c"
	DemoCertClientID      = "8a7b6c5d-4e3f-4a1b-9c2d-e3f4a5b6c7d8" // service principal, certificate
	DemoCertObjectID      = "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f"
	DemoMIClientID        = "0f1e2d3c-4b5a-4697-8877-665544332211" // user-assigned managed identity
	DemoMIObjectID        = "d4c3b2a1-f0e9-4d8c-b7a6-958473625140"
	DemoSystemMIObjectID  = "e5f6a7b8-c9d0-4e1f-a2b3-c4d5e6f7a8b9"
	DemoUserObjectID      = "f0e1d2c3-b4a5-4968-8776-655443322110" // the developer signed in to az / device code
	DemoUserPrincipalName = "dev@contoso.example"
)

// DemoOptions configures StartDemo.
type DemoOptions struct {
	// Dir receives the CA, the demo app's certificate and secret, and the fake CLIs. Required.
	Dir string
	// TokenLifetime is the lifetime of every access token the fake Entra issues.
	TokenLifetime time.Duration
	// Keys is how many sample keys to seed (0: none).
	Keys int
	// Plain serves the gate without TLS.
	Plain bool
	// Backend is a real redis-server address to front. It must be a loopback address, and with
	// Keys > 0 its database must be empty (Seed replaces keys). Empty: the demo starts its own
	// redis-server when one is on PATH, else an embedded miniredis.
	Backend string
	// Embedded makes an empty Backend an embedded miniredis even when redis-server is on PATH.
	Embedded bool
	// SeedFirst, when above zero and below Keys, is how many keys StartDemo seeds before it
	// returns; the rest are seeded in the background (see SeedWait), so a big demo shows its
	// first keys at once. Zero seeds every key before returning.
	SeedFirst int
	// Cluster emulates AMR's OSS clustering policy: a Redis Cluster of ClusterMasters
	// redis-server primaries (3 when zero) with ClusterReplicas replicas each, every node behind
	// its own gate, the topology rewritten to the gates. Needs redis-server (ErrNoRedisServer).
	Cluster         bool
	ClusterMasters  int
	ClusterReplicas int
	// Latency is added by the gates to every batch of requests (see GateOptions.Latency).
	Latency time.Duration
}

// Demo is a running emulator stack: fake Entra, an AMR gate and its backend, seeded with sample
// data and with one identity registered per auth kind the emulator can serve.
type Demo struct {
	Entra   *Entra
	Gate    *Gate
	Backend string // address of the backend behind the gate
	// Cluster is the emulated OSS-policy cluster, when DemoOptions.Cluster; Gate is then its
	// entry gate (the first primary's) and Backend that primary.
	Cluster *ClusterGates
	// ARM is the fake Azure Resource Manager listing the demo's caches (see ARMFixture).
	ARM *ARM
	// ACRGate is a second gate on the same backend, listed in ARM as an Azure Cache for Redis
	// instance (TLS, non-cluster demos only).
	ACRGate *Gate

	// Files written into DemoOptions.Dir.
	CAFile     string // the CA that signed the Entra and gate certificates
	SecretFile string // the demo app's client secret (0600)
	CertFile   string // the certificate app's certificate and RSA key (PEM, 0600)
	FakeCLIDir string // holds the fake az and azd
	// SeedStats counts the keys seeded before StartDemo returned; SeedWait adds the rest.
	SeedStats SeedStats
	// BackendKind says what serves the data: "redis-server" (started by the demo, or the
	// given Backend), "embedded" (miniredis) or "cluster".
	BackendKind    string
	miniredis      *miniredis.Miniredis
	closeEmbedded  func()
	redisServer    *RedisServer // the redis-server the demo started, for backend-restart
	seedCancel     context.CancelFunc
	seedDone       chan struct{}
	seedRest       SeedStats
	seedErr        error
	closeCluster   func()
	tokenLifetime  time.Duration
	plain          bool
	appServiceEnvs map[string]string
}

// StartDemo starts the whole emulator stack on loopback. A Backend must be a loopback address,
// and Seed (Keys > 0) only writes into an empty one: the demo never touches anyone's data.
func StartDemo(ctx context.Context, opts DemoOptions) (*Demo, error) {
	if opts.Dir == "" {
		return nil, errors.New("emulator demo: a directory for its files is required")
	}
	if opts.TokenLifetime <= 0 {
		opts.TokenLifetime = 10 * time.Minute
	}
	if opts.Cluster && opts.Backend != "" {
		return nil, errors.New("emulator demo: a cluster demo starts its own redis-server nodes; it cannot front --backend as well")
	}
	if opts.Backend != "" {
		if err := checkDemoBackend(ctx, opts.Backend, opts.Keys > 0); err != nil {
			return nil, err
		}
	}
	d := &Demo{tokenLifetime: opts.TokenLifetime, plain: opts.Plain}
	if err := d.start(ctx, opts); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// start brings up the parts of d in order; on error the caller closes whatever did start.
func (d *Demo) start(ctx context.Context, opts DemoOptions) error {
	ca, err := NewCA()
	if err != nil {
		return err
	}
	d.CAFile = filepath.Join(opts.Dir, "ca.pem")
	if err := ca.WriteFile(d.CAFile); err != nil {
		return fmt.Errorf("emulator demo: writing CA: %w", err)
	}
	if d.Entra, err = StartEntra(EntraOptions{CA: ca, TenantID: DemoTenantID, TokenLifetime: opts.TokenLifetime}); err != nil {
		return err
	}
	if err := d.registerIdentities(opts.Dir); err != nil {
		return err
	}

	if opts.Cluster {
		if err := d.startCluster(ctx, opts, ca); err != nil {
			return err
		}
		return d.startARM()
	}
	d.Backend, d.BackendKind = opts.Backend, "redis-server"
	switch {
	case d.Backend != "":
	case !opts.Embedded && HaveRedisServer():
		rs, err := StartRedisServer(ctx, RedisServerOptions{Dir: filepath.Join(opts.Dir, "redis")})
		if err != nil {
			return err
		}
		d.Backend, d.closeEmbedded, d.redisServer = rs.Addr, rs.Close, rs
	default:
		eb, err := StartEmbeddedBackend()
		if err != nil {
			return err
		}
		d.Backend, d.closeEmbedded, d.miniredis, d.BackendKind = eb.Addr(), eb.Close, eb, "embedded"
	}
	if err := d.seed(ctx, opts, false); err != nil {
		return err
	}
	gopts := GateOptions{Backend: d.Backend, Verifier: d.Entra, Latency: opts.Latency}
	if !opts.Plain {
		if gopts.TLS, err = ca.ServerTLSConfig(); err != nil {
			return err
		}
	}
	if d.Gate, err = StartGate(gopts); err != nil {
		return err
	}
	return d.startARM()
}

// startCluster starts the cluster, seeds it through its first primary and puts the gates in
// front.
func (d *Demo) startCluster(ctx context.Context, opts DemoOptions, ca *CA) error {
	rc, err := StartRedisCluster(ctx, RedisClusterOptions{Dir: filepath.Join(opts.Dir, "cluster"),
		Masters: opts.ClusterMasters, Replicas: opts.ClusterReplicas})
	if err != nil {
		return err
	}
	d.closeCluster = rc.Close
	d.Backend, d.BackendKind = rc.Nodes[0].Addr, "cluster"
	if err := d.seed(ctx, opts, true); err != nil {
		return err
	}
	gopts := GateOptions{Verifier: d.Entra, Latency: opts.Latency}
	if !opts.Plain {
		if gopts.TLS, err = ca.ServerTLSConfig(); err != nil {
			return err
		}
	}
	if d.Cluster, err = StartClusterGates(rc, gopts); err != nil {
		return err
	}
	d.Gate = d.Cluster.Gates[0]
	return nil
}

// seed writes the first opts.SeedFirst keys (all of them when zero) and starts a goroutine
// seeding the rest, which Close stops.
func (d *Demo) seed(ctx context.Context, opts DemoOptions, cluster bool) error {
	if opts.Keys <= 0 {
		return nil
	}
	first := opts.Keys
	if opts.SeedFirst > 0 && opts.SeedFirst < opts.Keys {
		first = opts.SeedFirst
	}
	var err error
	if d.SeedStats, err = Seed(ctx, d.Backend, SeedOptions{Keys: first, Seed: 1, Cluster: cluster}); err != nil {
		return fmt.Errorf("emulator demo: seeding %s: %w", d.Backend, err)
	}
	if first == opts.Keys {
		return nil
	}
	// The background seeding outlives StartDemo's ctx (often a start-up timeout); Close
	// cancels it.
	bg, cancel := context.WithCancel(context.WithoutCancel(ctx))
	d.seedCancel, d.seedDone = cancel, make(chan struct{})
	go func() {
		defer close(d.seedDone)
		d.seedRest, d.seedErr = Seed(bg, d.Backend, SeedOptions{Keys: opts.Keys, From: first, Seed: 1, Cluster: cluster})
		if d.seedErr != nil {
			d.seedErr = fmt.Errorf("emulator demo: seeding %s in the background: %w", d.Backend, d.seedErr)
		}
	}()
	return nil
}

// SeedWait waits for the background seeding (DemoOptions.SeedFirst) and returns the counts of
// every key seeded, the first ones included. Without background seeding it returns at once.
func (d *Demo) SeedWait() (SeedStats, error) {
	total := d.SeedStats
	if d.seedDone == nil {
		return total, nil
	}
	<-d.seedDone
	total.add(d.seedRest)
	return total, d.seedErr
}

// checkDemoBackend refuses a backend that is not on loopback, one that does not answer, and —
// when the demo is to seed it — one that already holds keys, since Seed replaces keys by name.
func checkDemoBackend(ctx context.Context, addr string, seeding bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("emulator demo: backend %q is not a host:port address: %w", addr, err)
	}
	if !IsLoopbackHost(host) {
		return fmt.Errorf("emulator demo: backend %s is not a loopback address; the demo only fronts a "+
			"redis-server on this machine (127.0.0.1, ::1 or localhost), so it can never touch a shared one", addr)
	}
	n, err := backendDBSize(ctx, addr)
	if err != nil {
		return fmt.Errorf("emulator demo: backend %s does not answer: %w", addr, err)
	}
	if seeding && n > 0 {
		return fmt.Errorf("emulator demo: backend %s already holds %d keys; seeding would overwrite or delete some "+
			"of them. Point the demo at an empty redis-server, or use --keys 0 to serve this one without seeding", addr, n)
	}
	return nil
}

// backendDBSize asks the Redis at addr for DBSIZE over a bare connection (no client library, so
// a failure leaves no reconnecting goroutine behind).
func backendDBSize(ctx context.Context, addr string) (int64, error) {
	ctx, cancel := context.WithTimeout(ctx, backendDialTimeout)
	defer cancel()
	var dialer net.Dialer
	conn, err := dialer.DialContext(ctx, "tcp", addr)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	deadline, _ := ctx.Deadline()
	_ = conn.SetDeadline(deadline)
	if _, err := conn.Write(appendCommand(nil, []byte("DBSIZE"))); err != nil {
		return 0, err
	}
	var reply []byte
	if err := readReply(bufio.NewReader(conn), &reply); err != nil {
		return 0, err
	}
	line := strings.TrimSuffix(string(reply), "\r\n")
	if !strings.HasPrefix(line, ":") {
		return 0, fmt.Errorf("DBSIZE answered %q", line)
	}
	return strconv.ParseInt(line[1:], 10, 64)
}

func (d *Demo) registerIdentities(dir string) error {
	secret := make([]byte, 24)
	if _, err := rand.Read(secret); err != nil {
		return err
	}
	// The secret lives only in SecretFile and the fake Entra, never in Demo, which callers may
	// print.
	clientSecret := "demo~" + hex.EncodeToString(secret)
	d.SecretFile = filepath.Join(dir, "client-secret")
	if err := os.WriteFile(d.SecretFile, []byte(clientSecret), 0o600); err != nil {
		return fmt.Errorf("emulator demo: writing client secret: %w", err)
	}
	d.Entra.RegisterApp(App{ClientID: DemoAppClientID, Secret: clientSecret, ObjectID: DemoAppObjectID, DisplayName: "amr-tui-demo-app"})

	cert, keyPEM, err := selfSignedRSA("amr-tui-demo-cert-app")
	if err != nil {
		return err
	}
	d.CertFile = filepath.Join(dir, "demo-cert-app.pem")
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})
	if err := os.WriteFile(d.CertFile, append(certPEM, keyPEM...), 0o600); err != nil {
		return fmt.Errorf("emulator demo: writing certificate: %w", err)
	}
	d.Entra.RegisterApp(App{ClientID: DemoCertClientID, Certificate: cert, ObjectID: DemoCertObjectID, DisplayName: "amr-tui-demo-cert-app"})

	d.Entra.RegisterManagedIdentity(ManagedIdentity{SystemAssigned: true, ObjectID: DemoSystemMIObjectID})
	d.Entra.RegisterManagedIdentity(ManagedIdentity{ClientID: DemoMIClientID, ObjectID: DemoMIObjectID,
		ResourceID: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/demo/providers/Microsoft.ManagedIdentity/userAssignedIdentities/amr-tui-demo"})
	d.Entra.SetUser(User{UPN: DemoUserPrincipalName, ObjectID: DemoUserObjectID})
	d.Entra.SetCLILoggedIn(true)

	d.FakeCLIDir = filepath.Join(dir, "bin")
	if err := os.MkdirAll(d.FakeCLIDir, 0o755); err != nil {
		return err
	}
	return d.Entra.InstallFakeCLIs(d.FakeCLIDir)
}

// DemoToken mints a valid access token for the demo app (a service principal), for clients that
// take a token as a password, such as redis-cli.
func (d *Demo) DemoToken() (string, time.Time, error) {
	return d.Entra.Mint(MintOptions{OID: DemoAppObjectID, AppID: DemoAppClientID, Lifetime: d.tokenLifetime})
}

// GatePort is the TCP port the gate listens on.
func (d *Demo) GatePort() int { return d.Gate.ln.Addr().(*net.TCPAddr).Port }

// Env is the environment the managed-identity and CLI profiles need: the App Service managed
// identity endpoint and the fake az/azd first on PATH (after the given PATH); and, for
// discovery, the fake ARM's endpoint and the CA it and the gates are signed by.
func (d *Demo) Env(path string) map[string]string {
	env := d.Entra.AppServiceEnv()
	env["PATH"] = d.FakeCLIDir + string(os.PathListSeparator) + path
	if d.ARM != nil {
		env["AMR_TUI_MANAGEMENT_ENDPOINT"] = d.ARM.Endpoint()
		env["AMR_TUI_MANAGEMENT_CA_FILE"] = d.CAFile
	}
	return env
}

// TLS reports whether the gate serves TLS.
func (d *Demo) TLS() bool { return !d.plain }

// Close stops the gate, the backend and the fake Entra. It is safe on a nil or partly
// started Demo.
func (d *Demo) Close() {
	if d == nil {
		return
	}
	if d.seedCancel != nil {
		d.seedCancel()
		<-d.seedDone
	}
	if d.Cluster != nil {
		d.Cluster.Close()
	} else if d.Gate != nil {
		_ = d.Gate.Close()
	}
	d.closeARM()
	if d.closeCluster != nil {
		d.closeCluster()
	}
	if d.closeEmbedded != nil {
		d.closeEmbedded()
	}
	if d.Entra != nil {
		d.Entra.Close()
	}
}

// selfSignedRSA makes an RSA certificate and its PKCS#8 key in PEM, as an app registration's
// certificate credential (MSAL requires RSA).
func selfSignedRSA(cn string) (*x509.Certificate, []byte, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: randomSerial(),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, err
	}
	pk, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, err
	}
	return cert, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pk}), nil
}
