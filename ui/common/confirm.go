package common

import (
	tea "charm.land/bubbletea/v2"
)

// ConfirmState is a yes/no question shown above a list; OnYes runs when the user says yes.
type ConfirmState struct {
	Prompt string
	OnYes  func() tea.Cmd
}
