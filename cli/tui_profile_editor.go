package cli

import (
	"context"

	"github.com/amr-tui/amr-tui/profiles/editor"
	"github.com/amr-tui/amr-tui/ui"
)

// The TUI's profile form is profiles/editor over the opener's profiles file; these methods
// make tuiOpener its ui.ProfileEditor.

func (o *tuiOpener) editor() *editor.Editor { return &editor.Editor{Path: o.path} }

// FormFields implements ui.ProfileEditor.
func (o *tuiOpener) FormFields(kind string) []ui.FormField {
	fields := o.editor().Fields(kind)
	out := make([]ui.FormField, len(fields))
	for i, f := range fields {
		out[i] = ui.FormField{Key: f.Key, Label: f.Label, Hint: f.Hint, Choices: f.Choices, Secret: f.Secret}
	}
	return out
}

// LoadProfile implements ui.ProfileEditor. Secret fields hold their reference, never a secret.
func (o *tuiOpener) LoadProfile(ctx context.Context, name string) (map[string]string, error) {
	return o.editor().Load(ctx, name)
}

// SaveProfile implements ui.ProfileEditor.
func (o *tuiOpener) SaveProfile(ctx context.Context, original string, values map[string]string) error {
	return o.editor().Save(ctx, original, values)
}

// DeleteProfile implements ui.ProfileEditor.
func (o *tuiOpener) DeleteProfile(ctx context.Context, name string) error {
	return o.editor().Delete(ctx, name)
}
