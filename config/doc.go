// Package config reads amr-tui's settings file, config.toml, which lives next to the profiles
// file: key bindings per screen, the theme, scan sizes, tree delimiters, key-list columns and
// `:` aliases.
//
// The file is validated as the profiles file is: every problem is reported with its file and
// line, keys the program does not know are warnings (a newer config read by an older build still
// works), and a malformed file is never overwritten (amr-tui only reads it; `amr-tui config edit`
// replaces it only with an edited copy that validates). What the UI alone knows — which actions
// and style names exist — it checks through CheckBindings and CheckColors, which report lines too.
//
// config imports no Charm, Redis or Azure package; it stands beside profiles, whose Problem and
// FileError types it reuses so that both files' errors read alike.
package config
