package profiles

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func localProfile(name string) Profile {
	return Profile{Name: name, Host: "localhost", Auth: Auth{Kind: AuthNone}}
}

// saveNew creates a profiles file holding the given profiles and returns its path.
func saveNew(t *testing.T, names ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cfg", "profiles.toml")
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if err := f.Put(localProfile(n)); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	return path
}

func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

func TestLoadMissingFileIsEmpty(t *testing.T) {
	f, err := Load(filepath.Join(t.TempDir(), "nope.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Names()) != 0 || f.LastUsed() != "" {
		t.Errorf("want an empty file, got %v / %q", f.Names(), f.LastUsed())
	}
}

func TestEmptyFileLoads(t *testing.T) {
	path := filepath.Join(t.TempDir(), "profiles.toml")
	if err := os.WriteFile(path, []byte("# nothing yet\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Names()) != 0 {
		t.Errorf("Names = %v", f.Names())
	}
}

func TestSavePermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix permissions")
	}
	path := saveNew(t, "a")
	if m := mode(t, path); m != 0o600 {
		t.Errorf("file mode %04o, want 0600", m)
	}
	if m := mode(t, filepath.Dir(path)); m != 0o700 {
		t.Errorf("new directory mode %04o, want 0700", m)
	}
	// A file someone made world-readable is 0600 again after a save, and so is its backup.
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Put(localProfile("b")); err != nil {
		t.Fatal(err)
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	if m := mode(t, path); m != 0o600 {
		t.Errorf("file mode after save %04o, want 0600", m)
	}
	if m := mode(t, path+".bak"); m != 0o600 {
		t.Errorf("backup mode %04o, want 0600", m)
	}
}

func TestSaveKeepsBackup(t *testing.T) {
	path := saveNew(t, "a")
	if _, err := os.Stat(path + ".bak"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("first save made a backup of nothing: %v", err)
	}
	first, _ := os.ReadFile(path)
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Put(localProfile("b")); err != nil {
		t.Fatal(err)
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	bak, err := os.ReadFile(path + ".bak")
	if err != nil {
		t.Fatal(err)
	}
	if string(bak) != string(first) {
		t.Errorf("backup is not the previous version:\n%s", bak)
	}
	// Saving again from the same File works: it knows what it wrote.
	if err := f.SetLastUsed("b"); err != nil {
		t.Fatal(err)
	}
	if err := f.Save(); err != nil {
		t.Fatalf("second save: %v", err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

// TestMalformedFileNeverOverwritten: a file broken after Load is left exactly as it is.
func TestMalformedFileNeverOverwritten(t *testing.T) {
	path := saveNew(t, "a")
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	broken := []byte("version = 1\n[profiles.a\nhost = 'x'\n")
	if err := os.WriteFile(path, broken, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := f.Put(localProfile("b")); err != nil {
		t.Fatal(err)
	}
	err = f.Save()
	if err == nil || !strings.Contains(err.Error(), "never overwritten") || !strings.Contains(err.Error(), ":2: invalid TOML") {
		t.Fatalf("Save over a malformed file: %v", err)
	}
	if got, _ := os.ReadFile(path); string(got) != string(broken) {
		t.Errorf("malformed file was changed:\n%s", got)
	}
	// And a file that fails to load gives no File to save at all.
	if _, err := Load(path); err == nil {
		t.Error("malformed file loaded")
	}
}

func TestSaveRefusesConcurrentEdit(t *testing.T) {
	path := saveNew(t, "a")
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	g, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := g.Put(localProfile("from-g")); err != nil {
		t.Fatal(err)
	}
	if err := g.Save(); err != nil {
		t.Fatal(err)
	}
	if err := f.Put(localProfile("from-f")); err != nil {
		t.Fatal(err)
	}
	if err := f.Save(); err == nil || !strings.Contains(err.Error(), "changed by something else") {
		t.Fatalf("Save after another writer: %v", err)
	}
	h, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := h.Get("from-g"); !ok {
		t.Error("the other writer's change was lost")
	}
}

func TestSaveThroughSymlink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks need privileges on Windows")
	}
	real := saveNew(t, "a")
	link := filepath.Join(t.TempDir(), "profiles.toml")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	f, err := Load(link)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Put(localProfile("b")); err != nil {
		t.Fatal(err)
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("symlink replaced by a file: %v", err)
	}
	g, err := Load(real)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := g.Get("b"); !ok {
		t.Error("change not written to the link's target")
	}
}

func TestPutRejectsInvalid(t *testing.T) {
	f, _ := Load(filepath.Join(t.TempDir(), "p.toml"))
	p := localProfile("x")
	p.Port = -1
	err := f.Put(p)
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) != 1 || ve.Problems[0].Field != "port" {
		t.Fatalf("Put: %v", err)
	}
	if len(f.Names()) != 0 {
		t.Error("invalid profile was added")
	}
}

func TestGetReturnsCopy(t *testing.T) {
	f, _ := Load(filepath.Join(t.TempDir(), "p.toml"))
	p := everyKind()[0]
	if err := f.Put(p); err != nil {
		t.Fatal(err)
	}
	got, _ := f.Get(p.Name)
	got.Auth.Scopes[0] = "changed"
	*got.TLS.Enabled = false
	again, _ := f.Get(p.Name)
	if again.Auth.Scopes[0] == "changed" || !*again.TLS.Enabled {
		t.Error("Get exposed the stored profile")
	}
}

func TestRemoveAndLastUsed(t *testing.T) {
	f, _ := Load(filepath.Join(t.TempDir(), "p.toml"))
	for _, n := range []string{"b", "a"} {
		if err := f.Put(localProfile(n)); err != nil {
			t.Fatal(err)
		}
	}
	if got := strings.Join(f.Names(), ","); got != "a,b" {
		t.Errorf("Names = %s", got)
	}
	if err := f.SetLastUsed("zzz"); err == nil {
		t.Error("SetLastUsed accepted an unknown profile")
	}
	if err := f.SetLastUsed("a"); err != nil {
		t.Fatal(err)
	}
	if !f.Remove("a") || f.Remove("a") {
		t.Error("Remove reported wrongly")
	}
	if f.LastUsed() != "" {
		t.Errorf("LastUsed = %q after removing it", f.LastUsed())
	}
}

func TestDefaultPath(t *testing.T) {
	t.Setenv(EnvConfig, "/tmp/x/profiles.toml")
	if p, err := DefaultPath(); err != nil || p != "/tmp/x/profiles.toml" {
		t.Errorf("DefaultPath = %q, %v", p, err)
	}
	t.Setenv(EnvConfig, "")
	p, err := DefaultPath()
	if err != nil {
		t.Skip("no user config dir here:", err)
	}
	if filepath.Base(p) != "profiles.toml" || filepath.Base(filepath.Dir(p)) != "amr-tui" {
		t.Errorf("DefaultPath = %q", p)
	}
}

func TestUpdateRemembersLastUsed(t *testing.T) {
	path := saveNew(t, "a", "b")
	if err := Update(path, func(f *File) error { return f.SetLastUsed("b") }); err != nil {
		t.Fatal(err)
	}
	if f, _ := Load(path); f.LastUsed() != "b" {
		t.Errorf("LastUsed = %q", f.LastUsed())
	}
	before, _ := os.ReadFile(path)
	if err := Update(path, func(f *File) error { return f.SetLastUsed("zzz") }); err == nil {
		t.Error("Update accepted a failed change")
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Error("failed Update wrote the file")
	}
}
