package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/decode"
	"github.com/amr-tui/amr-tui/profiles"
	"github.com/amr-tui/amr-tui/rediscli"
	"github.com/amr-tui/amr-tui/session"
	"github.com/amr-tui/amr-tui/ui"
	"github.com/amr-tui/amr-tui/ui/sessionstore"
)

// tuiOpener is the TUI's ui.Opener and ui.ProfileEditor over one profiles file: it lists the
// saved profiles, opens one in the background (auth source, session, adapters) and adds, edits
// and deletes profiles with the profiles CLI's rules.
type tuiOpener struct {
	path        string               // the profiles file
	settings    string               // config.toml; "" keeps the UI's defaults
	auth        auth.Options         // DeviceCodePrompt is set per open
	openTimeout time.Duration        // 0: by auth kind
	decoders    []decode.UserDecoder // config.toml's [decoders.NAME], for the viewer
}

var (
	_ ui.Opener        = (*tuiOpener)(nil)
	_ ui.ProfileEditor = (*tuiOpener)(nil)
)

// Profiles implements ui.Opener.
func (o *tuiOpener) Profiles(context.Context) (ui.ProfileList, error) {
	f, err := profiles.Load(o.path)
	if err != nil {
		return ui.ProfileList{}, err
	}
	list := ui.ProfileList{LastUsed: f.LastUsed(), Path: f.Path()}
	for _, n := range f.Names() {
		p, _ := f.Get(n)
		info := sessionstore.InfoFromProfile(p)
		list.Profiles = append(list.Profiles, ui.ProfileSummary{Name: p.Name, Label: p.Label, Auth: authSummary(p.Auth),
			Addr: info.Addr, Color: p.Color, ReadOnly: p.ReadOnly, TLS: info.TLS})
	}
	return list, nil
}

// Open implements ui.Opener: it signs in, connects and, on success, remembers the profile as
// the last used one. The error is the full diagnosis.
func (o *tuiOpener) Open(ctx context.Context, name string, prompt func(ui.DeviceCode)) (ui.Opened, error) {
	f, err := profiles.Load(o.path)
	if err != nil {
		return ui.Opened{}, err
	}
	p, ok := f.Get(name)
	if !ok {
		return ui.Opened{}, fmt.Errorf("no profile named %q in %s", name, f.Path())
	}
	s, adapter, err := openSession(ctx, p, o.auth, o.openTimeout, func(dp auth.DeviceCodePrompt) {
		if prompt != nil {
			prompt(ui.DeviceCode{Code: dp.UserCode, URL: dp.VerificationURL, Message: dp.Message})
		}
	})
	if err != nil {
		return ui.Opened{}, err
	}
	opened := ui.Opened{Store: sessionstore.New(s), Session: adapter, HistoryPath: rediscli.HistoryPath(o.path, name), Close: func() {
		adapter.Close()
		_ = s.Close()
	}}
	if f.LastUsed() != name {
		if err := profiles.Update(o.path, func(f *profiles.File) error { return f.SetLastUsed(name) }); err != nil {
			opened.Warning = "could not remember it as the last used profile: " + err.Error()
		}
	}
	return opened, nil
}

// openSession builds the auth source and opens the session for p, bounded by timeout (by auth
// kind when 0: a person finishing a device code or browser login gets longer). before
// receives device code prompts until the session is attached to its adapter; later ones (a
// refresh that needs a new login) are shown by the adapter.
func openSession(ctx context.Context, p profiles.Profile, opts auth.Options, timeout time.Duration,
	before func(auth.DeviceCodePrompt)) (*session.Session, *sessionstore.Session, error) {
	adapter := sessionstore.NewSession(sessionstore.InfoFromProfile(p))
	adapter.Before = before
	opts.DeviceCodePrompt = adapter.DeviceCodePrompt
	src, err := auth.NewSource(p, opts)
	if err != nil {
		return nil, nil, explainOpen(p, err)
	}
	cfg, err := session.ConfigFromProfile(p)
	if err != nil {
		return nil, nil, fmt.Errorf("profile %q: %w", p.Name, err)
	}
	if timeout <= 0 {
		timeout = defaultOpenTimeout
		if p.Auth.Kind == profiles.AuthDeveloper && (p.Auth.Method == profiles.DeveloperDeviceCode || p.Auth.Method == profiles.DeveloperBrowser) {
			timeout = interactiveOpenTimeout
		}
	}
	octx, cancel := context.WithTimeout(ctx, timeout)
	s, err := session.Open(octx, cfg, src)
	cancel()
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			return nil, nil, fmt.Errorf("profile %q: connecting to %s timed out after %s: %w", p.Name, cfg.Addr(), timeout, explainOpen(p, err))
		}
		return nil, nil, explainOpen(p, err)
	}
	adapter.Attach(s)
	return s, adapter, nil
}
