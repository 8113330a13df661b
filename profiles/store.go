package profiles

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
)

// EnvConfig names the environment variable that overrides the profiles file's location.
const EnvConfig = "AMR_TUI_CONFIG"

// maxFileSize bounds what Load reads: a profiles file is a few KiB; anything huge is a mistake.
const maxFileSize = 4 << 20

// DefaultPath returns where the profiles file lives: $AMR_TUI_CONFIG if set, otherwise
// profiles.toml in an amr-tui directory under os.UserConfigDir. The --config flag overrides both.
func DefaultPath() (string, error) {
	if p := os.Getenv(EnvConfig); p != "" {
		return p, nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("finding the profiles file: %w; set %s or pass --config", err, EnvConfig)
	}
	return filepath.Join(dir, "amr-tui", "profiles.toml"), nil
}

// File is a profiles file in memory. Load one, change it with Put, Remove and SetLastUsed, and
// write it back with Save. A File is not safe for concurrent use.
type File struct {
	path     string
	lastUsed string
	profiles map[string]*Profile
	// onDisk is what Load read (nil when there was no file), so that Save can refuse to
	// overwrite a file someone changed in the meantime.
	onDisk []byte
}

// Load reads and validates the profiles file at path. A file that does not exist yields an
// empty File, so that the first Save creates it. Any problem gives a *FileError listing every
// problem found, each with its line, profile and field.
func Load(path string) (*File, error) {
	data, err := readLimited(path)
	if errors.Is(err, os.ErrNotExist) {
		return &File{path: path, profiles: map[string]*Profile{}}, nil
	}
	if err != nil {
		return nil, err
	}
	f, err := parse(path, data)
	if err != nil {
		return nil, err
	}
	f.onDisk = data
	return f, nil
}

func readLimited(path string) ([]byte, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if len(data) > maxFileSize {
		return nil, &FileError{Path: path, Problems: []Problem{{Msg: fmt.Sprintf("the file is larger than %d bytes; is it the right file?", maxFileSize)}}}
	}
	return data, nil
}

// parse decodes and validates file contents; path is used only in messages.
func parse(path string, data []byte) (*File, error) {
	doc, prob := parseDocument(data)
	if prob != nil {
		return nil, &FileError{Path: path, Problems: []Problem{*prob}}
	}
	dc := &decoder{doc: doc}
	_, lastUsed, profs := dc.decodeFile()
	if len(dc.probs) > 0 {
		slices.SortStableFunc(dc.probs, func(a, b Problem) int { return a.Line - b.Line })
		return nil, &FileError{Path: path, Problems: dc.probs}
	}
	return &File{path: path, lastUsed: lastUsed, profiles: profs}, nil
}

// Path returns the file's location.
func (f *File) Path() string { return f.path }

// Names returns the profile names in sorted order.
func (f *File) Names() []string {
	names := make([]string, 0, len(f.profiles))
	for n := range f.profiles {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Get returns a copy of the named profile.
func (f *File) Get(name string) (Profile, bool) {
	p, ok := f.profiles[name]
	if !ok {
		return Profile{}, false
	}
	return p.Clone(), true
}

// Put validates the profile and adds it, replacing any profile of the same name. An invalid
// profile is not added; the error is a *ValidationError.
func (f *File) Put(p Profile) error {
	if err := p.Validate(); err != nil {
		return err
	}
	c := p.Clone()
	f.profiles[p.Name] = &c
	return nil
}

// Remove deletes the named profile and reports whether it existed. If it was the last used
// profile, nothing is remembered as last used any more.
func (f *File) Remove(name string) bool {
	if _, ok := f.profiles[name]; !ok {
		return false
	}
	delete(f.profiles, name)
	if f.lastUsed == name {
		f.lastUsed = ""
	}
	return true
}

// LastUsed returns the name of the profile used most recently, or "".
func (f *File) LastUsed() string { return f.lastUsed }

// SetLastUsed remembers the named profile as the last one used; "" forgets it. It takes effect
// on disk at the next Save.
func (f *File) SetLastUsed(name string) error {
	if _, ok := f.profiles[name]; name != "" && !ok {
		return fmt.Errorf("no profile named %q", name)
	}
	f.lastUsed = name
	return nil
}

// Save writes the file atomically: the new contents go to a temporary file in the same
// directory, which is synced and renamed over the old one, and the directory is synced. The file
// is created with mode 0600 (it holds no secrets, but it does say where they are) and the
// previous version is kept next to it as PATH.bak, also 0600.
//
// Save refuses to write, and changes nothing, if the file on disk is no longer what Load read:
// someone edited it meanwhile, and the edit (or a broken file they are still fixing) must not be
// lost. The file on disk is edited rather than rewritten (docpatch.go): comments, blank lines,
// table order and key spelling stay, and only changed values are touched.
func (f *File) Save() error {
	target := f.path
	// Write through a symlink (dotfile managers link config files) rather than replacing it.
	if resolved, err := filepath.EvalSymlinks(f.path); err == nil {
		target = resolved
	}
	current, err := readLimited(target)
	switch {
	case errors.Is(err, os.ErrNotExist):
		current = nil
	case err != nil:
		return fmt.Errorf("not saving %s: %w", f.path, err)
	}
	if !bytes.Equal(current, f.onDisk) || (current == nil) != (f.onDisk == nil) {
		if _, perr := parse(f.path, current); perr != nil {
			return fmt.Errorf("not saving: %s no longer parses, and a file that fails to parse is never overwritten; fix it first:\n%w", f.path, perr)
		}
		return fmt.Errorf("not saving: %s was changed by something else since it was read; run the command again", f.path)
	}
	data, err := f.encode()
	if err != nil {
		return err
	}
	if f.onDisk != nil {
		if patched, ok := patchDocument(f.onDisk, data); ok {
			data = patched
		}
	}
	// Never write what we could not read back.
	if _, err := parse(f.path, data); err != nil {
		return fmt.Errorf("internal error: the profiles about to be saved do not load back: %w", err)
	}
	dir := filepath.Dir(target)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("saving profiles: %w", err)
	}
	if current != nil {
		if err := WriteAtomic(target+".bak", current); err != nil {
			return fmt.Errorf("saving profiles: keeping the previous version: %w", err)
		}
	}
	if err := WriteAtomic(target, data); err != nil {
		return fmt.Errorf("saving profiles: %w", err)
	}
	f.onDisk = data
	return nil
}

// WriteAtomic replaces path with data (mode 0600) via a synced temporary file and a rename, so a crash
// leaves either the old file or the new one, never a torn one.
func WriteAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = tmp.Chmod(0o600); err != nil {
		return err
	}
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	syncDir(dir)
	return nil
}

// syncDir makes a rename durable. Some systems (Windows) cannot sync a directory; the rename
// has still happened, so that failure is ignored.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// Update loads the file at path, applies change and saves the result, so that a long-running
// program (the UI remembering the last used profile) works on the current file rather than a
// copy it read earlier. Nothing is written if change returns an error.
func Update(path string, change func(*File) error) error {
	f, err := Load(path)
	if err != nil {
		return err
	}
	if err := change(f); err != nil {
		return err
	}
	return f.Save()
}
