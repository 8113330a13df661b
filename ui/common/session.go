package common

import "time"

// TLSMode is how the connection is secured, as the header shows it.
type TLSMode int

const (
	TLSOn       TLSMode = iota // verified TLS
	TLSOff                     // plain TCP: the header warns
	TLSInsecure                // TLS without verification: the header warns
)

// SessionState is a snapshot of the connection for the header. It carries no secret.
type SessionState struct {
	Profile  string // profile name
	Color    string // profile colour: a name from profiles.Colors, "#rgb"/"#rrggbb" or "0"–"255"
	Addr     string // host:port
	Identity string // UPN, or application ID for a service principal / managed identity
	ObjectID string // Entra object ID (the Redis username)
	DB       int
	ReadOnly bool
	TLS      TLSMode
	// TreeDelimiters split key names into the tree view's folders (the profile's
	// tree_delimiters); empty means [":"].
	TreeDelimiters []string
	// Cluster is set when the session talks to a Redis Cluster with a cluster client (AMR's OSS
	// clustering policy); Shards is the number of primaries in its current topology.
	Cluster bool
	Shards  int

	Expires    bool      // false for access keys and no auth: no countdown
	ExpiresAt  time.Time // of the token in use
	Refreshing bool      // a token request is in flight
	RetryAt    time.Time // a failed refresh is retried then; zero when none failed
	Expired    bool      // the token expired and no new one arrived

	// The session panel's details (:session); none of them is a secret.
	TenantID      string    // Entra tenant of the token
	Credential    string    // credential kind, e.g. "service principal (client secret)"
	IssuedAt      time.Time // of the token in use (its iat claim)
	NextRefreshAt time.Time // when the next token request is due
	Generation    uint64    // tokens installed since the session opened
	Pool          int       // live pooled command connections
	Console       int       // live console connections
	PubSub        int       // live subscriptions
	Stale         int       // live connections still authenticated with an older token
	DeviceCode    string    // a device code login waiting for the user: its instructions
	LastError     string    // the last refresh or re-AUTH failure, explained; "" after a success
}

// SessionUpdate is one change pushed by the session: the new snapshot and, optionally, a flash
// message such as "token refreshed, 4 connections re-authenticated".
type SessionUpdate struct {
	State SessionState
	Flash string
	Level FlashLevel
	// Event, when set, is added to the session panel's history.
	Event *SessionEvent
}

// SessionEvent is one line of the session panel's history: a token, a refresh failure, a
// re-AUTH round, a lost or restored connection. It carries no secret.
type SessionEvent struct {
	At       time.Time
	What     string        // short title: "token refreshed", "re-AUTH", "refresh failed"…
	Detail   string        // one line of facts
	Duration time.Duration // how long it took; 0 when not measured
	Err      string        // the failure explained (may span lines); "" when none
	Level    FlashLevel
}

// Session is the UI's view of a live session. main adapts *session.Session to it.
type Session interface {
	// State returns the current snapshot.
	State() SessionState
	// Updates delivers changes; the UI listens with one re-armed Cmd. A closed channel ends
	// listening.
	Updates() <-chan SessionUpdate
}

// FlashLevel is the severity of a footer message.
type FlashLevel int

const (
	FlashInfo FlashLevel = iota
	FlashWarn
	FlashError
)

// SessionHistoryMax bounds the session panel's history: the newest events are kept.
const SessionHistoryMax = 50
