package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/doctor"
	"github.com/amr-tui/amr-tui/profiles"
)

// doctorFlags are the knobs of `amr-tui doctor`.
type doctorFlags struct {
	profile string
	json    bool
	timeout time.Duration
}

// newDoctorCmd is `amr-tui doctor`, logging in as a real run does.
func newDoctorCmd() *cobra.Command { return newDoctorCmdWith(doctor.Options{}) }

// newDoctorCmdWith is newDoctorCmd with the options tests need (a loopback guard, a clock).
func newDoctorCmdWith(opts doctor.Options) *cobra.Command {
	var f doctorFlags
	cmd := &cobra.Command{
		Use:   "doctor [-p PROFILE] [--json] [--timeout D]",
		Short: "Check a profile step by step and explain the first failure",
		Long: "doctor checks a profile the way a connection goes, one step at a time, and stops at the\n" +
			"first failure with its cause and the likely fix:\n\n" +
			"  profile  the profile is valid and its TLS files readable\n" +
			"  secrets  its secret references resolve (never printed) and its files are readable\n" +
			"  dns      the host resolves\n" +
			"  tcp      the port accepts a connection\n" +
			"  tls      the handshake: certificate names, expiry, CA (tls.ca_file)\n" +
			"  token    a token from the credential: oid, aud, tid, exp, and clock skew against its iat\n" +
			"  auth     AUTH with the object ID (or the access key) accepted\n" +
			"  ping     PING answers PONG\n" +
			"  info, scan, command, write\n" +
			"           the permissions amr-tui needs: INFO, SCAN, COMMAND INFO, and a SET and DEL of\n" +
			"           a scratch key " + doctor.ScratchKeyPrefix + "… with a 30s TTL (skipped for read_only profiles)\n" +
			"  cluster  the clustering policy (OSS cluster and its shards, or not clustered) fits the\n" +
			"           profile's cluster setting\n\n" +
			"Each step prints PASS, WARN (passed, but something wants fixing), FAIL or SKIP, with its\n" +
			"time. --json prints one JSON document instead: {profile, ok, steps: [{name, status,\n" +
			"duration_ms, detail, cause, fix}]}.\n\n" +
			"Exit status: 0 when no step failed, 1 when one did.",
		Example: "  amr-tui doctor -p prod\n  amr-tui doctor -p prod --json",
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, _ []string) error { return runDoctor(cmd, f, opts) },
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.profile, "profile", "p", "", "profile to check (default: the last used)")
	fl.BoolVar(&f.json, "json", false, "print the report as one JSON document")
	fl.DurationVar(&f.timeout, "timeout", 0, "give up on each step after this long (default 10s; 30s for the token, 5m for a device code or browser login)")
	return cmd
}

func runDoctor(cmd *cobra.Command, f doctorFlags, opts doctor.Options) error {
	out := cmd.OutOrStdout()
	rep, err := doctorReport(cmd, f, opts)
	if err != nil {
		return err
	}
	if f.json {
		if err := rep.WriteJSON(out); err != nil {
			return err
		}
	} else if _, err := fmt.Fprint(out, rep.Summary()); err != nil {
		return err
	}
	if !rep.OK {
		return exitError{code: 1}
	}
	return nil
}

// doctorReport loads the profile and runs doctor on it; the text form is printed step by step
// as it goes. A profiles file that does not load, or a missing profile, is a failed profile step.
func doctorReport(cmd *cobra.Command, f doctorFlags, opts doctor.Options) (doctor.Report, error) {
	out, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
	printSteps := func(rep doctor.Report) {
		if !f.json {
			for _, s := range rep.Steps {
				fmt.Fprint(out, doctor.FormatStep(s))
			}
		}
	}
	file, err := loadProfiles(cmd)
	if err != nil {
		var fe *profiles.FileError
		if !errors.As(err, &fe) {
			return doctor.Report{}, err
		}
		rep := doctor.FailedLoad(f.profile, err, "fix the profiles file "+fe.Path+": each line above gives the line, the profile, the field and what it expects")
		printSteps(rep)
		return rep, nil
	}
	name := f.profile
	if name == "" {
		name = file.LastUsed()
	}
	if name == "" {
		return doctor.Report{}, fmt.Errorf("no profile given (-p NAME) and none used before; profiles in %s: %v", file.Path(), file.Names())
	}
	p, ok := file.Get(name)
	if !ok {
		rep := doctor.FailedLoad(name, fmt.Errorf("no profile named %q in %s", name, file.Path()),
			fmt.Sprintf("pick one of %v, or add it with `amr-tui profiles add %s …`", file.Names(), name))
		printSteps(rep)
		return rep, nil
	}
	if f.timeout > 0 {
		opts.StepTimeout = f.timeout
	}
	if opts.Auth.DeviceCodePrompt == nil {
		opts.Auth.DeviceCodePrompt = func(_ context.Context, dp auth.DeviceCodePrompt) error {
			msg := dp.Message
			if msg == "" {
				msg = fmt.Sprintf("To sign in, open %s and enter the code %s", dp.VerificationURL, dp.UserCode)
			}
			fmt.Fprintf(stderr, "amr-tui: profile %q: %s\n", p.Name, msg)
			return nil
		}
	}
	if !f.json {
		next := opts.OnStep
		opts.OnStep = func(s doctor.Step) {
			fmt.Fprint(out, doctor.FormatStep(s))
			if next != nil {
				next(s)
			}
		}
	}
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	return doctor.Run(ctx, p, opts), nil
}
