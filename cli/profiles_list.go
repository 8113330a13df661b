package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/amr-tui/amr-tui/profiles"
)

// profileJSON is what list and show print with --json: the profile as stored (secrets only as
// references) plus the endpoint in effect and any warnings.
type profileJSON struct {
	profiles.Profile
	Endpoint profiles.Endpoint `json:"endpoint"`
	LastUsed bool              `json:"last_used,omitempty"`
	Warnings []string          `json:"warnings,omitempty"`
}

func toJSON(file *profiles.File, p profiles.Profile) profileJSON {
	return profileJSON{Profile: p, Endpoint: p.Endpoint(), LastUsed: file.LastUsed() == p.Name, Warnings: warnings(p)}
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func newProfilesListCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List profiles",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			file, err := loadProfiles(cmd)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				list := []profileJSON{}
				for _, n := range file.Names() {
					p, _ := file.Get(n)
					list = append(list, toJSON(file, p))
				}
				return writeJSON(out, list)
			}
			if len(file.Names()) == 0 {
				fmt.Fprintf(out, "No profiles in %s yet; add one with `amr-tui profiles add`.\n", file.Path())
				return nil
			}
			tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "  NAME\tLABEL\tAUTH\tENDPOINT\tFLAGS")
			for _, n := range file.Names() {
				p, _ := file.Get(n)
				mark := " "
				if file.LastUsed() == n {
					mark = "*"
				}
				fmt.Fprintf(tw, "%s %s\t%s\t%s\t%s\t%s\n", mark, p.Name, p.Label, authSummary(p.Auth), p.Endpoint().Addr(), strings.Join(listFlags(p), ","))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func authSummary(a profiles.Auth) string {
	if a.Kind == profiles.AuthDeveloper {
		m := a.Method
		if m == "" {
			m = profiles.DeveloperDefault
		}
		return string(a.Kind) + "/" + string(m)
	}
	return string(a.Kind)
}

// listFlags are the short markers of the list's FLAGS column.
func listFlags(p profiles.Profile) []string {
	var f []string
	if p.ReadOnly {
		f = append(f, "RO")
	}
	if !p.Endpoint().TLS {
		f = append(f, "TLS-off")
	}
	if p.TLS.InsecureSkipVerify {
		f = append(f, "INSECURE")
	}
	if p.Cluster == profiles.ClusterOn {
		f = append(f, "cluster")
	}
	return f
}

// warnings are the cautions shown for a profile; none of them stops it from being used.
func warnings(p profiles.Profile) []string {
	var w []string
	e := p.Endpoint()
	if p.TLS.InsecureSkipVerify {
		w = append(w, "TLS certificate verification is turned off (insecure_skip_verify): anyone on the path can impersonate the server")
	}
	if !e.TLS && p.Auth.Kind != profiles.AuthNone && profiles.ClassifyHost(p.Host) != profiles.HostLocal {
		w = append(w, "TLS is off: credentials travel to "+e.Addr()+" in the clear")
	}
	for _, field := range profiles.SecretFields {
		if ref, _ := p.Auth.SecretRef(field); ref.Warning() != "" {
			w = append(w, field+": "+ref.Warning())
		}
	}
	return w
}

func newProfilesShowCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show NAME",
		Short: "Show a profile (secrets appear only as references)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			file, p, err := loadNamedProfile(cmd, args[0])
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				return writeJSON(out, toJSON(file, p))
			}
			return showText(out, file, p)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func showText(out io.Writer, file *profiles.File, p profiles.Profile) error {
	e := p.Endpoint()
	title := "Profile " + p.Name
	if file.LastUsed() == p.Name {
		title += " (last used)"
	}
	tls := "TLS off"
	if e.TLS {
		tls = "TLS on"
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, title)
	fmt.Fprintf(tw, "  connects to\t%s, %s\n", e.Addr(), tls)
	fmt.Fprintf(tw, "  auth\t%s\n", authSummary(p.Auth))
	if len(p.TreeDelimiters) > 0 {
		quoted := make([]string, len(p.TreeDelimiters))
		for i, d := range p.TreeDelimiters {
			quoted[i] = strconv.Quote(d) // a space or a control byte shows as what it is
		}
		fmt.Fprintf(tw, "  tree folders\tsplit at %s\n", strings.Join(quoted, ", "))
	}
	if p.Auth.Kind.IsEntra() {
		c := p.Token.Config()
		attempts := fmt.Sprintf("up to %d before expiry", c.RetryMaxAttempts)
		if c.RetryMaxAttempts == 0 {
			attempts = "without limit before expiry"
		}
		fmt.Fprintf(tw, "  token refresh\tat %.0f%% of lifetime, at the latest %s before expiry; request timeout %s\n",
			c.RefreshRatio*100, c.LowerRefreshBound, c.RequestTimeout)
		fmt.Fprintf(tw, "  token retries\t%s, every %s growing ×%g up to %s; after expiry every %s until a token comes\n",
			attempts, c.RetryInitialDelay, c.RetryBackoffMultiplier, c.RetryMaxDelay, c.RetryMaxDelay)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	stored, err := p.TOML()
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\nAs stored in %s:\n\n%s", file.Path(), stored)
	for _, w := range warnings(p) {
		fmt.Fprintln(out, "\nwarning:", w)
	}
	return nil
}
