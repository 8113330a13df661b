package bulkcli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/amr-tui/amr-tui/bulk"
)

// common are the flags every bulk command shares.
type common struct {
	profile string
	match   string
	typ     string
	dryRun  bool
	yes     bool
	rate    float64
	journal string
}

func (c *common) selection() bulk.Selection { return bulk.Selection{Match: c.match, Type: c.typ} }

func addSelection(cmd *cobra.Command, c *common) {
	cmd.Flags().StringVar(&c.match, "match", "", "SCAN MATCH glob selecting the keys (e.g. 'tmp:*')")
	cmd.Flags().StringVar(&c.typ, "type", "", "only keys of this type (string, list, set, zset, hash, stream, or a module type)")
}

func addSafety(cmd *cobra.Command, c *common) {
	cmd.Flags().BoolVar(&c.dryRun, "dry-run", false, "show the preview and stop: nothing is changed")
	cmd.Flags().BoolVarP(&c.yes, "yes", "y", false, "do not ask for the profile name (required when standard input is not a terminal)")
	cmd.Flags().Float64Var(&c.rate, "rate", 0, "at most this many keys per second (0: no cap)")
}

const safetyHelp = "\n\nA preview comes first: how many keys, a sample of their names. Then the profile's name\n" +
	"must be typed to go on (--yes skips the question; without a terminal on standard input\n" +
	"--yes is required, so a script never reads its answer from piped data). A read-only profile\n" +
	"refuses the command before anything is sent. A progress bar is drawn on stderr when it is\n" +
	"a terminal; Ctrl-C stops after the batch in flight, and the report says exactly what was\n" +
	"done. Exit status: 0 when everything was done, 1 otherwise."

// Commands returns delete, expire, export, import and copy.
func Commands(open Opener, env func() Env) []*cobra.Command {
	return []*cobra.Command{DeleteCmd(open, env), ExpireCmd(open, env), ExportCmd(open, env), ImportCmd(open, env), CopyCmd(open, env)}
}

func openTarget(ctx context.Context, open Opener, name, flag string) (*Target, error) {
	if name == "" {
		return nil, fmt.Errorf("%s is required: name the profile this acts on", flag)
	}
	return open(ctx, name)
}

// DeleteCmd is `amr-tui delete`.
func DeleteCmd(open Opener, env func() Env) *cobra.Command {
	var c common
	var noMemory bool
	cmd := &cobra.Command{
		Use:   "delete -p PROFILE --match PATTERN [--type T] [--dry-run] [--yes]",
		Short: "Delete the keys matching a pattern (UNLINK), after a preview and a confirmation",
		Long: "delete walks the keyspace with SCAN MATCH (every primary of a cluster in parallel) and\n" +
			"removes the keys found with UNLINK. With --type, each key's type is checked again in the\n" +
			"step that removes it, so a key recreated with another type meanwhile is left alone.\n" +
			"The preview also gives the memory the keys use (MEMORY USAGE; --no-memory skips it)." + safetyHelp,
		Example: "  amr-tui delete -p dev --match 'tmp:*' --dry-run\n  amr-tui delete -p dev --match 'cache:*' --type hash --journal deleted.jsonl",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if c.match == "" {
				return errors.New("--match is required (use --match '*' to mean every key)")
			}
			return mutate(cmd.Context(), env(), open, &c, "delete", !noMemory, func(ctx context.Context, t *Target, o bulk.MutateOptions) (bulk.Report, error) {
				return bulk.Delete(ctx, t.Client, c.selection(), o)
			})
		},
	}
	cmd.Flags().StringVarP(&c.profile, "profile", "p", "", "profile to act on (required)")
	addSelection(cmd, &c)
	addSafety(cmd, &c)
	cmd.Flags().BoolVar(&noMemory, "no-memory", false, "leave the memory figure out of the preview (one MEMORY USAGE per key)")
	cmd.Flags().StringVar(&c.journal, "journal", "", "write the name of each key deleted to this file (one jsonl string a line)")
	return cmd
}

