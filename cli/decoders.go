package cli

import (
	"github.com/amr-tui/amr-tui/config"
	"github.com/amr-tui/amr-tui/decode"
)

// userDecoders reads the [decoders.NAME] tables of the config.toml that goes with the profiles
// file at profilesPath. A missing file has none; a file with problems is an error naming each
// problem's line, so a mistyped decoder is never silently ignored.
func userDecoders(profilesPath string) ([]decode.UserDecoder, error) {
	c, err := config.Load(config.PathNextTo(profilesPath))
	if err != nil {
		return nil, err
	}
	return c.Decoders, nil
}
