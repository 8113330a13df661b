package common

import "context"

// ProfileSummary describes one saved profile for the picker. It carries no secret.
type ProfileSummary struct {
	Name     string
	Label    string
	Auth     string // auth kind, "developer/device-code" style
	Addr     string // host:port
	Color    string // as SessionState.Color
	ReadOnly bool
	TLS      TLSMode
}

// ProfileList is the saved profiles, in the file's order, and where they live.
type ProfileList struct {
	Profiles []ProfileSummary
	LastUsed string
	Path     string // the profiles file, shown when it holds no profile
}

// DeviceCode is a device code login waiting for the user: open URL and enter Code.
type DeviceCode struct {
	Code    string
	URL     string
	Message string // Entra's own sentence; may be empty
}

// Opened is a session that is ready: the UI swaps it in and owns it from then on.
type Opened struct {
	Store   Store
	Session Session
	// Close ends the session; the UI calls it off the event loop once it no longer uses it.
	Close func()
	// HistoryPath is the console's history file for this profile; "" keeps no history.
	HistoryPath string
	// Warning is shown once after the swap (e.g. the profile could not be remembered).
	Warning string
}

// Opener lists saved profiles and opens one in the background. main implements it over
// profiles, auth and session; ui never imports those.
type Opener interface {
	// Profiles reads the saved profiles. It does I/O: call it from a Cmd.
	Profiles(ctx context.Context) (ProfileList, error)
	// Open signs in and connects. prompt receives a device code login's instructions while
	// Open waits for the user; it may be called from any goroutine. A failure's Error() is
	// the full diagnosis (which credential, which step, the likely fix). A successful open is
	// remembered as the last used profile.
	Open(ctx context.Context, name string, prompt func(DeviceCode)) (Opened, error)
}

// FormField is one line of the add/edit profile form.
type FormField struct {
	Key     string   // the profiles file's dotted field name, e.g. "auth.tenant_id"
	Label   string   // what the form shows
	Hint    string   // shown under the form while the field is focused
	Choices []string // a fixed set of values, cycled with ←/→; nil for free text
	Secret  bool     // typed text is masked; a plain value is stored in the OS keychain
}

// ProfileEditor adds, edits and deletes saved profiles with the same rules as the profiles
// CLI. It is an optional capability of an Opener (checked with a type assertion).
type ProfileEditor interface {
	// FormFields lists the form's fields for an auth kind ("" for the default). No I/O.
	FormFields(kind string) []FormField
	// LoadProfile returns a saved profile's form values; secret fields hold their reference
	// (never the secret).
	LoadProfile(ctx context.Context, name string) (map[string]string, error)
	// SaveProfile validates and saves values as a new profile (original "") or over the
	// profile named original. A secret field that is not a reference is stored in the OS
	// keychain; an empty one keeps the saved reference. Errors are the validation's own.
	SaveProfile(ctx context.Context, original string, values map[string]string) error
	// DeleteProfile removes a profile and the keychain entries only it used.
	DeleteProfile(ctx context.Context, name string) error
}
