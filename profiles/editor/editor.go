// Package editor is the TUI's profile form without the TUI: the fields per auth kind, a saved
// profile's values, and saving and deleting with the same rules as `amr-tui profiles
// add|edit|remove` — profiles' validation, secrets only as references or in the OS keychain, a
// malformed or changed file never overwritten (File.Save refuses). It imports no UI package:
// the command line adapts it to ui.ProfileEditor.
package editor

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/amr-tui/amr-tui/profiles"
)

// Field is one field of the form.
type Field struct {
	Key     string   // the profiles file's dotted field name, e.g. "auth.tenant_id"
	Label   string   // what the form shows
	Hint    string   // shown under the form while the field is focused
	Choices []string // a fixed set of values, cycled with ←/→; nil for free text
	Secret  bool     // typed text is masked; a plain value is stored in the OS keychain
}

// Editor edits the profiles of one profiles file.
type Editor struct {
	Path string // the profiles file
}

// The form's keys beyond the secret fields: the profiles file's dotted field names.
const (
	formName     = "name"
	formHost     = "host"
	formPort     = "port"
	formDB       = "db"
	formColor    = "color"
	formReadOnly = "read_only"
	formTree     = "tree_delimiters"
	formKind     = "auth.kind"
	formTenant   = "auth.tenant_id"
	formClient   = "auth.client_id"
	formMethod   = "auth.method"
	formUser     = "auth.username"
	formCertFile = "auth.certificate_file"
)

var yesNo = []string{"no", "yes"}

// Fields lists the form's fields for an auth kind ("" for the first). No I/O.
func (o *Editor) Fields(kind string) []Field {
	if kind == "" {
		kind = string(profiles.AuthKinds[0])
	}
	refHint := "Type env:NAME, file:PATH or keyring:SERVICE/ACCOUNT to reference the secret, or the secret itself to store it in the OS keychain. It is never saved in the file."
	f := []Field{
		{Key: formName, Label: "name", Hint: "Letters, digits, '-', '_' and '.'."},
		{Key: formHost, Label: "host", Hint: "e.g. myredis.westeurope.redis.azure.net"},
		{Key: formPort, Label: "port", Hint: "Empty: 10000 for *.redis.azure.net, 6380 for *.redis.cache.windows.net, else 6379."},
		{Key: formDB, Label: "database", Hint: "Database number; empty for 0."},
		{Key: formColor, Label: "colour", Hint: "One of " + strings.Join(profiles.Colors, ", ") + ", #rrggbb or 0-255; empty for none."},
		{Key: formReadOnly, Label: "read-only", Choices: yesNo, Hint: "yes: the UI refuses commands that write."},
		{Key: formKind, Label: "auth", Choices: profiles.AuthKindNames(), Hint: "How to sign in; ←/→ to choose."},
	}
	switch profiles.AuthKind(kind) {
	case profiles.AuthDeveloper:
		methods := make([]string, len(profiles.DeveloperMethods))
		for i, m := range profiles.DeveloperMethods {
			methods[i] = string(m)
		}
		f = append(f,
			Field{Key: formMethod, Label: "login", Choices: methods, Hint: "default tries Azure CLI, azd and more; device-code shows a code to enter in a browser."},
			Field{Key: formTenant, Label: "tenant ID", Hint: "Optional: the Entra tenant to sign in to."})
	case profiles.AuthServicePrincipal:
		f = append(f,
			Field{Key: formTenant, Label: "tenant ID"},
			Field{Key: formClient, Label: "client ID", Hint: "The application (client) ID."},
			Field{Key: profiles.FieldClientSecret, Label: "client secret", Secret: true, Hint: refHint})
	case profiles.AuthCertificate:
		f = append(f,
			Field{Key: formTenant, Label: "tenant ID"},
			Field{Key: formClient, Label: "client ID", Hint: "The application (client) ID."},
			Field{Key: formCertFile, Label: "certificate", Hint: "Absolute path of a PEM or PKCS#12 file with the certificate and its RSA key."},
			Field{Key: profiles.FieldCertificatePassword, Label: "cert password", Secret: true, Hint: "Only for an encrypted PKCS#12 file. " + refHint})
	case profiles.AuthManagedIdentity:
		f = append(f, Field{Key: formClient, Label: "client ID", Hint: "A user-assigned identity's client ID; empty for the system-assigned identity."})
	case profiles.AuthAccessKey:
		f = append(f,
			Field{Key: formUser, Label: "username", Hint: "Optional ACL user; empty for the default user."},
			Field{Key: profiles.FieldPassword, Label: "access key", Secret: true, Hint: refHint})
	}
	// Last, so that the fields above keep their places whatever the auth kind.
	return append(f, Field{Key: formTree, Label: "tree split",
		Hint: "What splits key names into tree folders, separated by spaces, e.g. \": /\"; empty for \":\"."})
}

