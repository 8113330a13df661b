package cli

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/amr-tui/amr-tui/profiles"
)

func newProfilesAddCmd() *cobra.Command {
	var f profileFlags
	var fromURL string
	cmd := &cobra.Command{
		Use:   "add [NAME]",
		Short: "Add a profile, from flags or by answering prompts",
		Long: "add creates a profile. Give everything with flags (for scripts), or run it on a terminal\n" +
			"and it asks for whatever required value is missing; secrets are asked without echo and\n" +
			"stored in the OS keychain. Where there is no keychain (CI, containers), give a reference:\n" +
			"--client-secret-ref env:NAME or --client-secret-ref file:PATH.",
		Example: "  amr-tui profiles add prod --host prod.westeurope.redis.azure.net --auth developer --method azure-cli\n" +
			"  amr-tui profiles add ci --host x.redis.azure.net --auth service-principal --tenant-id T --client-id C \\\n" +
			"      --client-secret-ref env:AZURE_CLIENT_SECRET\n" +
			"  printf %s \"$KEY\" | amr-tui profiles add cache --host c.redis.cache.windows.net --auth access-key --password-stdin\n" +
			"  amr-tui profiles add local --from-url redis://localhost:6379/0",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c := newConsole(cmd)
			file, err := loadProfiles(cmd)
			if err != nil {
				return err
			}
			name := ""
			if len(args) == 1 {
				name = args[0]
			} else if c.interactive {
				if name, err = c.ask("Profile name", ""); err != nil {
					return err
				}
			} else {
				return errors.New("add needs a profile NAME")
			}
			if err := profiles.ValidName(name); err != nil {
				return err
			}
			if _, exists := file.Get(name); exists {
				return fmt.Errorf("profile %q already exists; change it with `amr-tui profiles edit %s`", name, name)
			}
			p := profiles.Profile{Name: name}
			if fromURL != "" {
				if p, err = profiles.FromURL(name, fromURL); err != nil {
					return fmt.Errorf("--from-url: %w", err)
				}
			}
			if err := f.apply(&p); err != nil {
				return err
			}
			pending := f.stdinSecrets()
			if c.interactive {
				if pending, err = interview(c, &p, pending, false); err != nil {
					return err
				}
			}
			return saveProfile(cmd, c, file, p, pending, nil)
		},
	}
	f.register(cmd.Flags())
	cmd.Flags().StringVar(&fromURL, "from-url", "", "start from a redis:// or rediss://[USER@]HOST[:PORT][/DB] URL")
	return cmd
}

func newProfilesEditCmd() *cobra.Command {
	var f profileFlags
	cmd := &cobra.Command{
		Use:   "edit NAME",
		Short: "Change a profile: only the fields given by flags change",
		Long: "edit changes the fields given by flags and leaves the rest alone. --unset FIELD clears a\n" +
			"field (named as in the file, e.g. tls.ca_file or token) so its default applies again.\n" +
			"Changing --auth starts the auth settings afresh. With no flags on a terminal it asks for\n" +
			"each main setting, showing the current value.",
		Example: "  amr-tui profiles edit prod --read-only --color red\n" +
			"  amr-tui profiles edit prod --client-secret-stdin\n" +
			"  amr-tui profiles edit prod --unset tls.server_name",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c := newConsole(cmd)
			file, old, err := loadNamedProfile(cmd, args[0])
			if err != nil {
				return err
			}
			p := old.Clone()
			if err := f.apply(&p); err != nil {
				return err
			}
			pending := f.stdinSecrets()
			switch {
			case !f.any() && c.interactive:
				if pending, err = interview(c, &p, pending, true); err != nil {
					return err
				}
			case !f.any():
				return errors.New("nothing to change: give flags for the fields to change (see --help)")
			}
			return saveProfile(cmd, c, file, p, pending, &old)
		},
	}
	f.register(cmd.Flags())
	cmd.Flags().StringSliceVar(&f.unset, "unset", nil, "clear a field so its default applies (repeatable), e.g. tls.ca_file")
	return cmd
}

// saveProfile validates p, stores the pending secrets in the keychain, saves the file and
// removes keychain entries that the old version of the profile referenced and p no longer does.
func saveProfile(cmd *cobra.Command, c *console, file *profiles.File, p profiles.Profile, pending []string, old *profiles.Profile) error {
	if len(pending) > 1 && !c.interactive {
		return fmt.Errorf("standard input can carry only one secret; store the others with separate commands or as references")
	}
	for _, field := range pending {
		_ = p.Auth.SetSecretRef(field, profiles.KeyringRef(p.Name, field))
	}
	if err := file.Put(p); err != nil {
		return fmt.Errorf("%w%s", err, interactiveHint(c, err))
	}
	// Storing a secret overwrites the keychain entry PROFILE/FIELD, which an edit's old profile
	// (or another profile) may still use: each entry is read first, so that a command failing
	// later (a secret not given, the file changed on disk meanwhile) puts back what was there.
	var restores []func() error
	undo := func() { undoSecrets(cmd, restores) }
	for _, field := range pending {
		secret, err := c.secret(secretPrompt(p.Name, field))
		if err != nil {
			undo()
			return err
		}
		restore, err := profiles.SnapshotStoredSecret(profiles.KeyringRef(p.Name, field))
		if err == nil {
			_, err = profiles.StoreSecret(p.Name, field, secret)
		}
		if err != nil {
			undo()
			base := secretFlagBase(field)
			return fmt.Errorf("cannot store %s: %w: for example --%s-ref env:NAME or --%s-ref file:PATH", field, err, base, base)
		}
		restores = append(restores, restore)
	}
	if err := file.Save(); err != nil {
		undo()
		return err
	}
	if old != nil {
		dropUnreferenced(cmd, file, *old)
	}
	verb := "Added"
	if old != nil {
		verb = "Saved"
	}
	fmt.Fprintf(cmd.OutOrStdout(), "%s profile %s in %s\n", verb, p.Name, file.Path())
	for _, w := range warnings(p) {
		fmt.Fprintln(cmd.ErrOrStderr(), "warning:", w)
	}
	return nil
}

