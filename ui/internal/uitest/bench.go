package uitest

import (
	"strconv"
)

// BenchKey is a realistic key name of about 30 bytes.
func BenchKey(i int) string {
	return "user:" + strconv.Itoa(i) + ":session:" + strconv.FormatInt(int64(i)*7919%1_000_003, 36)
}
