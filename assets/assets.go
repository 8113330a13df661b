// Package assets embeds data files shipped inside the binary: themes, the command table,
// example profiles and README screenshots.
package assets
