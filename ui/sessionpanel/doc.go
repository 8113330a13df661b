// Package sessionpanel renders `:session`: the connection's identity, token state and recent
// session events. It imports only ui/common.
package sessionpanel
