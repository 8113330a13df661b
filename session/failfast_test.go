package session

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/emulator/emutest"
	"github.com/amr-tui/amr-tui/internal/redistest"
)

// noAuth is a source for a server without authentication.
type noAuth struct{}

func (noAuth) Token(context.Context) (auth.Token, error) { return auth.Token{}, nil }
func (noAuth) Fresh(context.Context) (auth.Token, error) { return auth.Token{}, nil }
func (noAuth) Kind() string                              { return "none (test)" }

// A dial that no retry will fix ends the first contact with that error; a transient one, or
// any after done, is left to go-redis's retries.
func TestFirstContactEndsOnHopelessDial(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	reset := &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
	var next error
	dial := func(context.Context, string, string) (net.Conn, error) { return nil, next }

	ctx, wrapped, done := firstContact(context.Background(), dial, false)
	next = reset
	if _, err := wrapped(ctx, "tcp", "127.0.0.1:1"); !errors.Is(err, syscall.ECONNRESET) || ctx.Err() != nil {
		t.Fatalf("a reset ended the first contact (err %v, ctx %v)", err, ctx.Err())
	}
	next = refused
	if _, err := wrapped(ctx, "tcp", "127.0.0.1:1"); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("dial error %v", err)
	}
	if ctx.Err() == nil || firstContactErr(context.Background(), ctx, context.Canceled) != refused {
		t.Fatalf("a refused dial did not end the first contact: %v", context.Cause(ctx))
	}
	done()

	ctx, wrapped, done = firstContact(context.Background(), dial, false)
	done()
	_, _ = wrapped(ctx, "tcp", "127.0.0.1:1")
	if err := firstContactErr(context.Background(), ctx, reset); err != reset {
		t.Fatalf("after done the dialer still reports: %v", err)
	}
}

func TestHopelessDial(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{&net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}, true},
		{&net.DNSError{Err: "no such host", Name: "x.invalid", IsNotFound: true}, true},
		{&net.DNSError{Err: "server misbehaving", Name: "x", IsTemporary: true}, false},
		{&tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}, true},
		{x509.HostnameError{Host: "10.0.0.5"}, true},
		{context.DeadlineExceeded, false},
		{&net.OpError{Op: "read", Err: syscall.ECONNRESET}, false},
	} {
		if got := hopelessDial(c.err); got != c.want {
			t.Errorf("hopelessDial(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}

// Open on a port where nothing listens says "connection refused", not a cancelled context
// (the first contact ended it early).
func TestOpenRefusedSaysSo(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cfg := Config{Host: "127.0.0.1", Port: port, Cluster: ClusterAuto}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := Open(ctx, cfg, noAuth{})
	if err == nil {
		s.Close()
		t.Fatal("Open succeeded on a closed port")
	}
	if !errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, context.Canceled) {
		t.Fatalf("error %v", err)
	}
}

// A TLS profile against a plain-text redis-server: the handshake is left unanswered, and Open
// says the server does not speak TLS instead of timing out five dials later with "context
// deadline exceeded". A listener that answers nothing at all is only a timeout.
func TestOpenTLSAgainstAPlainServer(t *testing.T) {
	srv := emutest.StartRedisServer(t)
	host, p, _ := strings.Cut(srv.Addr, ":")
	port, _ := strconv.Atoi(p)
	cfg := Config{Host: host, Port: port, TLS: true, Cluster: ClusterAuto, DialTimeout: 300 * time.Millisecond}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	s, err := Open(ctx, cfg, noAuth{})
	if err == nil {
		s.Close()
		t.Fatal("a TLS Open succeeded on a plain-text server")
	}
	var noTLS *TLSNotSpokenError
	if !errors.As(err, &noTLS) || errors.Is(err, context.DeadlineExceeded) ||
		!strings.Contains(err.Error(), "turn TLS off in the profile") {
		t.Fatalf("error %v", err)
	}

	timeout := context.DeadlineExceeded
	if got := ExplainTLSMismatch(ctx, Config{TLS: true}, redistest.SilentListener(t), timeout); got != timeout {
		t.Fatalf("a silent server explained as %v", got)
	}
}
