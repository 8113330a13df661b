// Package assets embeds data files shipped inside the binary: themes, the command table,
// example profiles and README screenshots.
package assets

import _ "embed"

// Commands is the Redis command table (names, flags, ACL categories, summaries and argument
// hints) generated from a real redis-server's COMMAND and COMMAND DOCS by
// `go test ./rediscli -run TestCommandTableAsset -update`. The console falls back to it when
// the server refuses COMMAND, as a managed Redis may.
//
//go:embed commands.json
var Commands []byte

// ConfigExample is the documented example settings file, config.toml, that `amr-tui config
// edit` starts from.
//
//go:embed config.example.toml
var ConfigExample []byte
