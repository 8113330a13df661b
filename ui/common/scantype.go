package common

import "strings"

// ScanTypes are the types SCAN … TYPE filters by: the core ones and the module types Azure
// Managed Redis offers (RedisJSON, RedisTimeSeries, RedisBloom).
var ScanTypes = []string{TypeString, TypeHash, TypeList, TypeSet, TypeZSet, TypeStream,
	TypeJSON, "TSDB-TYPE", "MBbloom--", "MBbloomCF", "CMSk-TYPE", "TopK-TYPE", "TDIS-TYPE"}

// ScanType returns the type name SCAN expects for what the user typed (case-insensitive:
// "ZSET", "rejson-rl"), or false when no such type exists. SCAN itself would accept any word
// and silently match nothing.
func ScanType(typed string) (string, bool) {
	for _, t := range ScanTypes {
		if strings.EqualFold(t, typed) {
			return t, true
		}
	}
	return "", false
}

// ScanTypeError is the refusal of an unknown type, listing the valid ones.
func ScanTypeError(typed string) string {
	return "unknown type " + Printable(typed) + "; the types are " + strings.Join(ScanTypes, ", ")
}
