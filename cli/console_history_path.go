package cli

import (
	"path/filepath"

	"github.com/amr-tui/amr-tui/profiles"
)

// consoleHistoryPath is where the console keeps a profile's history: a "history" directory
// next to the profiles file, one file per profile (names are safe file names: see
// profiles.ValidName). "" (no history) when there is no profiles file or the name is not valid.
func consoleHistoryPath(configPath, profile string) string {
	if configPath == "" || profiles.ValidName(profile) != nil {
		return ""
	}
	return filepath.Join(filepath.Dir(configPath), "history", profile+".console")
}
