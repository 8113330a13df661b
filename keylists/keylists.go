// Package keylists keeps a profile's favourite keys and recently opened keys on disk, next to
// its console history: <profiles dir>/history/<profile>.favorites and .recent.
//
// Key names are arbitrary bytes (newlines, ESC, invalid UTF-8), so each line of a file is one
// name written as a Go-quoted string, which round-trips every byte and keeps the file readable
// and editable by hand. A line that does not unquote is reported with its line number and the
// file is then never overwritten, as the profiles file is not.
package keylists

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/amr-tui/amr-tui/profiles"
)

// Kind names one of a profile's lists.
type Kind string

const (
	// Favorites are keys marked with `f`, in the order they were marked.
	Favorites Kind = "favorites"
	// Recent are keys opened lately, newest first, at most MaxRecent.
	Recent Kind = "recent"
)

// MaxRecent bounds the recent list.
const MaxRecent = 50

// Path is where a profile's list lives, next to the profiles file; "" when there is no profiles
// file or the profile name is not a safe file name.
func Path(profilesPath, profile string, kind Kind) string {
	if profilesPath == "" || profiles.ValidName(profile) != nil {
		return ""
	}
	return filepath.Join(filepath.Dir(profilesPath), "history", profile+"."+string(kind))
}

// List is one list of key names, loaded from its file.
type List struct {
	path  string
	keys  []string
	valid bool // false when the file could not be read as a list: never overwrite it
}

// Load reads the list at path; a missing file is an empty list. A malformed file gives an error
// naming the line, and the List it returns refuses to save.
func Load(path string) (*List, error) {
	l := &List{path: path, valid: true}
	if path == "" {
		return l, nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return l, nil
	}
	if err != nil {
		l.valid = false
		return l, err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 16<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, err := strconv.Unquote(line)
		if err != nil {
			l.valid = false
			return l, fmt.Errorf("%s:%d: not a quoted key name (%v); the file is left as it is", path, n, err)
		}
		l.keys = append(l.keys, k)
	}
	if err := sc.Err(); err != nil {
		l.valid = false
		return l, fmt.Errorf("reading %s: %w", path, err)
	}
	return l, nil
}

// Keys returns the names, in the list's order.
func (l *List) Keys() []string { return slices.Clone(l.keys) }

// Has reports whether key is on the list.
func (l *List) Has(key string) bool { return slices.Contains(l.keys, key) }

// Toggle adds key at the end, or removes it when it is there; it reports whether key is now on
// the list.
func (l *List) Toggle(key string) bool {
	if i := slices.Index(l.keys, key); i >= 0 {
		l.keys = slices.Delete(l.keys, i, i+1)
		return false
	}
	l.keys = append(l.keys, key)
	return true
}

// Remove takes key off the list.
func (l *List) Remove(key string) {
	l.keys = slices.DeleteFunc(l.keys, func(k string) bool { return k == key })
}

// Rename follows a key renamed in Redis.
func (l *List) Rename(from, to string) {
	for i, k := range l.keys {
		if k == from {
			l.keys[i] = to
		}
	}
	l.keys = slices.Compact(l.keys)
}

// Touch puts key first, as the most recently opened, keeping at most max names.
func (l *List) Touch(key string, max int) {
	l.Remove(key)
	l.keys = slices.Insert(l.keys, 0, key)
	if len(l.keys) > max {
		l.keys = l.keys[:max]
	}
}

// Save writes the list atomically (mode 0600, as the history). It refuses when the file could not
// be read as a list, so a hand edit gone wrong is never replaced.
func (l *List) Save() error {
	if l.path == "" {
		return nil
	}
	if !l.valid {
		return fmt.Errorf("not saving %s: it could not be read as a list of keys; fix or remove it first", l.path)
	}
	var b strings.Builder
	b.WriteString("# amr-tui key list: one Go-quoted key name per line\n")
	for _, k := range l.keys {
		b.WriteString(strconv.Quote(k))
		b.WriteByte('\n')
	}
	if err := os.MkdirAll(filepath.Dir(l.path), 0o700); err != nil {
		return err
	}
	return profiles.WriteAtomic(l.path, []byte(b.String()))
}
