package common

import (
	tea "charm.land/bubbletea/v2"
)

// confirmState is a yes/no question shown above the list.
type ConfirmState struct {
	Prompt string
	OnYes  func() tea.Cmd
}
