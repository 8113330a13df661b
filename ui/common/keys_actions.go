package common

import (
	"strings"

	"charm.land/bubbles/v2/key"
)

// Screens of the key map as config.toml names them in [keys.SCREEN]. Actions under
// ScreenGlobal work on every screen; browser actions also act on the key open in the viewer.
const (
	ScreenGlobal  = "global"
	ScreenBrowser = "browser"
	ScreenViewer  = "viewer"
	ScreenConfirm = "confirm"
)

// KeyAction is one rebindable action: the screen and name config.toml uses for it and the
// binding it drives.
type KeyAction struct {
	Screen, Name string
	Binding      *key.Binding
}

// Actions lists every action of the key map, screen by screen, in help order.
func (k *KeyMap) Actions() []KeyAction {
	g, b, v, c := ScreenGlobal, ScreenBrowser, ScreenViewer, ScreenConfirm
	return []KeyAction{
		{g, "quit", &k.Quit}, {g, "force_quit", &k.ForceQuit}, {g, "help", &k.Help},
		{g, "command", &k.Command}, {g, "profiles", &k.Profiles},
		{g, "up", &k.Up}, {g, "down", &k.Down}, {g, "page_up", &k.PageUp}, {g, "page_down", &k.PageDown},
		{g, "top", &k.Top}, {g, "bottom", &k.Bottom}, {g, "open", &k.Open}, {g, "back", &k.Back},

		{b, "filter", &k.Filter}, {b, "pattern", &k.Pattern}, {b, "pause", &k.Pause},
		{b, "more", &k.More}, {b, "all", &k.All}, {b, "rescan", &k.Rescan}, {b, "tree", &k.Tree},
		{b, "sort", &k.Sort}, {b, "favourite", &k.Favourite},
		{b, "delete", &k.Delete}, {b, "expire", &k.Expire}, {b, "persist", &k.Persist},
		{b, "rename", &k.Rename}, {b, "copy", &k.Copy}, {b, "add", &k.Add}, {b, "edit", &k.Edit},
		{b, "mark", &k.Mark}, {b, "mark_all", &k.MarkAll}, {b, "export", &k.Export}, {b, "copy_to", &k.CopyTo},

		{v, "view_mode", &k.ViewMode}, {v, "decoder", &k.Decoder},
		{v, "next_page", &k.NextPage}, {v, "prev_page", &k.PrevPage}, {v, "goto", &k.GoTo},

		{c, "confirm", &k.Confirm}, {c, "cancel", &k.Cancel},
	}
}

// Bindings returns screen → action → keys of the key map as it is now (config.Bindings' shape).
func (k *KeyMap) Bindings() map[string]map[string][]string {
	out := map[string]map[string][]string{}
	for _, a := range k.Actions() {
		if out[a.Screen] == nil {
			out[a.Screen] = map[string][]string{}
		}
		out[a.Screen][a.Name] = append([]string(nil), a.Binding.Keys()...)
	}
	return out
}

// Rebind sets the keys of every action named in b (as resolved from config.toml) and the key
// its help shows, so the help overlay and footers show the keys in effect.
func (k *KeyMap) Rebind(b map[string]map[string][]string) {
	for _, a := range k.Actions() {
		keys, ok := b[a.Screen][a.Name]
		if !ok || equalKeys(keys, a.Binding.Keys()) {
			continue
		}
		desc := a.Binding.Help().Desc
		a.Binding.SetKeys(keys...)
		a.Binding.SetHelp(helpKeys(keys), desc)
	}
}

func equalKeys(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// helpKeys is how help shows a rebound action's keys: the first two, joined by "/".
func helpKeys(keys []string) string {
	if len(keys) > 2 {
		keys = keys[:2]
	}
	return strings.Join(keys, "/")
}
