package viewer

import (
	"github.com/amr-tui/amr-tui/ui/common"

	"context"
	"strconv"
	"strings"
)

// Page sizes of the value viewer: every read is bounded by one of these.
const (
	stringPage = 64 << 10 // bytes per GETRANGE
	JSONLimit  = 1 << 20  // RedisJSON documents are read whole (JSON.GET) only below this MEMORY USAGE
	RangePage  = 200      // LRANGE / ZRANGE window
	scanPage   = 200      // HSCAN / SSCAN COUNT
	streamPage = 100      // XRANGE COUNT
)

// pagePos says where a page starts: an index (strings, lists, sorted sets), a SCAN cursor
// (hashes, sets) or a stream ID (exclusive, "" for the start).
type pagePos struct {
	index  int64
	cursor uint64
	id     string

	// Jumps (seek.go): a read that finds its own start reports where it read (valuePage.at).
	tail  bool   // G: the real last page
	seek  bool   // lists, sorted sets: land on index (go to), the page placed around it
	incl  bool   // streams: id is an inclusive start (go to an ID)
	field string // hashes: show this one field (go to)
	where string // what pageInfo says of a page a jump read ("last page", "field f"), raw: escaped when shown
}

// valuePage is one bounded read of a value, as rows of cells (or raw bytes for strings).
type valuePage struct {
	raw  string     // strings only
	Rows [][]string // other types: one row per member / element / entry
	// entries are a stream page's entries with their fields apart (the expanded view).
	entries []common.StreamEntry
	next    pagePos
	more    bool // another page follows

	at     *pagePos // where a jump actually read (tail, seek), replacing the asked position
	sel    int      // the row to select, when hasSel
	hasSel bool
}

// valueKind is how one Redis type is sized and paged, like k9s's resource registry.
type valueKind struct {
	sizeCmd string   // shown next to the size
	unit    string   // singular: common.Plural adds the plural
	cols    []string // column titles for rows
	size    func(ctx context.Context, st common.Store, key string) (int64, error)
	page    func(ctx context.Context, st common.Store, key string, at pagePos, size int64) (valuePage, error)
}