// Load returns a saved profile's form values. Secret fields hold their reference, never a
// secret.
func (o *Editor) Load(_ context.Context, name string) (map[string]string, error) {
	f, err := profiles.Load(o.Path)
	if err != nil {
		return nil, err
	}
	p, ok := f.Get(name)
	if !ok {
		return nil, fmt.Errorf("no profile named %q in %s", name, f.Path())
	}
	a := p.Auth
	v := map[string]string{
		formName: p.Name, formHost: p.Host, formColor: p.Color, formReadOnly: yesNo[b2i(p.ReadOnly)],
		formKind: string(a.Kind), formTenant: a.TenantID, formClient: a.ClientID, formMethod: string(a.Method),
		formUser: a.Username, formCertFile: a.CertificateFile, formTree: strings.Join(p.TreeDelimiters, " "),
	}
	if p.Port != 0 {
		v[formPort] = strconv.Itoa(p.Port)
	}
	if p.DB != 0 {
		v[formDB] = strconv.Itoa(p.DB)
	}
	for _, field := range profiles.SecretFields {
		if ref, _ := a.SecretRef(field); ref != "" {
			v[field] = string(ref)
		}
	}
	return v, nil
}

// Save validates values and saves them as a new profile (original "") or over the profile
// named original. A secret typed in plain is stored in the OS keychain, a reference is set as
// it is, and an empty one keeps the saved reference; a failure puts back what was there.
func (o *Editor) Save(_ context.Context, original string, values map[string]string) error {
	file, err := profiles.Load(o.Path)
	if err != nil {
		return err
	}
	name := strings.TrimSpace(values[formName])
	if err := profiles.ValidName(name); err != nil {
		return err
	}
	var p profiles.Profile
	var old *profiles.Profile
	if original != "" {
		op, ok := file.Get(original)
		if !ok {
			return fmt.Errorf("no profile named %q in %s", original, file.Path())
		}
		p, old = op.Clone(), &op
	}
	if _, exists := file.Get(name); exists && name != original {
		return fmt.Errorf("profile %q already exists; pick another name or edit it", name)
	}
	p.Name = name
	pending, err := applyForm(&p, o.Fields(values[formKind]), values)
	if err != nil {
		return err
	}
	for field := range pending {
		_ = p.Auth.SetSecretRef(field, profiles.KeyringRef(p.Name, field))
	}
	wasLast := original != "" && file.LastUsed() == original
	if original != "" && name != original {
		file.Remove(original)
	}
	if err := file.Put(p); err != nil {
		return err
	}
	if wasLast {
		_ = file.SetLastUsed(name)
	}
	// As in `profiles add|edit`: each keychain entry is read before it is overwritten, so a
	// failure later puts back what was there.
	var restores []func() error
	undo := func() {
		for i := len(restores) - 1; i >= 0; i-- {
			_ = restores[i]()
		}
	}
	for _, field := range slices.Sorted(maps.Keys(pending)) {
		restore, err := profiles.SnapshotStoredSecret(profiles.KeyringRef(p.Name, field))
		if err == nil {
			_, err = profiles.StoreSecret(p.Name, field, pending[field])
		}
		if err != nil {
			undo()
			return fmt.Errorf("cannot store %s in the OS keychain: %w; give a reference instead: env:NAME or file:PATH", field, err)
		}
		restores = append(restores, restore)
	}
	if err := file.Save(); err != nil {
		undo()
		return err
	}
	if old != nil {
		return errors.Join(profiles.DropUnreferencedSecrets(file, *old)...)
	}
	return nil
}

