package cli

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/amr-tui/amr-tui/profiles"
)

func newProfilesRemoveCmd() *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:   "remove NAME",
		Short: "Remove a profile (asks first unless --yes)",
		Long: "remove deletes a profile and the keychain entries amr-tui stored for it. Secrets behind\n" +
			"env: and file: references, and keychain entries of other services, are left alone.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c := newConsole(cmd)
			file, p, err := loadNamedProfile(cmd, args[0])
			if err != nil {
				return err
			}
			if !yes {
				if !c.interactive {
					return errors.New("not removing without confirmation: pass --yes")
				}
				ok, err := c.confirm(fmt.Sprintf("Remove profile %s (%s, %s)?", p.Name, p.Endpoint().Addr(), authSummary(p.Auth)))
				if err != nil {
					return err
				}
				if !ok {
					fmt.Fprintln(cmd.OutOrStdout(), "Nothing removed.")
					return nil
				}
			}
			file.Remove(p.Name)
			if err := file.Save(); err != nil {
				return err
			}
			dropUnreferenced(cmd, file, p)
			fmt.Fprintf(cmd.OutOrStdout(), "Removed profile %s from %s\n", p.Name, file.Path())
			return nil
		},
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation")
	return cmd
}

func newProfilesImportEnvCmd() *cobra.Command {
	var toKeychain bool
	cmd := &cobra.Command{
		Use:   "import-env NAME",
		Short: "Add a profile from AZURE_* and REDIS_* environment variables",
		Long: "import-env builds a profile from the variables Azure's docs and samples use:\n" +
			"REDIS_ENDPOINT or REDIS_HOST/REDIS_PORT; AZURE_TENANT_ID, AZURE_CLIENT_ID and\n" +
			"AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH (+ _PASSWORD); REDIS_OBJECT_ID or\n" +
			"REDIS_USERNAME. Secrets are kept as env: references, so the variables must be set when\n" +
			"connecting; --keychain copies them into the OS keychain instead.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			if err := profiles.ValidName(name); err != nil {
				return err
			}
			file, err := loadProfiles(cmd)
			if err != nil {
				return err
			}
			if _, exists := file.Get(name); exists {
				return fmt.Errorf("profile %q already exists; remove it first or pick another name", name)
			}
			p, err := profiles.FromEnv(name, os.Getenv)
			if err != nil {
				return fmt.Errorf("import-env: %w", err)
			}
			if err := file.Put(p); err != nil {
				return err
			}
			var restores []func() error
			if toKeychain {
				for _, field := range profiles.SecretFields {
					ref, _ := p.Auth.SecretRef(field)
					if ref.Scheme() != profiles.SchemeEnv {
						continue
					}
					secret, err := ref.Resolve()
					var restore func() error
					if err == nil {
						restore, err = profiles.SnapshotStoredSecret(profiles.KeyringRef(name, field))
					}
					if err == nil {
						ref, err = profiles.StoreSecret(name, field, secret)
					}
					if err != nil {
						undoSecrets(cmd, restores)
						return fmt.Errorf("--keychain: %s: %w", field, err)
					}
					restores = append(restores, restore)
					_ = p.Auth.SetSecretRef(field, ref)
				}
				if err := file.Put(p); err != nil {
					undoSecrets(cmd, restores)
					return err
				}
			}
			if err := file.Save(); err != nil {
				undoSecrets(cmd, restores)
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Added profile %s (%s, %s) in %s\n", name, p.Endpoint().Addr(), authSummary(p.Auth), file.Path())
			return nil
		},
	}
	cmd.Flags().BoolVar(&toKeychain, "keychain", false, "copy secrets from the environment into the OS keychain")
	return cmd
}
