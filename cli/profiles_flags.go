package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/amr-tui/amr-tui/profiles"
)

// profileFlags are the add/edit flags. Only flags given on the command line change anything,
// so edit can change one field and leave the rest alone.
type profileFlags struct {
	fs *pflag.FlagSet

	label, color, host, cluster string
	port, db                    int
	readOnly                    bool
	treeDelimiters              []string

	tls, insecure                         bool
	caFile, certFile, keyFile, serverName string

	kind, tenantID, clientID, objectID, resourceID, method, username string
	authority, authorityCAFile, certificateFile                      string
	scopes                                                           []string
	sendChain                                                        bool

	secretRef   map[string]*string // secret field → --X-ref value
	secretStdin map[string]*bool   // secret field → --X-stdin

	refreshRatio, multiplier                           float64
	lowerBound, requestTimeout, initialDelay, maxDelay time.Duration
	maxAttempts                                        int

	unset []string
}

// secretFlagBase is the flag stem for a secret field: auth.client_secret → client-secret.
func secretFlagBase(field string) string {
	return strings.ReplaceAll(strings.TrimPrefix(field, "auth."), "_", "-")
}

func (f *profileFlags) register(fs *pflag.FlagSet) {
	f.fs = fs
	fs.StringVar(&f.label, "label", "", "human description shown next to the name")
	fs.StringVar(&f.color, "color", "", "accent colour ("+strings.Join(profiles.Colors, ", ")+", #rrggbb or 0-255)")
	fs.StringVar(&f.host, "host", "", "server host name or IP address")
	fs.IntVar(&f.port, "port", 0, "server port (default: 10000 for *.redis.azure.net, 6380 for *.redis.cache.windows.net, else 6379)")
	fs.IntVar(&f.db, "db", 0, "database number")
	fs.BoolVar(&f.readOnly, "read-only", false, "refuse commands that write")
	fs.StringVar(&f.cluster, "cluster", "", "cluster mode: auto, on or off")
	// An array, not a slice flag: "," is a delimiter someone may want, and a slice flag splits on it.
	fs.StringArrayVar(&f.treeDelimiters, "tree-delimiter", nil, "split key names into tree folders at this string (repeatable: --tree-delimiter : --tree-delimiter /; default :)")

	fs.BoolVar(&f.tls, "tls", false, "use TLS (default: on, except for localhost); --tls=false turns it off")
	fs.StringVar(&f.caFile, "ca-file", "", "PEM file of extra CAs to trust for the server")
	fs.StringVar(&f.certFile, "cert-file", "", "PEM client certificate for mutual TLS")
	fs.StringVar(&f.keyFile, "key-file", "", "PEM client key for mutual TLS")
	fs.StringVar(&f.serverName, "server-name", "", "name to verify in the server certificate")
	fs.BoolVar(&f.insecure, "insecure-skip-verify", false, "do NOT verify the server certificate (flagged in the UI)")

	fs.StringVar(&f.kind, "auth", "", "auth kind: "+strings.Join(profiles.AuthKindNames(), ", ")+" (changing it starts the auth settings afresh)")
	fs.StringVar(&f.tenantID, "tenant-id", "", "Entra tenant (directory) ID")
	fs.StringVar(&f.clientID, "client-id", "", "application (client) ID, or a user-assigned managed identity's client ID")
	fs.StringVar(&f.objectID, "object-id", "", "user-assigned managed identity's object ID")
	fs.StringVar(&f.resourceID, "resource-id", "", "user-assigned managed identity's resource ID")
	fs.StringVar(&f.method, "method", "", "developer login: default, azure-cli, azd, device-code or browser")
	fs.StringVar(&f.username, "username", "", "Redis username: the access-key user, or the object ID for tokens without oid")
	fs.StringVar(&f.authority, "authority", "", "Entra cloud: public, china, usgov, or an https authority URL")
	fs.StringVar(&f.authorityCAFile, "authority-ca-file", "", "PEM file of extra CAs to trust for a custom authority")
	fs.StringSliceVar(&f.scopes, "scope", nil, "scope to request (repeatable; default "+profiles.DefaultScope+")")
	fs.StringVar(&f.certificateFile, "certificate-file", "", "certificate kind: PEM or PKCS#12 file with the certificate and RSA key")
	fs.BoolVar(&f.sendChain, "send-certificate-chain", false, "certificate kind: send the x5c chain (subject name/issuer auth)")

	f.secretRef, f.secretStdin = map[string]*string{}, map[string]*bool{}
	for _, field := range profiles.SecretFields {
		base := secretFlagBase(field)
		f.secretRef[field] = fs.String(base+"-ref", "", "reference for "+field+": keyring:SERVICE/ACCOUNT, env:NAME or file:PATH")
		f.secretStdin[field] = fs.Bool(base+"-stdin", false, "read "+field+" (hidden prompt on a terminal, else stdin) and store it in the OS keychain")
	}

	fs.Float64Var(&f.refreshRatio, "refresh-ratio", 0, fmt.Sprintf("refresh tokens after this fraction of their lifetime (default %v)", profiles.DefaultRefreshRatio))
	fs.DurationVar(&f.lowerBound, "lower-refresh-bound", 0, fmt.Sprintf("refresh at the latest this long before expiry (default %s)", profiles.DefaultLowerRefreshBound))
	fs.DurationVar(&f.requestTimeout, "request-timeout", 0, fmt.Sprintf("timeout of one token request (default %s)", profiles.DefaultRequestTimeout))
	fs.IntVar(&f.maxAttempts, "retry-max-attempts", 0, "failed token requests retried before expiry; 0 (default) retries without limit until the token expires, N stops after N and waits for expiry; after expiry retries never stop, every --retry-max-delay")
	fs.DurationVar(&f.initialDelay, "retry-initial-delay", 0, fmt.Sprintf("first retry delay (default %s)", profiles.DefaultRetryInitialDelay))
	fs.DurationVar(&f.maxDelay, "retry-max-delay", 0, fmt.Sprintf("longest retry delay, and the retry interval once the token has expired (default %s)", profiles.DefaultRetryMaxDelay))
	fs.Float64Var(&f.multiplier, "retry-backoff-multiplier", 0, fmt.Sprintf("retry delay growth factor (default %v)", profiles.DefaultRetryBackoffMultiplier))
}

