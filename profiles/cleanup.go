package profiles

import (
	"fmt"
	"path/filepath"
	"strings"
)

// ReferencesSecret reports whether any secret field of p holds ref.
func ReferencesSecret(p Profile, ref SecretRef) bool {
	for _, field := range SecretFields {
		if r, _ := p.Auth.SecretRef(field); r == ref {
			return true
		}
	}
	return false
}

// DropUnreferencedSecrets deletes amr-tui's own keychain entries that old used and that no
// profile in file (which already holds the new version of old, if any) refers to any more.
// It returns the deletions that failed; the profiles file is not touched.
func DropUnreferencedSecrets(file *File, old Profile) []error {
	inUse := func(ref SecretRef) bool {
		for _, n := range file.Names() {
			if p, _ := file.Get(n); ReferencesSecret(p, ref) {
				return true
			}
		}
		return false
	}
	var errs []error
	for _, field := range SecretFields {
		ref, _ := old.Auth.SecretRef(field)
		if ref.OwnedByAMRTUI() && !inUse(ref) {
			if err := DeleteStoredSecret(ref); err != nil {
				errs = append(errs, fmt.Errorf("could not delete keychain entry %s: %w", ref, err))
			}
		}
	}
	return errs
}

// AbsPath makes a path a user typed absolute: profiles store absolute or ~/ paths so they do
// not depend on the directory amr-tui runs in.
func AbsPath(p string) (string, error) {
	if p == "" || strings.HasPrefix(p, "~/") || filepath.IsAbs(p) {
		return p, nil
	}
	return filepath.Abs(p)
}

// AbsRef is AbsPath for the path of a file: reference; other references are returned as they are.
func AbsRef(r SecretRef) (SecretRef, error) {
	if r.Scheme() != SchemeFile {
		return r, nil
	}
	p, err := AbsPath(r.Target())
	return SecretRef(SchemeFile + ":" + p), err
}

// AuthKindNames lists AuthKinds as strings, in order.
func AuthKindNames() []string {
	out := make([]string, len(AuthKinds))
	for i, k := range AuthKinds {
		out[i] = string(k)
	}
	return out
}
