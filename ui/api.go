package ui

import "github.com/amr-tui/amr-tui/ui/common"

// The names below are the ui package's public surface for main: they are declared in
// ui/common, where the screens can reach them without importing App, and named here so
// callers keep writing ui.X.

// Store is what the UI needs from Redis; see common.Store.
type Store = common.Store

// Session is the live connection's identity and events; see common.Session.
type Session = common.Session

// SessionUpdate is one change of the session's state; see common.SessionUpdate.
type SessionUpdate = common.SessionUpdate

// Opener lists and opens saved profiles; see common.Opener.
type Opener = common.Opener

// ProfileEditor is the optional Opener capability behind the profile form; see
// common.ProfileEditor.
type ProfileEditor = common.ProfileEditor

// FormField is one field of the profile form; see common.FormField.
type FormField = common.FormField

// ProfileList is the saved profiles the picker shows; see common.ProfileList.
type ProfileList = common.ProfileList

// ProfileSummary is one row of the picker; see common.ProfileSummary.
type ProfileSummary = common.ProfileSummary

// Opened is a session the Opener opened; see common.Opened.
type Opened = common.Opened

// DeviceCode is a device-code sign-in prompt; see common.DeviceCode.
type DeviceCode = common.DeviceCode