// ExpireCmd is `amr-tui expire`.
func ExpireCmd(open Opener, env func() Env) *cobra.Command {
	var c common
	var ttl string
	var persist bool
	cmd := &cobra.Command{
		Use:   "expire -p PROFILE --match PATTERN (--ttl D | --persist) [--type T] [--dry-run] [--yes]",
		Short: "Set or remove the TTL of the keys matching a pattern, after a preview and a confirmation",
		Long: "expire sets a TTL (PEXPIRE) on every key matching the pattern, counted from the moment\n" +
			"each key is reached, or removes it (--persist). --ttl takes a duration (90s, 15m, 2h, 7d)\n" +
			"or a number of seconds." + safetyHelp,
		Example: "  amr-tui expire -p dev --match 'session:*' --ttl 24h\n  amr-tui expire -p dev --match 'config:*' --persist",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if c.match == "" {
				return errors.New("--match is required (use --match '*' to mean every key)")
			}
			var spec bulk.ExpireSpec
			switch {
			case persist && ttl != "":
				return errors.New("--ttl and --persist exclude each other")
			case persist:
				spec.Persist = true
			case ttl == "":
				return errors.New("give --ttl DURATION or --persist")
			default:
				d, err := parseTTL(ttl)
				if err != nil {
					return err
				}
				spec.TTL = d
			}
			what := "expire"
			if persist {
				what = "persist"
			}
			return mutate(cmd.Context(), env(), open, &c, what, false, func(ctx context.Context, t *Target, o bulk.MutateOptions) (bulk.Report, error) {
				return bulk.Expire(ctx, t.Client, c.selection(), spec, o)
			})
		},
	}
	cmd.Flags().StringVarP(&c.profile, "profile", "p", "", "profile to act on (required)")
	addSelection(cmd, &c)
	addSafety(cmd, &c)
	cmd.Flags().StringVar(&ttl, "ttl", "", "TTL to set: a duration (90s, 15m, 2h, 7d) or seconds")
	cmd.Flags().BoolVar(&persist, "persist", false, "remove the TTL instead")
	cmd.Flags().StringVar(&c.journal, "journal", "", "write the name of each key changed to this file")
	return cmd
}

// parseTTL reads "90s", "15m", "2h", "7d" or a number of seconds.
func parseTTL(s string) (time.Duration, error) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
		return time.Duration(n) * time.Second, nil
	}
	if d, ok := strings.CutSuffix(s, "d"); ok {
		if n, err := strconv.ParseFloat(d, 64); err == nil && n > 0 {
			return time.Duration(n * float64(24*time.Hour)), nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < time.Millisecond {
		return 0, fmt.Errorf("--ttl %q: want a positive duration such as 90s, 15m, 2h or 7d, or a number of seconds", s)
	}
	return d, nil
}

func mutate(ctx context.Context, e Env, open Opener, c *common, what string, memory bool,
	do func(context.Context, *Target, bulk.MutateOptions) (bulk.Report, error)) error {
	t, err := openTarget(ctx, open, c.profile, "-p/--profile")
	if err != nil {
		return err
	}
	defer t.Close()
	if t.ReadOnly {
		return fmt.Errorf("profile %q is read-only: %s is refused (nothing was sent)", t.Name, what)
	}
	if err := t.connect(ctx); err != nil {
		return err
	}
	pre, err := preview(ctx, e, t, c.selection(), bulk.PreviewOptions{Memory: memory})
	if err != nil {
		return err
	}
	e.printPreview(fmt.Sprintf("%s on %q", what, t.Name), pre, memory)
	if pre.Count == 0 || c.dryRun {
		if c.dryRun {
			fmt.Fprintln(e.Err, "dry run: nothing was changed")
		}
		return nil
	}
	if err := e.confirm(what+" these keys", t.Name, c.yes); err != nil {
		return err
	}
	ctl := bulk.NewControl(c.rate)
	ctl.SetTotal(pre.Count)
	opts := bulk.MutateOptions{Control: ctl}
	var jf *os.File
	if c.journal != "" {
		if jf, err = os.OpenFile(c.journal, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600); err != nil {
			return fmt.Errorf("--journal: %w", err)
		}
		opts.Journal = jf
	}
	b := startBar(e.Err, e.ErrTTY, ctl, verbOf(what))
	rep, err := do(ctx, t, opts)
	b.close()
	if jf != nil {
		if cerr := jf.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("--journal: %w", cerr)
		}
	}
	e.printReport(rep, c.journal)
	if err == nil && rep.Failed > 0 {
		err = fmt.Errorf("%d keys failed", rep.Failed)
	}
	return err
}

