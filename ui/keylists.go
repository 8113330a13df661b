package ui

import (
	"strings"
	"sync"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/amr-tui/amr-tui/keylists"
	"github.com/amr-tui/amr-tui/ui/common"
)

// keyLists are the profile's favourite and recent keys (package keylists), next to its console
// history. Files are read and written in Cmds; every change re-reads the file, changes it and
// writes it back there, and Update takes the result, so nothing is written from Update and two
// amr-tui windows on one profile do not undo each other's marks.
type keyLists struct {
	base   string // history/<profile> without the extension; "" keeps nothing
	fav    []string
	recent []string
	gen    uint64
	// files serialises the Cmds' read-change-write of the files: `f` and opening a key touch
	// them at once, and two read-modify-writes of one file at once would lose a change.
	files *listFiles
	seen  uint64 // the newest change applied (listFiles.seq)
}

// listFiles is shared by a profile's list Cmds.
type listFiles struct {
	mu  sync.Mutex
	seq uint64 // counts the changes made, under mu
}

// keyListsMsg carries both lists as read or written in a Cmd.
type keyListsMsg struct {
	gen         uint64
	seq         uint64 // listFiles.seq after this change: a message with an older one is stale
	fav, recent []string
	flash       string
	err         error
}

// listPath is a profile's list file, beside its console history (<profile>.console).
func (l *keyLists) path(kind keylists.Kind) string {
	if l.base == "" {
		return ""
	}
	return l.base + "." + string(kind)
}

// resetKeyLists points the lists at a (new) profile's files and reads them.
func (a *App) resetKeyLists(historyPath string) tea.Cmd {
	a.lists = keyLists{base: strings.TrimSuffix(historyPath, ".console"), gen: a.c.NextGen(), files: &listFiles{}}
	if historyPath == "" || !strings.HasSuffix(historyPath, ".console") {
		a.lists.base = ""
		return nil
	}
	return a.changeLists("", nil)
}