func (f *profileFlags) changed(name string) bool { return f.fs.Changed(name) }

// any reports whether any profile flag was given.
func (f *profileFlags) any() bool {
	given := false
	f.fs.Visit(func(fl *pflag.Flag) {
		switch fl.Name {
		case "config", "from-url", "help": // not profile fields
		default:
			given = true
		}
	})
	return given
}

// stdinSecrets lists the secret fields whose --X-stdin flag was given.
func (f *profileFlags) stdinSecrets() []string {
	var out []string
	for _, field := range profiles.SecretFields {
		if *f.secretStdin[field] {
			out = append(out, field)
		}
	}
	return out
}

// apply copies the given flags into p: --unset first, then --auth, then the rest.
func (f *profileFlags) apply(p *profiles.Profile) error {
	for _, field := range f.unset {
		if err := p.Unset(field); err != nil {
			return fmt.Errorf("--unset: %w", err)
		}
	}
	if f.changed("auth") && profiles.AuthKind(f.kind) != p.Auth.Kind {
		p.Auth = profiles.Auth{Kind: profiles.AuthKind(f.kind)}
	}
	str := func(flag string, dst *string, val string) {
		if f.changed(flag) {
			*dst = val
		}
	}
	path := func(flag string, dst *string, val string) error {
		if !f.changed(flag) {
			return nil
		}
		abs, err := profiles.AbsPath(val)
		if err != nil {
			return fmt.Errorf("--%s: %w", flag, err)
		}
		*dst = abs
		return nil
	}
	str("label", &p.Label, f.label)
	str("color", &p.Color, f.color)
	str("host", &p.Host, f.host)
	if f.changed("port") {
		p.Port = f.port
	}
	if f.changed("db") {
		p.DB = f.db
	}
	if f.changed("read-only") {
		p.ReadOnly = f.readOnly
	}
	if f.changed("cluster") {
		p.Cluster = profiles.ClusterMode(f.cluster)
	}
	if f.changed("tree-delimiter") {
		p.TreeDelimiters = f.treeDelimiters
	}
	if f.changed("tls") {
		p.TLS.Enabled = profiles.Ptr(f.tls)
	}
	if f.changed("insecure-skip-verify") {
		p.TLS.InsecureSkipVerify = f.insecure
	}
	str("server-name", &p.TLS.ServerName, f.serverName)
	a := &p.Auth
	str("tenant-id", &a.TenantID, f.tenantID)
	str("client-id", &a.ClientID, f.clientID)
	str("object-id", &a.ObjectID, f.objectID)
	str("resource-id", &a.ResourceID, f.resourceID)
	str("username", &a.Username, f.username)
	str("authority", &a.Authority, f.authority)
	if f.changed("method") {
		a.Method = profiles.DeveloperMethod(f.method)
	}
	if f.changed("scope") {
		a.Scopes = f.scopes
	}
	if f.changed("send-certificate-chain") {
		a.SendCertificateChain = f.sendChain
	}
	for _, pf := range []struct {
		flag string
		dst  *string
		val  string
	}{
		{"ca-file", &p.TLS.CAFile, f.caFile}, {"cert-file", &p.TLS.CertFile, f.certFile},
		{"key-file", &p.TLS.KeyFile, f.keyFile}, {"authority-ca-file", &a.AuthorityCAFile, f.authorityCAFile},
		{"certificate-file", &a.CertificateFile, f.certificateFile},
	} {
		if err := path(pf.flag, pf.dst, pf.val); err != nil {
			return err
		}
	}
	for _, field := range profiles.SecretFields {
		refFlag, stdinFlag := secretFlagBase(field)+"-ref", secretFlagBase(field)+"-stdin"
		if f.changed(refFlag) && *f.secretStdin[field] {
			return fmt.Errorf("give --%s or --%s, not both", refFlag, stdinFlag)
		}
		if f.changed(refFlag) {
			if profiles.SecretRef(*f.secretRef[field]).Scheme() == "" {
				// Not echoed: it may be the secret itself.
				return fmt.Errorf("--%s wants a reference (keyring:SERVICE/ACCOUNT, env:NAME or file:PATH), not a secret; "+
					"to store the secret in the OS keychain use --%s", refFlag, stdinFlag)
			}
			ref, err := profiles.AbsRef(profiles.SecretRef(*f.secretRef[field]))
			if err != nil {
				return fmt.Errorf("--%s: %w", refFlag, err)
			}
			_ = a.SetSecretRef(field, ref)
		}
	}
	f.applyToken(&p.Token)
	return nil
}

func (f *profileFlags) applyToken(t *profiles.TokenSettings) {
	if f.changed("refresh-ratio") {
		t.RefreshRatio = profiles.Ptr(f.refreshRatio)
	}
	if f.changed("lower-refresh-bound") {
		t.LowerRefreshBound = profiles.Dur(f.lowerBound)
	}
	if f.changed("request-timeout") {
		t.RequestTimeout = profiles.Dur(f.requestTimeout)
	}
	if f.changed("retry-max-attempts") {
		t.RetryMaxAttempts = profiles.Ptr(f.maxAttempts)
	}
	if f.changed("retry-initial-delay") {
		t.RetryInitialDelay = profiles.Dur(f.initialDelay)
	}
	if f.changed("retry-max-delay") {
		t.RetryMaxDelay = profiles.Dur(f.maxDelay)
	}
	if f.changed("retry-backoff-multiplier") {
		t.RetryBackoffMultiplier = profiles.Ptr(f.multiplier)
	}
}