// valueKinds is the per-type registry. A type missing here (RedisJSON, vector sets…) is shown
// with its metadata only.
var valueKinds = map[string]valueKind{
	common.TypeString: {sizeCmd: "STRLEN", unit: "byte",
		size: func(ctx context.Context, st common.Store, key string) (int64, error) { return st.StrLen(ctx, key) },
		page: func(ctx context.Context, st common.Store, key string, at pagePos, size int64) (valuePage, error) {
			end := at.index + stringPage - 1
			v, err := st.GetRange(ctx, key, at.index, end)
			if err != nil {
				return valuePage{}, err
			}
			return valuePage{raw: v, next: pagePos{index: end + 1}, more: end+1 < size}, nil
		}},
	common.TypeJSON: { // sized by MEMORY USAGE, already shown with the metadata
		size: func(ctx context.Context, st common.Store, key string) (int64, error) {
			ms, err := st.Meta(ctx, []string{key})
			if err != nil || len(ms) == 0 {
				return -1, err
			}
			return ms[0].Memory, nil
		},
		page: func(ctx context.Context, st common.Store, key string, _ pagePos, size int64) (valuePage, error) {
			jr, ok := st.(common.JSONReader)
			switch {
			case !ok:
				return valuePage{}, common.ConstErr("this connection cannot read RedisJSON documents")
			case size < 0:
				return valuePage{}, common.ConstErr("MEMORY USAGE unavailable: not reading a document of unknown size")
			case size > JSONLimit:
				return valuePage{}, common.ConstErr("document uses " + common.Bytesize(size) + "; documents over " + common.Bytesize(JSONLimit) + " are not read whole")
			}
			doc, err := jr.JSONGet(ctx, key)
			return valuePage{raw: doc}, err
		}},
	common.TypeList: {sizeCmd: "LLEN", unit: "element", cols: []string{"INDEX", "ELEMENT"},
		size: func(ctx context.Context, st common.Store, key string) (int64, error) { return st.LLen(ctx, key) },
		page: func(ctx context.Context, st common.Store, key string, at pagePos, size int64) (valuePage, error) {
			at, sel, jumped := rangeJump(at, size)
			end := at.index + RangePage - 1
			vs, err := st.LRange(ctx, key, at.index, end)
			if err != nil {
				return valuePage{}, err
			}
			p := valuePage{next: pagePos{index: end + 1}, more: end+1 < size}
			for i, v := range vs {
				p.Rows = append(p.Rows, []string{strconv.FormatInt(at.index+int64(i), 10), v})
			}
			p.jumped(at, sel, jumped)
			return p, nil
		}},
	common.TypeZSet: {sizeCmd: "ZCARD", unit: "member", cols: []string{"SCORE", "MEMBER"},
		size: func(ctx context.Context, st common.Store, key string) (int64, error) { return st.ZCard(ctx, key) },
		page: func(ctx context.Context, st common.Store, key string, at pagePos, size int64) (valuePage, error) {
			at, sel, jumped := rangeJump(at, size)
			end := at.index + RangePage - 1
			ms, err := st.ZRangeWithScores(ctx, key, at.index, end)
			if err != nil {
				return valuePage{}, err
			}
			p := valuePage{next: pagePos{index: end + 1}, more: end+1 < size}
			for _, m := range ms {
				p.Rows = append(p.Rows, []string{FormatScore(m.Score), m.Member})
			}
			p.jumped(at, sel, jumped)
			return p, nil
		}},
	common.TypeHash: {sizeCmd: "HLEN", unit: "field", cols: []string{"FIELD", "VALUE"},
		size: func(ctx context.Context, st common.Store, key string) (int64, error) { return st.HLen(ctx, key) },
		page: func(ctx context.Context, st common.Store, key string, at pagePos, _ int64) (valuePage, error) {
			if at.field != "" {
				return fieldPage(ctx, st, key, at)
			}
			at, err := lastCursor(ctx, at, func(c uint64) (uint64, error) {
				_, next, err := st.HScan(ctx, key, c, scanPage)
				return next, err
			})
			if err != nil {
				return valuePage{}, err
			}
			kv, next, err := st.HScan(ctx, key, at.cursor, scanPage)
			if err != nil {
				return valuePage{}, err
			}
			p := valuePage{next: pagePos{cursor: next}, more: next != 0}
			for i := 0; i+1 < len(kv); i += 2 {
				p.Rows = append(p.Rows, []string{kv[i], kv[i+1]})
			}
			p.jumped(at, len(p.Rows)-1, at.where != "")
			return p, nil
		}},
	common.TypeSet: {sizeCmd: "SCARD", unit: "member", cols: []string{"MEMBER"},
		size: func(ctx context.Context, st common.Store, key string) (int64, error) { return st.SCard(ctx, key) },
		page: func(ctx context.Context, st common.Store, key string, at pagePos, _ int64) (valuePage, error) {
			at, err := lastCursor(ctx, at, func(c uint64) (uint64, error) {
				_, next, err := st.SScan(ctx, key, c, scanPage)
				return next, err
			})
			if err != nil {
				return valuePage{}, err
			}
			ms, next, err := st.SScan(ctx, key, at.cursor, scanPage)
			if err != nil {
				return valuePage{}, err
			}
			p := valuePage{next: pagePos{cursor: next}, more: next != 0}
			for _, m := range ms {
				p.Rows = append(p.Rows, []string{m})
			}
			p.jumped(at, len(p.Rows)-1, at.where != "")
			return p, nil
		}},
	common.TypeStream: {sizeCmd: "XLEN", unit: "entry", cols: []string{"ID · TIME (UTC)", "FIELDS"},
		size: func(ctx context.Context, st common.Store, key string) (int64, error) { return st.XLen(ctx, key) },
		page: func(ctx context.Context, st common.Store, key string, at pagePos, _ int64) (valuePage, error) {
			if at.tail {
				return streamTail(ctx, st, key)
			}
			start := "-"
			switch {
			case at.incl:
				start = at.id
			case at.id != "":
				start = "(" + at.id
			}
			es, err := st.XRange(ctx, key, start, "+", streamPage+1)
			if err != nil {
				return valuePage{}, err
			}
			p := valuePage{more: len(es) > streamPage}
			if p.more {
				es = es[:streamPage]
			}
			return streamRows(p, es), nil
		}},
}

// streamRows fills a stream page with entries es.
func streamRows(p valuePage, es []common.StreamEntry) valuePage {
	p.entries = es
	for _, e := range es {
		var b strings.Builder
		for i := 0; i+1 < len(e.Fields); i += 2 {
			if i > 0 {
				b.WriteString("  ")
			}
			b.WriteString(e.Fields[i] + "=" + e.Fields[i+1])
		}
		p.Rows = append(p.Rows, []string{e.ID, b.String()})
	}
	if len(es) > 0 {
		p.next = pagePos{id: es[len(es)-1].ID}
	}
	return p
}
