package emulator_test

import (
	"bufio"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
)

const wrongPass = "-WRONGPASS invalid username-password pair or user is disabled.\r\n"

// gateIssuer mints and verifies RS256 tokens shaped like Entra's, so the gate tests do not
// depend on the fake Entra.
type gateIssuer struct {
	key *rsa.PrivateKey
}

func newGateIssuer(t testing.TB) *gateIssuer {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return &gateIssuer{key: key}
}

type gateTokenSpec struct {
	oid      string
	audience string
	lifetime time.Duration
	signer   *rsa.PrivateKey // nil = the issuer's own key
}

func (i *gateIssuer) mint(t testing.TB, s gateTokenSpec) string {
	t.Helper()
	if s.audience == "" {
		s.audience = emulator.RedisAudiences[0]
	}
	signer := s.signer
	if signer == nil {
		signer = i.key
	}
	now := time.Now()
	tok, err := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{
		"aud": s.audience,
		"iss": "https://sts.windows.net/tenant/",
		"oid": s.oid,
		"tid": "tenant",
		"iat": now.Unix(),
		"nbf": now.Add(-time.Minute).Unix(),
		// Sub-second precision, so that a 2 s token lasts 2 s rather than 1–2 s.
		"exp": float64(now.Add(s.lifetime).UnixMilli()) / 1000,
	}).SignedString(signer)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// token is a valid token for oid lasting lifetime.
func (i *gateIssuer) token(t testing.TB, oid string, lifetime time.Duration) string {
	return i.mint(t, gateTokenSpec{oid: oid, lifetime: lifetime})
}

// VerifyToken implements emulator.TokenVerifier.
func (i *gateIssuer) VerifyToken(raw string) (emulator.VerifiedToken, error) {
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(raw, claims, func(*jwt.Token) (any, error) { return &i.key.PublicKey, nil },
		jwt.WithValidMethods([]string{"RS256"}), jwt.WithExpirationRequired())
	if err != nil {
		return emulator.VerifiedToken{}, err
	}
	aud, _ := claims.GetAudience()
	if !slices.ContainsFunc(aud, func(a string) bool { return slices.Contains(emulator.RedisAudiences, a) }) {
		return emulator.VerifiedToken{}, errors.New("wrong audience")
	}
	// Read exp at full precision (jwt rounds it to seconds) so a 2 s token lasts exactly 2 s.
	exp, _ := claims["exp"].(float64)
	oid, _ := claims["oid"].(string)
	tid, _ := claims["tid"].(string)
	return emulator.VerifiedToken{OID: oid, TenantID: tid, ExpiresAt: time.UnixMilli(int64(exp * 1000))}, nil
}

// gateBackend is a Redis for the gate to front.
type gateBackend struct {
	name  string
	start func(t testing.TB) (addr string, stop func())
}

var gateBackends = []gateBackend{
	{"embedded", func(t testing.TB) (string, func()) {
		m, err := emulator.StartEmbeddedBackend()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(m.Close)
		return m.Addr(), m.Close
	}},
	{"redis-server", func(t testing.TB) (string, func()) {
		s := emutest.StartRedisServer(t)
		return s.Addr, s.Stop
	}},
}

// gateEnv is a gate in front of a backend, over TLS from a fresh CA.
type gateEnv struct {
	gate        *emulator.Gate
	issuer      *gateIssuer
	ca          *emulator.CA
	backend     string
	stopBackend func() // also run at cleanup; for tests that must stop it sooner
}

func startGateEnv(t testing.TB, b gateBackend, mutate ...func(*emulator.GateOptions)) *gateEnv {
	t.Helper()
	addr, stop := b.start(t)
	ca, err := emulator.NewCA()
	if err != nil {
		t.Fatal(err)
	}
	serverTLS, err := ca.ServerTLSConfig()
	if err != nil {
		t.Fatal(err)
	}
	iss := newGateIssuer(t)
	opts := emulator.GateOptions{Backend: addr, Verifier: iss, TLS: serverTLS}
	for _, m := range mutate {
		m(&opts)
	}
	g, err := emulator.StartGate(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = g.Close() })
	return &gateEnv{gate: g, issuer: iss, ca: ca, backend: addr, stopBackend: stop}
}

// respConn is a bare RESP client, so tests see the exact bytes the gate sends.
type respConn struct {
	t    testing.TB
	conn net.Conn
	r    *bufio.Reader
}

func (e *gateEnv) dial(t testing.TB) *respConn {
	t.Helper()
	return newRawClient(t, e.gate.Addr(), e.ca)
}

// newRawClient connects to a TLS gate at addr.
func newRawClient(t testing.TB, addr string, ca *emulator.CA) *respConn {
	t.Helper()
	c, err := tls.Dial("tcp", addr, ca.ClientTLSConfig())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return &respConn{t: t, conn: c, r: bufio.NewReader(c)}
}

// encode renders a command as RESP.
func encode(args ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	return b.String()
}

func (c *respConn) send(args ...string) { c.write(encode(args...)) }

// poke sends PING on a connection the gate should have closed and says how that went: the
// write's error when the gate's reset arrived first (the kernel refuses the write), else the
// reply's. send would fail the test on that write, a race the test does not mean to judge.
func (c *respConn) poke(within time.Duration) (string, error) {
	if _, err := c.conn.Write([]byte(encode("PING"))); err != nil {
		return "", err
	}
	return c.tryReply(within)
}

func (c *respConn) write(s string) {
	c.t.Helper()
	if _, err := c.conn.Write([]byte(s)); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

// reply reads one whole reply and returns its raw bytes.
func (c *respConn) reply() string {
	c.t.Helper()
	s, err := c.tryReply(5 * time.Second)
	if err != nil {
		c.t.Fatalf("reading reply: %v", err)
	}
	return s
}

func (c *respConn) tryReply(within time.Duration) (string, error) {
	_ = c.conn.SetReadDeadline(time.Now().Add(within))
	defer func() { _ = c.conn.SetReadDeadline(time.Time{}) }()
	var out strings.Builder
	remaining := 1
	for remaining > 0 {
		line, err := c.r.ReadString('\n')
		out.WriteString(line)
		if err != nil {
			return out.String(), err
		}
		remaining--
		var n int
		switch line[0] {
		case '$', '=', '!':
			if _, err := fmt.Sscanf(line[1:], "%d", &n); err == nil && n >= 0 {
				buf := make([]byte, n+2)
				if _, err := io.ReadFull(c.r, buf); err != nil {
					return out.String(), err
				}
				out.Write(buf)
			}
		case '*', '~', '>', '%':
			if _, err := fmt.Sscanf(line[1:], "%d", &n); err == nil && n > 0 {
				if line[0] == '%' {
					n *= 2
				}
				remaining += n
			}
		}
	}
	return out.String(), nil
}

// expect sends a command and checks its raw reply.
func (c *respConn) expect(want string, args ...string) {
	c.t.Helper()
	c.send(args...)
	if got := c.reply(); got != want {
		c.t.Fatalf("%s: got %q, want %q", args[0], got, want)
	}
}

func bulk(s string) string { return fmt.Sprintf("$%d\r\n%s\r\n", len(s), s) }

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t testing.TB, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