// undoSecrets puts the keychain back as it was before a failed command, newest change first.
func undoSecrets(cmd *cobra.Command, restores []func() error) {
	for i := len(restores) - 1; i >= 0; i-- {
		if err := restores[i](); err != nil {
			fmt.Fprintln(cmd.ErrOrStderr(), "warning: could not undo a keychain change:", err)
		}
	}
}

func interactiveHint(c *console, err error) string {
	if c.interactive || !strings.Contains(err.Error(), "missing required field") {
		return ""
	}
	return "\n(give the missing values as flags, or run on a terminal to be asked for them)"
}

func secretPrompt(profile, field string) string {
	what := map[string]string{
		profiles.FieldClientSecret:        "Client secret",
		profiles.FieldCertificate:         "Certificate (base64 PKCS#12)",
		profiles.FieldCertificatePassword: "Certificate password",
		profiles.FieldPassword:            "Access key",
	}[field]
	return fmt.Sprintf("%s for profile %s", what, profile)
}

// dropUnreferenced deletes amr-tui's own keychain entries that old used and that no profile in
// file (which already holds the new version, if any) refers to any more.
func dropUnreferenced(cmd *cobra.Command, file *profiles.File, old profiles.Profile) {
	for _, err := range profiles.DropUnreferencedSecrets(file, old) {
		fmt.Fprintln(cmd.ErrOrStderr(), "warning:", err)
	}
}

// interview asks for missing required values (add) or for every main setting with the current
// value as default (edit, all=true). It returns the secret fields to read afterwards.
func interview(c *console, p *profiles.Profile, pending []string, all bool) ([]string, error) {
	ask := func(prompt string, dst *string, required bool) error {
		if !all && (*dst != "" || !required) {
			return nil
		}
		v, err := c.ask(prompt, *dst)
		*dst = v
		return err
	}
	if all {
		if err := ask("Label", &p.Label, false); err != nil {
			return nil, err
		}
	}
	if err := ask("Host (e.g. myredis.westeurope.redis.azure.net)", &p.Host, true); err != nil {
		return nil, err
	}
	kind := string(p.Auth.Kind)
	if kind == "" {
		kind = string(suggestKind(p.Host))
	}
	if all || p.Auth.Kind == "" {
		k, err := c.ask("Auth kind ("+strings.Join(profiles.AuthKindNames(), ", ")+")", kind)
		if err != nil {
			return nil, err
		}
		if profiles.AuthKind(k) != p.Auth.Kind {
			p.Auth = profiles.Auth{Kind: profiles.AuthKind(k)}
		}
	}
	a := &p.Auth
	var err error
	switch a.Kind {
	case profiles.AuthDeveloper:
		method := string(a.Method)
		if method == "" {
			method = string(profiles.DeveloperDefault)
		}
		if all || a.Method == "" {
			if method, err = c.ask("Login method (default, azure-cli, azd, device-code, browser)", method); err != nil {
				return nil, err
			}
		}
		a.Method = profiles.DeveloperMethod(method)
	case profiles.AuthServicePrincipal, profiles.AuthCertificate:
		if err = ask("Tenant ID", &a.TenantID, true); err == nil {
			err = ask("Application (client) ID", &a.ClientID, true)
		}
		if err == nil && a.Kind == profiles.AuthCertificate && a.Certificate == "" {
			if err = ask("Certificate file (PEM or PKCS#12)", &a.CertificateFile, true); err == nil {
				a.CertificateFile, err = profiles.AbsPath(a.CertificateFile)
			}
		}
	case profiles.AuthManagedIdentity:
		if all || (a.ClientID == "" && a.ObjectID == "" && a.ResourceID == "") {
			a.ClientID, err = c.ask("User-assigned identity client ID (empty for system-assigned)", a.ClientID)
		}
	}
	if err != nil {
		return nil, err
	}
	need := map[profiles.AuthKind]string{profiles.AuthServicePrincipal: profiles.FieldClientSecret, profiles.AuthAccessKey: profiles.FieldPassword}
	if field, ok := need[a.Kind]; ok && !slices.Contains(pending, field) {
		if ref, _ := a.SecretRef(field); ref == "" {
			pending = append(pending, field)
		}
	}
	return pending, nil
}

// suggestKind offers Entra for Azure hosts, nothing for local servers, an access key otherwise.
func suggestKind(host string) profiles.AuthKind {
	switch profiles.ClassifyHost(host) {
	case profiles.HostAMR, profiles.HostACR:
		return profiles.AuthDeveloper
	case profiles.HostLocal:
		return profiles.AuthNone
	}
	return profiles.AuthAccessKey
}
