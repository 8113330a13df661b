// Package bulkcli is the command line of the bulk operations: `amr-tui delete`, `expire`,
// `export`, `import` and `copy`. Each shows a preview first (how many keys, a sample of names,
// for delete the memory freed), asks for the target profile's name to be typed before it
// changes anything (or takes --yes), draws a progress bar on stderr when stderr is a terminal,
// and ends with a report of exactly what was done, also after Ctrl-C.
//
// The commands reach profiles through an Opener, so that this package depends neither on how
// profiles are signed in to nor on the CLI's layout.
package bulkcli
