package cli

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runRoot runs amr-tui with args only (no --config), with env set for the test.
func runArgs(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	root := newRootCmd()
	root.SetArgs(args)
	var out, errb bytes.Buffer
	root.SetIn(strings.NewReader(""))
	root.SetOut(&out)
	root.SetErr(&errb)
	err := root.Execute()
	return out.String(), errb.String(), err
}

func TestConfigPathResolution(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("AMR_TUI_CONFIG", "")
	t.Setenv("AMR_TUI_CONFIG_DIR", "")
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "xdg"))
	t.Setenv("HOME", dir)

	cases := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"next to --config", nil, []string{"--config", filepath.Join(dir, "p", "profiles.toml")}, filepath.Join(dir, "p", "config.toml")},
		{"--config-dir", nil, []string{"--config-dir", filepath.Join(dir, "cd")}, filepath.Join(dir, "cd", "config.toml")},
		{"env dir", map[string]string{"AMR_TUI_CONFIG_DIR": filepath.Join(dir, "env")}, nil, filepath.Join(dir, "env", "config.toml")},
		{"flag beats env", map[string]string{"AMR_TUI_CONFIG_DIR": filepath.Join(dir, "env")}, []string{"--config-dir", filepath.Join(dir, "flag")}, filepath.Join(dir, "flag", "config.toml")},
		{"next to AMR_TUI_CONFIG", map[string]string{"AMR_TUI_CONFIG": filepath.Join(dir, "q", "profiles.toml")}, nil, filepath.Join(dir, "q", "config.toml")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			out, errOut, err := runArgs(t, append(tc.args, "config", "path")...)
			if err != nil {
				t.Fatalf("config path: %v\n%s", err, errOut)
			}
			if got := strings.TrimSpace(out); got != tc.want {
				t.Errorf("config path = %q, want %q", got, tc.want)
			}
		})
	}
}

// The config directory also holds profiles.toml unless the profiles file is named.
func TestConfigDirHoldsProfiles(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("AMR_TUI_CONFIG", "")
	t.Setenv("AMR_TUI_CONFIG_DIR", dir)
	if _, errOut, err := runArgs(t, "profiles", "add", "local", "--from-url", "redis://localhost:6379/1"); err != nil {
		t.Fatalf("profiles add: %v\n%s", err, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "profiles.toml")); err != nil {
		t.Fatalf("profiles.toml not in the config dir: %v", err)
	}
}

func TestConfigShow(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("AMR_TUI_CONFIG_DIR", dir)
	t.Run("defaults", func(t *testing.T) {
		out, _, err := runArgs(t, "config", "show")
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"no such file", "count = 1000", "columns = ['type', 'ttl', 'memory']"} {
			if !strings.Contains(out, want) {
				t.Errorf("config show lacks %q:\n%s", want, out)
			}
		}
	})
	write := func(t *testing.T, s string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, "config.toml"), []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("rebind and warnings", func(t *testing.T) {
		write(t, "[scan]\ncount = 500\nspeed = 3\n[keys.browser]\ndelete = \"D\"\n")
		out, errOut, err := runArgs(t, "config", "show")
		if err != nil {
			t.Fatalf("show: %v\n%s", err, errOut)
		}
		if !strings.Contains(out, "count = 500") || !strings.Contains(out, "delete = ['D']") {
			t.Errorf("settings in effect not shown:\n%s", out)
		}
		if !strings.Contains(errOut, "config.toml:3: scan.speed") || !strings.Contains(errOut, "warning") {
			t.Errorf("unknown key not warned with its line:\n%s", errOut)
		}
	})
	t.Run("conflict and unknown action", func(t *testing.T) {
		write(t, "[keys.browser]\ndelete = \"t\"\nfly = \"z\"\n")
		_, errOut, err := runArgs(t, "config", "show")
		var ee exitError
		if !errors.As(err, &ee) || ee.code != 1 {
			t.Fatalf("err = %v, want exit status 1", err)
		}
		for _, want := range []string{`config.toml:2: keys.browser.delete: key "t" is bound to both browser.tree and browser.delete`,
			`config.toml:3: keys.browser.fly: screen "browser" has no action "fly"`} {
			if !strings.Contains(errOut, want) {
				t.Errorf("stderr lacks %q:\n%s", want, errOut)
			}
		}
	})
	t.Run("malformed", func(t *testing.T) {
		write(t, "[scan]\ncount = \"many\"\n")
		_, _, err := runArgs(t, "config", "show")
		if err == nil || !strings.Contains(err.Error(), "config.toml:2") {
			t.Fatalf("err = %v, want the line of the bad value", err)
		}
	})
}

// config edit saves a valid edit, and keeps the file as it was when the edit does not validate.
func TestConfigEdit(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("AMR_TUI_CONFIG_DIR", dir)
	path := filepath.Join(dir, "config.toml")
	script := filepath.Join(dir, "ed.sh")
	editor := func(t *testing.T, content string) {
		t.Helper()
		src := filepath.Join(dir, "next.toml")
		if err := os.WriteFile(src, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(script, []byte("#!/bin/sh\ncp \""+src+"\" \"$1\"\n"), 0o700); err != nil {
			t.Fatal(err)
		}
		t.Setenv("VISUAL", script)
	}
	editor(t, "[scan]\ncount = 42\n")
	if _, errOut, err := runArgs(t, "config", "edit"); err != nil {
		t.Fatalf("edit: %v\n%s", err, errOut)
	}
	if b, _ := os.ReadFile(path); string(b) != "[scan]\ncount = 42\n" {
		t.Fatalf("saved %q", b)
	}
	editor(t, "[scan]\ncount = \"x\"\n")
	_, _, err := runArgs(t, "config", "edit")
	if err == nil || !strings.Contains(err.Error(), "unchanged") {
		t.Fatalf("err = %v, want a refusal that leaves the file", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "[scan]\ncount = 42\n" {
		t.Fatalf("a bad edit changed the file: %q", b)
	}
}

// The README shows the example file as it is.
func TestReadmeShowsConfigExample(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	ex, err := os.ReadFile("../assets/config.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(readme, []byte("## Configuration\n")) || !bytes.Contains(readme, bytes.TrimRight(ex, "\n")) {
		t.Fatal("README lacks a Configuration section with assets/config.example.toml verbatim")
	}
}
