package doctor_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/doctor"
	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
	"github.com/amr-tui/amr-tui/profiles"
)

// TestDoctorEmulator drives doctor against the emulator (fake Entra, TLS gate) with real
// azidentity credentials: a profile that passes every step, then one failure injected per step.
func TestDoctorEmulator(t *testing.T) {
	d := startDemo(t)
	dirs := map[string]string{filepath.Dir(d.CAFile): "$DEMO"}
	secret, err := os.ReadFile(d.SecretFile)
	if err != nil {
		t.Fatal(err)
	}
	sp := demoProfile(t, d, "demo-sp")
	run := func(t *testing.T, p profiles.Profile, opts doctor.Options, want string) doctor.Report {
		t.Helper()
		var streamed []doctor.Step
		opts.OnStep = func(s doctor.Step) { streamed = append(streamed, s) }
		rep := runDoctor(t, p, opts)
		wantSteps(t, rep, want)
		if len(streamed) != len(rep.Steps) {
			t.Fatalf("OnStep saw %d steps, the report has %d", len(streamed), len(rep.Steps))
		}
		if _, failed := rep.Failed(); rep.OK == failed {
			t.Fatalf("OK = %v with a failed step = %v", rep.OK, failed)
		}
		assertGolden(t, rep, dirs, string(secret))
		return rep
	}
	const upToAuth = "profile=pass secrets=pass dns=pass tcp=pass tls=pass token=pass access=skip auth=pass"
	const probes = " ping=pass info=pass scan=pass command=pass"

	t.Run("pass", func(t *testing.T) {
		run(t, sp, testOptions(t), upToAuth+probes+" write=pass cluster=pass")
		// The write probe's key is gone.
		if n := len(send(t, d.Backend, "KEYS", doctor.ScratchKeyPrefix+"*").Elems); n != 0 {
			t.Fatalf("%d scratch keys left behind", n)
		}
	})
	t.Run("reconnect-after-slow-login", func(t *testing.T) {
		defer doctor.SetStaleConnection(0)()
		before := d.Gate.Stats().Accepted
		rep := runDoctor(t, sp, testOptions(t))
		wantSteps(t, rep, upToAuth+probes+" write=pass cluster=pass")
		if n := d.Gate.Stats().Accepted - before; n != 2 {
			t.Fatalf("the gate accepted %d connections, want 2 (AUTH reconnects)", n)
		}
	})
	t.Run("certificate", func(t *testing.T) {
		run(t, demoProfile(t, d, "demo-cert"), testOptions(t), upToAuth+probes+" write=pass cluster=pass")
	})
	t.Run("read-only", func(t *testing.T) {
		p := sp.Clone()
		p.ReadOnly = true
		run(t, p, testOptions(t), upToAuth+probes+" write=skip cluster=pass")
	})
	t.Run("invalid-profile", func(t *testing.T) {
		p := sp.Clone()
		p.Host = ""
		p.Auth.TenantID = ""
		run(t, p, testOptions(t), "profile=fail")
	})
	t.Run("unreadable-ca-file", func(t *testing.T) {
		p := sp.Clone()
		p.TLS.CAFile = filepath.Join(filepath.Dir(d.CAFile), "missing-ca.pem")
		run(t, p, testOptions(t), "profile=fail")
	})
	t.Run("secret-env-missing", func(t *testing.T) {
		t.Setenv("AMR_TUI_DOCTOR_TEST_SECRET", "")
		p := sp.Clone()
		p.Auth.ClientSecret = "env:AMR_TUI_DOCTOR_TEST_SECRET"
		run(t, p, testOptions(t), "profile=pass secrets=fail")
	})
	t.Run("secret-file-missing", func(t *testing.T) {
		p := sp.Clone()
		p.Auth.ClientSecret = profiles.SecretRef("file:" + filepath.Join(filepath.Dir(d.CAFile), "no-such-secret"))
		run(t, p, testOptions(t), "profile=pass secrets=fail")
	})
	t.Run("dns-nxdomain", func(t *testing.T) {
		p := sp.Clone()
		p.Host = "doctor-test.invalid"
		opts := testOptions(t)
		opts.Resolver = nxdomainResolver(t)
		run(t, p, opts, "profile=pass secrets=pass dns=fail")
	})
	t.Run("tcp-refused", func(t *testing.T) {
		p := sp.Clone()
		p.Port = emutest.FreePort(t)
		run(t, p, testOptions(t), "profile=pass secrets=pass dns=pass tcp=fail")
	})
	t.Run("tls-wrong-name", func(t *testing.T) {
		p := sp.Clone()
		p.TLS.ServerName = "wrong.example"
		run(t, p, testOptions(t), "profile=pass secrets=pass dns=pass tcp=pass tls=fail")
	})
	t.Run("tls-unknown-ca", func(t *testing.T) {
		p := sp.Clone()
		p.TLS.CAFile = ""
		run(t, p, testOptions(t), "profile=pass secrets=pass dns=pass tcp=pass tls=fail")
	})
	t.Run("tls-other-ca", func(t *testing.T) {
		p := sp.Clone()
		p.TLS.CAFile = newTestCA(t, "doctor test other CA").file
		dirs[filepath.Dir(p.TLS.CAFile)] = "$CA"
		run(t, p, testOptions(t), "profile=pass secrets=pass dns=pass tcp=pass tls=fail")
	})
	t.Run("tls-expired", func(t *testing.T) {
		ca := newTestCA(t, "doctor test CA")
		addr := ca.serve(t, time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC))
		p := plainProfile(t, "expired", addr, sp.Auth)
		on := true
		p.TLS = profiles.TLS{Enabled: &on, CAFile: ca.file}
		dirs[filepath.Dir(ca.file)] = "$CA"
		run(t, p, testOptions(t), "profile=pass secrets=pass dns=pass tcp=pass tls=fail")
	})
	t.Run("tls-expires-soon", func(t *testing.T) {
		ca := newTestCA(t, "doctor test CA")
		addr := ca.serve(t, time.Now().Add(-360*24*time.Hour), time.Now().Add(5*24*time.Hour+time.Hour))
		p := plainProfile(t, "soon", addr, profiles.Auth{Kind: profiles.AuthNone})
		on := true
		p.TLS = profiles.TLS{Enabled: &on, CAFile: ca.file}
		dirs[filepath.Dir(ca.file)] = "$CA"
		rep := runDoctor(t, p, testOptions(t))
		// The server only handshakes, so the step after TLS fails; TLS itself warns.
		if len(rep.Steps) < 5 || rep.Steps[4].Status != doctor.Warn || !strings.Contains(rep.Steps[4].Cause, "expires in 5 days") {
			t.Fatalf("tls step: %+v", rep.Steps)
		}
	})
	t.Run("tls-insecure", func(t *testing.T) {
		p := sp.Clone()
		p.TLS.CAFile = ""
		p.TLS.InsecureSkipVerify = true
		run(t, p, testOptions(t), "profile=pass secrets=pass dns=pass tcp=pass tls=warn token=pass access=skip auth=pass"+probes+" write=pass cluster=pass")
	})
	t.Run("token-aadsts", func(t *testing.T) {
		d.Entra.FailNext(emulator.EndpointToken, 1, 400, "AADSTS700016", "Application with identifier was not found in the directory.")
		run(t, sp, testOptions(t), "profile=pass secrets=pass dns=pass tcp=pass tls=pass token=fail")
	})
	t.Run("token-wrong-secret", func(t *testing.T) {
		wrong := filepath.Join(t.TempDir(), "wrong-secret")
		if err := os.WriteFile(wrong, []byte("not-the-demo-secret"), 0o600); err != nil {
			t.Fatal(err)
		}
		dirs[filepath.Dir(wrong)] = "$TMP"
		p := sp.Clone()
		p.Auth.ClientSecret = profiles.SecretRef("file:" + wrong)
		rep := runDoctor(t, p, testOptions(t))
		wantSteps(t, rep, "profile=pass secrets=pass dns=pass tcp=pass tls=pass token=fail")
		assertGolden(t, rep, dirs, "not-the-demo-secret", string(secret))
	})
	t.Run("clock-skew", func(t *testing.T) {
		opts := testOptions(t)
		opts.Now = func() time.Time { return time.Now().Add(-7 * time.Minute) }
		run(t, sp, opts, "profile=pass secrets=pass dns=pass tcp=pass tls=pass token=warn access=skip auth=pass"+probes+" write=pass cluster=pass")
	})
	t.Run("auth-wrong-username", func(t *testing.T) {
		p := sp.Clone()
		p.Auth.Username = emulator.DemoAppClientID // the client ID, a classic mistake
		run(t, p, testOptions(t), "profile=pass secrets=pass dns=pass tcp=pass tls=pass token=warn access=skip auth=fail")
	})
	t.Run("ping-noauth", func(t *testing.T) {
		p := sp.Clone()
		p.Auth = profiles.Auth{Kind: profiles.AuthNone}
		run(t, p, testOptions(t), "profile=pass secrets=skip dns=pass tcp=pass tls=pass token=skip access=skip auth=skip ping=fail")
	})
}