func verbOf(what string) string {
	switch what {
	case "delete":
		return "deleted"
	case "expire", "persist":
		return "done"
	case "export":
		return "exported"
	}
	return "written"
}

// preview runs bulk.Preview with a counter on the terminal for long walks.
func preview(ctx context.Context, e Env, t *Target, sel bulk.Selection, o bulk.PreviewOptions) (bulk.PreviewResult, error) {
	ctl := bulk.NewControl(0)
	b := startBar(e.Err, e.ErrTTY, ctl, "counted")
	res, err := bulk.Preview(ctx, t.Client, sel, o, ctl)
	b.close()
	if err != nil {
		return res, fmt.Errorf("preview: %w", err)
	}
	return res, nil
}

// ExportCmd is `amr-tui export`.
func ExportCmd(open Opener, env func() Env) *cobra.Command {
	var c common
	var out, format string
	cmd := &cobra.Command{
		Use:   "export -p PROFILE [--match P] [--type T] [-o FILE] [--format jsonl|dump]",
		Short: "Write keys to a file: readable typed values (jsonl) or DUMP payloads (dump)",
		Long: "export writes the selected keys (every key without --match) to FILE, or to standard output\n" +
			"with -o - (the default). jsonl carries each value in readable typed form; dump carries\n" +
			"DUMP payloads for exact copies between servers of compatible versions. Both formats\n" +
			"are described in the README (\"Export formats\"). A file is written under FILE.partial\n" +
			"and renamed when the export is complete, so FILE is never a cut export. Reading is allowed\n" +
			"on read-only profiles.",
		Example: "  amr-tui export -p prod --match 'user:42:*' -o user42.jsonl\n  amr-tui export -p prod --format dump -o backup.dump",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f, err := bulk.ParseFormat(format)
			if err != nil {
				return err
			}
			return runExport(cmd.Context(), env(), open, &c, out, f)
		},
	}
	cmd.Flags().StringVarP(&c.profile, "profile", "p", "", "profile to read (default: the last used)")
	addSelection(cmd, &c)
	cmd.Flags().StringVarP(&out, "output", "o", "-", "file to write (- for standard output)")
	cmd.Flags().StringVar(&format, "format", "jsonl", "jsonl or dump")
	cmd.Flags().Float64Var(&c.rate, "rate", 0, "at most this many keys per second (0: no cap)")
	return cmd
}

func runExport(ctx context.Context, e Env, open Opener, c *common, out string, f bulk.Format) error {
	t, err := open(ctx, c.profile)
	if err != nil {
		return err
	}
	defer t.Close()
	if err := t.connect(ctx); err != nil {
		return err
	}
	ctl := bulk.NewControl(c.rate)
	if e.ErrTTY { // a total for the bar's ETA: SCAN alone is cheap next to reading values
		pre, err := preview(ctx, e, t, c.selection(), bulk.PreviewOptions{Sample: -1})
		if err != nil {
			return err
		}
		ctl.SetTotal(pre.Count)
	}
	var w io.Writer = e.Out
	var file *os.File
	partial := out + ".partial"
	if out != "-" && out != "" {
		if file, err = os.OpenFile(partial, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600); err != nil {
			return err
		}
		w = file
	}
	bw := newBufWriter(w)
	b := startBar(e.Err, e.ErrTTY, ctl, "exported")
	rep, err := bulk.Export(ctx, t.Client, c.selection(), bw, bulk.ExportOptions{Format: f, Control: ctl})
	if ferr := bw.Flush(); ferr != nil && err == nil {
		err = ferr
	}
	b.close()
	if file != nil {
		if cerr := file.Close(); cerr != nil && err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Rename(partial, out)
		} else {
			fmt.Fprintf(e.Err, "the export is incomplete: what was written is in %s\n", partial)
		}
	}
	e.printReport(rep, "")
	return err
}

