package bulk

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"time"

	"github.com/redis/go-redis/v9"
)

// ImportOptions configure Import.
type ImportOptions struct {
	// ReadOnly refuses the import before anything is sent (the target profile is read-only).
	ReadOnly bool
	// Conflict is what to do with keys that exist (ConflictSkip when empty).
	Conflict Conflict
	// DropTTL writes every key without a TTL (--ttl none); by default a key gets the TTL it had
	// left when it was exported, counted from the moment it is written (--ttl keep).
	DropTTL bool
	Control *Control
	// Pipe, when set, opens a dedicated connection (session.Pipe) for each of the writer's
	// senders on a standalone server: the native writes are then encoded and their replies
	// read by the writer itself, not through go-redis. Nil, or an error, keeps go-redis.
	Pipe func() (Pipe, error)
}

// Open opens the export file once more; Import reads it twice (check, then write).
type Open func() (io.ReadCloser, error)

// Import writes the keys of an export file (either format) to c.
//
// It reads the file twice. The first pass checks all of it and counts its keys, so a malformed
// or truncated file is refused with its line number before anything is written; with
// ConflictFail it also looks up every name and refuses the file if any exists. The second
// pass writes. Every key is written whole or not at all (see the package doc), so an
// interrupted import run again with ConflictSkip or ConflictReplace reaches the state a single
// run would have reached.
func Import(ctx context.Context, c redis.UniversalClient, open Open, opts ImportOptions) (Report, error) {
	start := time.Now()
	t := &tally{r: Report{Op: "import"}}
	if opts.ReadOnly {
		return t.r, ErrReadOnly
	}
	if opts.Conflict == "" {
		opts.Conflict = ConflictSkip
	}
	if _, err := ParseConflict(string(opts.Conflict)); err != nil {
		return t.r, err
	}
	check := c
	if opts.Conflict != ConflictFail {
		check = nil // existing keys are only looked up when they stop the import
	}
	pre, err := checkFile(ctx, check, open, true, 0)
	if err != nil {
		return t.finish(start, err)
	}
	opts.Control.SetTotal(pre.Count)
	f, err := open()
	if err != nil {
		return t.finish(start, fmt.Errorf("bulk: %w", err))
	}
	defer f.Close()
	d, h, err := openExport(f)
	if err != nil {
		return t.finish(start, err)
	}
	t.r.Selection = h.Selection
	w := newWriter(ctx, c, opts.Conflict, !opts.DropTTL, t, new(writeState))
	w.newPipe = opts.Pipe
	defer w.close()
	err = importRecords(ctx, d, w, opts.Control)
	if err != nil && !errors.Is(err, ErrCancelled) && !errors.Is(err, context.Canceled) {
		_ = w.sync() // the batch in flight is still counted
	}
	if err == nil || errors.Is(err, ErrCancelled) || errors.Is(err, context.Canceled) {
		// What was queued before a cancel is sent: it was read, and sending it keeps the
		// report simple (every key read is accounted for).
		if ferr := w.sync(); ferr != nil && err == nil {
			err = ferr
		}
	}
	t.r.Matched = t.r.Created + t.r.Replaced + t.r.Skipped + t.r.Expired + t.r.Failed + t.r.Uncertain
	return t.finish(start, err)
}

func importRecords(ctx context.Context, d *reader, w *writer, ctl *Control) error {
	for {
		if err := ctl.wait(ctx, 1); err != nil {
			return err
		}
		rec, err := d.read(w)
		if err == errEOF {
			return nil
		}
		if err != nil {
			return err
		}
		if rec.dump != "" {
			if err := w.restore(rec.key, rec.ttlNow(), rec.dump); err != nil {
				return err
			}
		}
		ctl.addDone(1)
	}
}

// openExport reads and checks an export file's header line.
func openExport(r io.Reader) (*reader, Header, error) {
	d := newReader(r)
	line, err := d.r.ReadSlice('\n')
	if err != nil && len(line) == 0 {
		return nil, Header{}, errors.New("bulk: the file is empty (not an amr-tui export)")
	}
	var h Header
	if err := json.Unmarshal(line, &h); err != nil || h.Version == 0 {
		return nil, Header{}, errors.New("bulk: line 1 is not an amr-tui export header (an export starts with {\"amr_tui_export\":1,…})")
	}
	if h.Version != 1 {
		return nil, Header{}, fmt.Errorf("bulk: export format version %d is newer than this amr-tui reads (1)", h.Version)
	}
	if _, err := ParseFormat(string(h.Format)); err != nil {
		return nil, Header{}, err
	}
	d.line = 1
	return d, h, nil
}

