package browser

import (
	"github.com/amr-tui/amr-tui/bulk"
	"github.com/amr-tui/amr-tui/ui/common"

	"context"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Defaults for the key browser; Options may override them.
const (
	defaultScanCount = 1000    // SCAN COUNT hint
	defaultLoadBatch = 100_000 // keys loaded before the scan waits for "load more"
	metaCacheLimit   = 4096    // metadata entries kept before the cache is reset
	releaseKeysAt    = 500_000 // a dropped key set this big is handed back to the OS at once
)

// Model is the key list: a background scanner filling a lean key set, a client-side filter,
// and a virtual list that renders only the visible rows. It is an imperative component: App
// calls its methods from Update and renders it with View.
type Model struct {
	c *common.Common
	// Keyspace names the keyspace the list shows (a gen): a new browser after a profile
	// switch, a new value after :db. A write's reply changes the list only in its keyspace.
	Keyspace uint64

	Keys          *keySet
	Scan          Scanner
	DBSize        int64 // -1 until DBSIZE answers (and when it fails)
	DBSizePending bool
	Exact         *exactState
	counted       loadedCount // what the status line says is loaded while every key loads

	Filter FilterState
	Sort   sortState
	Input  *common.LineInput // filter, pattern, TTL or rename being typed; nil otherwise
	Batch  int

	Cursor, Offset int // in the visible list (filtered or not)

	Meta        map[string]common.KeyMeta
	metaAt      map[string]time.Time // when each Meta entry was read: TTLs count down from there
	MetaPending map[string]struct{}
	MetaGen     uint64

	Confirm   *common.ConfirmState
	adding    *adding    // a new key being described (add.go)
	overwrite *overwrite // a rename onto an existing key, waiting for its name to be typed
	rows      rowCache   // rendered rows (view memoization only)

	Tree *treeState // non-nil in tree mode

	// Profile is the profile's name, which a bulk action asks to be typed (App sets it).
	Profile  string
	Marks    Marks
	countJob *bulk.Job // counting a mark-all
	bulk     *bulkJob  // a bulk action from preview to report

	reserving roomRequest // room being made for Keys (see reserve)
}

// roomRequest is a reservation in flight: room for n keys of the set keys.
type roomRequest struct {
	keys *keySet
	n    int
}

// exactState is an exact-key lookup (a pattern without glob syntax): EXISTS, no SCAN.
type exactState struct {
	key     string
	Pending bool
	Found   bool
	err     error
}

// MetaMsg carries TYPE/PTTL/MEMORY USAGE for some keys.
type MetaMsg struct {
	gen   uint64
	keys  []string
	metas []common.KeyMeta
	err   error
}

// New returns a key list that scans with COUNT count and pauses after batch keys.
func New(c *common.Common, count int64, batch int) *Model {
	if count <= 0 {
		count = defaultScanCount
	}
	if batch <= 0 {
		batch = defaultLoadBatch
	}
	b := &Model{c: c, Batch: batch, Keys: newKeySet(), DBSize: -1, Keyspace: c.NextGen()}
	b.Scan.Count = count
	b.Meta = make(map[string]common.KeyMeta)
	b.metaAt = make(map[string]time.Time)
	b.MetaPending = make(map[string]struct{})
	return b
}

// Start begins a new listing for pattern and type, dropping everything loaded so far. A pattern
// without glob syntax is an exact key name: it is looked up with EXISTS, never scanned.
func (b *Model) Start(pattern, typ string) tea.Cmd {
	if pattern == "" {
		pattern = "*"
	}
	count := b.Scan.Count
	b.Scan = Scanner{Gen: b.c.NextGen(), Match: pattern, Typ: typ, Count: count, Target: b.Batch}
	release := b.Keys != nil && b.Keys.Len() >= releaseKeysAt
	b.Keys = newKeySet()
	b.Sort = sortState{} // a new listing starts in load order
	b.Cursor, b.Offset = 0, 0
	b.Exact = nil
	b.Tree = nil
	b.clearFilter()
	if release {
		// Give the dropped key set's memory back before the new scan fills another: left to
		// itself the heap grows to twice its live size before collecting, so a rescan of
		// millions of keys would peak at two key sets.
		go debug.FreeOSMemory()
	}
	b.c.EndFlash(flashScanPaused) // a new scan: the old one's state is over
	b.c.EndFlash(flashScanFailed)
	b.DBSize, b.DBSizePending = -1, true
	dbs := dbSizeCmd(b.c, b.Scan.Gen)
	if !hasGlob(pattern) {
		b.Exact = &exactState{key: pattern, Pending: true}
		b.Scan.Done = true
		return common.Batch(dbs, existsCmd(b.c, b.Scan.Gen, pattern))
	}
	return common.Batch(dbs, b.Scan.next(b.c, 0))
}

// Count is the number of rows in the visible list.
func (b *Model) Count() int {
	if b.Filter.active() {
		return len(b.Filter.idx)
	}
	return b.Keys.Len()
}

// KeyAt returns the key on visible row i.
func (b *Model) KeyAt(i int) string {
	if b.Filter.active() {
		return b.Keys.At(int(b.Filter.idx[i]))
	}
	return b.Keys.At(b.sortedAt(i))
}

// Selected returns the key under the cursor (in tree mode: the key row under the cursor; a
// folder is not a key).
func (b *Model) Selected() (string, bool) {
	if b.Tree != nil {
		return b.Tree.Top().selectedLeaf(b, b.Tree)
	}
	if b.Count() == 0 {
		return "", false
	}
	return b.KeyAt(b.Cursor), true
}

// headerLines is how many lines the list view uses above the rows.
func (b *Model) headerLines() int {
	if b.Input != nil || b.Filter.active() || b.Confirm != nil || b.bulk != nil {
		return 3
	}
	return 2
}

// RowsHeight is how many key rows fit in a body of height h.
func (b *Model) RowsHeight(h int) int {
	if r := h - b.headerLines(); r > 0 {
		return r
	}
	return 0
}

// Move puts the cursor at i (clamped) and scrolls the window to show it.
func (b *Model) Move(i, h int) {
	n := b.Count()
	if n == 0 {
		b.Cursor, b.Offset = 0, 0
		return
	}
	b.Cursor = max(0, min(i, n-1))
	rows := max(1, b.RowsHeight(h))
	if b.Cursor < b.Offset {
		b.Offset = b.Cursor
	}
	if b.Cursor >= b.Offset+rows {
		b.Offset = b.Cursor - rows + 1
	}
	b.Offset = max(0, min(b.Offset, n-1))
}

// ScrollBy moves the window (mouse wheel) and drags the cursor along when it leaves it.
func (b *Model) ScrollBy(d, h int) {
	n, rows := b.Count(), max(1, b.RowsHeight(h))
	b.Offset = max(0, min(b.Offset+d, n-rows))
	if b.Cursor < b.Offset {
		b.Cursor = b.Offset
	}
	if b.Cursor >= b.Offset+rows {
		b.Cursor = b.Offset + rows - 1
	}
	b.Cursor = max(0, min(b.Cursor, n-1))
}

// The states the browser's flashes report, ended when the state ends.
const (
	flashScanPaused = "scan paused"
	flashScanFailed = "scan failed"
)

// OnScanPage stores a page and continues the scan.
func (b *Model) OnScanPage(msg ScanPageMsg) tea.Cmd {
	if msg.Gen != b.Scan.Gen {
		return nil
	}
	wasDone := b.Scan.Done
	b.Scan.onPage(msg)
	b.Keys.AddAll(msg.Keys)
	var room tea.Cmd
	if b.Keys.Len() >= reserveFrom {
		room = b.reserve()
	}
	b.counted.page(b.c.Now(), b.Keys.Len())
	b.Filter.CatchUp(b.Keys)
	if b.Tree != nil {
		b.Tree.catchUp(b)
	}
	if msg.err != nil {
		b.c.FlashState("SCAN failed: "+msg.err.Error()+" (p retries from here, r restarts)", common.FlashError, flashScanFailed)
		return b.MetaCmd()
	}
	b.c.EndFlash(flashScanFailed) // a good page: an old failure no longer describes the scan
	var size tea.Cmd
	if b.Scan.Done && !wasDone && b.DBSize >= 0 && !b.DBSizePending {
		// DBSIZE was read as the scan began; keys written or deleted since (a busy server,
		// the demo seeding behind the TUI) made it stale, and "loaded 52,309 of 32,915" is
		// no answer. The status line compares the two again.
		b.DBSizePending = true
		size = dbSizeCmd(b.c, b.Scan.Gen)
	}
	return common.Batch(b.Scan.next(b.c, b.Keys.Len()), b.MetaCmd(), size, room)
}

// OnDBSize records the keyspace size shown in the status line.
func (b *Model) OnDBSize(msg DBSizeMsg) tea.Cmd {
	if msg.gen != b.Scan.Gen {
		return nil
	}
	b.DBSizePending = false
	if msg.err != nil {
		b.DBSize = -1
		return nil
	}
	b.DBSize = msg.n
	if b.Keys.Len() >= reserveFrom {
		return b.reserve()
	}
	return nil
}

// grewDuringScan reports whether the keyspace holds more keys than a complete scan of every
// key loaded: keys written while it ran, which SCAN may or may not return.
func (b *Model) grewDuringScan() bool {
	return b.Scan.Match == "*" && b.Scan.Typ == "" && !b.DBSizePending && b.DBSize > int64(b.Keys.Len())
}

// SettledKeys is how many keys end start-up (see Settled).
const SettledKeys = reserveFrom

// Settled reports whether the listing is past its start: SettledKeys keys loaded, or the scan
// has stopped (complete, paused, failed) or is not a scan (an exact key).
func (b *Model) Settled() bool {
	return b.Keys.Len() >= SettledKeys || !b.Scan.scanning(b.Keys.Len())
}

// reserveFrom is how many keys a scan loads before the set is sized for all it will load.
// Reserving at DBSIZE, before the first page, made that page's inserts land all over a
// fresh 2 MB index (the load target's 102,000 keys): about 500 page faults between the first
// keys and the first frame that shows them, 5–10 ms on a 2-core VM. The pages before this
// grow the set as they come, in tables of a few hundred kB at most.
const reserveFrom = 10_000

// reserve makes room once for the keys the scan will load when that is known: a scan of every
// key loads DBSIZE keys, up to the load target. It runs again when the target is lifted (M,
// tree mode): growing the set page by page at millions of keys copies the references and
// rehashes the index over and over, and leaves the old arrays to the collector at the peak. A
// MATCH or TYPE scan loads an unknown fraction, so its set grows as it goes.
//
// Room for asyncRoomFrom keys or more is made by the returned Cmd (see makeKeyRoom) and moved
// into by OnReserved; the pages stored meanwhile grow the set as they come.
func (b *Model) reserve() tea.Cmd {
	if b.Scan.Match != "*" || b.Scan.Typ != "" || b.DBSize <= 0 || b.Scan.Done {
		return nil
	}
	n := int(b.DBSize)
	if b.Scan.Target > 0 {
		n = min(n, b.Scan.Target+ScanBatchKeys)
	}
	if b.Keys.reserved(n) {
		return nil
	}
	if n < asyncRoomFrom {
		b.Keys.Reserve(n)
		return nil
	}
	if b.reserving.keys == b.Keys && b.reserving.n >= n {
		return nil // being made
	}
	b.reserving.keys, b.reserving.n = b.Keys, n
	keys := b.Keys
	return func() tea.Msg { return ReservedMsg{keys: keys, room: makeKeyRoom(n)} }
}

// asyncRoomFrom is the size from which reserve makes room off the UI goroutine: sizing the set
// for a load of every key faults in 28 MB at a million keys and 124 MB at five (55 and 180 ms
// on a 2-core VM), which froze the screen and every key press that long right after M.
const asyncRoomFrom = 250_000

// ReservedMsg is room made for the key set keys (see reserve).
type ReservedMsg struct {
	keys *keySet
	room keyRoom
}

// OnReserved moves the keys into the room made for them, unless the listing has been replaced
// since (a rescan, another pattern): that set is sized by its own scan.
func (b *Model) OnReserved(msg ReservedMsg) {
	if msg.keys != b.Keys {
		return
	}
	if b.reserving.n == msg.room.n {
		b.reserving = roomRequest{}
	}
	b.Keys.adopt(msg.room)
}

// OnExists applies the reply of an exact-name lookup (a pattern without glob characters).
func (b *Model) OnExists(msg ExistsMsg) tea.Cmd {
	if msg.gen != b.Scan.Gen || b.Exact == nil {
		return nil
	}
	b.Exact.Pending, b.Exact.Found, b.Exact.err = false, msg.ok, msg.err
	if msg.ok {
		b.Keys.Add(msg.key)
		return b.MetaCmd()
	}
	return nil
}

// MetaCmd fetches metadata for visible rows that have none yet, in one pipelined call.
func (b *Model) MetaCmd() tea.Cmd {
	h := b.c.BodyHeight()
	var visible []string
	if b.Tree != nil {
		visible = b.Tree.visibleLeaves(b, h)
	} else {
		end := min(b.Count(), b.Offset+b.RowsHeight(h))
		for i := b.Offset; i < end; i++ {
			visible = append(visible, b.KeyAt(i))
		}
	}
	var want []string
	for _, k := range visible {
		if _, ok := b.Meta[k]; ok {
			continue
		}
		if _, ok := b.MetaPending[k]; ok {
			continue
		}
		want = append(want, k)
	}
	if len(want) == 0 {
		return nil
	}
	if len(b.Meta)+len(b.MetaPending) > metaCacheLimit {
		b.Meta = make(map[string]common.KeyMeta)
		b.metaAt = make(map[string]time.Time)
		b.MetaPending = make(map[string]struct{})
	}
	for _, k := range want {
		b.MetaPending[k] = struct{}{}
	}
	gen, st := b.MetaGen, b.c.Store
	return b.c.IO(func(ctx context.Context) tea.Msg {
		metas, err := st.Meta(ctx, want)
		return MetaMsg{gen: gen, keys: want, metas: metas, err: err}
	})
}

// OnMeta stores the metadata of visible rows, unless the reply is for an older keyspace.
func (b *Model) OnMeta(msg MetaMsg) tea.Cmd {
	if msg.gen != b.MetaGen {
		return nil
	}
	for _, k := range msg.keys {
		delete(b.MetaPending, k)
	}
	if msg.err != nil {
		b.c.Flash("metadata: "+msg.err.Error(), common.FlashWarn)
		return nil
	}
	now := b.c.Now()
	for i, k := range msg.keys {
		if i < len(msg.metas) {
			b.Meta[k] = msg.metas[i]
			b.metaAt[k] = now
		}
	}
	return nil
}

// setFilter applies a new client-side filter query.
func (b *Model) setFilter(q string) tea.Cmd {
	if q == b.Filter.Query {
		return nil
	}
	if q == "" {
		b.clearFilter()
		return b.MetaCmd()
	}
	prev := b.Filter
	b.stopFilter()
	var base *filterBase
	if prev.active() && !prev.Pending && narrows(prev.Query, q) {
		base = &filterBase{idx: prev.idx, upto: prev.upto} // prev.idx is not written any more
	}
	b.Filter = FilterState{Query: q, Gen: b.c.NextGen(), Pending: true, stop: new(atomic.Bool)}
	b.Cursor, b.Offset = 0, 0
	return filterCmd(b.Filter.Gen, b.Keys.Snapshot(), q, base, b.Filter.stop)
}

func (b *Model) clearFilter() {
	b.stopFilter()
	b.Filter = FilterState{}
}

// stopFilter tells a filter run in progress that nobody will read its result.
func (b *Model) stopFilter() {
	if b.Filter.stop != nil {
		b.Filter.stop.Store(true)
	}
}

// OnFilter applies a finished client-side filter run if it is still the current query.
func (b *Model) OnFilter(msg FilterMsg) tea.Cmd {
	if msg.gen != b.Filter.Gen || !b.Filter.active() {
		return nil
	}
	b.Filter.idx, b.Filter.upto, b.Filter.Pending = msg.matches, msg.upto, false
	b.Filter.CatchUp(b.Keys)
	b.Move(b.Cursor, b.c.BodyHeight())
	return b.MetaCmd()
}

// Refilter re-runs the filter after the key set changed under it (a delete or rename).
func (b *Model) Refilter() tea.Cmd {
	if !b.Filter.active() {
		return nil
	}
	b.stopFilter()
	b.Filter.Gen = b.c.NextGen()
	b.Filter.Pending = true
	b.Filter.stop = new(atomic.Bool)
	return filterCmd(b.Filter.Gen, b.Keys.Snapshot(), b.Filter.Query, nil, b.Filter.stop)
}

// togglePause pauses or resumes the scan.
func (b *Model) togglePause() tea.Cmd {
	if b.Scan.Done || b.Exact != nil {
		b.c.Flash("scan complete: nothing to pause", common.FlashInfo)
		return nil
	}
	if b.Scan.Err != nil { // retry the failed page from the saved cursor
		b.Scan.Err, b.Scan.Paused = nil, false
		b.c.Flash("retrying SCAN from the saved cursor", common.FlashInfo)
		return b.Scan.next(b.c, b.Keys.Len())
	}
	b.Scan.Paused = !b.Scan.Paused
	if b.Scan.Paused {
		b.c.FlashState("scan paused (p resumes)", common.FlashInfo, flashScanPaused)
		return nil
	}
	b.c.EndFlash(flashScanPaused)
	b.Scan.Err = nil
	return b.Scan.next(b.c, b.Keys.Len())
}

// loadMore raises the load target by one batch (or removes it) and carries on from the saved
// cursor, without restarting.
func (b *Model) loadMore(all bool) tea.Cmd {
	if b.Scan.Done {
		b.c.Flash("scan complete: every matching key is loaded", common.FlashInfo)
		return nil
	}
	if all {
		b.Scan.LoadAll()
	} else {
		b.Scan.Target = b.Keys.Len() + b.Batch
	}
	room := b.reserve()
	b.Scan.Paused = false
	b.Scan.Err = nil
	return common.Batch(b.Scan.next(b.c, b.Keys.Len()), room)
}

// Update handles a key press while the list has focus.
func (b *Model) Update(msg tea.KeyPressMsg) tea.Cmd {
	k, h := b.c.Keys, b.c.BodyHeight()
	if b.Confirm != nil {
		return b.updateConfirm(msg)
	}
	if b.Input != nil {
		return b.updateInput(msg)
	}
	if b.bulk != nil {
		if b.bulk.phase == phaseRun {
			return b.updateBulk(msg)
		}
		return nil // previewing: wait for the count
	}
	if cmd, ok := b.updateMarks(msg); ok {
		return cmd
	}
	if b.Tree != nil {
		return b.updateTree(msg)
	}
	rows := max(1, b.RowsHeight(h))
	switch {
	case key.Matches(msg, k.Up):
		b.Move(b.Cursor-1, h)
	case key.Matches(msg, k.Down):
		b.Move(b.Cursor+1, h)
	case key.Matches(msg, k.PageUp):
		b.Offset = max(0, b.Offset-rows)
		b.Move(b.Cursor-rows, h)
	case key.Matches(msg, k.PageDown):
		b.Offset = max(0, min(b.Offset+rows, b.Count()-rows))
		b.Move(b.Cursor+rows, h)
	case key.Matches(msg, k.Top):
		b.Move(0, h)
	case key.Matches(msg, k.Bottom):
		b.Move(b.Count()-1, h)
	case key.Matches(msg, k.Open):
		if kk, ok := b.Selected(); ok {
			m, has := b.Meta[kk]
			return func() tea.Msg { return common.OpenKeyMsg{Key: kk, Meta: m, Has: has} }
		}
		return nil
	case key.Matches(msg, k.Back):
		if b.Filter.active() {
			b.clearFilter()
			b.Move(0, h)
		}
	case key.Matches(msg, k.Filter):
		b.Input = common.NewLineInput(b.c, common.InputFilter, "/", b.Filter.Query)
		return nil
	case key.Matches(msg, k.Pattern):
		b.Input = common.NewLineInput(b.c, common.InputPattern, "SCAN MATCH ", b.Scan.Match).SelectAll()
		return nil
	case key.Matches(msg, k.Pause):
		return b.togglePause()
	case key.Matches(msg, k.More):
		return b.loadMore(false)
	case key.Matches(msg, k.All):
		return b.loadMore(true)
	case key.Matches(msg, k.Rescan):
		return b.Start(b.Scan.Match, b.Scan.Typ)
	case key.Matches(msg, k.Tree):
		return b.EnterTree("")
	case key.Matches(msg, k.Sort):
		return b.CycleSort()
	case key.Matches(msg, k.Delete):
		return b.askDelete()
	case key.Matches(msg, k.Expire):
		return b.askTTL()
	case key.Matches(msg, k.Persist):
		return b.persist()
	case key.Matches(msg, k.Rename):
		return b.askRename()
	case key.Matches(msg, k.Add):
		return b.askAdd("")
	case key.Matches(msg, k.Copy):
		if kk, ok := b.Selected(); ok {
			b.c.Flash("copied key name to the clipboard (OSC 52)", common.FlashInfo)
			return tea.SetClipboard(kk)
		}
		return nil
	default:
		return nil
	}
	return b.MetaCmd()
}

// Click selects the row at body line y; a click on the selected row opens it.
func (b *Model) Click(y int) tea.Cmd {
	if b.Tree != nil {
		return b.Tree.Click(b, y)
	}
	row := y - b.headerLines()
	if row < 0 || b.Offset+row >= b.Count() {
		return nil
	}
	i := b.Offset + row
	if i == b.Cursor {
		return b.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	}
	b.Cursor = i
	return b.MetaCmd()
}

// Help lists the bindings for the footer.
func (b *Model) Help() common.HelpKeys {
	k := b.c.Keys
	if b.Input != nil {
		return common.HelpKeys{Short: []key.Binding{
			key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply")),
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		}}
	}
	if b.Confirm != nil {
		return common.HelpKeys{Short: []key.Binding{k.Confirm, k.Cancel}}
	}
	if b.Tree != nil {
		return b.Tree.Help(k)
	}
	nav := []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Open, k.Back}
	scan := []key.Binding{k.Filter, k.Pattern, k.Pause, k.More, k.All, k.Rescan, k.Tree, k.Sort}
	acts := []key.Binding{k.Add, k.Delete, k.Expire, k.Persist, k.Rename, k.Copy, k.Mark, k.MarkAll, k.Export, k.CopyTo}
	if b.c.ReadOnly { // never offer a key that is then refused
		acts = []key.Binding{k.Copy, k.Mark, k.MarkAll, k.Export, k.CopyTo}
	}
	app := []key.Binding{k.Command, k.Profiles, k.Help, k.Quit, k.ForceQuit}
	return common.HelpKeys{
		Short: []key.Binding{k.Open, k.Filter, k.Pattern, k.Pause, k.More, k.Tree, k.Command, k.Help, k.Quit},
		Full:  [][]key.Binding{nav, scan, acts, app},
	}
}

