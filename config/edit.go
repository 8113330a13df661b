package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	toml "github.com/pelletier/go-toml/v2"

	"github.com/amr-tui/amr-tui/assets"
	"github.com/amr-tui/amr-tui/profiles"
)

// Example is the documented example file (assets/config.example.toml): what `amr-tui config
// edit` starts from when there is no file yet.
var Example = assets.ConfigExample

// Edit lets a person change the file at path with edit (which runs their editor on the file it
// is given) and replaces path only with a result that validates. The editor works on a copy, so
// the file is never left half-written or malformed: when the edit does not validate, path is
// left as it was, the edited copy is kept, and the error names it with every problem. An edit
// that changes nothing writes nothing.
func Edit(path string, edit func(file string) error) error {
	before, err := readLimited(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		before = nil
	case err != nil:
		return err
	}
	start := before
	if start == nil {
		start = Example
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "config.*.edit.toml")
	if err != nil {
		return err
	}
	keep := false
	defer func() {
		if !keep {
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(start); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := edit(tmp.Name()); err != nil {
		return fmt.Errorf("the editor failed (%w); %s is unchanged", err, path)
	}
	after, err := readLimited(tmp.Name())
	if err != nil {
		return err
	}
	if bytes.Equal(after, before) || (before == nil && bytes.Equal(after, Example)) {
		return nil
	}
	if _, err := Parse(path, after); err != nil {
		keep = true
		return fmt.Errorf("not saved: the edited file does not validate, so %s is unchanged; your edit is kept in %s:\n%w", path, tmp.Name(), err)
	}
	current, err := readLimited(path)
	if errors.Is(err, os.ErrNotExist) {
		current = nil
	} else if err != nil {
		return err
	}
	if !bytes.Equal(current, before) {
		keep = true
		return fmt.Errorf("not saved: %s was changed by something else while you edited it; your edit is kept in %s", path, tmp.Name())
	}
	return profiles.WriteAtomic(path, after)
}

// TOML writes the settings in effect (defaults included) as a config file.
func (c *Config) TOML() []byte {
	type theme struct {
		Base   string            `toml:"base"`
		Colors map[string]string `toml:"colors,omitempty"`
	}
	out := struct {
		Keys    Bindings          `toml:"keys,omitempty"`
		Theme   theme             `toml:"theme"`
		Scan    map[string]int    `toml:"scan"`
		Tree    map[string]any    `toml:"tree"`
		List    map[string]any    `toml:"list"`
		Aliases map[string]string `toml:"aliases,omitempty"`

		Decoders map[string]decoderTOML `toml:"decoders,omitempty"`
	}{
		Keys:    c.Keys,
		Theme:   theme{Base: c.Theme.Base, Colors: c.Theme.Colors},
		Scan:    map[string]int{"count": c.ScanCount, "load_batch": c.LoadBatch},
		Tree:    map[string]any{"delimiters": c.TreeDelimiters},
		List:    map[string]any{"columns": c.Columns},
		Aliases: c.Aliases,

		Decoders: decodersTOML(c.Decoders),
	}
	var buf bytes.Buffer
	enc := toml.NewEncoder(&buf).SetIndentTables(false)
	if err := enc.Encode(out); err != nil {
		return []byte("# " + err.Error() + "\n")
	}
	return buf.Bytes()
}
