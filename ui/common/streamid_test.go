package common

import "testing"

func TestStreamIDTime(t *testing.T) {
	for in, want := range map[string]string{
		"1733318400000-0": "1733318400000-0 · 2024-12-04 13:20:00",
		"0-1":             "0-1 · 1970-01-01 00:00:00",
		"not-an-id":       "not-an-id",
		"12345":           "12345",
	} {
		if got := StreamIDTime(in); got != want {
			t.Errorf("StreamIDTime(%q) = %q, want %q", in, got, want)
		}
	}
}
