package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func parse(t *testing.T, text string) (*Config, error) {
	t.Helper()
	return Parse("config.toml", []byte(text))
}

func TestExampleFileIsValidAndMatchesTheDefaults(t *testing.T) {
	c, err := Parse("example", Example)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Warnings) > 0 {
		t.Fatalf("warnings: %v", c.Warnings)
	}
	d := Default()
	c.lines, d.lines, c.Path = nil, nil, ""
	if !reflect.DeepEqual(c, d) {
		t.Fatalf("the example's settings differ from the defaults:\n%+v\n%+v", c, d)
	}
}

func TestMissingFileGivesDefaults(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if c.ScanCount != 1000 || c.Theme.Base != BaseAuto || !reflect.DeepEqual(c.TreeDelimiters, []string{":"}) || c.Path != path {
		t.Fatalf("defaults = %+v", c)
	}
}

func TestSettingsAreRead(t *testing.T) {
	c, err := parse(t, `
[keys.browser]
delete = ["x", "delete"]
rename = "F2"
[theme]
base = "light"
[theme.colors]
header = "#ff8800"
[scan]
count = 500
load_batch = 2000
[tree]
delimiters = [":", "/"]
[list]
columns = ["memory", "type", "encoding"]
[aliases]
pr = ":profiles"
`)
	if err != nil {
		t.Fatal(err)
	}
	want := Bindings{"browser": {"delete": {"x", "delete"}, "rename": {"F2"}}}
	if !reflect.DeepEqual(Bindings(c.Keys), want) || c.Theme.Base != BaseLight || c.Theme.Colors["header"] != "#ff8800" ||
		c.ScanCount != 500 || c.LoadBatch != 2000 || !reflect.DeepEqual(c.TreeDelimiters, []string{":", "/"}) ||
		!reflect.DeepEqual(c.Columns, []string{"memory", "type", "encoding"}) || c.Aliases["pr"] != "profiles" {
		t.Fatalf("config = %+v", c)
	}
	if c.Line("keys.browser.rename") != 4 || c.Line("scan.count") != 10 {
		t.Fatalf("lines: rename %d, scan.count %d", c.Line("keys.browser.rename"), c.Line("scan.count"))
	}
}

