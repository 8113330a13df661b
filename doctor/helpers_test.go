package doctor_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/doctor"
	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
	"github.com/amr-tui/amr-tui/internal/golden"
	"github.com/amr-tui/amr-tui/profiles"
	"github.com/amr-tui/amr-tui/rediscli"
)

// startDemo starts the emulator stack (fake Entra, TLS gate, miniredis) for the test.
func startDemo(t *testing.T) *emulator.Demo {
	t.Helper()
	emutest.CleanAzureEnv(t)
	d, err := emulator.StartDemo(context.Background(), emulator.DemoOptions{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	return d
}

// demoProfile is the demo's profile of the given name.
func demoProfile(t *testing.T, d *emulator.Demo, name string) profiles.Profile {
	t.Helper()
	for _, p := range d.Profiles() {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no demo profile %s", name)
	return profiles.Profile{}
}

// testOptions keep Entra requests on loopback and fail them at once instead of retrying.
func testOptions(t *testing.T) doctor.Options {
	return doctor.Options{Auth: auth.Options{
		WrapTransport: func(rt http.RoundTripper) http.RoundTripper { return emutest.Guard(t, rt) },
		Retry:         &policy.RetryOptions{MaxRetries: -1},
	}}
}

func runDoctor(t *testing.T, p profiles.Profile, opts doctor.Options) doctor.Report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	return doctor.Run(ctx, p, opts)
}

var (
	durationRE  = regexp.MustCompile(`\(\d+\.\d+ (ms|s)\)`)
	durationMS  = regexp.MustCompile(`"duration_ms": [0-9.e+-]+`)
	portRE      = regexp.MustCompile(`(127\.0\.0\.1|localhost|\.invalid):\d+`)
	dnsServerRE = regexp.MustCompile(` on [0-9a-fA-F.:\[\]]+:53:`)
	portWordRE  = regexp.MustCompile(`port \d+`)
	timestampRE = regexp.MustCompile(`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z`)
	dateRE      = regexp.MustCompile(`\d{4}-\d{2}-\d{2}`)
	roughRE     = regexp.MustCompile(`\b\d+ (days|hours|min|s)\b`)
	versionRE   = regexp.MustCompile(`redis_version [0-9.]+`)
	traceRE     = regexp.MustCompile(`(?i)(trace id|correlation id|timestamp): [^\n"\\]*`)
)

// normalise replaces what changes from run to run (durations, ports, dates, temporary paths)
// so the output can be compared with a golden file.
func normalise(s string, dirs map[string]string) string {
	for dir, name := range dirs {
		s = strings.ReplaceAll(s, dir, name)
	}
	s = durationRE.ReplaceAllString(s, "(X ms)")
	s = durationMS.ReplaceAllString(s, `"duration_ms": 0`)
	s = timestampRE.ReplaceAllString(s, "TIME")
	s = dnsServerRE.ReplaceAllString(s, " on DNS-SERVER:")
	s = portRE.ReplaceAllString(s, "${1}:PORT")
	s = portWordRE.ReplaceAllString(s, "port PORT")
	s = dateRE.ReplaceAllString(s, "DATE")
	s = traceRE.ReplaceAllString(s, "$1: …")
	s = versionRE.ReplaceAllString(s, "redis_version V")
	return roughRE.ReplaceAllString(s, "N $1")
}

// assertGolden compares the report's text and JSON forms with testdata/<Test>/<Subtest>.golden
// and .json.golden, and checks that no secret appears in either.
func assertGolden(t *testing.T, rep doctor.Report, dirs map[string]string, secrets ...string) {
	t.Helper()
	var text, js bytes.Buffer
	if err := rep.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if err := rep.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	for _, s := range secrets {
		if s != "" && (strings.Contains(text.String(), s) || strings.Contains(js.String(), s)) {
			t.Fatalf("a secret appears in the report:\n%s", text.String())
		}
	}
	golden.Assert(t, "", []byte(normalise(text.String(), dirs)))
	golden.Assert(t, "json", []byte(normalise(js.String(), dirs)))
}

// wantSteps checks the statuses of the report's steps, in order.
func wantSteps(t *testing.T, rep doctor.Report, want string) {
	t.Helper()
	var got []string
	for _, s := range rep.Steps {
		got = append(got, s.Name+"="+string(s.Status))
	}
	if g := strings.Join(got, " "); g != want {
		var b bytes.Buffer
		_ = rep.WriteText(&b)
		t.Fatalf("steps:\n got %s\nwant %s\n%s", g, want, b.String())
	}
}

// send runs one command on a bare connection to addr and returns the reply.
func send(t *testing.T, addr string, args ...string) rediscli.Reply {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	if err := rediscli.WriteCommand(c, args...); err != nil {
		t.Fatal(err)
	}
	rep, err := rediscli.NewReader(c).ReadReply()
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// plainProfile is a profile without TLS for the server at addr.
func plainProfile(t *testing.T, name, addr string, a profiles.Auth) profiles.Profile {
	t.Helper()
	host, portStr, _ := net.SplitHostPort(addr)
	port, _ := strconv.Atoi(portStr)
	off := false
	return profiles.Profile{Name: name, Host: host, Port: port, Cluster: profiles.ClusterOff,
		TLS: profiles.TLS{Enabled: &off}, Auth: a}
}

// testCA is a certificate authority made in the test.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	file string
}

func newTestCA(t *testing.T, cn string) testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	file := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(file, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return testCA{cert: cert, key: key, file: file}
}

// serve starts a TLS listener on loopback presenting a certificate for 127.0.0.1 valid from
// notBefore to notAfter; it only completes handshakes.
func (ca testCA) serve(t *testing.T, notBefore, notAfter time.Time) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "doctor-test-server"},
		NotBefore: notBefore, NotAfter: notAfter, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				_ = c.SetDeadline(time.Now().Add(10 * time.Second))
				_ = c.(*tls.Conn).Handshake()
				_ = c.Close()
			}()
		}
	}()
	return ln.Addr().String()
}

// nxdomainResolver is a resolver whose DNS server, on loopback, answers every query with
// NXDOMAIN, so a DNS failure is tested without asking a real DNS server.
func nxdomainResolver(t *testing.T) *net.Resolver {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pc.Close() })
	go func() {
		buf := make([]byte, 1500)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if n < 12 {
				continue
			}
			resp := append([]byte(nil), buf[:n]...)
			resp[2] |= 0x80                   // a response
			resp[3] = 0x80 | resp[3]&0x70 | 3 // recursion available, NXDOMAIN
			for i := 6; i < 12; i++ {         // no answers, authority or additional records
				resp[i] = 0
			}
			resp = resp[:12+questionLen(resp[12:])]
			_, _ = pc.WriteTo(resp, from)
		}
	}()
	addr := pc.LocalAddr().String()
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "udp", addr)
	}}
}

// questionLen is the length of the one question at the start of b (name, type, class).
func questionLen(b []byte) int {
	i := 0
	for i < len(b) && b[i] != 0 {
		i += int(b[i]) + 1
	}
	return min(i+1+4, len(b))
}
