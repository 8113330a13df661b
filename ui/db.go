package ui

import (
	"context"
	"strconv"

	tea "charm.land/bubbletea/v2"
)

// DBSelector is implemented by stores that can switch the logical database (SELECT). It is
// optional. SelectDB returns a Store whose every call runs on database db; the store it was
// called on must not be used afterwards (its connections may be closed). It refuses a
// cluster (only database 0 exists there) and passes on the server's refusal, explained:
// Azure Managed Redis, for one, has only database 0 and rejects SELECT.
type DBSelector interface {
	SelectDB(ctx context.Context, db int) (Store, error)
}

// dbSwitchMsg reports the outcome of :db.
type dbSwitchMsg struct {
	gen   uint64
	db    int
	store Store
	err   error
}

// maxDB bounds what :db accepts before asking the server (Redis's default is 16 databases;
// servers configured with more still answer for themselves).
const maxDB = 1 << 20

// selectDB runs `:db N`: validated here, switched by the store, and only applied (header,
// scan, DBSIZE) once the server said yes.
func (a *App) selectDB(args []string) tea.Cmd {
	if len(args) != 1 {
		a.c.flash(":db needs one database number, like :db 1", FlashWarn)
		return nil
	}
	n, err := strconv.Atoi(args[0])
	if err != nil || n < 0 || n > maxDB {
		a.c.flash(":db "+printable(args[0])+": a database is a number from 0, like :db 1", FlashWarn)
		return nil
	}
	sel, ok := a.c.Store.(DBSelector)
	if !ok {
		a.c.flash("this connection cannot switch databases", FlashWarn)
		return nil
	}
	if a.dbGen != 0 {
		// The session moves its one command client: two switches in flight would race, and
		// the one finishing last would win while the header showed the other.
		a.c.flash(":db "+strconv.Itoa(n)+" not started: the previous database switch is still running", FlashWarn)
		return nil
	}
	if a.dbKnown && n == a.db {
		a.c.flash("already on database "+strconv.Itoa(n), FlashInfo)
		return nil
	}
	a.dbGen = a.c.nextGen()
	gen := a.dbGen
	a.c.flash("switching to database "+strconv.Itoa(n)+"…", FlashInfo)
	return a.c.io(func(ctx context.Context) tea.Msg {
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
		a.c.flash("database "+strconv.Itoa(msg.db)+" not selected: "+msg.err.Error(), FlashError)
		return nil
	}
	a.c.Store = msg.store
	a.db, a.dbKnown = msg.db, true
	a.state.DB = msg.db
	// The session dials every new connection on this database, the console's next one too.
	a.console.baseDB = msg.db
	a.screen = screenKeys
	a.layout()
	b := a.browser
	// Metadata and pending requests belong to the old database: forget them.
	b.meta, b.metaPending, b.metaGen = make(map[string]KeyMeta), make(map[string]struct{}), a.c.nextGen()
	b.confirm, b.input = nil, nil
	b.keyspace = a.c.nextGen() // writes still running report back, but change nothing here
	a.c.flash("database "+strconv.Itoa(msg.db)+" selected", FlashInfo)
	return b.start(b.scan.match, b.scan.typ)
}

// withDB keeps the header on the database :db selected when a session update (built by an
// adapter that may not know about the switch) arrives.
func (a *App) withDB(st SessionState) SessionState {
	if a.dbKnown {
		st.DB = a.db
	}
	return st
}
