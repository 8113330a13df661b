package doctor

import "time"

// SetStaleConnection makes AUTH reconnect when the connection is older than d, until the
// returned function restores the default.
func SetStaleConnection(d time.Duration) (restore func()) {
	prev := staleConnection
	staleConnection = d
	return func() { staleConnection = prev }
}

// ClockSkew is clockSkew, for tests.
var ClockSkew = clockSkew
