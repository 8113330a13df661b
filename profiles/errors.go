package profiles

import (
	"fmt"
	"strings"
)

// Problem is one thing wrong with a profile or a profiles file. Messages never contain the
// value of a secret field.
type Problem struct {
	// Line is the 1-based line in the file the problem is on; 0 when unknown (for example when
	// validating a profile that was not read from a file).
	Line int
	// Profile names the profile, or is empty for a problem outside any profile.
	Profile string
	// Field is the dotted field within the profile ("auth.client_secret") or, outside a
	// profile, the top-level key ("version"); empty when the problem is not about one field.
	Field string
	// Msg says what is wrong and what is expected.
	Msg string
}

// String formats the problem without the file name:
// `14: profile "prod", field auth.client_secret: message`.
func (p Problem) String() string {
	var b strings.Builder
	if p.Line > 0 {
		fmt.Fprintf(&b, "%d: ", p.Line)
	}
	switch {
	case p.Profile != "" && p.Field != "":
		fmt.Fprintf(&b, "profile %q, field %s: ", p.Profile, p.Field)
	case p.Profile != "":
		fmt.Fprintf(&b, "profile %q: ", p.Profile)
	case p.Field != "":
		fmt.Fprintf(&b, "field %s: ", p.Field)
	}
	b.WriteString(p.Msg)
	return b.String()
}

// FileError reports every problem found in a profiles file, one per line, each prefixed with
// the file name and line: `profiles.toml:14: profile "prod", field auth.client_secret: …`.
type FileError struct {
	Path     string
	Problems []Problem
}

// Error lists the problems one per line, each as PATH:LINE: profile "NAME", field FIELD: message.
func (e *FileError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		sep := ":"
		if p.Line == 0 {
			sep = ": "
		}
		lines[i] = e.Path + sep + p.String()
	}
	return strings.Join(lines, "\n")
}

// ValidationError reports every problem with one profile (see Profile.Validate).
type ValidationError struct {
	Problems []Problem
}

// Error lists the problems one per line, each as profile "NAME", field FIELD: message.
func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}
