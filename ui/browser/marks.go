package browser

import (
	"bufio"
	"context"
	"errors"
	"os"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/amr-tui/amr-tui/bulk"
	"github.com/amr-tui/amr-tui/ui/common"
)

// Marks are the keys the bulk actions act on: names marked one by one with space, or every
// key matching the current pattern, type and filter (ctrl+a), which is a selection walked on
// the server and counted without loading values — possibly millions of keys.
type Marks struct {
	keys map[string]struct{}
	// all, when set, is the mark-all selection; keys is then empty.
	all      *bulk.Selection
	allCount int64 // -1 while counting
	countGen uint64
}

// Count is how many keys are marked (-1 while a mark-all is being counted).
func (m *Marks) Count() int64 {
	if m.all != nil {
		return m.allCount
	}
	return int64(len(m.keys))
}

// Any reports whether anything is marked.
func (m *Marks) Any() bool { return m.all != nil || len(m.keys) > 0 }

func (m *Marks) has(k string) bool {
	if m.all != nil {
		return false // shown by the status line, not per row: the loaded rows are a sample
	}
	_, ok := m.keys[k]
	return ok
}

// bulkJob is a bulk action from its preview to its report.
type bulkJob struct {
	op    string // "delete", "expire", "persist", "export"
	sel   bulk.Selection
	spec  bulk.ExpireSpec
	path  string // export
	gen   uint64
	job   *bulk.Job // the preview, then the action
	phase bulkPhase
	pre   bulk.PreviewResult
}

type bulkPhase int

const (
	phasePreview bulkPhase = iota
	phaseConfirm
	phaseRun
)

// BulkMsg is a tick of a running count, preview or bulk action.
type BulkMsg struct{ gen uint64 }

const bulkTick = 200 * time.Millisecond

func tickBulk(gen uint64) tea.Cmd {
	return tea.Tick(bulkTick, func(time.Time) tea.Msg { return BulkMsg{gen: gen} })
}

// BulkActive reports whether a bulk action is being previewed or runs: it then gets every key
// (esc cancels it rather than leaving the screen).
func (b *Model) BulkActive() bool { return b.bulk != nil }

// toggleMark marks or unmarks the selected key.
func (b *Model) toggleMark() tea.Cmd {
	k, ok := b.Selected()
	if !ok {
		return nil
	}
	if b.Marks.all != nil {
		b.c.Flash("every matching key is marked (ctrl+a unmarks them)", common.FlashInfo)
		return nil
	}
	if b.Marks.keys == nil {
		b.Marks.keys = map[string]struct{}{}
	}
	if _, ok := b.Marks.keys[k]; ok {
		delete(b.Marks.keys, k)
	} else {
		b.Marks.keys[k] = struct{}{}
	}
	if b.Tree == nil {
		b.Move(b.Cursor+1, b.c.BodyHeight())
	}
	return b.MetaCmd()
}

// toggleMarkAll marks every key matching the pattern, type and filter, or clears the marks.
func (b *Model) toggleMarkAll() tea.Cmd {
	if b.Marks.Any() {
		b.Marks = Marks{}
		b.c.Flash("marks cleared", common.FlashInfo)
		return nil
	}
	br, ok := b.c.Store.(common.BulkRunner)
	if !ok {
		b.c.Flash("marking all matching keys needs a Redis connection", common.FlashWarn)
		return nil
	}
	sel := b.selectionAll()
	b.Marks = Marks{all: &sel, allCount: -1, countGen: b.c.NextGen()}
	gen := b.Marks.countGen
	b.countJob = bulk.Start(0, 0, func(ctl *bulk.Control) (bulk.Report, error) {
		p, err := br.BulkPreview(b.c.Ctx, sel, bulk.PreviewOptions{Sample: -1}, ctl)
		return bulk.Report{Matched: p.Count}, err
	})
	return tickBulk(gen)
}

