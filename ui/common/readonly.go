package common

import "github.com/amr-tui/amr-tui/rediscli"

// RefusesReadOnly applies rediscli's read-only rule — the one the console and exec use — to
// cmd, the command an action would send: on a read-only profile a refused action is flashed
// ("delete refused: this profile is read-only …") and reported true.
func (c *Common) RefusesReadOnly(what string, cmd ...string) bool {
	if !c.WriteRefused(cmd) {
		return false
	}
	c.Flash(what+" refused: this profile is read-only (set read_only = false in the profile to allow writes)", FlashWarn)
	return true
}

// WriteRefused reports whether the read-only rule refuses cmd on this profile. No command
// at all is refused: an action that does not say what it sends is assumed to write.
func (c *Common) WriteRefused(cmd []string) bool {
	if !c.ReadOnly {
		return false
	}
	return len(cmd) == 0 || rediscli.ReadOnlyRefusal(cmd, rediscli.EmbeddedTable()) != ""
}
