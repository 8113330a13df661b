// Package common is what App and every screen of amr-tui's UI share: the context (Common: size,
// Styles, KeyMap, clock, Store, read-only flag, flash message, request generations and the IO
// helper that turns a Store call into a Cmd), the Store and Session interfaces with their
// optional capabilities, the messages that cross from a screen to App, and the rendering and
// input helpers (Printable, Fit, LineInput, ConfirmState, overlay boxes). It imports no other
// ui package.
package common