// changeLists runs change (nil: only read) on the lists' files in a Cmd.
func (a *App) changeLists(flash string, change func(fav, recent *keylists.List) (string, error)) tea.Cmd {
	favPath, recentPath, gen, files := a.lists.path(keylists.Favorites), a.lists.path(keylists.Recent), a.lists.gen, a.lists.files
	if favPath == "" || files == nil {
		return nil
	}
	return func() tea.Msg {
		files.mu.Lock()
		defer files.mu.Unlock()
		files.seq++
		fav, ferr := keylists.Load(favPath)
		recent, rerr := keylists.Load(recentPath)
		msg := keyListsMsg{gen: gen, seq: files.seq, flash: flash}
		if fav != nil {
			msg.fav = fav.Keys()
		}
		if recent != nil {
			msg.recent = recent.Keys()
		}
		if ferr != nil || rerr != nil {
			msg.err = firstErr(ferr, rerr)
			return msg
		}
		if change != nil {
			f, err := change(fav, recent)
			if err != nil {
				msg.err = err
				return msg
			}
			if f != "" {
				msg.flash = f
			}
			msg.fav, msg.recent = fav.Keys(), recent.Keys()
		}
		return msg
	}
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

func (a *App) onKeyLists(msg keyListsMsg) {
	if msg.gen != a.lists.gen || msg.seq < a.lists.seen {
		return // another profile's, or overtaken by a later change's result
	}
	a.lists.seen = msg.seq
	a.lists.fav, a.lists.recent = msg.fav, msg.recent
	if a.keyList != nil {
		a.keyList.refresh(a)
	}
	switch {
	case msg.err != nil:
		a.c.Flash("favourites/recent keys: "+msg.err.Error(), common.FlashError)
	case msg.flash != "":
		a.c.Flash(msg.flash, common.FlashInfo)
	}
}

func (a *App) favKeys() []string {
	return append(append([]string(nil), a.lists.fav...), a.lists.recent...)
}

// toggleFavourite marks or unmarks key as a favourite.
func (a *App) toggleFavourite(k string) tea.Cmd {
	if a.lists.base == "" {
		a.c.Flash("favourites need a saved profile (start amr-tui with -p NAME)", common.FlashWarn)
		return nil
	}
	return a.changeLists("", func(fav, _ *keylists.List) (string, error) {
		on := fav.Toggle(k)
		if err := fav.Save(); err != nil {
			return "", err
		}
		if on {
			return "★ " + common.Printable(k) + " is a favourite (:fav lists them)", nil
		}
		return common.Printable(k) + " is no longer a favourite", nil
	})
}

// touchRecent records key as opened just now.
func (a *App) touchRecent(k string) tea.Cmd {
	if a.lists.base == "" {
		return nil
	}
	return a.changeLists("", func(_, recent *keylists.List) (string, error) {
		recent.Touch(k, keylists.MaxRecent)
		return "", recent.Save()
	})
}

// keyListView is `:fav` or `:recent`: the names on the list; enter opens one without a scan.
type keyListView struct {
	kind   keylists.Kind
	keys   []string
	cursor int
	offset int
}

func (v *keyListView) refresh(a *App) {
	if v.kind == keylists.Favorites {
		v.keys = a.lists.fav
	} else {
		v.keys = a.lists.recent
	}
	v.cursor = max(0, min(v.cursor, len(v.keys)-1))
}

// showKeyList opens the favourites or the recent keys.
func (a *App) showKeyList(kind keylists.Kind) tea.Cmd {
	if a.lists.base == "" {
		a.c.Flash("favourites and recent keys need a saved profile (start amr-tui with -p NAME)", common.FlashWarn)
		return nil
	}
	a.keyList = &keyListView{kind: kind}
	a.keyList.refresh(a)
	return a.changeLists("", nil) // the files may have changed in another window
}

func (a *App) keyListKey(msg tea.KeyPressMsg) tea.Cmd {
	v, k := a.keyList, a.c.Keys
	page := max(1, a.c.BodyHeight()-2)
	switch {
	case key.Matches(msg, k.Back), key.Matches(msg, k.Quit):
		a.keyList = nil
		return a.browser.MetaCmd()
	case key.Matches(msg, k.Up):
		v.cursor--
	case key.Matches(msg, k.Down):
		v.cursor++
	case key.Matches(msg, k.PageUp):
		v.cursor -= page
	case key.Matches(msg, k.PageDown):
		v.cursor += page
	case key.Matches(msg, k.Top):
		v.cursor = 0
	case key.Matches(msg, k.Bottom):
		v.cursor = len(v.keys) - 1
	case key.Matches(msg, k.Open):
		if len(v.keys) == 0 {
			return nil
		}
		name := v.keys[v.cursor]
		a.keyList = nil
		return func() tea.Msg { return common.OpenKeyMsg{Key: name} }
	case key.Matches(msg, k.Favourite):
		if len(v.keys) > 0 {
			return a.toggleFavourite(v.keys[v.cursor])
		}
	}
	v.cursor = max(0, min(v.cursor, len(v.keys)-1))
	return nil
}

func (v *keyListView) View(c *common.Common, fav []string, w, h int) string {
	st := c.Styles
	title := "FAVOURITES"
	empty := "no favourite keys yet: press f on a key in the list or the viewer"
	if v.kind == keylists.Recent {
		title, empty = "RECENT", "no key opened yet on this profile"
	}
	var sb strings.Builder
	sb.WriteString(st.Title.Render(title) + st.Dim.Render(" "+common.Count(int64(len(v.keys)))+" keys · enter open (no scan) · f favourite · esc back"))
	rows := max(1, h-1)
	if v.cursor < v.offset {
		v.offset = v.cursor
	}
	if v.cursor >= v.offset+rows {
		v.offset = v.cursor - rows + 1
	}
	if len(v.keys) == 0 {
		sb.WriteString("\n" + st.Dim.Render(common.Fit(empty, w)))
	}
	lines := 1 + max(1, min(rows, len(v.keys)-v.offset))
	for i := v.offset; i < len(v.keys) && i < v.offset+rows; i++ {
		mark := "  "
		if contains(fav, v.keys[i]) {
			mark = "★ "
		}
		line := common.Fit(mark+common.Printable(v.keys[i]), w-2)
		sb.WriteByte('\n')
		if i == v.cursor {
			sb.WriteString(st.Selected.Render("› " + line))
		} else {
			sb.WriteString(st.Row.Render("  " + line))
		}
	}
	for ; lines < h; lines++ {
		sb.WriteByte('\n')
	}
	return sb.String()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// favouriteTarget is the key `f` marks: the key under the cursor in the list or tree, or the key
// open in the viewer. Folders are not keys.
func (a *App) favouriteTarget() (string, bool) {
	switch a.screen {
	case screenKeys:
		if a.browser.Input != nil || a.browser.Confirm != nil || a.browser.BulkActive() {
			return "", false
		}
		return a.browser.Selected()
	case screenValue:
		if a.viewer.Input != nil || a.viewer.Confirm != nil || a.viewer.Key == "" {
			return "", false
		}
		return a.viewer.Key, true
	}
	return "", false
}