// Delete removes the profile and the keychain entries amr-tui stored for it and no other
// profile uses, as `amr-tui profiles remove` does.
func (o *Editor) Delete(_ context.Context, name string) error {
	file, err := profiles.Load(o.Path)
	if err != nil {
		return err
	}
	p, ok := file.Get(name)
	if !ok {
		return fmt.Errorf("no profile named %q in %s", name, file.Path())
	}
	file.Remove(name)
	if err := file.Save(); err != nil {
		return err
	}
	return errors.Join(profiles.DropUnreferencedSecrets(file, p)...)
}

// applyForm copies the form's values into p. A change of auth kind starts the auth settings
// afresh, as `profiles edit --auth` does. It returns the secrets typed in plain, by field, to
// be stored in the keychain; references are set directly and empty secrets keep the saved one.
func applyForm(p *profiles.Profile, fields []Field, values map[string]string) (map[string]string, error) {
	num := func(key, what string) (int, error) {
		s := strings.TrimSpace(values[key])
		if s == "" {
			return 0, nil
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return 0, fmt.Errorf("%s: %q is not a number", what, s)
		}
		return n, nil
	}
	var err error
	p.Host = strings.TrimSpace(values[formHost])
	if p.Port, err = num(formPort, "port"); err != nil {
		return nil, err
	}
	if p.DB, err = num(formDB, "database"); err != nil {
		return nil, err
	}
	p.Color = strings.TrimSpace(values[formColor])
	p.ReadOnly = values[formReadOnly] == "yes"
	// Only a changed field is split again: a saved delimiter with a space in it (set in the
	// file) shows joined like the others and would not survive the split.
	if v, given := values[formTree]; given && v != strings.Join(p.TreeDelimiters, " ") {
		p.TreeDelimiters = nil // empty: the default
		if f := strings.Fields(v); len(f) > 0 {
			p.TreeDelimiters = f
		}
	}
	if kind := profiles.AuthKind(values[formKind]); kind != p.Auth.Kind {
		p.Auth = profiles.Auth{Kind: kind}
	}
	pending := map[string]string{}
	a := &p.Auth
	for _, fd := range fields {
		v, given := values[fd.Key]
		if fd.Secret {
			if !given || v == "" {
				continue
			}
			if isSecretRef(v) {
				ref, err := profiles.AbsRef(profiles.SecretRef(v))
				if err != nil {
					return nil, err
				}
				if err := a.SetSecretRef(fd.Key, ref); err != nil {
					return nil, err
				}
				continue
			}
			pending[fd.Key] = v
			continue
		}
		v = strings.TrimSpace(v)
		switch fd.Key {
		case formTenant:
			a.TenantID = v
		case formClient:
			a.ClientID = v
		case formMethod:
			a.Method = profiles.DeveloperMethod(v)
		case formUser:
			a.Username = v
		case formCertFile:
			if a.CertificateFile, err = profiles.AbsPath(v); err != nil {
				return nil, err
			}
		}
	}
	return pending, nil
}

// isSecretRef reports whether a typed secret is a reference rather than the secret itself.
func isSecretRef(v string) bool {
	scheme, _, ok := strings.Cut(v, ":")
	return ok && (scheme == profiles.SchemeEnv || scheme == profiles.SchemeFile || scheme == profiles.SchemeKeyring)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