// selectionAll is the current pattern, type and client-side filter as a selection.
func (b *Model) selectionAll() bulk.Selection {
	sel := bulk.Selection{Match: b.Scan.Match, Type: b.Scan.Typ}
	if b.Tree != nil { // every key of the scan under the folder shown
		prefix := b.Tree.Top().Prefix
		switch {
		case prefix == "":
		case b.Scan.Match == "" || b.Scan.Match == "*":
			sel.Match = globEscape(prefix) + "*"
		default:
			sel.Filter = func(name string) bool { return strings.HasPrefix(name, prefix) }
			sel.FilterText = "under " + common.Printable(prefix)
		}
		return sel
	}
	if b.Exact != nil {
		sel = bulk.Selection{Keys: []string{b.Exact.key}, Type: b.Scan.Typ}
	}
	if b.Filter.active() {
		sel.Filter, sel.FilterText = matcher(b.Filter.Query), "filter /"+common.Printable(b.Filter.Query)+"/"
	}
	return sel
}

// markedSelection is what a bulk action acts on.
func (b *Model) markedSelection() bulk.Selection {
	if b.Marks.all != nil {
		return *b.Marks.all
	}
	keys := make([]string, 0, len(b.Marks.keys))
	for k := range b.Marks.keys {
		keys = append(keys, k)
	}
	return bulk.Selection{Keys: keys}
}

// bulkCommand is the command each mutating bulk action sends, for the read-only rule.
var bulkCommand = map[string]string{"delete": "UNLINK", "expire": "PEXPIRE"}

// startBulk begins a bulk action on the marks: a preview first.
func (b *Model) startBulk(op string) tea.Cmd {
	br, ok := b.c.Store.(common.BulkRunner)
	if !ok {
		b.c.Flash(op+" of marked keys needs a Redis connection", common.FlashWarn)
		return nil
	}
	if op != "export" && b.refuseReadOnly(op+" of the marked keys", bulkCommand[op]) {
		return nil
	}
	switch op {
	case "expire":
		b.Input = common.NewLineInput(b.c, common.InputBulkTTL, "TTL for the marked keys (3600, 90s, 15m, 1h30m, 1d2h): ", "")
		return nil
	case "export":
		b.Input = common.NewLineInput(b.c, common.InputBulkExport, "export the marked keys (jsonl) to file: ", "")
		return nil
	}
	return b.previewBulk(br, &bulkJob{op: op})
}

func (b *Model) previewBulk(br common.BulkRunner, j *bulkJob) tea.Cmd {
	j.sel, j.gen, j.phase = b.markedSelection(), b.c.NextGen(), phasePreview
	sel, memory := j.sel, j.op == "delete"
	j.job = bulk.Start(0, 0, func(ctl *bulk.Control) (bulk.Report, error) {
		p, err := br.BulkPreview(b.c.Ctx, sel, bulk.PreviewOptions{Memory: memory, Sample: 5}, ctl)
		j.pre = p // read only after Done
		return bulk.Report{Matched: p.Count}, err
	})
	b.bulk = j
	return tickBulk(j.gen)
}

// applyBulkInput handles the TTL, export path and confirmation prompts.
func (b *Model) applyBulkInput(in *common.LineInput) tea.Cmd {
	br, ok := b.c.Store.(common.BulkRunner)
	if !ok {
		return nil
	}
	v := strings.TrimSpace(in.Value())
	switch in.Kind {
	case common.InputBulkTTL:
		if v == "" {
			return nil
		}
		d, err := common.ParseTTL(v)
		if err != nil {
			b.c.Flash(err.Error()+"; nothing was changed", common.FlashWarn)
			return nil
		}
		return b.previewBulk(br, &bulkJob{op: "expire", spec: bulk.ExpireSpec{TTL: d}})
	case common.InputBulkExport:
		if v == "" {
			return nil
		}
		return b.previewBulk(br, &bulkJob{op: "export", path: v})
	case common.InputBulkConfirm:
		j := b.bulk
		if j == nil || j.phase != phaseConfirm {
			return nil
		}
		if in.Value() != b.Profile {
			b.bulk = nil
			b.c.Flash("not confirmed: nothing was changed", common.FlashInfo)
			return nil
		}
		return b.runBulk(br, j)
	}
	return nil
}

