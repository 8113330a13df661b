package rediscli

import (
	"math/big"
)

// Kind is the type of a reply, one for each RESP2/RESP3 type that redis-cli tells apart.
type Kind uint8

const (
	KindInvalid   Kind = iota // the zero Reply; never produced by Reader
	KindStatus                // simple string: +OK
	KindError                 // simple error (-ERR …) or RESP3 blob error (!)
	KindInteger               // :1
	KindBulk                  // bulk string: $3 foo
	KindNil                   // RESP2 nil bulk ($-1) or nil array (*-1), RESP3 null (_)
	KindArray                 // *N
	KindMap                   // RESP3 %N
	KindSet                   // RESP3 ~N
	KindDouble                // RESP3 ,3.14 (also inf, -inf, nan)
	KindBoolean               // RESP3 #t / #f
	KindVerbatim              // RESP3 =N txt:…
	KindBigNumber             // RESP3 (1234…
	KindPush                  // RESP3 >N, out-of-band (pub/sub, invalidation)
)

var kindNames = [...]string{
	KindInvalid: "invalid", KindStatus: "status", KindError: "error", KindInteger: "integer",
	KindBulk: "bulk", KindNil: "nil", KindArray: "array", KindMap: "map", KindSet: "set",
	KindDouble: "double", KindBoolean: "boolean", KindVerbatim: "verbatim",
	KindBigNumber: "big number", KindPush: "push",
}

// String names the kind for messages and tests.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// Reply is one reply as the server sent it, independent of any client library.
type Reply struct {
	Kind Kind
	// Str is the text of a status, error, bulk string or verbatim string (without its format
	// prefix), and the exact text the server sent for a double or a big number.
	Str string
	// Int is an integer reply's value.
	Int int64
	// Float is a double's value (Str keeps the text, which is what redis-cli prints).
	Float float64
	// Big is a big number's value.
	Big *big.Int
	// Bool is a boolean's value.
	Bool bool
	// Format is a verbatim string's three-letter format, e.g. "txt" or "mkd".
	Format string
	// Elems are the elements of an array, set or push.
	Elems []Reply
	// Pairs are a map's entries, in the order the server sent them.
	Pairs []Pair
	// Attr holds the RESP3 attributes (|N) that preceded this reply, if any.
	Attr []Pair
}

// Pair is one key/value entry of a map or an attribute.
type Pair struct {
	Key, Value Reply
}

// Convenience constructors, used by tests and by callers that build replies themselves.

// Status returns a simple-string reply.
func Status(s string) Reply { return Reply{Kind: KindStatus, Str: s} }

// Error returns an error reply; msg includes the code, e.g. "ERR unknown command".
func Error(msg string) Reply { return Reply{Kind: KindError, Str: msg} }

// Integer returns an integer reply.
func Integer(n int64) Reply { return Reply{Kind: KindInteger, Int: n} }

// Bulk returns a bulk-string reply.
func Bulk(s string) Reply { return Reply{Kind: KindBulk, Str: s} }

// Nil returns the nil reply.
func Nil() Reply { return Reply{Kind: KindNil} }

// Array returns an array reply (an empty one when no elements are given).
func Array(elems ...Reply) Reply { return Reply{Kind: KindArray, Elems: nonNil(elems)} }

// Set returns a RESP3 set reply.
func Set(elems ...Reply) Reply { return Reply{Kind: KindSet, Elems: nonNil(elems)} }

// Push returns a RESP3 push reply.
func Push(elems ...Reply) Reply { return Reply{Kind: KindPush, Elems: nonNil(elems)} }

// Map returns a RESP3 map reply.
func Map(pairs ...Pair) Reply {
	if pairs == nil {
		pairs = []Pair{}
	}
	return Reply{Kind: KindMap, Pairs: pairs}
}

// Double returns a RESP3 double reply whose text is text, as the server would send it
// ("3.14", "inf", "-inf", "nan").
func Double(text string) Reply {
	f, _ := parseDouble(text)
	return Reply{Kind: KindDouble, Str: text, Float: f}
}

// Boolean returns a RESP3 boolean reply.
func Boolean(b bool) Reply { return Reply{Kind: KindBoolean, Bool: b} }

// Verbatim returns a RESP3 verbatim string with a three-letter format such as "txt".
func Verbatim(format, text string) Reply {
	return Reply{Kind: KindVerbatim, Format: format, Str: text}
}

// BigNumber returns a RESP3 big number whose decimal text is text.
func BigNumber(text string) Reply {
	b, _ := new(big.Int).SetString(text, 10)
	return Reply{Kind: KindBigNumber, Str: text, Big: b}
}

// WithAttr returns r preceded by the RESP3 attributes attr.
func (r Reply) WithAttr(attr ...Pair) Reply {
	r.Attr = attr
	return r
}

// IsError reports whether the reply is an error reply.
func (r Reply) IsError() bool { return r.Kind == KindError }

func nonNil(e []Reply) []Reply {
	if e == nil {
		return []Reply{}
	}
	return e
}
