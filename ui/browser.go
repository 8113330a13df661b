package ui

import (
	"context"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Defaults for the key browser; Options may override them.
const (
	defaultScanCount = 1000    // SCAN COUNT hint
	defaultLoadBatch = 100_000 // keys loaded before the scan waits for "load more"
	metaCacheLimit   = 4096    // metadata entries kept before the cache is reset
)

// browser is the key list: a background scanner filling a lean key set, a client-side filter,
// and a virtual list that renders only the visible rows. It is an imperative component: App
// calls its methods from Update and renders it with view.
type browser struct {
	c *Common
	// keyspace names the keyspace the list shows (a gen): a new browser after a profile
	// switch, a new value after :db. A write's reply changes the list only in its keyspace.
	keyspace uint64

	keys          *keySet
	scan          scanner
	dbsize        int64 // -1 until DBSIZE answers (and when it fails)
	dbsizePending bool
	exact         *exactState

	filter filterState
	input  *lineInput // filter, pattern, TTL or rename being typed; nil otherwise
	batch  int

	cursor, offset int // in the visible list (filtered or not)

	meta        map[string]KeyMeta
	metaPending map[string]struct{}
	metaGen     uint64

	confirm *confirmState
	addName string   // name typed for a new key, while its value is asked
	rows    rowCache // rendered rows (view memoization only)

	tree *treeState // non-nil in tree mode
}

// exactState is an exact-key lookup (a pattern without glob syntax): EXISTS, no SCAN.
type exactState struct {
	key     string
	pending bool
	found   bool
	err     error
}

// metaMsg carries TYPE/PTTL/MEMORY USAGE for some keys.
type metaMsg struct {
	gen   uint64
	keys  []string
	metas []KeyMeta
	err   error
}

// openKeyMsg asks App to open the viewer on a key.
type openKeyMsg struct {
	key  string
	meta KeyMeta
	has  bool // meta is known
}

func newBrowser(c *Common, count int64, batch int) *browser {
	if count <= 0 {
		count = defaultScanCount
	}
	if batch <= 0 {
		batch = defaultLoadBatch
	}
	b := &browser{c: c, batch: batch, keys: newKeySet(), dbsize: -1, keyspace: c.nextGen()}
	b.scan.count = count
	b.meta = make(map[string]KeyMeta)
	b.metaPending = make(map[string]struct{})
	return b
}

// start begins a new listing for pattern and type, dropping everything loaded so far. A pattern
// without glob syntax is an exact key name: it is looked up with EXISTS, never scanned.
func (b *browser) start(pattern, typ string) tea.Cmd {
	if pattern == "" {
		pattern = "*"
	}
	count := b.scan.count
	b.scan = scanner{gen: b.c.nextGen(), match: pattern, typ: typ, count: count, target: b.batch}
	b.keys = newKeySet()
	b.cursor, b.offset = 0, 0
	b.exact = nil
	b.tree = nil
	b.clearFilter()
	b.dbsize, b.dbsizePending = -1, true
	dbs := dbSizeCmd(b.c, b.scan.gen)
	if !hasGlob(pattern) {
		b.exact = &exactState{key: pattern, pending: true}
		b.scan.done = true
		return batch(dbs, existsCmd(b.c, b.scan.gen, pattern))
	}
	return batch(dbs, b.scan.next(b.c, 0))
}

// count is the number of rows in the visible list.
func (b *browser) count() int {
	if b.filter.active() {
		return len(b.filter.idx)
	}
	return b.keys.Len()
}

// keyAt returns the key on visible row i.
func (b *browser) keyAt(i int) string {
	if b.filter.active() {
		return b.keys.at(int(b.filter.idx[i]))
	}
	return b.keys.at(i)
}

// selected returns the key under the cursor (in tree mode: the key row under the cursor; a
// folder is not a key).
func (b *browser) selected() (string, bool) {
	if b.tree != nil {
		return b.tree.top().selectedLeaf()
	}
	if b.count() == 0 {
		return "", false
	}
	return b.keyAt(b.cursor), true
}

// headerLines is how many lines the list view uses above the rows.
func (b *browser) headerLines() int {
	if b.input != nil || b.filter.active() || b.confirm != nil {
		return 3
	}
	return 2
}

func (b *browser) rowsHeight(h int) int {
	if r := h - b.headerLines(); r > 0 {
		return r
	}
	return 0
}

// move puts the cursor at i (clamped) and scrolls the window to show it.
func (b *browser) move(i, h int) {
	n := b.count()
	if n == 0 {
		b.cursor, b.offset = 0, 0
		return
	}
	b.cursor = max(0, min(i, n-1))
	rows := max(1, b.rowsHeight(h))
	if b.cursor < b.offset {
		b.offset = b.cursor
	}
	if b.cursor >= b.offset+rows {
		b.offset = b.cursor - rows + 1
	}
	b.offset = max(0, min(b.offset, n-1))
}

// scrollBy moves the window (mouse wheel) and drags the cursor along when it leaves it.
func (b *browser) scrollBy(d, h int) {
	n, rows := b.count(), max(1, b.rowsHeight(h))
	b.offset = max(0, min(b.offset+d, n-rows))
	if b.cursor < b.offset {
		b.cursor = b.offset
	}
	if b.cursor >= b.offset+rows {
		b.cursor = b.offset + rows - 1
	}
	b.cursor = max(0, min(b.cursor, n-1))
}

// onScanPage stores a page and continues the scan.
func (b *browser) onScanPage(msg scanPageMsg) tea.Cmd {
	if b.tree != nil {
		if cmd, ok := b.tree.onPage(b.c, msg); ok {
			return batch(cmd, b.metaCmd())
		}
	}
	if msg.gen != b.scan.gen {
		return nil
	}
	b.scan.onPage(msg)
	for _, k := range msg.keys {
		b.keys.add(k)
	}
	b.filter.catchUp(b.keys)
	if msg.err != nil {
		b.c.flash("SCAN failed: "+msg.err.Error()+" (p retries from here, r restarts)", FlashError)
		return b.metaCmd()
	}
	return batch(b.scan.next(b.c, b.keys.Len()), b.metaCmd())
}

func (b *browser) onDBSize(msg dbSizeMsg) {
	if msg.gen != b.scan.gen {
		return
	}
	b.dbsizePending = false
	if msg.err != nil {
		b.dbsize = -1
		return
	}
	b.dbsize = msg.n
	// A scan of every key will load DBSIZE keys (up to the load target): make room once. A
	// MATCH or TYPE scan loads an unknown fraction, so its set grows as it goes.
	if b.scan.match == "*" && b.scan.typ == "" && b.keys.Len() < int(msg.n)/2 {
		n := int(msg.n)
		if b.scan.target > 0 {
			n = min(n, b.scan.target+scanBatchKeys)
		}
		b.keys.reserve(n)
	}
}

func (b *browser) onExists(msg existsMsg) tea.Cmd {
	if msg.gen != b.scan.gen || b.exact == nil {
		return nil
	}
	b.exact.pending, b.exact.found, b.exact.err = false, msg.ok, msg.err
	if msg.ok {
		b.keys.add(msg.key)
		return b.metaCmd()
	}
	return nil
}

// metaCmd fetches metadata for visible rows that have none yet, in one pipelined call.
func (b *browser) metaCmd() tea.Cmd {
	h := b.c.bodyHeight()
	var visible []string
	if b.tree != nil {
		visible = b.tree.visibleLeaves(b, h)
	} else {
		end := min(b.count(), b.offset+b.rowsHeight(h))
		for i := b.offset; i < end; i++ {
			visible = append(visible, b.keyAt(i))
		}
	}
	var want []string
	for _, k := range visible {
		if _, ok := b.meta[k]; ok {
			continue
		}
		if _, ok := b.metaPending[k]; ok {
			continue
		}
		want = append(want, k)
	}
	if len(want) == 0 {
		return nil
	}
	if len(b.meta)+len(b.metaPending) > metaCacheLimit {
		b.meta = make(map[string]KeyMeta)
		b.metaPending = make(map[string]struct{})
	}
	for _, k := range want {
		b.metaPending[k] = struct{}{}
	}
	gen, st := b.metaGen, b.c.Store
	return b.c.io(func(ctx context.Context) tea.Msg {
		metas, err := st.Meta(ctx, want)
		return metaMsg{gen: gen, keys: want, metas: metas, err: err}
	})
}

func (b *browser) onMeta(msg metaMsg) tea.Cmd {
	if msg.gen != b.metaGen {
		return nil
	}
	for _, k := range msg.keys {
		delete(b.metaPending, k)
	}
	if msg.err != nil {
		b.c.flash("metadata: "+msg.err.Error(), FlashWarn)
		return nil
	}
	for i, k := range msg.keys {
		if i < len(msg.metas) {
			b.meta[k] = msg.metas[i]
		}
	}
	return nil
}

// setFilter applies a new client-side filter query.
func (b *browser) setFilter(q string) tea.Cmd {
	if q == b.filter.query {
		return nil
	}
	if q == "" {
		b.clearFilter()
		return b.metaCmd()
	}
	b.filter = filterState{query: q, gen: b.c.nextGen(), pending: true}
	b.cursor, b.offset = 0, 0
	return filterCmd(b.filter.gen, b.keys.snapshot(), q)
}

func (b *browser) clearFilter() {
	b.filter = filterState{}
}

func (b *browser) onFilter(msg filterMsg) tea.Cmd {
	if msg.gen != b.filter.gen || !b.filter.active() {
		return nil
	}
	b.filter.idx, b.filter.upto, b.filter.pending = msg.matches, msg.upto, false
	b.filter.catchUp(b.keys)
	b.move(b.cursor, b.c.bodyHeight())
	return b.metaCmd()
}

// refilter re-runs the filter after the key set changed under it (a delete or rename).
func (b *browser) refilter() tea.Cmd {
	if !b.filter.active() {
		return nil
	}
	b.filter.gen = b.c.nextGen()
	b.filter.pending = true
	return filterCmd(b.filter.gen, b.keys.snapshot(), b.filter.query)
}

// togglePause pauses or resumes the scan.
func (b *browser) togglePause() tea.Cmd {
	if b.scan.done || b.exact != nil {
		b.c.flash("scan complete: nothing to pause", FlashInfo)
		return nil
	}
	if b.scan.err != nil { // retry the failed page from the saved cursor
		b.scan.err, b.scan.paused = nil, false
		b.c.flash("retrying SCAN from the saved cursor", FlashInfo)
		return b.scan.next(b.c, b.keys.Len())
	}
	b.scan.paused = !b.scan.paused
	if b.scan.paused {
		b.c.flash("scan paused (p resumes)", FlashInfo)
		return nil
	}
	b.scan.err = nil
	return b.scan.next(b.c, b.keys.Len())
}

// loadMore raises the load target by one batch (or removes it) and carries on from the saved
// cursor, without restarting.
func (b *browser) loadMore(all bool) tea.Cmd {
	if b.scan.done {
		b.c.flash("scan complete: every matching key is loaded", FlashInfo)
		return nil
	}
	if all {
		b.scan.target = 0
	} else {
		b.scan.target = b.keys.Len() + b.batch
	}
	b.scan.paused = false
	b.scan.err = nil
	return b.scan.next(b.c, b.keys.Len())
}

// update handles a key press while the list has focus.
func (b *browser) update(msg tea.KeyPressMsg) tea.Cmd {
	k, h := b.c.Keys, b.c.bodyHeight()
	if b.confirm != nil {
		return b.updateConfirm(msg)
	}
	if b.input != nil {
		return b.updateInput(msg)
	}
	if b.tree != nil {
		return b.updateTree(msg)
	}
	rows := max(1, b.rowsHeight(h))
	switch {
	case key.Matches(msg, k.Up):
		b.move(b.cursor-1, h)
	case key.Matches(msg, k.Down):
		b.move(b.cursor+1, h)
	case key.Matches(msg, k.PageUp):
		b.offset = max(0, b.offset-rows)
		b.move(b.cursor-rows, h)
	case key.Matches(msg, k.PageDown):
		b.offset = max(0, min(b.offset+rows, b.count()-rows))
		b.move(b.cursor+rows, h)
	case key.Matches(msg, k.Top):
		b.move(0, h)
	case key.Matches(msg, k.Bottom):
		b.move(b.count()-1, h)
	case key.Matches(msg, k.Open):
		if kk, ok := b.selected(); ok {
			m, has := b.meta[kk]
			return func() tea.Msg { return openKeyMsg{key: kk, meta: m, has: has} }
		}
		return nil
	case key.Matches(msg, k.Back):
		if b.filter.active() {
			b.clearFilter()
			b.move(0, h)
		}
	case key.Matches(msg, k.Filter):
		b.input = newLineInput(b.c, inputFilter, "/", b.filter.query)
		return nil
	case key.Matches(msg, k.Pattern):
		b.input = newLineInput(b.c, inputPattern, "SCAN MATCH ", b.scan.match)
		return nil
	case key.Matches(msg, k.Pause):
		return b.togglePause()
	case key.Matches(msg, k.More):
		return b.loadMore(false)
	case key.Matches(msg, k.All):
		return b.loadMore(true)
	case key.Matches(msg, k.Rescan):
		return b.start(b.scan.match, b.scan.typ)
	case key.Matches(msg, k.Tree):
		return b.enterTree("")
	case key.Matches(msg, k.Delete):
		return b.askDelete()
	case key.Matches(msg, k.Expire):
		return b.askTTL()
	case key.Matches(msg, k.Persist):
		return b.persist()
	case key.Matches(msg, k.Rename):
		return b.askRename()
	case key.Matches(msg, k.Add):
		if b.refuseReadOnly("add key", "SET") {
			return nil
		}
		b.input = newLineInput(b.c, inputAddName, "new string key: ", "")
		return nil
	case key.Matches(msg, k.Copy):
		if kk, ok := b.selected(); ok {
			b.c.flash("copied key name to the clipboard (OSC 52)", FlashInfo)
			return tea.SetClipboard(kk)
		}
		return nil
	default:
		return nil
	}
	return b.metaCmd()
}

// click selects the row at body line y; a click on the selected row opens it.
func (b *browser) click(y int) tea.Cmd {
	if b.tree != nil {
		return b.tree.click(b, y)
	}
	row := y - b.headerLines()
	if row < 0 || b.offset+row >= b.count() {
		return nil
	}
	i := b.offset + row
	if i == b.cursor {
		return b.update(tea.KeyPressMsg{Code: tea.KeyEnter})
	}
	b.cursor = i
	return b.metaCmd()
}

// help lists the bindings for the footer.
func (b *browser) help() helpKeys {
	k := b.c.Keys
	if b.input != nil {
		return helpKeys{short: []key.Binding{
			key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply")),
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		}}
	}
	if b.confirm != nil {
		return helpKeys{short: []key.Binding{k.Confirm, k.Cancel}}
	}
	if b.tree != nil {
		return b.tree.help(k)
	}
	nav := []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Open, k.Back}
	scan := []key.Binding{k.Filter, k.Pattern, k.Pause, k.More, k.All, k.Rescan, k.Tree}
	acts := []key.Binding{k.Add, k.Delete, k.Expire, k.Persist, k.Rename, k.Copy}
	app := []key.Binding{k.Command, k.Profiles, k.Help, k.Quit, k.ForceQuit}
	return helpKeys{
		short: []key.Binding{k.Open, k.Filter, k.Pattern, k.Pause, k.More, k.Tree, k.Command, k.Help, k.Quit},
		full:  [][]key.Binding{nav, scan, acts, app},
	}
}

