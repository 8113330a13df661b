package azure

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/amr-tui/amr-tui/profiles"
)

// FromEnvironment returns the management endpoint override and the CA file to trust for it, as
// AMR_TUI_MANAGEMENT_ENDPOINT and AMR_TUI_MANAGEMENT_CA_FILE give them (the demo sets both).
func FromEnvironment() (endpoint, caFile string) {
	return os.Getenv(EnvEndpoint), os.Getenv(EnvCAFile)
}

// Transport builds the transport for ARM requests: the system roots plus caFile's CAs when
// set, proxy from the environment, wrapped by wrap when set (tests and the demo wrap it in the
// loopback guard). With neither it returns nil: azcore's default transport.
func Transport(caFile string, wrap func(http.RoundTripper) http.RoundTripper) (policy.Transporter, error) {
	if caFile == "" && wrap == nil {
		return nil, nil
	}
	t := &http.Transport{Proxy: http.ProxyFromEnvironment, ForceAttemptHTTP2: true, TLSHandshakeTimeout: 10 * time.Second,
		IdleConnTimeout: 90 * time.Second, MaxIdleConnsPerHost: DefaultConcurrency}
	if caFile != "" {
		path, err := profiles.ExpandPath(caFile)
		if err != nil {
			return nil, fmt.Errorf("management CA file: %w", err)
		}
		pem, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("cannot read the management CA file: %w", err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("the management CA file %s holds no PEM certificate", caFile)
		}
		t.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	var rt http.RoundTripper = t
	if wrap != nil {
		rt = wrap(rt)
	}
	return &http.Client{Transport: rt}, nil
}