// status is the first line of the list: pattern, type, progress.
func (b *Model) status() string {
	s := b.c.Styles
	var sb strings.Builder
	sb.WriteString(s.Title.Render("KEYS"))
	sb.WriteString(s.Dim.Render(" match "))
	sb.WriteString(common.Printable(b.Scan.Match))
	if b.Scan.Typ != "" {
		sb.WriteString(s.Dim.Render(" type "))
		sb.WriteString(b.Scan.Typ)
	}
	sb.WriteString(s.Dim.Render("  │ "))
	if b.Exact != nil {
		switch {
		case b.Exact.Pending:
			sb.WriteString("exact key: looking up…")
		case b.Exact.err != nil:
			sb.WriteString(s.Danger.Render("exact key: " + b.Exact.err.Error()))
		case b.Exact.Found:
			sb.WriteString("exact key (EXISTS, no scan)")
		default:
			sb.WriteString(s.Warn.Render("no such key"))
		}
		return sb.String()
	}
	loaded := int64(b.Keys.Len())
	sb.WriteString("loaded " + common.Count(b.loadedShown()))
	if b.DBSize >= 0 {
		if b.Scan.Match != "*" || b.Scan.Typ != "" {
			// SCAN does not say how many keys it examined; the steps' COUNTs are the server's hint.
			scanned := b.Scan.hinted
			if b.Scan.Done || scanned > b.DBSize {
				scanned = b.DBSize
			}
			sb.WriteString(" · scanned ~" + common.Count(scanned))
		}
		sb.WriteString(" of " + common.Count(b.DBSize) + " (DBSIZE)")
	}
	sb.WriteString(" · ")
	switch {
	case b.Scan.Err != nil:
		sb.WriteString(s.Danger.Render("scan failed"))
	case b.Scan.Done && b.grewDuringScan():
		sb.WriteString(s.Warn.Render("complete, " + common.Count(b.DBSize-loaded) + " more since it began (r rescans)"))
	case b.Scan.Done:
		sb.WriteString(s.CountOK.Render("complete"))
	case b.Scan.Paused:
		sb.WriteString(s.Warn.Render("paused"))
	case b.Scan.InFlight:
		sb.WriteString("scanning…")
	default:
		sb.WriteString(s.Warn.Render("more on server (m: load more, M: all)"))
	}
	sb.WriteString(b.shardProgress())
	if st := b.sortStatus(); st != "" {
		sb.WriteString(s.Dim.Render(st))
	}
	if m := b.marksStatus(); m != "" {
		sb.WriteString(s.Warn.Render(m))
	}
	return sb.String()
}

// shardProgress is " · shards 1/3 done" while a cluster scan is under way: every primary is
// scanned with its own cursor, and the store reads their progress out of the opaque cursor
// without I/O.
func (b *Model) shardProgress() string {
	pr, ok := b.c.Store.(common.ScanProgressReader)
	if !ok || b.Scan.Done || b.Scan.Cursor == "" {
		return ""
	}
	shards, ok := pr.ScanProgress(b.Scan.Cursor)
	if !ok || len(shards) == 0 {
		return ""
	}
	done := 0
	for _, sh := range shards {
		if sh.Done {
			done++
		}
	}
	return b.c.Styles.Dim.Render(" · shards " + strconv.Itoa(done) + "/" + strconv.Itoa(len(shards)) + " done")
}
