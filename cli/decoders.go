package cli

import (
	"github.com/amr-tui/amr-tui/config"
	"github.com/amr-tui/amr-tui/decode"
)

// userDecoders reads the [decoders.NAME] tables of the config.toml at settingsFile (see
// settingsPath: --config-dir, $AMR_TUI_CONFIG_DIR, else next to the profiles file). A missing
// file has none; a file with problems is an error naming each problem's line, so a mistyped
// decoder is never silently ignored.
func userDecoders(settingsFile string) ([]decode.UserDecoder, error) {
	c, err := config.Load(settingsFile)
	if err != nil {
		return nil, err
	}
	return c.Decoders, nil
}
