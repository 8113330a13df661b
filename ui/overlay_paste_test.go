package ui

import (
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// A paste while the profile form is open over the console goes into the form's field, never
// to the console behind it: there a pasted client secret ending in a newline was run as a
// command, echoed in the scrollback and saved in the history file in plain text.
func TestPasteIntoProfileFormOverConsole(t *testing.T) {
	o := newFakeOpener("alpha")
	a, fc := consoleApp(t, devSession(), func(opt *Options) { opt.Opener = o })
	press(t, a, ":")
	typeText(t, a, "profiles")
	press(t, a, "enter", "ctrl+a")
	if a.life.form == nil || a.screen != screenConsole {
		t.Fatalf("the form is not open over the console (screen %v)", a.screen)
	}
	typeText(t, a, "gamma")
	press(t, a, "tab", "tab", "right", "tab", "tab") // auth: service-principal; to client secret
	if fd := a.life.form.Fields[a.life.form.Focus]; !fd.Secret {
		t.Fatalf("focus on %q, not the secret", fd.Key)
	}
	_, cmd := a.Update(tea.PasteMsg{Content: "s3cret-value\n"})
	drain(t, a, cmd)

	fc.Mu.Lock()
	sent := slices.Clone(fc.Sent)
	fc.Mu.Unlock()
	for _, s := range sent {
		if strings.Contains(s, "s3cret") {
			t.Errorf("the pasted secret was sent to Redis: %q", s)
		}
	}
	if txt := consoleText(a); strings.Contains(txt, "s3cret") {
		t.Errorf("the pasted secret is in the console's scrollback:\n%s", txt)
	}
	for _, h := range a.console.Hist.Entries {
		if strings.Contains(h, "s3cret") {
			t.Errorf("the pasted secret is in the console's history: %q", h)
		}
	}
	if v := a.console.In.Value(); v != "" {
		t.Errorf("the paste went to the console's input line: %q", v)
	}
	if strings.Contains(a.Render(), "s3cret") {
		t.Error("the pasted secret is on screen")
	}
	// The paste is what the field now holds, without the newline that ended it.
	if got := a.life.form.Collect()["auth.client_secret"]; got != "s3cret-value" {
		t.Errorf("the secret field holds %q", got)
	}
}

// A paste while the profile picker is open filters the list, as typing does.
func TestPasteIntoProfilePicker(t *testing.T) {
	o := newFakeOpener("alpha", "beta")
	a, _ := consoleApp(t, devSession(), func(opt *Options) { opt.Opener = o })
	press(t, a, ":")
	typeText(t, a, "profiles")
	press(t, a, "enter")
	if a.life.picker == nil {
		t.Fatal("the picker is not open")
	}
	_, cmd := a.Update(tea.PasteMsg{Content: "bet\n"})
	drain(t, a, cmd)
	if q := a.life.picker.Query.Value(); q != "bet" {
		t.Errorf("picker query %q", q)
	}
	if v := a.console.In.Value(); v != "" || len(a.console.Hist.Entries) != 0 {
		t.Errorf("the paste reached the console: input %q, history %q", v, a.console.Hist.Entries)
	}
}

// The reply of a save whose form was left (esc while saving) does not close the form opened
// since, which would lose what was typed in it.
func TestStaleSaveKeepsTheNewForm(t *testing.T) {
	o := newFakeOpener("alpha")
	a := openerApp(t, o, "alpha")
	press(t, a, "P", "ctrl+a")
	typeText(t, a, "gamma")
	_, save := a.Update(keyMsg("ctrl+s"))
	if save == nil || a.life.form.Busy == "" {
		t.Fatal("ctrl+s did not start a save")
	}
	press(t, a, "esc", "ctrl+a")
	typeText(t, a, "delta")
	drain(t, a, save)
	if len(o.saved) != 1 || o.saved[0]["name"] != "gamma" {
		t.Fatalf("saved %v", o.saved)
	}
	if a.life.form == nil || a.life.form.Collect()["name"] != "delta" {
		t.Fatalf("the form being typed in was closed by the earlier save's reply: %+v", a.life.form)
	}
}

// A secret typed before the auth kind is changed back and forth is still there, masked, as
// every other value is.
func TestFormKeepsTypedSecretAcrossKindChange(t *testing.T) {
	o := newFakeOpener("alpha")
	a := openerApp(t, o, "alpha")
	press(t, a, "P", "ctrl+a")
	typeText(t, a, "gamma")
	press(t, a, "tab", "tab", "right", "tab", "tab") // service-principal; client secret
	typeText(t, a, "s3cret-value")
	press(t, a, "up", "up", "left") // auth: developer drops the secret field
	if _, ok := a.life.form.Inputs["auth.client_secret"]; ok {
		t.Fatal("the developer kind still has a client secret field")
	}
	press(t, a, "right") // back to service-principal
	if got := a.life.form.Collect()["auth.client_secret"]; got != "s3cret-value" {
		t.Fatalf("the typed secret is %q after changing the kind back", got)
	}
	if strings.Contains(a.Render(), "s3cret-value") {
		t.Fatal("the secret is on screen")
	}
}
