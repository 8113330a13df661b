package session

import (
	"time"

	"github.com/amr-tui/amr-tui/auth"
)

// State is a snapshot of the session for the status bar and the token countdown.
type State struct {
	Kind          string      // the source's credential kind
	Username      string      // Redis username in use
	Claims        auth.Claims // of the current token
	Expires       bool        // false for access keys and no-auth
	ExpiresAt     time.Time   // of the current token
	NextRefreshAt time.Time   // when the next call to the source is due
	Refreshing    bool        // a call to the source is in flight
	Expired       bool        // the token expired and no new one has arrived
	Generation    uint64      // tokens installed since Open
	Failures      int         // consecutive failed refreshes
	LastErr       error       // last refresh or re-AUTH failure; nil after a success
	RetryAt       time.Time   // when the failed refresh is retried; zero when none failed

	Cluster        bool
	DB             int // database of the command client (SelectDB changes it)
	Shards         int // primaries in the cluster's current topology; 0 for a standalone server
	Connections    Connections
	ConnectionLost bool
	EventsDropped  uint64 // events the UI did not read in time
}

// Connections counts live connections by role and how many still hold an older token.
// Console includes the dedicated SCAN connections of Scanners (dedicated, re-AUTHed alike).
type Connections struct {
	Pool, Console, PubSub int
	Stale                 int // live connections whose last AUTH used an older token
}
