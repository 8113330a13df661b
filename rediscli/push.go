package rediscli

import "strings"

// IsReplyTo reports whether r is the reply to args rather than a push that arrived before
// it: under RESP3 the (P|S)(UN)SUBSCRIBE confirmations come as pushes, and other pushes
// (invalidations, messages) can precede a command's reply.
func IsReplyTo(args []string, r Reply) bool {
	if r.Kind != KindPush {
		return true
	}
	if len(args) == 0 || len(r.Elems) == 0 {
		return false
	}
	switch strings.ToLower(args[0]) {
	case "subscribe", "psubscribe", "ssubscribe", "unsubscribe", "punsubscribe", "sunsubscribe":
		return strings.EqualFold(r.Elems[0].Str, args[0])
	}
	return false
}
