package common

// OpenKeyMsg asks App to open the value viewer on a key: the browser sends it when a key is
// chosen, the `:` prompt when a key is named. Screens talk to App with messages like this one,
// never by calling each other.
type OpenKeyMsg struct {
	Key  string
	Meta KeyMeta
	Has  bool // Meta is known
}

// ShowKeysMsg asks App to show the key list scanning Pattern (SCAN MATCH): the analysis
// screen sends it when a namespace is chosen.
type ShowKeysMsg struct {
	Pattern string
}

// KeyGoneMsg tells App that a key shown in a list no longer exists on the server (it was
// deleted or expired while it opened): the browser drops it, as it would after a delete.
type KeyGoneMsg struct{ Key string }

// KeyChangedMsg tells App that a key was written from the viewer: the list re-reads its
// TYPE/TTL/MEMORY so the MEM column is not stale.
type KeyChangedMsg struct{ Key string }
