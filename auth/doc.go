// Package auth turns a profile's auth settings into an azidentity credential that yields access
// tokens and Redis credentials (username = the token's oid), and explains every failure: which
// credential, which step, and the likely fix. It never imports session or ui.
package auth
