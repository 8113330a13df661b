package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/amr-tui/amr-tui/profiles"
)

func newProfilesCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "profiles",
		Short: "List, show, add, edit and remove connection profiles",
		Long: "A profile says where to connect and how to log in. Profiles live in one TOML file:\n" +
			"--config, else $" + profiles.EnvConfig + ", else profiles.toml in amr-tui's user config directory.\n\n" +
			"Secrets are never written to that file: a secret field holds a reference —\n" +
			"keyring:SERVICE/ACCOUNT (the OS keychain), env:NAME or file:PATH. The --*-stdin flags\n" +
			"read a secret (hidden prompt on a terminal, else standard input) into the keychain.",
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newProfilesListCmd(), newProfilesShowCmd(), newProfilesAddCmd(), newProfilesEditCmd(),
		newProfilesRemoveCmd(), newProfilesImportEnvCmd())
	return cmd
}

// profilesPath is the profiles file: --config wins over $AMR_TUI_CONFIG, then profiles.toml in
// the config directory (--config-dir or $AMR_TUI_CONFIG_DIR), then the default.
func profilesPath(cmd *cobra.Command) (string, error) {
	if f := cmd.Flag("config"); f != nil && f.Value.String() != "" {
		return f.Value.String(), nil
	}
	if dir := configDir(cmd); dir != "" && os.Getenv(profiles.EnvConfig) == "" {
		return filepath.Join(dir, "profiles.toml"), nil
	}
	return profiles.DefaultPath()
}

func loadProfiles(cmd *cobra.Command) (*profiles.File, error) {
	path, err := profilesPath(cmd)
	if err != nil {
		return nil, err
	}
	return profiles.Load(path)
}

// loadNamedProfile loads the profiles file and the named profile in it; a missing profile is an
// error naming the file.
func loadNamedProfile(cmd *cobra.Command, name string) (*profiles.File, profiles.Profile, error) {
	file, err := loadProfiles(cmd)
	if err != nil {
		return nil, profiles.Profile{}, err
	}
	p, ok := file.Get(name)
	if !ok {
		return nil, profiles.Profile{}, fmt.Errorf("no profile named %q in %s", name, file.Path())
	}
	return file, p, nil
}

// Terminal access is indirect so tests can play an interactive user.
var (
	isTerminal   = func(r io.Reader) bool { f, ok := r.(*os.File); return ok && term.IsTerminal(int(f.Fd())) }
	readPassword = func(c *console) ([]byte, error) { return term.ReadPassword(int(c.in.(*os.File).Fd())) }
)

// console asks the user for values: prompts go to stderr so stdout stays clean for scripts.
type console struct {
	in          io.Reader
	lines       *bufio.Reader
	prompts     io.Writer
	interactive bool
}

func newConsole(cmd *cobra.Command) *console {
	in := cmd.InOrStdin()
	return &console{in: in, lines: bufio.NewReader(in), prompts: cmd.ErrOrStderr(), interactive: isTerminal(in)}
}

// ask prompts for one line; def is shown and returned for an empty answer.
func (c *console) ask(prompt, def string) (string, error) {
	if def != "" {
		fmt.Fprintf(c.prompts, "%s [%s]: ", prompt, def)
	} else {
		fmt.Fprintf(c.prompts, "%s: ", prompt)
	}
	line, err := c.lines.ReadString('\n')
	if err != nil && (!errors.Is(err, io.EOF) || line == "") {
		return "", fmt.Errorf("reading answer: %w", err)
	}
	if line = strings.TrimSpace(line); line == "" {
		return def, nil
	}
	return line, nil
}

// confirm asks a yes/no question; anything but y/yes is no.
func (c *console) confirm(prompt string) (bool, error) {
	ans, err := c.ask(prompt+" [y/N]", "")
	if err != nil {
		return false, err
	}
	ans = strings.ToLower(ans)
	return ans == "y" || ans == "yes", nil
}

// secret reads a secret: a hidden prompt on a terminal, otherwise all of standard input
// (minus one trailing newline), so `pass show x | amr-tui profiles edit p --password-stdin` works.
func (c *console) secret(prompt string) (string, error) {
	var s string
	if c.interactive {
		fmt.Fprintf(c.prompts, "%s (input hidden): ", prompt)
		b, err := readPassword(c)
		fmt.Fprintln(c.prompts)
		if err != nil {
			return "", fmt.Errorf("reading secret: %w", err)
		}
		s = string(b)
	} else {
		b, err := io.ReadAll(io.LimitReader(c.lines, 1<<20))
		if err != nil {
			return "", fmt.Errorf("reading secret from standard input: %w", err)
		}
		s = strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	}
	if s == "" {
		return "", errors.New("no secret given (empty input)")
	}
	return s, nil
}
