package profiles

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// handWritten is a profiles file as a person keeps it: comments above and beside keys, blank
// lines, profiles in an order of their own (not sorted), a sub-table written before its parent's
// keys end, and a dotted key.
const handWritten = `# My Redis caches. Keep prod first.
version = 1
last_used = "prod"

# --- production: read-only, ask before touching ---
[profiles.prod]
label = "Production"   # shown in the picker
host = "prod.westeurope.redis.azure.net"
read_only = true

[profiles.prod.auth]
kind = "developer"
method = "azure-cli" # az login first

# staging is going away in January
[profiles.staging]
host = "staging.redis.azure.net"
auth.kind = "developer"

[profiles.local]
# a local redis-server for experiments
host = "localhost"
tls.enabled = false

[profiles.local.auth]
kind = "none"
`

func writeHandWritten(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "profiles.toml")
	if err := os.WriteFile(path, []byte(handWritten), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func saved(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestSaveKeepsCommentsAndOrder(t *testing.T) {
	path := writeHandWritten(t)
	if err := Update(path, func(f *File) error {
		p, _ := f.Get("prod")
		p.Host = "prod2.westeurope.redis.azure.net"
		p.Port = 10000
		return f.Put(p)
	}); err != nil {
		t.Fatal(err)
	}
	got := saved(t, path)
	want := strings.Replace(handWritten, `host = "prod.westeurope.redis.azure.net"`,
		"host = \"prod2.westeurope.redis.azure.net\"\nport = 10000", 1)
	if got != want {
		t.Fatalf("saved file:\n%s\nwant:\n%s", got, want)
	}
}

func TestSaveRemovesOnlyTheRemovedProfile(t *testing.T) {
	path := writeHandWritten(t)
	if err := Update(path, func(f *File) error { f.Remove("staging"); return nil }); err != nil {
		t.Fatal(err)
	}
	got := saved(t, path)
	cut := "# staging is going away in January\n[profiles.staging]\nhost = \"staging.redis.azure.net\"\nauth.kind = \"developer\"\n\n"
	if want := strings.Replace(handWritten, cut, "", 1); got != want {
		t.Fatalf("saved file:\n%s\nwant:\n%s", got, want)
	}
}

func TestSaveAppendsANewProfileAndKeepsTheRest(t *testing.T) {
	path := writeHandWritten(t)
	if err := Update(path, func(f *File) error {
		if err := f.Put(Profile{Name: "new-one", Host: "n.redis.azure.net", Auth: Auth{Kind: AuthAccessKey, Password: "env:K"}}); err != nil {
			return err
		}
		return f.SetLastUsed("new-one")
	}); err != nil {
		t.Fatal(err)
	}
	got := saved(t, path)
	if !strings.HasPrefix(got, strings.Replace(handWritten, `last_used = "prod"`, `last_used = "new-one"`, 1)) {
		t.Fatalf("the existing text changed:\n%s", got)
	}
	g, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	p, ok := g.Get("new-one")
	if !ok || p.Host != "n.redis.azure.net" || p.Auth.Password != "env:K" || g.LastUsed() != "new-one" {
		t.Fatalf("new profile = %+v (found %v), last used %q", p, ok, g.LastUsed())
	}
}

func TestSaveEditsDottedAndSubTableKeysInPlace(t *testing.T) {
	path := writeHandWritten(t)
	if err := Update(path, func(f *File) error {
		p, _ := f.Get("local")
		p.TLS.Enabled = nil
		p.ReadOnly = true
		if err := f.Put(p); err != nil {
			return err
		}
		s, _ := f.Get("staging")
		s.Auth.Method = DeveloperDeviceCode
		return f.Put(s)
	}); err != nil {
		t.Fatal(err)
	}
	got := saved(t, path)
	want := strings.Replace(handWritten, "tls.enabled = false\n", "read_only = true\n", 1)
	want = strings.Replace(want, "auth.kind = \"developer\"\n", "auth.kind = \"developer\"\nauth.method = \"device-code\"\n", 1)
	if got != want {
		t.Fatalf("saved file:\n%s\nwant:\n%s", got, want)
	}
}

func TestSaveOfAnUnchangedFileWritesTheSameBytes(t *testing.T) {
	path := writeHandWritten(t)
	if err := Update(path, func(*File) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if got := saved(t, path); got != handWritten {
		t.Fatalf("saved file:\n%s", got)
	}
}

// Whatever the edit, the saved file loads back to exactly the profiles that were meant: a patch
// that would not is replaced by a full re-encode.
func TestPatchedFileAlwaysLoadsBackToTheIntendedProfiles(t *testing.T) {
	for _, p := range everyKind() {
		t.Run(p.Name, func(t *testing.T) {
			path := writeHandWritten(t)
			if err := Update(path, func(f *File) error {
				f.Remove("local")
				q := p
				q.Name = "staging" // replaces staging with a profile of another kind entirely
				return f.Put(q)
			}); err != nil {
				t.Fatal(err)
			}
			g, err := Load(path)
			if err != nil {
				t.Fatalf("%v\n%s", err, saved(t, path))
			}
			got, _ := g.Get("staging")
			want := p.Clone()
			want.Name = "staging"
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("staging = %+v\nwant %+v\nfile:\n%s", got, want, saved(t, path))
			}
			if _, ok := g.Get("local"); ok {
				t.Fatal("local was not removed")
			}
			if !strings.Contains(saved(t, path), "# --- production: read-only, ask before touching ---") {
				t.Fatal("a comment of an untouched profile was lost")
			}
		})
	}
}

// A change inside an inline table is not patched piecemeal: the whole file is encoded anew, and
// still loads back to what was meant.
func TestSaveFallsBackToAFullEncodingForInlineTables(t *testing.T) {
	path := filepath.Join(t.TempDir(), "profiles.toml")
	const inline = "version = 1\n[profiles.a]\nhost = \"a\" # note\nauth = { kind = \"access-key\", password = \"env:A\" }\n"
	if err := os.WriteFile(path, []byte(inline), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Update(path, func(f *File) error {
		p, _ := f.Get("a")
		p.Auth.Password = "env:B"
		return f.Put(p)
	}); err != nil {
		t.Fatal(err)
	}
	g, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := g.Get("a"); p.Auth.Password != "env:B" || p.Host != "a" {
		t.Fatalf("a = %+v", p)
	}
	// An untouched inline table stays as it was written.
	if err := Update(path, func(f *File) error { return f.SetLastUsed("a") }); err != nil {
		t.Fatal(err)
	}
}

func TestEncodeValueEscapesStrings(t *testing.T) {
	for in, want := range map[string]string{
		"plain": `"plain"`, `a"b\c`: `"a\"b\\c"`, "tab\there": `"tab\there"`, "\x1b[31m": `"\u001B[31m"`,
	} {
		if got := encodeValue(in); got != want {
			t.Errorf("encodeValue(%q) = %s, want %s", in, got, want)
		}
	}
}
