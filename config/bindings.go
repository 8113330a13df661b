package config

import (
	"fmt"
	"slices"
	"strings"
)

// Bindings maps screen → action → keys.
type Bindings map[string]map[string][]string

// ResolveBindings lays the file's [keys.SCREEN] tables over defaults (the UI's own key map,
// with the actions that work on every screen under the screen named global). A rebound action
// loses its default keys. It reports, with lines, a screen or action the UI does not have and
// every key that a rebinding makes ambiguous: two actions of one screen, or a screen action and
// a global one, on the same key. Conflicts among the defaults alone are the UI's business and
// are not reported.
func (c *Config) ResolveBindings(defaults Bindings, global string) (Bindings, []Problem) {
	out := Bindings{}
	for screen, actions := range defaults {
		out[screen] = map[string][]string{}
		for a, keys := range actions {
			out[screen][a] = slices.Clone(keys)
		}
	}
	var probs []Problem
	userSet := map[string]bool{} // "screen.action" rebound by the file
	for _, screen := range sortedKeys(c.Keys) {
		actions, ok := defaults[screen]
		if !ok {
			probs = append(probs, c.problem("keys."+screen, "unknown screen %q; the screens are %s", screen, strings.Join(sortedKeys(defaults), ", ")))
			continue
		}
		for _, action := range sortedKeys(c.Keys[screen]) {
			if _, ok := actions[action]; !ok {
				probs = append(probs, c.problem("keys."+screen+"."+action, "screen %q has no action %q; its actions are %s", screen, action, strings.Join(sortedKeys(actions), ", ")))
				continue
			}
			out[screen][action] = slices.Clone(c.Keys[screen][action])
			userSet[screen+"."+action] = true
		}
	}
	for _, screen := range sortedKeys(out) {
		owner := map[string]string{} // key → action, within this screen
		for _, action := range sortedKeys(out[screen]) {
			for _, k := range out[screen][action] {
				if prev, ok := owner[k]; ok && (userSet[screen+"."+action] || userSet[screen+"."+prev]) {
					probs = append(probs, c.conflict(screen, action, screen, prev, k, userSet))
				}
				owner[k] = action
			}
		}
		if screen == global {
			continue
		}
		for _, action := range sortedKeys(out[screen]) {
			for _, k := range out[screen][action] {
				for _, g := range sortedKeys(out[global]) {
					if slices.Contains(out[global][g], k) && (userSet[screen+"."+action] || userSet[global+"."+g]) {
						probs = append(probs, c.conflict(screen, action, global, g, k, userSet))
					}
				}
			}
		}
	}
	sortProblems(probs)
	return out, probs
}

func (c *Config) problem(key, format string, args ...any) Problem {
	return Problem{Line: c.lines[key], Field: key, Msg: fmt.Sprintf(format, args...)}
}

// conflict is reported on the line of the rebinding that caused it.
func (c *Config) conflict(screen, action, otherScreen, other, key string, userSet map[string]bool) Problem {
	at := "keys." + screen + "." + action
	if !userSet[screen+"."+action] {
		at = "keys." + otherScreen + "." + other
	}
	return c.problem(at, "key %q is bound to both %s.%s and %s.%s", key, screen, action, otherScreen, other)
}

// CheckColors reports theme colours given for a style the UI does not have.
func (c *Config) CheckColors(styles []string) []Problem {
	var probs []Problem
	for _, name := range sortedKeys(c.Theme.Colors) {
		if !slices.Contains(styles, name) {
			probs = append(probs, c.problem("theme.colors."+name, "unknown style %q; the styles are %s", name, strings.Join(styles, ", ")))
		}
	}
	return probs
}
