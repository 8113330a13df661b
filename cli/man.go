package cli

import (
	"bytes"
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// newManCmd is the hidden `amr-tui man`: the man pages generated from the CLI itself, so they
// never drift from the flags. Release builds run it in a goreleaser before hook and ship the
// pages in the archives and packages.
func newManCmd() *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:    "man",
		Short:  "Write the man pages (amr-tui.1 to stdout, or every page into --dir)",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			root := cmd.Root()
			header := &doc.GenManHeader{Title: "AMR-TUI", Section: "1", Source: "amr-tui " + version, Manual: "amr-tui manual"}
			if dir == "" {
				var buf bytes.Buffer
				if err := doc.GenMan(root, header, &buf); err != nil {
					return err
				}
				_, err := cmd.OutOrStdout().Write(buf.Bytes())
				return err
			}
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return fmt.Errorf("creating the man page directory: %w", err)
			}
			root.DisableAutoGenTag = true
			return doc.GenManTree(root, header, dir)
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "", "write amr-tui.1 and one page per subcommand into this directory")
	return cmd
}
