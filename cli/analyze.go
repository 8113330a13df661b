package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/amr-tui/amr-tui/analyze"
	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/profiles"
	"github.com/amr-tui/amr-tui/session"
)

// analyzeFlags are the knobs of `amr-tui analyze`.
type analyzeFlags struct {
	profile       string
	sample        int64
	full          bool
	match         string
	typ           string
	delimiters    []string
	rate          int
	memorySamples int
	encodings     bool
	top           int
	keepIDs       bool
	json          bool
	timeout       time.Duration
}

// newAnalyzeCmd is `amr-tui analyze`, logging in as a real run does.
func newAnalyzeCmd() *cobra.Command { return newAnalyzeCmdWith(auth.Options{}) }

// newAnalyzeCmdWith is newAnalyzeCmd with the auth options tests need (a loopback guard).
func newAnalyzeCmdWith(opts auth.Options) *cobra.Command {
	var f analyzeFlags
	cmd := &cobra.Command{
		Use:   "analyze [-p PROFILE] [--sample N | --full] [--match P] [--type T] [--delimiters D] [--rate N] [--json]",
		Short: "Find where the memory goes: types, big keys, namespaces, TTLs, findings",
		Long: "analyze walks the keyspace once with SCAN and, per key, pipelined TYPE, PTTL, MEMORY USAGE\n" +
			"and the type's length command (never KEYS, never a value read), and reports totals by type,\n" +
			"the biggest keys by memory and by length, namespaces as a tree, the TTL distribution with the\n" +
			"memory that will expire, and findings to act on, each with the command to look.\n\n" +
			"By default it examines a sample — the start of each server's SCAN order, which follows the\n" +
			"hash of the key name, so it is random — of min(100k keys, 10 %) but at least 10k keys, and\n" +
			"extrapolates totals with 95 % confidence intervals; --full examines every key (exact). On an\n" +
			"OSS cluster every primary is walked in parallel, with per-shard totals and their skew.\n\n" +
			"It only reads, so read-only profiles can run it. A server that refuses MEMORY USAGE gets\n" +
			"memory estimated from lengths, and the report says so. --rate caps the commands per second\n" +
			"sent to each server (0: no cap). Progress goes to stderr when it is a terminal; Ctrl-C stops\n" +
			"early and still prints the report of the keys examined, extrapolated (exit status 130).",
		Example: "  amr-tui analyze -p prod\n" +
			"  amr-tui analyze -p prod --full --match 'session:*'\n" +
			"  amr-tui analyze -p prod --json > analysis.json",
		Args:                  cobra.NoArgs,
		DisableFlagsInUseLine: true,
		RunE:                  func(cmd *cobra.Command, _ []string) error { return runAnalyze(cmd, f, opts) },
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.profile, "profile", "p", "", "profile to use (default: the last used)")
	fl.Int64Var(&f.sample, "sample", 0, "examine this many keys (default: min(100k, 10 %), at least 10k)")
	fl.BoolVar(&f.full, "full", false, "examine every key: exact totals")
	fl.StringVar(&f.match, "match", "", "only keys matching this Redis glob")
	fl.StringVar(&f.typ, "type", "", "only keys of this type (string, list, set, zset, hash, stream, or a module type)")
	fl.StringArrayVar(&f.delimiters, "delimiters", nil, "namespace delimiter, repeatable (default \":\")")
	fl.IntVar(&f.rate, "rate", analyze.DefaultRate, "most commands per second sent to each server (0: no cap)")
	fl.IntVar(&f.memorySamples, "memory-samples", analyze.DefaultMemorySamples, "MEMORY USAGE SAMPLES (0: every element, exact but slow on big keys)")
	fl.BoolVar(&f.encodings, "encodings", false, "also count OBJECT ENCODING of every key")
	fl.IntVar(&f.top, "top", analyze.DefaultTopN, "keys in each top list")
	fl.BoolVar(&f.keepIDs, "keep-ids", false, "keep ID-like name segments (numbers, UUIDs) as namespaces instead of folding them into *")
	fl.BoolVar(&f.json, "json", false, "print the report as JSON (schema in the README)")
	fl.DurationVar(&f.timeout, "timeout", 0, "give up on the login and connection after this long (default 30s; 5m for an interactive login)")
	cmd.MarkFlagsMutuallyExclusive("sample", "full")
	return cmd
}