func TestProblemsCarryFileLineAndKey(t *testing.T) {
	for name, tc := range map[string]struct{ text, want string }{
		"syntax":       {"[scan]\ncount = = 3\n", "config.toml:2: invalid TOML"},
		"type":         {"[scan]\ncount = \"many\"\n", "config.toml:2: field scan.count: expected a whole number from 1 to 100000"},
		"range":        {"\n[scan]\nload_batch = 5\n", "config.toml:3: field scan.load_batch: expected a whole number from 100"},
		"base":         {"[theme]\nbase = \"blue\"\n", `config.toml:2: field theme.base: expected "auto", "dark" or "light"`},
		"colour":       {"[theme.colors]\nheader = \"#12\"\n", "config.toml:2: field theme.colors.header: expected a colour"},
		"column":       {"[list]\ncolumns = [\"type\", \"owner\"]\n", `config.toml:2: field list.columns: unknown column "owner"`},
		"twice":        {"[list]\ncolumns = [\"type\", \"type\"]\n", `column "type" is listed twice`},
		"empty delim":  {"[tree]\ndelimiters = [\"\"]\n", "config.toml:2: field tree.delimiters: expected a list of non-empty delimiters"},
		"no keys":      {"[keys.browser]\ndelete = []\n", "config.toml:2: field keys.browser.delete: no key given"},
		"bad key":      {"[keys.browser]\ndelete = 3\n", "expected a key or a list of keys"},
		"alias":        {"[aliases]\nx = \"\"\n", "config.toml:2: field aliases.x: expected the command line"},
		"keys not tbl": {"keys = 1\n", "config.toml:1: field keys: expected a table ([keys])"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := parse(t, tc.text)
			var fe *FileError
			if !errors.As(err, &fe) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestUnknownKeysAreWarningsNotErrors(t *testing.T) {
	c, err := parse(t, "colour = 1\n[scan]\ncount = 10\nspeed = 3\n[skin]\nx = 1\n")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range c.Warnings {
		got = append(got, w.String())
	}
	want := []string{"1: field colour: unknown setting, ignored", "4: field scan.speed: unknown setting, ignored", "5: field skin: unknown setting, ignored"}
	if !reflect.DeepEqual(got, want) || c.ScanCount != 10 {
		t.Fatalf("warnings = %q (count %d)", got, c.ScanCount)
	}
}

func TestResolveBindings(t *testing.T) {
	defaults := Bindings{
		"global":  {"quit": {"q"}, "help": {"?"}},
		"browser": {"delete": {"d"}, "rename": {"R"}, "rescan": {"r"}},
		"viewer":  {"edit": {"e"}},
	}
	c, err := parse(t, "[keys.browser]\ndelete = [\"x\"]\nrename = \"r\"\nfly = \"f\"\n[keys.viewer]\nedit = \"q\"\n[keys.panel]\nx = \"y\"\n")
	if err != nil {
		t.Fatal(err)
	}
	got, probs := c.ResolveBindings(defaults, "global")
	if !reflect.DeepEqual(got["browser"]["delete"], []string{"x"}) || !reflect.DeepEqual(got["global"]["quit"], []string{"q"}) {
		t.Fatalf("bindings = %v", got)
	}
	var msgs []string
	for _, p := range probs {
		msgs = append(msgs, p.String())
	}
	want := []string{
		`3: field keys.browser.rename: key "r" is bound to both browser.rescan and browser.rename`,
		`4: field keys.browser.fly: screen "browser" has no action "fly"; its actions are delete, rename, rescan`,
		`6: field keys.viewer.edit: key "q" is bound to both viewer.edit and global.quit`,
		`7: field keys.panel: unknown screen "panel"; the screens are browser, global, viewer`,
	}
	if strings.Join(msgs, "\n") != strings.Join(want, "\n") {
		t.Fatalf("problems:\n%s\nwant:\n%s", strings.Join(msgs, "\n"), strings.Join(want, "\n"))
	}
}

func TestCheckColors(t *testing.T) {
	c, err := parse(t, "[theme.colors]\nheader = \"red\"\nheadr = \"blue\"\n")
	if err != nil {
		t.Fatal(err)
	}
	probs := c.CheckColors([]string{"header", "selected"})
	if len(probs) != 1 || probs[0].String() != `3: field theme.colors.headr: unknown style "headr"; the styles are header, selected` {
		t.Fatalf("problems = %v", probs)
	}
}

func TestEditKeepsAMalformedEditOutOfTheFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	const good = "[scan]\ncount = 10\n"
	if err := os.WriteFile(path, []byte(good), 0o600); err != nil {
		t.Fatal(err)
	}
	err := Edit(path, func(file string) error { return os.WriteFile(file, []byte("[scan]\ncount = \"x\"\n"), 0o600) })
	if err == nil || !strings.Contains(err.Error(), "does not validate") || !strings.Contains(err.Error(), "scan.count") {
		t.Fatalf("err = %v", err)
	}
	if data, _ := os.ReadFile(path); string(data) != good {
		t.Fatalf("the file changed: %q", data)
	}
	kept := strings.Fields(err.Error()[strings.Index(err.Error(), "kept in ")+len("kept in "):])[0]
	if data, _ := os.ReadFile(strings.TrimSuffix(kept, ":")); !strings.Contains(string(data), `count = "x"`) {
		t.Fatalf("the edit was not kept in %s", kept)
	}

	if err := Edit(path, func(file string) error { return os.WriteFile(file, []byte("[scan]\ncount = 20\n"), 0o600) }); err != nil {
		t.Fatal(err)
	}
	if c, err := Load(path); err != nil || c.ScanCount != 20 {
		t.Fatalf("after a good edit: %v %+v", err, c)
	}
}

func TestEditOfANewFileStartsFromTheExampleAndWritesNothingUnchanged(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "config.toml")
	var seen string
	if err := Edit(path, func(file string) error {
		data, err := os.ReadFile(file)
		seen = string(data)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if seen != string(Example) {
		t.Fatal("the editor did not start from the example file")
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("an unchanged edit created the file: %v", err)
	}
}

func TestShowWritesTheSettingsInEffect(t *testing.T) {
	c, err := parse(t, "[scan]\ncount = 42\n[aliases]\npr = \"profiles\"\n")
	if err != nil {
		t.Fatal(err)
	}
	again, err := Parse("shown", c.TOML())
	if err != nil {
		t.Fatalf("%v\n%s", err, c.TOML())
	}
	if again.ScanCount != 42 || again.Aliases["pr"] != "profiles" || len(again.Warnings) > 0 {
		t.Fatalf("shown settings = %+v\n%s", again, c.TOML())
	}
}
