package common

import (
	"strconv"
	"strings"
	"time"
)

// StreamIDTime shows a stream entry ID with the time its milliseconds part names, in UTC
// ("1733318400000-0 · 2024-12-04 13:20:00"): UTC because the ID is the server's clock and the
// same entry then reads the same for everyone. An ID that is not MS-SEQ is returned as it is.
func StreamIDTime(id string) string {
	ms, _, ok := strings.Cut(id, "-")
	if !ok {
		return id
	}
	n, err := strconv.ParseInt(ms, 10, 64)
	if err != nil || n < 0 {
		return id
	}
	return id + " · " + time.UnixMilli(n).UTC().Format("2006-01-02 15:04:05")
}
