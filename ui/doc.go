// Package ui holds amr-tui's terminal UI. Its App (New(Options)) is the only tea.Model: it owns
// the layout, routes every message to the screen that asked for it, and draws the header, the
// footer, the overlays and the `:` prompt.
//
// The screens are packages of their own under ui/ (browser, viewer, console, infopanel,
// sessionpanel, profilepicker). They share ui/common — the context (Common), styles, key map,
// and the Store and Session interfaces through which alone they reach Redis — and never import
// ui or one another. The key browser scans in the background (SCAN with MATCH, COUNT and TYPE,
// never KEYS) and renders only the visible rows, so it stays responsive with millions of keys;
// the value viewer reads values a bounded page at a time. See AGENTS.md in this directory for
// the rules the code follows.
package ui
