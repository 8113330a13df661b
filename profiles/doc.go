// Package profiles holds saved connection profiles: their format, validation, atomic storage in
// one TOML file, and references to secrets that are never stored in plain text.
//
// It is a leaf package: no Azure, Redis or UI imports.
package profiles
