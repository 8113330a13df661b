package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/amr-tui/amr-tui/emulator"
)

// demoControlEnv names the variable `demo fault` reads the control URL from without --url.
const demoControlEnv = "AMR_TUI_DEMO_CONTROL"

// newDemoFaultCmd is `amr-tui demo fault KIND`: it injects one of the emulator's faults into a
// running `demo --serve` through its loopback control endpoint.
func newDemoFaultCmd() *cobra.Command {
	var url string
	var f emulator.Fault
	kinds := make([]string, 0, len(emulator.FaultKinds)+1)
	for _, k := range emulator.FaultKinds {
		kinds = append(kinds, string(k))
	}
	kinds = append(kinds, "status")
	cmd := &cobra.Command{
		Use:   "fault KIND",
		Short: "Inject a fault into a running `demo --serve` (rehearse an outage)",
		Long: "fault talks to the control endpoint of a running `amr-tui demo --serve` (the \"control\" URL in\n" +
			"its JSON line, given with --url or $" + demoControlEnv + ") and injects one fault:\n\n" +
			"  entra-down          every Entra endpoint resets its connections (--for bounds it)\n" +
			"  entra-slow          every Entra answer waits --latency (--for bounds it)\n" +
			"  entra-fail          every token request fails with --code AADSTS… (--status, --for)\n" +
			"  entra-up            Entra back: ends every Entra fault at once\n" +
			"  close-connections   the gate drops every client connection, as a network blip would\n" +
			"  backend-restart     the Redis the demo started restarts (down --for, 1s by\n" +
			"                      default; its data is kept)\n" +
			"  status              print the demo's counters (tokens requested, AUTHs, connections)\n\n" +
			"Faults without --for last until entra-up.",
		Example:   "  amr-tui demo fault --url \"$URL\" entra-down --for 2m\n  amr-tui demo fault entra-fail --code AADSTS7000215 --status 401",
		Args:      cobra.ExactArgs(1),
		ValidArgs: kinds,
		RunE: func(cmd *cobra.Command, args []string) error {
			if url == "" {
				url = os.Getenv(demoControlEnv)
			}
			if url == "" {
				return errors.New("no control URL: pass --url (the \"control\" field of `demo --serve`'s JSON line) or set " + demoControlEnv)
			}
			if args[0] == "status" {
				st, err := emulator.FetchStatus(cmd.Context(), url)
				if err != nil {
					return err
				}
				return json.NewEncoder(cmd.OutOrStdout()).Encode(st)
			}
			f.Kind = emulator.FaultKind(args[0])
			did, err := emulator.InjectFault(cmd.Context(), url, f)
			if err != nil {
				return fmt.Errorf("demo fault %s: %w", args[0], err)
			}
			_, err = fmt.Fprintln(cmd.OutOrStdout(), did)
			return err
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&url, "url", "", "the demo's control URL (default $"+demoControlEnv+")")
	fl.StringVar(&f.For, "for", "", "how long the fault lasts (backend-restart: how long Redis stays down)")
	fl.StringVar(&f.Latency, "latency", "", "entra-slow: the delay of every answer, e.g. 5s")
	fl.StringVar(&f.Code, "code", "", "entra-fail: the AADSTS code, e.g. AADSTS7000215")
	fl.IntVar(&f.Status, "status", 0, "entra-fail: the HTTP status (default 400)")
	fl.StringVar(&f.Description, "description", "", "entra-fail: the error's text")
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return fmt.Errorf("%w (kinds: %s)", err, strings.Join(kinds, ", "))
	})
	return cmd
}
