package doctor

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/profiles"
	"github.com/amr-tui/amr-tui/session"
)

// checkProfile validates the profile and reads its TLS files, as a session would before
// connecting.
func (r *runner) checkProfile(context.Context) result {
	if err := r.p.Validate(); err != nil {
		return fail("", err.Error(), fmt.Sprintf("edit the profile (`amr-tui profiles edit %s …`, or the profiles file): each line above names the field and what it expects", r.p.Name))
	}
	cfg, err := session.ConfigFromProfile(r.p)
	if err != nil {
		return fail("", err.Error(), "point the tls.ca_file, tls.cert_file and tls.key_file fields at readable PEM files, or remove them")
	}
	r.cfg = cfg
	parts := []string{auth.Describe(r.p), cfg.Addr()}
	if cfg.TLS {
		parts = append(parts, "TLS on ("+tlsOrigin(r.p)+")")
	} else {
		parts = append(parts, "TLS off ("+tlsOrigin(r.p)+")")
	}
	parts = append(parts, "cluster "+cfg.Cluster.String())
	if r.p.ReadOnly {
		parts = append(parts, "read-only")
	}
	return pass(strings.Join(parts, ", "))
}

// checkSecrets resolves every secret reference the profile holds, without showing a secret.
func (r *runner) checkSecrets(context.Context) result {
	var done, warnings []string
	for _, field := range profiles.SecretFields {
		ref, _ := r.p.Auth.SecretRef(field)
		if ref.IsZero() {
			continue
		}
		if _, err := r.p.Secret(field); err != nil {
			return fail(fmt.Sprintf("%s (%s)", field, ref), err.Error(), secretFix(r.p.Name, field, ref, err))
		}
		done = append(done, fmt.Sprintf("%s (%s)", field, ref))
		if w := ref.Warning(); w != "" {
			warnings = append(warnings, field+": "+w)
		}
	}
	for _, f := range []struct{ field, path string }{
		{"auth.certificate_file", r.p.Auth.CertificateFile},
		{"auth.authority_ca_file", r.p.Auth.AuthorityCAFile},
	} {
		if f.path == "" {
			continue
		}
		if err := readable(f.path); err != nil {
			return fail(fmt.Sprintf("%s (%s)", f.field, f.path), err.Error(),
				fmt.Sprintf("point %s at a readable file, or fix the file's permissions", f.field))
		}
		done = append(done, fmt.Sprintf("%s (%s)", f.field, f.path))
	}
	if len(done) == 0 {
		return skip("no secret references (" + auth.KindName(r.p.Auth) + ")")
	}
	detail := strings.Join(done, ", ") + " resolved or readable"
	if len(warnings) > 0 {
		return warn(detail, strings.Join(warnings, "\n"), "restrict the file to its owner: chmod 600 FILE")
	}
	return pass(detail)
}

// readable opens the file a profile names, to report a missing or unreadable one before any
// credential is built from it.
func readable(path string) error {
	p, err := profiles.ExpandPath(path)
	if err != nil {
		return err
	}
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	return f.Close()
}

// secretFix says how to make one reference resolve.
func secretFix(profile, field string, ref profiles.SecretRef, err error) string {
	if errors.Is(err, profiles.ErrKeychainUnavailable) {
		return "no OS keychain here (CI, containers, SSH sessions): point " + field + " at env:NAME or file:PATH instead"
	}
	switch ref.Scheme() {
	case profiles.SchemeEnv:
		return fmt.Sprintf("set the environment variable %s where amr-tui runs, or point %s at file:PATH or keyring:SERVICE/ACCOUNT", ref.Target(), field)
	case profiles.SchemeFile:
		return fmt.Sprintf("put the secret, alone, in %s (chmod 600), or point %s at another reference", ref.Target(), field)
	case profiles.SchemeKeyring:
		return fmt.Sprintf("store it with `amr-tui profiles edit %s %s`", profile, profiles.StdinFlag(field))
	}
	return fmt.Sprintf("set %s to keyring:SERVICE/ACCOUNT, env:NAME or file:PATH", field)
}