// TestDoctorRedisACL drives the AUTH, PING and permission probes against a real redis-server
// whose ACL users each lack one permission.
func TestDoctorRedisACL(t *testing.T) {
	srv := emutest.StartRedisServer(t)
	users := map[string]string{
		"wrongpass": "", // not created: AUTH fails
		"noping":    "+@all -ping",
		"noinfo":    "+@all -info",
		"noscan":    "+@all -scan",
		"nocommand": "+@all -command",
		"noset":     "+@all -set",
		"all":       "+@all",
	}
	for u, rules := range users {
		if rules == "" {
			continue
		}
		args := append([]string{"ACL", "SETUSER", u, "on", ">doctor-test-pw", "~*", "&*"}, strings.Fields(rules)...)
		if rep := send(t, srv.Addr, args...); rep.Str != "OK" {
			t.Fatalf("ACL SETUSER %s: %+v", u, rep)
		}
	}
	t.Setenv("AMR_TUI_DOCTOR_PW", "doctor-test-pw")
	profile := func(user string) profiles.Profile {
		return plainProfile(t, user, srv.Addr, profiles.Auth{Kind: profiles.AuthAccessKey, Username: user, Password: "env:AMR_TUI_DOCTOR_PW"})
	}
	const head = "profile=pass secrets=pass dns=pass tcp=pass tls=skip token=skip access=skip"
	for _, tc := range []struct{ user, want string }{
		{"all", head + " auth=pass ping=pass info=pass scan=pass command=pass write=pass cluster=pass"},
		{"wrongpass", head + " auth=fail"},
		{"noping", head + " auth=pass ping=fail"},
		{"noinfo", head + " auth=pass ping=pass info=fail"},
		{"noscan", head + " auth=pass ping=pass info=pass scan=fail"},
		{"nocommand", head + " auth=pass ping=pass info=pass scan=pass command=fail"},
		{"noset", head + " auth=pass ping=pass info=pass scan=pass command=pass write=fail"},
	} {
		t.Run(tc.user, func(t *testing.T) {
			rep := runDoctor(t, profile(tc.user), testOptions(t))
			wantSteps(t, rep, tc.want)
			assertGolden(t, rep, nil, "doctor-test-pw")
		})
	}
	t.Run("db", func(t *testing.T) {
		p := profile("all")
		p.DB = 3
		rep := runDoctor(t, p, testOptions(t))
		wantSteps(t, rep, head+" auth=pass ping=pass info=pass scan=pass command=pass write=pass cluster=pass")
		if !strings.Contains(rep.Steps[7].Detail, "SELECT 3") {
			t.Fatalf("auth step: %+v", rep.Steps[7])
		}
	})
	t.Run("tls-plain-port", func(t *testing.T) {
		p := profile("all")
		on := true
		p.TLS.Enabled = &on
		opts := testOptions(t)
		opts.StepTimeout = time.Second // redis-server waits silently for the rest of a "command"
		rep := runDoctor(t, p, opts)
		wantSteps(t, rep, "profile=pass secrets=pass dns=pass tcp=pass tls=fail")
		assertGolden(t, rep, nil, "doctor-test-pw")
	})
	t.Run("cluster-on-standalone", func(t *testing.T) {
		p := profile("all")
		p.Cluster = profiles.ClusterOn
		rep := runDoctor(t, p, testOptions(t))
		wantSteps(t, rep, head+" auth=pass ping=pass info=pass scan=pass command=pass write=pass cluster=fail")
		assertGolden(t, rep, nil, "doctor-test-pw")
	})
}

