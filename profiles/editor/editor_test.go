package editor

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"github.com/amr-tui/amr-tui/profiles"
)

const testTenant = "11111111-1111-1111-1111-111111111111"

// writeProfiles writes a profiles file holding ps and returns its path.
func writeProfiles(t *testing.T, ps ...profiles.Profile) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "profiles.toml")
	f, err := profiles.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if err := f.Put(p); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestEditorRules: the TUI's form saves with the CLI's rules: validation errors, secrets as
// references or in the keychain (never the file), a failed keychain leaves the file alone, a
// malformed file is not overwritten, delete drops the keychain entries.
func TestEditorRules(t *testing.T) {
	keyring.MockInit()
	ctx := context.Background()
	path := writeProfiles(t, profiles.Profile{Name: "local", Host: "127.0.0.1", Port: 6379, Auth: profiles.Auth{Kind: profiles.AuthNone}})
	o := &Editor{Path: path}

	base := map[string]string{"name": "sp", "host": "x.westeurope.redis.azure.net", "auth.kind": "service-principal",
		"auth.tenant_id": testTenant, "auth.client_id": testTenant, "read_only": "no"}
	if err := o.Save(ctx, "", base); err == nil || !strings.Contains(err.Error(), "client_secret") {
		t.Fatalf("a service principal without a secret: %v", err)
	}
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for a, b := range base {
			m[a] = b
		}
		m[k] = v
		return m
	}
	if err := o.Save(ctx, "", with("auth.client_secret", "pl4in-s3cret")); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	if strings.Contains(string(data), "pl4in-s3cret") || !strings.Contains(string(data), "keyring:amr-tui/sp/client_secret") {
		t.Fatalf("the secret is not behind a keychain reference:\n%s", data)
	}
	if v, err := keyring.Get(profiles.KeyringService, "sp/client_secret"); err != nil || v != "pl4in-s3cret" {
		t.Fatalf("keychain %q, %v", v, err)
	}
	// Edit: an empty secret keeps the reference; a reference replaces it and the keychain
	// entry only the old version used goes away.
	vals, err := o.Load(ctx, "sp")
	if err != nil || vals["auth.client_secret"] != "keyring:amr-tui/sp/client_secret" {
		t.Fatalf("load %v, %v", vals, err)
	}
	if err := o.Save(ctx, "sp", with("read_only", "yes")); err != nil {
		t.Fatal(err)
	}
	f, _ := profiles.Load(path)
	if p, _ := f.Get("sp"); !p.ReadOnly || p.Auth.ClientSecret != "keyring:amr-tui/sp/client_secret" {
		t.Fatalf("edit lost the secret or the change: %+v", p)
	}
	if err := o.Save(ctx, "sp", with("auth.client_secret", "env:SP_SECRET")); err != nil {
		t.Fatal(err)
	}
	if _, err := keyring.Get(profiles.KeyringService, "sp/client_secret"); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatalf("the unused keychain entry stayed: %v", err)
	}
	// No keychain: a plain secret is refused with the way out, and the file is unchanged.
	before, _ := os.ReadFile(path)
	keyring.MockInitWithError(errors.New("no session bus"))
	t.Cleanup(keyring.MockInit)
	m := with("name", "sp2")
	m["auth.client_secret"] = "another-s3cret"
	err = o.Save(ctx, "", m)
	if err == nil || !strings.Contains(err.Error(), "env:NAME") {
		t.Fatalf("no keychain: %v", err)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Fatal("a failed save changed the file")
	}
	keyring.MockInit()
	// Delete.
	if err := o.Delete(ctx, "sp"); err != nil {
		t.Fatal(err)
	}
	if f, _ := profiles.Load(path); len(f.Names()) != 1 {
		t.Fatalf("after delete: %v", f.Names())
	}
	// A malformed file is reported and never overwritten.
	if err := os.WriteFile(path, []byte("version = 1\n[profiles.x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := o.Save(ctx, "", with("auth.client_secret", "env:X")); err == nil {
		t.Fatal("saved over a malformed file")
	}
	if data, _ := os.ReadFile(path); string(data) != "version = 1\n[profiles.x\n" {
		t.Fatal("the malformed file was rewritten")
	}
}