// runBulk starts the confirmed action.
func (b *Model) runBulk(br common.BulkRunner, j *bulkJob) tea.Cmd {
	j.phase, j.gen = phaseRun, b.c.NextGen()
	ctx, sel, spec, ro := b.c.Ctx, j.sel, j.spec, b.c.ReadOnly
	switch j.op {
	case "delete":
		j.job = bulk.Start(0, j.pre.Count, func(ctl *bulk.Control) (bulk.Report, error) {
			return br.BulkDelete(ctx, sel, bulk.MutateOptions{ReadOnly: ro, Control: ctl})
		})
	case "expire", "persist":
		j.job = bulk.Start(0, j.pre.Count, func(ctl *bulk.Control) (bulk.Report, error) {
			return br.BulkExpire(ctx, sel, spec, bulk.MutateOptions{ReadOnly: ro, Control: ctl})
		})
	case "export":
		path := j.path
		j.job = bulk.Start(0, j.pre.Count, func(ctl *bulk.Control) (bulk.Report, error) {
			return exportFile(ctx, br, sel, path, ctl)
		})
	}
	return tickBulk(j.gen)
}

// exportFile writes the export under path.partial and renames it when complete.
func exportFile(ctx context.Context, br common.BulkRunner, sel bulk.Selection, path string, ctl *bulk.Control) (bulk.Report, error) {
	f, err := os.OpenFile(path+".partial", os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return bulk.Report{Op: "export"}, err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	rep, err := br.BulkExport(ctx, sel, w, bulk.ExportOptions{Control: ctl})
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(path+".partial", path)
	}
	return rep, err
}

// OnBulk follows a running count, preview or action.
func (b *Model) OnBulk(msg BulkMsg) tea.Cmd {
	if b.Marks.all != nil && msg.gen == b.Marks.countGen && b.countJob != nil {
		select {
		case <-b.countJob.Done():
			rep, err := b.countJob.Result()
			b.countJob = nil
			if err != nil {
				b.Marks = Marks{}
				b.c.Flash("counting the matching keys failed: "+err.Error(), common.FlashError)
				return nil
			}
			b.Marks.allCount = rep.Matched
			return nil
		default:
			return tickBulk(msg.gen)
		}
	}
	j := b.bulk
	if j == nil || msg.gen != j.gen {
		return nil
	}
	select {
	case <-j.job.Done():
	default:
		return tickBulk(j.gen)
	}
	rep, err := j.job.Result()
	if j.sel.Keys != nil { // marked keys: a CROSSSLOT says which mark is in which slot
		err = common.CrossSlotExplain(err, j.sel.Keys...)
	}
	switch j.phase {
	case phasePreview:
		if err != nil {
			b.bulk = nil
			b.c.Flash("preview failed: "+err.Error(), common.FlashError)
			return nil
		}
		if j.pre.Count == 0 {
			b.bulk = nil
			b.c.Flash("no marked key exists any more: nothing to do", common.FlashInfo)
			return nil
		}
		if j.op == "export" { // reading: no confirmation
			return b.runBulk(b.c.Store.(common.BulkRunner), j)
		}
		j.phase = phaseConfirm
		b.Input = common.NewLineInput(b.c, common.InputBulkConfirm, b.confirmPrompt(j), "")
		return nil
	case phaseRun:
		b.bulk = nil
		text := rep.String()
		if j.op == "export" && err == nil {
			text += " → " + common.Printable(j.path)
		}
		level := common.FlashInfo
		if err != nil && !errors.Is(err, bulk.ErrCancelled) {
			text += ": " + err.Error()
			level = common.FlashError
		}
		b.c.Flash(text, level)
		if j.op == "export" {
			return nil
		}
		b.Marks = Marks{}
		b.Meta = make(map[string]common.KeyMeta)
		b.metaAt = make(map[string]time.Time)
		b.MetaPending = make(map[string]struct{})
		if j.op == "delete" {
			return b.Start(b.Scan.Match, b.Scan.Typ) // the list shows what is left
		}
		return b.MetaCmd()
	}
	return nil
}