// A plain-text profile against the demo's TLS gate: the auth step says the server expects
// TLS, not that it closed the connection (maxclients).
func TestDoctorPlaintextToTLSPort(t *testing.T) {
	d := startDemo(t)
	p := demoProfile(t, d, "demo-sp")
	p.TLS = profiles.TLS{Enabled: profiles.Ptr(false)}
	rep := runDoctor(t, p, testOptions(t))
	step, failed := rep.Failed()
	if !failed || step.Name != "auth" || !strings.Contains(step.Cause, "the server expects TLS") ||
		strings.Contains(step.Fix, "maxclients") || !strings.Contains(step.Fix, "TLS") {
		var b bytes.Buffer
		_ = rep.WriteText(&b)
		t.Fatalf("report:\n%s", b.String())
	}
}

// doctor says whether the profile wrote its TLS setting or the host's default chose it.
func TestDoctorTLSSettingOrigin(t *testing.T) {
	srv := emutest.StartRedisServer(t)
	for _, c := range []struct {
		enabled *bool
		want    string
	}{
		{nil, "TLS off: default for a loopback host"},
		{profiles.Ptr(false), "TLS off: tls.enabled = false"},
	} {
		p := plainProfile(t, "local", srv.Addr, profiles.Auth{Kind: profiles.AuthNone})
		p.TLS.Enabled = c.enabled
		rep := runDoctor(t, p, testOptions(t))
		var tlsStep, profileStep doctor.Step
		for _, s := range rep.Steps {
			switch s.Name {
			case "tls":
				tlsStep = s
			case "profile":
				profileStep = s
			}
		}
		if !strings.HasPrefix(tlsStep.Detail, c.want) || !strings.Contains(profileStep.Detail, "TLS off ("+strings.TrimPrefix(c.want, "TLS off: ")+")") {
			t.Errorf("enabled %v: profile %q, tls %q; want %q", c.enabled, profileStep.Detail, tlsStep.Detail, c.want)
		}
	}
}
