package console

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	tea "charm.land/bubbletea/v2"
)

// HistoryLimit bounds the console history kept in memory and on disk.
const HistoryLimit = 1000

// HistoryFile is one profile's console history on disk: one command line per line, secrets
// already redacted (rediscli.Redact) before a line gets here. Lines are appended with one
// write each; when the file holds more than HistoryLimit+HistorySlack lines it is rewritten
// atomically (temporary file, then rename) with the newest HistoryLimit. It is used from Cmds
// only; mu keeps an append and a rewrite from interleaving.
type HistoryFile struct {
	Path string
	mu   sync.Mutex
}

// HistorySlack lets the file grow past HistoryLimit before it is rewritten, so that the
// rewrite is rare.
const HistorySlack = 200

type historyLoadedMsg struct {
	owner   *HistoryFile // the console's file it was read from; nil file, nil owner
	entries []string
	err     error
}

func (historyLoadedMsg) consoleEvent() {}

type historySavedMsg struct{ err error }

func (historySavedMsg) consoleEvent() {}

// Load reads the history, oldest first, bounded to HistoryLimit entries. A missing file is an
// empty history.
func (h *HistoryFile) Load() ([]string, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	data, err := os.ReadFile(h.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading console history: %w", err)
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) == 1 && lines[0] == "" {
		return nil, nil
	}
	if len(lines) > HistoryLimit+HistorySlack {
		lines = lines[len(lines)-HistoryLimit:]
		if err := h.rewrite(lines); err != nil {
			return lines, err
		}
	}
	if len(lines) > HistoryLimit {
		lines = lines[len(lines)-HistoryLimit:]
	}
	return lines, nil
}

// rewrite replaces the file with lines, atomically. Called with mu held.
func (h *HistoryFile) rewrite(lines []string) error {
	dir := filepath.Dir(h.Path)
	tmp, err := os.CreateTemp(dir, ".history-*")
	if err != nil {
		return fmt.Errorf("rewriting console history: %w", err)
	}
	var b bytes.Buffer
	for _, l := range lines {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	_, werr := tmp.Write(b.Bytes())
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr, os.Chmod(tmp.Name(), 0o600)); err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("rewriting console history: %w", err)
	}
	if err := os.Rename(tmp.Name(), h.Path); err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("rewriting console history: %w", err)
	}
	return nil
}

// Add appends one (already redacted) line, creating the file (0600) and its directory (0700).
func (h *HistoryFile) Add(line string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := os.MkdirAll(filepath.Dir(h.Path), 0o700); err != nil {
		return fmt.Errorf("saving console history: %w", err)
	}
	f, err := os.OpenFile(h.Path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("saving console history: %w", err)
	}
	_, werr := f.Write([]byte(line + "\n")) // one write: appends never interleave mid-line
	if err := errors.Join(werr, f.Close()); err != nil {
		return fmt.Errorf("saving console history: %w", err)
	}
	return nil
}

// loadCmd reads the history in a Cmd.
func (h *HistoryFile) loadCmd() tea.Cmd {
	if h == nil {
		return nil
	}
	return func() tea.Msg {
		e, err := h.Load()
		return historyLoadedMsg{owner: h, entries: e, err: err}
	}
}

// addCmd appends a line in a Cmd.
func (h *HistoryFile) addCmd(line string) tea.Cmd {
	if h == nil {
		return nil
	}
	return func() tea.Msg { return historySavedMsg{err: h.Add(line)} }
}

// history is the console's in-memory history and the position of up/down browsing.
type history struct {
	Entries []string
	pos     int    // len(entries) when not browsing
	draft   string // the line being typed when browsing started
}

// push adds a line (consecutive duplicates are kept once) and ends browsing.
func (h *history) push(line string) bool {
	added := false
	if line != "" && (len(h.Entries) == 0 || h.Entries[len(h.Entries)-1] != line) {
		h.Entries = append(h.Entries, line)
		if len(h.Entries) > HistoryLimit {
			h.Entries = append([]string(nil), h.Entries[len(h.Entries)-HistoryLimit:]...)
		}
		added = true
	}
	h.pos = len(h.Entries)
	return added
}

// prepend adds entries loaded from disk before those typed since the console opened.
func (h *history) prepend(loaded []string) {
	all := append(append([]string(nil), loaded...), h.Entries...)
	if len(all) > HistoryLimit {
		all = all[len(all)-HistoryLimit:]
	}
	h.Entries = all
	h.pos = len(all)
}

// older returns the previous entry, saving current as the draft when browsing starts.
func (h *history) older(current string) (string, bool) {
	if h.pos == 0 {
		return "", false
	}
	if h.pos == len(h.Entries) {
		h.draft = current
	}
	h.pos--
	return h.Entries[h.pos], true
}

// newer returns the next entry, or the draft past the newest.
func (h *history) newer() (string, bool) {
	if h.pos >= len(h.Entries) {
		return "", false
	}
	h.pos++
	if h.pos == len(h.Entries) {
		return h.draft, true
	}
	return h.Entries[h.pos], true
}

// search returns the index of the newest entry at or before from that contains q, or -1.
func (h *history) search(q string, from int) int {
	for i := min(from, len(h.Entries)-1); i >= 0; i-- {
		if strings.Contains(h.Entries[i], q) {
			return i
		}
	}
	return -1
}