// ImportCmd is `amr-tui import`.
func ImportCmd(open Opener, env func() Env) *cobra.Command {
	var c common
	var conflict, ttl string
	cmd := &cobra.Command{
		Use:   "import -p PROFILE FILE [--on-conflict skip|replace|fail] [--ttl keep|none]",
		Short: "Write the keys of an export file (jsonl or dump) to a profile",
		Long: "import checks the whole file first (a malformed line is reported and nothing is written),\n" +
			"then writes each key whole or not at all: RESTORE for dump files, typed writes in\n" +
			"pipelined batches for jsonl, a value too big for one command built under a temporary\n" +
			"name and renamed into place. --on-conflict says what happens to keys that exist: skip\n" +
			"(default) leaves them, replace overwrites them, fail refuses the file if any exists.\n" +
			"--ttl keep (default) gives each key the expiry it had on the source (keys already\n" +
			"expired are not written); --ttl none writes keys without TTLs. An interrupted import run\n" +
			"again reaches the same end state as one uninterrupted run." + safetyHelp,
		Example: "  amr-tui import -p local backup.jsonl\n  amr-tui import -p local backup.dump --on-conflict replace --yes",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			rule, err := bulk.ParseConflict(conflict)
			if err != nil {
				return err
			}
			drop, err := parseTTLMode(ttl)
			if err != nil {
				return err
			}
			return runImport(cmd.Context(), env(), open, &c, args[0], rule, drop)
		},
	}
	cmd.Flags().StringVarP(&c.profile, "profile", "p", "", "profile to write to (required)")
	cmd.Flags().StringVar(&conflict, "on-conflict", "skip", "skip, replace or fail")
	cmd.Flags().StringVar(&ttl, "ttl", "keep", "keep or none")
	addSafety(cmd, &c)
	return cmd
}

func parseTTLMode(s string) (drop bool, err error) {
	switch s {
	case "keep":
		return false, nil
	case "none":
		return true, nil
	}
	return false, fmt.Errorf("--ttl %q: keep or none", s)
}

func runImport(ctx context.Context, e Env, open Opener, c *common, path string, rule bulk.Conflict, dropTTL bool) error {
	openFile := func() (io.ReadCloser, error) { return os.Open(path) }
	f, err := openFile() // a missing file is reported before signing in
	if err != nil {
		return err
	}
	_ = f.Close()
	t, err := openTarget(ctx, open, c.profile, "-p/--profile")
	if err != nil {
		return err
	}
	defer t.Close()
	if t.ReadOnly {
		return fmt.Errorf("profile %q is read-only: import is refused (nothing was sent)", t.Name)
	}
	if err := t.connect(ctx); err != nil {
		return err
	}
	pre, err := bulk.PreviewFile(ctx, t.Client, openFile, 20)
	if err != nil {
		return err
	}
	pre.Selection = fmt.Sprintf("%s (%s)", path, pre.Selection)
	e.printPreview(fmt.Sprintf("import into %q", t.Name), pre, false)
	if pre.Existing > 0 {
		fmt.Fprintf(e.Err, "  existing keys: %s\n", map[bulk.Conflict]string{bulk.ConflictSkip: "left as they are (--on-conflict skip)",
			bulk.ConflictReplace: "overwritten (--on-conflict replace)", bulk.ConflictFail: "the import is refused (--on-conflict fail)"}[rule])
		if rule == bulk.ConflictFail {
			return fmt.Errorf("%w; nothing was written", bulk.ErrConflict)
		}
	}
	if pre.Count == 0 || c.dryRun {
		if c.dryRun {
			fmt.Fprintln(e.Err, "dry run: nothing was changed")
		}
		return nil
	}
	if err := e.confirm("import these keys", t.Name, c.yes); err != nil {
		return err
	}
	ctl := bulk.NewControl(c.rate)
	b := startBar(e.Err, e.ErrTTY, ctl, "written")
	rep, err := bulk.Import(ctx, t.Client, openFile, bulk.ImportOptions{Conflict: rule, DropTTL: dropTTL, Control: ctl, Pipe: t.Pipe})
	b.close()
	e.printReport(rep, "")
	if err == nil && rep.Failed > 0 {
		err = fmt.Errorf("%d keys failed", rep.Failed)
	}
	return err
}

