// Command mangen writes amr-tui's man pages, generated from the CLI itself so they never drift
// from the flags: `go run ./tools/mangen` prints amr-tui.1, `--dir D` writes one page per
// visible command. Release builds run it in goreleaser's before hook.
//
// It is a program of its own, not a hidden `amr-tui man`, so the markdown and roff packages it
// needs are not linked into amr-tui, whose every start would pay for their initialisation
// (about half a millisecond of `amr-tui exec -- PING`'s few).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra/doc"

	"github.com/amr-tui/amr-tui/cli"
)

func main() {
	dir := flag.String("dir", "", "write amr-tui.1 and one page per subcommand into this directory")
	version := flag.String("version", "", "the version named in the pages' footer (default: the build's)")
	flag.Parse()
	if err := run(os.Stdout, *dir, *version); err != nil {
		fmt.Fprintln(os.Stderr, "mangen:", err)
		os.Exit(1)
	}
}

// run writes the root page to out, or every page into dir.
func run(out io.Writer, dir, version string) error {
	root := cli.NewRootCmd(cli.Build{Version: version})
	v, _, _ := strings.Cut(root.Version, " ")
	header := &doc.GenManHeader{Title: "AMR-TUI", Section: "1", Source: "amr-tui " + v, Manual: "amr-tui manual"}
	if dir == "" {
		var buf bytes.Buffer
		if err := doc.GenMan(root, header, &buf); err != nil {
			return err
		}
		_, err := out.Write(buf.Bytes())
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating the man page directory: %w", err)
	}
	root.DisableAutoGenTag = true
	return doc.GenManTree(root, header, dir)
}
