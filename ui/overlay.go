package ui

import (
	"github.com/amr-tui/amr-tui/ui/common"

	"time"
)

// openingView is the box shown while a profile opens: what is happening, for how long, and a
// device code login's instructions when one waits for the user.
func openingView(c *common.Common, o *opening, w int) []string {
	s := c.Styles
	in := common.BoxInner(common.BoxWidth(w))
	elapsed := common.ShortDuration(c.Now().Sub(o.since).Truncate(time.Second))
	var lines []string
	if o.code == nil {
		lines = append(lines, "Signing in and connecting to "+s.Header.Render(common.Printable(o.name))+"…",
			s.Dim.Render("waiting "+elapsed))
	} else {
		lines = append(lines, "Sign in to open "+s.Header.Render(common.Printable(o.name))+":", "")
		if o.code.URL != "" {
			lines = append(lines, "  1. open  "+s.Title.Render(common.Printable(o.code.URL)))
		}
		if o.code.Code != "" {
			lines = append(lines, "  2. enter the code  "+s.Badge.Render(" "+common.Printable(o.code.Code)+" "))
		}
		// Entra's sentence repeats the URL and the code: shown only when one of them is missing.
		if o.code.Message != "" && (o.code.URL == "" || o.code.Code == "") {
			lines = append(lines, "")
			for _, l := range common.Wrap(o.code.Message, in) {
				lines = append(lines, s.Dim.Render(l))
			}
		}
		lines = append(lines, "", s.Dim.Render("waiting for the login · "+elapsed))
	}
	lines = append(lines, "", s.Dim.Render("esc cancel"))
	return common.BoxView(c, "Opening "+common.Printable(o.name), lines, w)
}