// CopyCmd is `amr-tui copy`.
func CopyCmd(open Opener, env func() Env) *cobra.Command {
	var c common
	var from, to, conflict, ttl, mode string
	cmd := &cobra.Command{
		Use:   "copy --from PROFILE --to PROFILE [--match P] [--type T] [--on-conflict …] [--ttl keep|none]",
		Short: "Copy keys from one profile to another (DUMP/RESTORE when the versions allow, typed otherwise)",
		Long: "copy reads the selected keys of --from (every key without --match) and writes them to\n" +
			"--to, each whole or not at all, under the conflict rule of import. --mode auto (default)\n" +
			"uses DUMP/RESTORE and switches to typed reads and writes when the target cannot read\n" +
			"the source's payloads (another RDB version); dump and typed force one way. --from may be\n" +
			"a read-only profile; --to may not. The name typed to confirm is --to's." + safetyHelp,
		Example: "  amr-tui copy --from prod --to local --match 'order:1234:*'",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rule, err := bulk.ParseConflict(conflict)
			if err != nil {
				return err
			}
			drop, err := parseTTLMode(ttl)
			if err != nil {
				return err
			}
			m, err := bulk.ParseCopyMode(mode)
			if err != nil {
				return err
			}
			return runCopy(cmd.Context(), env(), open, &c, from, to,
				bulk.CopyOptions{Conflict: rule, DropTTL: drop, Mode: m})
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "profile to read (required)")
	cmd.Flags().StringVar(&to, "to", "", "profile to write (required)")
	addSelection(cmd, &c)
	cmd.Flags().StringVar(&conflict, "on-conflict", "skip", "skip, replace or fail")
	cmd.Flags().StringVar(&ttl, "ttl", "keep", "keep or none")
	cmd.Flags().StringVar(&mode, "mode", "auto", "auto, dump or typed")
	addSafety(cmd, &c)
	return cmd
}

func runCopy(ctx context.Context, e Env, open Opener, c *common, from, to string, o bulk.CopyOptions) error {
	if from != "" && from == to {
		return errors.New("--from and --to name the same profile")
	}
	dst, err := openTarget(ctx, open, to, "--to")
	if err != nil {
		return err
	}
	defer dst.Close()
	if dst.ReadOnly {
		return fmt.Errorf("profile %q is read-only: copying into it is refused (nothing was sent)", dst.Name)
	}
	src, err := openTarget(ctx, open, from, "--from")
	if err != nil {
		return err
	}
	defer src.Close()
	if err := dst.connect(ctx); err != nil {
		return err
	}
	if err := src.connect(ctx); err != nil {
		return err
	}
	pre, err := preview(ctx, e, src, c.selection(), bulk.PreviewOptions{ExistsOn: dst.Client})
	if err != nil {
		return err
	}
	e.printPreview(fmt.Sprintf("copy from %q to %q", src.Name, dst.Name), pre, false)
	if pre.Existing > 0 {
		fmt.Fprintf(e.Err, "  existing keys on %q: --on-conflict %s\n", dst.Name, o.Conflict)
		if o.Conflict == bulk.ConflictFail {
			return fmt.Errorf("%w; nothing was written", bulk.ErrConflict)
		}
	}
	if pre.Count == 0 || c.dryRun {
		if c.dryRun {
			fmt.Fprintln(e.Err, "dry run: nothing was changed")
		}
		return nil
	}
	if err := e.confirm(fmt.Sprintf("copy these keys into %q", dst.Name), dst.Name, c.yes); err != nil {
		return err
	}
	ctl := bulk.NewControl(c.rate)
	ctl.SetTotal(pre.Count)
	o.Control = ctl
	b := startBar(e.Err, e.ErrTTY, ctl, "copied")
	rep, err := bulk.Copy(ctx, src.Client, dst.Client, c.selection(), o)
	b.close()
	e.printReport(rep, "")
	if err == nil && rep.Failed > 0 {
		err = fmt.Errorf("%d keys failed", rep.Failed)
	}
	return err
}
