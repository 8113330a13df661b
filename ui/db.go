package ui

import (
	"github.com/amr-tui/amr-tui/ui/common"

	"context"
	"strconv"

	tea "charm.land/bubbletea/v2"
)

// dbSwitchMsg reports the outcome of :db.
type dbSwitchMsg struct {
	gen   uint64
	db    int
	store common.Store
	err   error
}

// maxDB bounds what :db accepts before asking the server (Redis's default is 16 databases;
// servers configured with more still answer for themselves).
const maxDB = 1 << 20

// selectDB runs `:db N`: validated here, switched by the store, and only applied (header,
// scan, DBSIZE) once the server said yes.
func (a *App) selectDB(args []string) tea.Cmd {
	if len(args) != 1 {
		a.c.Flash(":db needs one database number, like :db 1", common.FlashWarn)
		return nil
	}
	n, err := strconv.Atoi(args[0])
	if err != nil || n < 0 || n > maxDB {
		a.c.Flash(":db "+common.Printable(args[0])+": a database is a number from 0, like :db 1", common.FlashWarn)
		return nil
	}
	sel, ok := a.c.Store.(common.DBSelector)
	if !ok {
		a.c.Flash("this connection cannot switch databases", common.FlashWarn)
		return nil
	}
	if a.dbGen != 0 {
		// The session moves its one command client: two switches in flight would race, and
		// the one finishing last would win while the header showed the other.
		a.c.Flash(":db "+strconv.Itoa(n)+" not started: the previous database switch is still running", common.FlashWarn)
		return nil
	}
	if a.dbKnown && n == a.db {
		a.c.Flash("already on database "+strconv.Itoa(n), common.FlashInfo)
		return nil
	}
	a.dbGen = a.c.NextGen()
	gen := a.dbGen
	a.c.Flash("switching to database "+strconv.Itoa(n)+"…", common.FlashInfo)
	return a.c.IO(func(ctx context.Context) tea.Msg {
		st, err := sel.SelectDB(ctx, n)
		return dbSwitchMsg{gen: gen, db: n, store: st, err: err}
	})
}

// onDBSwitch installs the store on the new database and restarts the listing there.
func (a *App) onDBSwitch(msg dbSwitchMsg) tea.Cmd {
	if msg.gen != a.dbGen {
		return nil
	}
	a.dbGen = 0 // no switch is running: :db may start another
	if msg.err != nil {
		a.c.Flash("database "+strconv.Itoa(msg.db)+" not selected: "+msg.err.Error(), common.FlashError)
		return nil
	}
	a.c.Store = msg.store
	a.db, a.dbKnown = msg.db, true
	a.state.DB = msg.db
	// The session dials every new connection on this database, the console's next one too.
	a.console.BaseDB = msg.db
	a.screen = screenKeys
	a.layout()
	b := a.browser
	// Metadata and pending requests belong to the old database: forget them.
	b.Meta, b.MetaPending, b.MetaGen = make(map[string]common.KeyMeta), make(map[string]struct{}), a.c.NextGen()
	b.Confirm, b.Input = nil, nil
	b.Keyspace = a.c.NextGen() // writes still running report back, but change nothing here
	a.c.Flash("database "+strconv.Itoa(msg.db)+" selected", common.FlashInfo)
	return b.Start(b.Scan.Match, b.Scan.Typ)
}

// withDB keeps the header on the database :db selected when a session update (built by an
// adapter that may not know about the switch) arrives.
func (a *App) withDB(st common.SessionState) common.SessionState {
	if a.dbKnown {
		st.DB = a.db
	}
	return st
}