// confirmPrompt says what the action will do and asks for the profile name.
func (b *Model) confirmPrompt(j *bulkJob) string {
	var sb strings.Builder
	switch j.op {
	case "delete":
		sb.WriteString("delete " + common.Plural(j.pre.Count, "key") + " (" + common.Bytesize(j.pre.MemoryBytes) + ")")
	case "expire":
		sb.WriteString("set TTL " + common.ShortDuration(j.spec.TTL) + " on " + common.Plural(j.pre.Count, "key"))
	case "persist":
		sb.WriteString("remove the TTL of " + common.Plural(j.pre.Count, "key"))
	}
	if len(j.pre.Sample) > 0 {
		names := make([]string, len(j.pre.Sample))
		for i, k := range j.pre.Sample {
			names[i] = common.Printable(k)
		}
		sb.WriteString(" e.g. " + strings.Join(names, ", "))
	}
	sb.WriteString(" — type " + common.Printable(b.Profile) + " to confirm: ")
	return sb.String()
}

// updateBulk handles keys while a bulk action runs: p pauses or resumes, esc cancels.
func (b *Model) updateBulk(msg tea.KeyPressMsg) tea.Cmd {
	if common.ToggleOrCancel(b.bulk.job.Control, msg.String()) {
		b.c.Flash("cancelling after the batch in flight…", common.FlashInfo)
	}
	return nil
}

// bulkStatus is the line shown while a bulk action is previewed or runs.
func (b *Model) bulkStatus() string {
	j := b.bulk
	p := j.job.Control.Progress()
	if j.phase == phasePreview {
		return j.op + " of the marked keys: counting " + common.Count(p.Done) + "…"
	}
	return j.op + ": " + common.ProgressLine(p, 20) + " · p pause · esc cancel"
}

// marksStatus is " · 12 marked" for the status line.
func (b *Model) marksStatus() string {
	switch {
	case b.Marks.all != nil && b.Marks.allCount < 0:
		return " · marking all matching (counting…)"
	case b.Marks.all != nil:
		return " · all matching marked: " + common.Count(b.Marks.allCount)
	case len(b.Marks.keys) > 0:
		return " · " + common.Count(int64(len(b.Marks.keys))) + " marked"
	}
	return ""
}

// updateMarks handles the mark keys, and the action keys while something is marked (they then
// act on the marks instead of the selected key).
func (b *Model) updateMarks(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := b.c.Keys
	switch {
	case key.Matches(msg, k.Mark):
		return b.toggleMark(), true
	case key.Matches(msg, k.MarkAll):
		return b.toggleMarkAll(), true
	case !b.Marks.Any():
		return nil, false
	case key.Matches(msg, k.CopyTo) && !b.Marks.Any():
		b.c.Flash("mark keys first (space marks one, ctrl+a all matching), then C copies them to another profile", common.FlashInfo)
		return nil, true
	case b.Marks.all != nil && b.Marks.allCount < 0 && (key.Matches(msg, k.Delete) || key.Matches(msg, k.Expire) || key.Matches(msg, k.Persist) || key.Matches(msg, k.Export) || key.Matches(msg, k.CopyTo)):
		b.c.Flash("still counting the matching keys", common.FlashInfo)
		return nil, true
	case key.Matches(msg, k.Delete):
		return b.startBulk("delete"), true
	case key.Matches(msg, k.Expire):
		return b.startBulk("expire"), true
	case key.Matches(msg, k.Persist):
		if b.refuseReadOnly("persist of the marked keys", "PERSIST") {
			return nil, true
		}
		br, _ := b.c.Store.(common.BulkRunner)
		if br == nil {
			return nil, true
		}
		return b.previewBulk(br, &bulkJob{op: "persist", spec: bulk.ExpireSpec{Persist: true}}), true
	case key.Matches(msg, k.Export):
		return b.startBulk("export"), true
	case key.Matches(msg, k.CopyTo):
		// Reading the source is allowed on a read-only profile: the copy screen (App's) checks
		// the target.
		sel, n := b.markedSelection(), b.Marks.Count()
		return func() tea.Msg { return common.CopyMarksMsg{Selection: sel, Count: n} }, true
	}
	return nil, false
}
