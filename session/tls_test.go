package session

import (
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/profiles"
)

// TLS as a profile describes it: the CA from the profile's file, the server name pinned
// (here a name that is not the dialled address, as for AMR's OSS cluster nodes), cluster
// mode auto detecting a standalone server.
func TestTLSFromProfile(t *testing.T) {
	env := startGateEnvTLS(t)
	dir := t.TempDir()
	caFile := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(caFile, env.ca.CertPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	host, port, _ := strings.Cut(env.gate.Addr(), ":")
	p := profiles.Profile{Name: "tls", Host: host, DB: 2, Cluster: profiles.ClusterAuto,
		TLS: profiles.TLS{Enabled: profiles.Ptr(true), CAFile: caFile, ServerName: "cache.example.redis.azure.net"}}
	p.Port = atoi(t, port)
	cfg, err := ConfigFromProfile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.TLS || cfg.TLSConfig().ServerName != "cache.example.redis.azure.net" || cfg.Token.RefreshRatio != 0.7 {
		t.Fatalf("config %+v", cfg)
	}
	src := &mintSource{e: env.entra, oid: "oid-tls", minLife: time.Minute}
	s := openSession(t, cfg, src)
	ctx := context.Background()
	if s.Cluster() {
		t.Error("auto detected a cluster on a standalone server")
	}
	if err := s.Client().Set(ctx, "in-db-2", "x", 0).Err(); err != nil {
		t.Fatal(err)
	}
	con, _ := s.Console(ctx)
	if v, err := con.Do(ctx, "CLIENT", "INFO"); err != nil || !strings.Contains(v.Str, "db=2") {
		t.Fatalf("console CLIENT INFO = %v, %v; want db=2", v, err)
	}

	wrong := cfg
	wrong.ServerName = "other.example.net"
	if _, err := Open(ctx, wrong, src); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("wrong server name: %v; want a certificate error", err)
	}

	p.TLS.CAFile = filepath.Join(dir, "missing.pem")
	if _, err := ConfigFromProfile(p); err == nil || !strings.Contains(err.Error(), "CA file") {
		t.Fatalf("missing CA file: %v", err)
	}
}

type tlsGateEnv struct {
	*gateEnv
	ca *emulator.CA
}

func startGateEnvTLS(t testing.TB) tlsGateEnv {
	t.Helper()
	env := startGateEnv(t)
	ca, err := emulator.NewCA()
	if err != nil {
		t.Fatal(err)
	}
	srvTLS, err := ca.ServerTLSConfig("cache.example.redis.azure.net")
	if err != nil {
		t.Fatal(err)
	}
	g, err := emulator.StartGate(emulator.GateOptions{Backend: env.redis.Addr, Verifier: env.entra, TLS: srvTLS})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = g.Close() })
	env.gate = g
	return tlsGateEnv{gateEnv: env, ca: ca}
}

func atoi(t testing.TB, s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			t.Fatalf("not a port: %q", s)
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// A profile without TLS against a TLS port: the server drops the plain-text AUTH, and the
// error says the server expects TLS instead of leaving a bare "connection reset by peer".
func TestPlaintextToTLSPortSaysServerExpectsTLS(t *testing.T) {
	env := startGateEnvTLS(t)
	host, port, _ := strings.Cut(env.gate.Addr(), ":")
	cfg := testConfig(host, atoi(t, port))
	cfg.TLS = false
	src := &mintSource{e: env.entra, oid: "oid-plain", minLife: time.Minute}
	_, err := Open(context.Background(), cfg, src)
	if err == nil || !strings.Contains(err.Error(), "the server expects TLS") {
		t.Fatalf("plain text to a TLS port: %v", err)
	}
	// A plain-text server that drops a connection is not taken for a TLS one.
	ln, lerr := net.Listen("tcp", "127.0.0.1:0")
	if lerr != nil {
		t.Fatal(lerr)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			_ = c.Close()
		}
	}()
	plain := cfg
	h, p, _ := strings.Cut(ln.Addr().String(), ":")
	plain.Host, plain.Port = h, atoi(t, p)
	if got := ExplainTLSMismatch(context.Background(), plain, ln.Addr().String(), io.EOF); got != io.EOF {
		t.Errorf("a plain-text server that hangs up: %v", got)
	}
}
