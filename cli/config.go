package cli

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/amr-tui/amr-tui/config"
	"github.com/amr-tui/amr-tui/ui"
)

// configDir is the directory --config-dir or $AMR_TUI_CONFIG_DIR names, or "".
func configDir(cmd *cobra.Command) string {
	if f := cmd.Flag("config-dir"); f != nil && f.Value.String() != "" {
		return f.Value.String()
	}
	return os.Getenv(config.EnvDir)
}

// settingsPath is config.toml: in the config directory when one is named, else next to the
// profiles file.
func settingsPath(cmd *cobra.Command) (string, error) {
	if dir := configDir(cmd); dir != "" {
		return filepath.Join(dir, config.FileName), nil
	}
	p, err := profilesPath(cmd)
	if err != nil {
		return "", err
	}
	return filepath.Join(filepath.Dir(p), config.FileName), nil
}

func newConfigCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Show, edit or locate the settings file (config.toml)",
		Long: "config.toml holds amr-tui's settings: key bindings per screen, theme colours, SCAN COUNT and\n" +
			"load batch, tree delimiters, key list columns and `:` aliases. It lives next to the profiles\n" +
			"file, or in --config-dir / $" + config.EnvDir + ".",
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "path",
		Short: "Print where config.toml is read from",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, err := settingsPath(cmd)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), p)
			return nil
		},
	})
	cmd.AddCommand(&cobra.Command{
		Use:   "show",
		Short: "Print the settings in effect (defaults included) and every problem of the file",
		Long: "Prints the settings in effect as a config file, defaults included. Problems — a malformed\n" +
			"file, unknown settings, unknown screens, actions or styles, keys bound to two actions — go\n" +
			"to stderr with their line; any problem but an unknown setting makes the exit status 1.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runConfigShow(cmd) },
	})
	cmd.AddCommand(&cobra.Command{
		Use:   "edit",
		Short: "Open config.toml in $VISUAL or $EDITOR; it is saved only when it validates",
		Long: "Opens a copy of config.toml (the documented example when there is none yet) in $VISUAL,\n" +
			"$EDITOR or vi. The file is replaced only when the edit validates; otherwise it is left as it\n" +
			"was and the edited copy is kept, named in the error.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, err := settingsPath(cmd)
			if err != nil {
				return err
			}
			err = config.Edit(p, func(file string) error { return runEditor(cmd, file) })
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "amr-tui: %s\n", p)
			return nil
		},
	})
	return cmd
}

func runConfigShow(cmd *cobra.Command) error {
	p, err := settingsPath(cmd)
	if err != nil {
		return err
	}
	c, err := config.Load(p)
	if err != nil {
		return err
	}
	_, probs := ui.CheckConfig(c)
	out, errOut := cmd.OutOrStdout(), cmd.ErrOrStderr()
	fmt.Fprintf(out, "# settings in effect, read from %s\n", p)
	if _, statErr := os.Stat(p); errors.Is(statErr, os.ErrNotExist) {
		fmt.Fprintln(out, "# (no such file: these are the defaults; `amr-tui config edit` creates it)")
	}
	out.Write(c.TOML())
	for _, w := range c.Warnings {
		fmt.Fprintf(errOut, "amr-tui: warning: %s\n", describe(p, w))
	}
	for _, pr := range probs {
		fmt.Fprintf(errOut, "amr-tui: %s\n", describe(p, pr))
	}
	if len(probs) > 0 {
		return exitError{code: 1}
	}
	return nil
}

func describe(path string, p config.Problem) string {
	s := path
	if p.Line > 0 {
		s += fmt.Sprintf(":%d", p.Line)
	}
	if p.Field != "" {
		s += ": " + p.Field
	}
	return s + ": " + p.Msg
}

// runEditor runs $VISUAL, $EDITOR or vi on file, on the terminal of cmd.
func runEditor(cmd *cobra.Command, file string) error {
	ed := os.Getenv("VISUAL")
	if strings.TrimSpace(ed) == "" {
		ed = os.Getenv("EDITOR")
	}
	if strings.TrimSpace(ed) == "" {
		ed = "vi"
	}
	args := strings.Fields(ed) // as the viewer's $EDITOR edits split it
	c := exec.CommandContext(cmd.Context(), args[0], append(args[1:], file)...)
	c.Stdin, c.Stdout, c.Stderr = cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr()
	return c.Run()
}