// status is the first line of the list: pattern, type, progress.
func (b *browser) status() string {
	s := b.c.Styles
	var sb strings.Builder
	sb.WriteString(s.Title.Render("KEYS"))
	sb.WriteString(s.Dim.Render(" match "))
	sb.WriteString(printable(b.scan.match))
	if b.scan.typ != "" {
		sb.WriteString(s.Dim.Render(" type "))
		sb.WriteString(b.scan.typ)
	}
	sb.WriteString(s.Dim.Render("  │ "))
	if b.exact != nil {
		switch {
		case b.exact.pending:
			sb.WriteString("exact key: looking up…")
		case b.exact.err != nil:
			sb.WriteString(s.Danger.Render("exact key: " + b.exact.err.Error()))
		case b.exact.found:
			sb.WriteString("exact key (EXISTS, no scan)")
		default:
			sb.WriteString(s.Warn.Render("no such key"))
		}
		return sb.String()
	}
	loaded := int64(b.keys.Len())
	sb.WriteString("loaded " + count(loaded))
	if b.dbsize >= 0 {
		if b.scan.match != "*" || b.scan.typ != "" {
			// SCAN does not say how many keys it examined; COUNT × calls is the server's hint.
			scanned := int64(b.scan.calls) * b.scan.count
			if b.scan.done || scanned > b.dbsize {
				scanned = b.dbsize
			}
			sb.WriteString(" · scanned ~" + count(scanned))
		}
		sb.WriteString(" of " + count(b.dbsize) + " (DBSIZE)")
	}
	sb.WriteString(" · ")
	switch {
	case b.scan.err != nil:
		sb.WriteString(s.Danger.Render("scan failed"))
	case b.scan.done:
		sb.WriteString(s.CountOK.Render("complete"))
	case b.scan.paused:
		sb.WriteString(s.Warn.Render("paused"))
	case b.scan.inFlight:
		sb.WriteString("scanning…")
	default:
		sb.WriteString(s.Warn.Render("more on server (m: load more, M: all)"))
	}
	sb.WriteString(b.shardProgress())
	return sb.String()
}

// shardProgress is " · shards 1/3 done" while a cluster scan is under way: every primary is
// scanned with its own cursor, and the store reads their progress out of the opaque cursor
// without I/O.
func (b *browser) shardProgress() string {
	pr, ok := b.c.Store.(ScanProgressReader)
	if !ok || b.scan.done || b.scan.cursor == "" {
		return ""
	}
	shards, ok := pr.ScanProgress(b.scan.cursor)
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
