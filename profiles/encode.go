package profiles

import (
	"bytes"
	"fmt"

	toml "github.com/pelletier/go-toml/v2"
)

// fileHeader opens every saved file; it is a comment, so hand edits may remove it.
const fileHeader = `# amr-tui connection profiles. Edit by hand or with "amr-tui profiles".
# Secret fields hold references (keyring:SERVICE/ACCOUNT, env:NAME, file:PATH), never secrets.
# amr-tui keeps comments and layout when it saves this file; the previous version is kept as .bak.

`

type fileOut struct {
	Version  int                 `toml:"version"`
	LastUsed string              `toml:"last_used,omitempty"`
	Profiles map[string]*Profile `toml:"profiles"`
}

func (f *File) encode() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(fileHeader)
	enc := toml.NewEncoder(&buf).SetIndentTables(false)
	out := fileOut{Version: SchemaVersion, LastUsed: f.lastUsed, Profiles: f.profiles}
	if err := enc.Encode(out); err != nil {
		return nil, fmt.Errorf("encoding profiles: %w", err)
	}
	return buf.Bytes(), nil
}

// TOML returns the profile as it is written in the profiles file, [profiles.NAME] tables
// included. Secret fields hold only references, so the result is safe to display.
func (p Profile) TOML() ([]byte, error) {
	var buf bytes.Buffer
	out := struct {
		Profiles map[string]Profile `toml:"profiles"`
	}{map[string]Profile{p.Name: p}}
	if err := toml.NewEncoder(&buf).SetIndentTables(false).Encode(out); err != nil {
		return nil, fmt.Errorf("encoding profile: %w", err)
	}
	return bytes.TrimPrefix(buf.Bytes(), []byte("[profiles]\n")), nil
}
