package ui

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
	// Cluster is set when the session talks to a Redis Cluster with a cluster client (AMR's OSS
	// clustering policy); Shards is the number of primaries in its current topology.
	Cluster bool
	Shards  int

	Expires    bool      // false for access keys and no auth: no countdown
	ExpiresAt  time.Time // of the token in use
	Refreshing bool      // a token request is in flight
	RetryAt    time.Time // a failed refresh is retried then; zero when none failed
	Expired    bool      // the token expired and no new one arrived
}

// SessionUpdate is one change pushed by the session: the new snapshot and, optionally, a flash
// message such as "token refreshed, 4 connections re-authenticated".
type SessionUpdate struct {
	State SessionState
	Flash string
	Level FlashLevel
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
