package common

// OpenKeyMsg asks App to open the value viewer on a key: the browser sends it when a key is
// chosen, the `:` prompt when a key is named. Screens talk to App with messages like this one,
// never by calling each other.
type OpenKeyMsg struct {
	Key  string
	Meta KeyMeta
	Has  bool // Meta is known
}
