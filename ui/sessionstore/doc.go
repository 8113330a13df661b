// Package sessionstore adapts a live *session.Session to the interfaces the ui package declares:
// Store (keys and values over the session's go-redis client) and Session (the header's facts and
// the session's events as common.SessionUpdate). It keeps ui free of session and go-redis imports.
//
// Against a cluster client, Scan walks every primary in turn with its own SCAN cursor; the
// opaque cursor string the UI holds is "<primary address>|<cursor>".
package sessionstore
