package sessionstore

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/profiles"
	"github.com/amr-tui/amr-tui/session"
)

// plainProfile is a no-auth, no-TLS profile for a local redis-server.
func plainProfile(t testing.TB, addr string) profiles.Profile {
	t.Helper()
	h, p, _ := strings.Cut(addr, ":")
	port, err := strconv.Atoi(p)
	if err != nil {
		t.Fatal(err)
	}
	off := false
	return profiles.Profile{Name: "local", Color: "red", Host: h, Port: port, Cluster: profiles.ClusterOff,
		TLS: profiles.TLS{Enabled: &off}, Auth: profiles.Auth{Kind: profiles.AuthNone}}
}

// guarded are auth options whose HTTP requests may only reach loopback.
func guarded(t testing.TB) auth.Options {
	return auth.Options{WrapTransport: func(rt http.RoundTripper) http.RoundTripper {
		return emulator.LoopbackGuard{Next: rt, OnBlocked: func(r *http.Request) {
			t.Errorf("request to a non-loopback host: %s", r.URL)
		}}
	}}
}

// open opens a session for p and closes it when the test ends.
func open(t testing.TB, p profiles.Profile, opts auth.Options) *session.Session {
	t.Helper()
	src, err := auth.NewSource(p, opts)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := session.ConfigFromProfile(p)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Reauth.Spread = -1 // no pacing: tests wait for whole re-AUTH rounds
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := session.Open(ctx, cfg, src)
	if err != nil {
		var ae *auth.Error
		if errors.As(err, &ae) {
			t.Fatalf("session.Open: %s", ae.Explain())
		}
		t.Fatalf("session.Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// ctxT is a context bounded for one test step.
func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}