// options turns the flags into analysis options, refusing values that cannot work.
func (f analyzeFlags) options(cmd *cobra.Command) (analyze.Options, error) {
	o := analyze.Options{SampleSize: f.sample, Match: f.match, Type: f.typ, Delimiters: f.delimiters,
		Encodings: f.encodings, TopN: f.top, KeepIDs: f.keepIDs}
	if f.full {
		o.Mode = analyze.Full
	}
	if cmd.Flags().Changed("sample") && f.sample <= 0 {
		return o, fmt.Errorf("--sample %d: give a number of keys above 0, or --full", f.sample)
	}
	switch {
	case f.rate < 0:
		return o, fmt.Errorf("--rate %d: give commands per second, or 0 for no cap", f.rate)
	case f.rate == 0:
		o.Rate = -1
	default:
		o.Rate = f.rate
	}
	switch {
	case f.memorySamples < 0:
		return o, fmt.Errorf("--memory-samples %d: give 0 (every element) or more", f.memorySamples)
	case f.memorySamples == 0:
		o.MemorySamples = -1
	default:
		o.MemorySamples = f.memorySamples
	}
	if f.top <= 0 {
		return o, fmt.Errorf("--top %d: give 1 or more", f.top)
	}
	return o, o.Validate()
}

func runAnalyze(cmd *cobra.Command, f analyzeFlags, opts auth.Options) error {
	o, err := f.options(cmd)
	if err != nil {
		return err
	}
	p, err := execProfile(cmd, f.profile)
	if err != nil {
		return err
	}
	stderr := cmd.ErrOrStderr()
	if p.TLS.InsecureSkipVerify {
		fmt.Fprintf(stderr, "amr-tui: profile %q does NOT verify the server's TLS certificate\n", p.Name)
	}
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	s, err := openAnalyzeSession(ctx, p, opts, f.timeout, stderr)
	if err != nil {
		return err
	}
	defer s.Close()
	run, err := analyze.Start(ctx, s.Client(), o)
	if err != nil {
		return fmt.Errorf("profile %q: %w", p.Name, err)
	}
	stopProgress := showProgress(stderr, run)
	<-run.Done()
	stopProgress()
	rep, runErr := run.Result()
	out := cmd.OutOrStdout()
	if f.json {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else if err := analyze.WriteText(out, rep, analyze.TextOptions{}); err != nil {
		return err
	}
	switch {
	case runErr != nil:
		return fmt.Errorf("profile %q: the analysis stopped early (the report covers the keys examined): %w", p.Name, runErr)
	case rep.Cancelled:
		return exitError{code: 130}
	}
	return nil
}

// openAnalyzeSession logs in with the profile and opens a session (standalone or cluster).
func openAnalyzeSession(ctx context.Context, p profiles.Profile, opts auth.Options, timeout time.Duration, stderr io.Writer) (*session.Session, error) {
	if opts.DeviceCodePrompt == nil {
		opts.DeviceCodePrompt = func(_ context.Context, dp auth.DeviceCodePrompt) error {
			msg := dp.Message
			if msg == "" {
				msg = fmt.Sprintf("To sign in, open %s and enter the code %s", dp.VerificationURL, dp.UserCode)
			}
			fmt.Fprintf(stderr, "amr-tui: profile %q: %s\n", p.Name, msg)
			return nil
		}
	}
	src, err := auth.NewSource(p, opts)
	if err != nil {
		return nil, explainOpen(p, err)
	}
	cfg, err := session.ConfigFromProfile(p)
	if err != nil {
		return nil, fmt.Errorf("profile %q: %w", p.Name, err)
	}
	if timeout <= 0 {
		timeout = defaultOpenTimeout
		if p.Auth.Kind == profiles.AuthDeveloper && (p.Auth.Method == profiles.DeveloperDeviceCode || p.Auth.Method == profiles.DeveloperBrowser) {
			timeout = interactiveOpenTimeout
		}
	}
	octx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	s, err := session.Open(octx, cfg, src)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			return nil, fmt.Errorf("profile %q: connecting to %s timed out after %s: %w", p.Name, cfg.Addr(), timeout, explainOpen(p, err))
		}
		return nil, explainOpen(p, err)
	}
	return s, nil
}

// showProgress redraws one progress line on stderr while the run goes, when stderr is a
// terminal; the returned func stops it and clears the line.
func showProgress(w io.Writer, run *analyze.Run) (stop func()) {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				fmt.Fprint(w, "\r\x1b[K")
				return
			case <-t.C:
				fmt.Fprint(w, "\r\x1b[K"+progressLine(run.Progress()))
			}
		}
	}()
	return func() { close(done); <-finished }
}

// progressLine is "analyzing ▕████▌     ▏ 45 % · 123,456 keys · 45,000 keys/s · ETA 12 s".
func progressLine(p analyze.Progress) string {
	const width = 20
	bar := analyze.Bar(p.Fraction(), 1, width)
	bar += strings.Repeat(" ", max(width-len([]rune(bar)), 0))
	eta := ""
	if p.ETA > 0 {
		eta = " · ETA " + p.ETA.Round(time.Second).String()
	}
	state := "analyzing"
	if p.Paused {
		state = "paused"
	}
	return fmt.Sprintf("%s ▕%s▏ %3.0f %% · %s keys examined · %s keys/s%s", state, bar, p.Fraction()*100,
		analyze.FormatCount(p.Examined), analyze.FormatCount(int64(p.KeysPerSec)), eta)
}
