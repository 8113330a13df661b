// Package ui holds the Bubble Tea models of amr-tui. It is the only package that imports Charm
// libraries, and it reaches Redis only through interfaces it declares (Store, Session).
//
// New(Options) returns the root model, App. The key browser scans in the background (SCAN with
// MATCH, COUNT and TYPE, never KEYS), keeps loaded keys in a compact arena, and renders only the
// visible rows, so it stays responsive with millions of keys; the value viewer reads values a
// bounded page at a time. See AGENTS.md in this directory for the rules the code follows.
package ui
