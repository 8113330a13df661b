package rediscli

import (
	"path/filepath"

	"github.com/amr-tui/amr-tui/profiles"
)

// HistoryPath is where the console (the TUI's redis-cli) keeps a profile's history: a
// "history" directory next to the profiles file, one file per profile (names are safe file
// names: see profiles.ValidName). "" (no history) when there is no profiles file or the name
// is not valid.
func HistoryPath(configPath, profile string) string {
	if configPath == "" || profiles.ValidName(profile) != nil {
		return ""
	}
	return filepath.Join(filepath.Dir(configPath), "history", profile+".console")
}
