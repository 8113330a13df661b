package profiles

import (
	"fmt"
	"time"
)

// Duration is a time.Duration written in files and JSON as a Go duration string ("30s", "5m").
type Duration struct{ time.Duration }

// Dur returns a pointer to a Duration, for filling optional TokenSettings fields.
func Dur(d time.Duration) *Duration { return &Duration{d} }

// MarshalText writes the duration as a Go duration string.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses a Go duration string such as "1m30s".
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("want a duration such as \"30s\" or \"5m\", got %q", b)
	}
	d.Duration = v
	return nil
}