// PreviewFile checks a whole export file without writing anything and returns its number of
// keys, a sample of names and how many of them exist on c. A malformed file is an error
// naming its line.
func PreviewFile(ctx context.Context, c redis.UniversalClient, open Open, sample int) (PreviewResult, error) {
	return checkFile(ctx, c, open, false, sample)
}

// checkFile reads the whole file without writing, counts its keys and those that exist on c;
// with mustBeNew it stops at the first that exists, with ErrConflict.
func checkFile(ctx context.Context, c redis.UniversalClient, open Open, mustBeNew bool, sample int) (PreviewResult, error) {
	if res, ok := checkHalves(ctx, c, open, mustBeNew, sample); ok {
		return res, nil
	}
	var res PreviewResult
	f, err := open()
	if err != nil {
		return res, fmt.Errorf("bulk: %w", err)
	}
	defer f.Close()
	d, h, err := openExport(f)
	if err != nil {
		return res, err
	}
	res, err = checkRecords(ctx, d, c, mustBeNew, sample)
	res.Selection = h.Selection
	return res, err
}

// checkHalves is checkFile on two cores: a file that can be read at any offset (a file on
// disk) is cut at the first line break after its middle and both halves are checked at once.
// The cut is only trusted when both halves read cleanly — the first ending exactly where a
// record ends, which a cut inside a record (a record may span lines) never does. Any error,
// and any doubt, makes ok false: checkFile then reads the file again from the start, so that
// errors, their line numbers and the first existing key named are exactly the serial pass's.
func checkHalves(ctx context.Context, c redis.UniversalClient, open Open, mustBeNew bool, sample int) (res PreviewResult, ok bool) {
	if runtime.GOMAXPROCS(0) < 2 {
		return res, false
	}
	f, err := open()
	if err != nil {
		return res, false
	}
	defer f.Close()
	ra, isRA := f.(io.ReaderAt)
	sk, isSeeker := f.(io.Seeker)
	if !isRA || !isSeeker {
		return res, false
	}
	size, err := sk.Seek(0, io.SeekEnd)
	if err != nil || size < halvesMin {
		return res, false
	}
	// The cut: just after the first line break at or after the middle.
	var buf [64 << 10]byte
	n, _ := ra.ReadAt(buf[:], size/2)
	i := bytes.IndexByte(buf[:n], '\n')
	if i < 0 {
		return res, false
	}
	cut := size/2 + int64(i) + 1
	type half struct {
		res PreviewResult
		err error
	}
	var second half
	done := make(chan struct{})
	go func() {
		defer close(done)
		d := newReader(io.NewSectionReader(ra, cut, size-cut))
		second.res, second.err = checkRecords(ctx, d, c, mustBeNew, sample)
	}()
	var first half
	d, h, err := openExport(io.NewSectionReader(ra, 0, cut))
	if err == nil {
		first.res, first.err = checkRecords(ctx, d, c, mustBeNew, sample)
	} else {
		first.err = err
	}
	<-done
	if first.err != nil || second.err != nil {
		return res, false
	}
	res = first.res
	res.Selection = h.Selection
	res.Count += second.res.Count
	res.Existing += second.res.Existing
	for _, k := range second.res.Sample {
		if len(res.Sample) < sample {
			res.Sample = append(res.Sample, k)
		}
	}
	return res, true
}

// halvesMin is the smallest file checkHalves cuts in two.
const halvesMin = 4 << 20

// checkRecords is checkFile's loop over the records of d (after the header).
func checkRecords(ctx context.Context, d *reader, c redis.UniversalClient, mustBeNew bool, sample int) (PreviewResult, error) {
	var res PreviewResult
	d.noKeys = c == nil && sample == 0
	var names []string
	lookup := func() error {
		if len(names) == 0 || c == nil {
			return nil
		}
		cmds := make([]*redis.IntCmd, len(names))
		if _, err := c.Pipelined(ctx, func(p redis.Pipeliner) error {
			for i, k := range names {
				cmds[i] = p.Exists(ctx, k)
			}
			return nil
		}); err != nil {
			return fmt.Errorf("bulk: EXISTS: %w", err)
		}
		for i, k := range names {
			if cmds[i].Val() == 1 {
				if mustBeNew {
					return fmt.Errorf("%w: %q; nothing was written", ErrConflict, k)
				}
				res.Existing++
			}
		}
		names = names[:0]
		return nil
	}
	for {
		rec, err := d.read(nil)
		if err == errEOF {
			break
		}
		if err != nil {
			return res, fmt.Errorf("%w; nothing was written", err)
		}
		res.Count++
		if len(res.Sample) < sample {
			res.Sample = append(res.Sample, rec.key)
		}
		if c == nil {
			continue // nothing to look up: no names to collect
		}
		if names = append(names, rec.key); len(names) >= 1000 {
			if err := lookup(); err != nil {
				return res, err
			}
		}
	}
	return res, lookup()
}
