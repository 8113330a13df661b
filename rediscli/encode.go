package rediscli

import (
	"io"
	"strconv"
)

// AppendCommand appends args to dst as a RESP command (an array of bulk strings), the form a
// server expects whatever protocol version the connection speaks.
func AppendCommand(dst []byte, args []string) []byte {
	dst = appendHeader(dst, '*', len(args))
	for _, a := range args {
		dst = appendBlob(dst, '$', a)
	}
	return dst
}

// AppendArrayHeader appends the header of a RESP array of n elements: a command built one
// argument at a time (AppendBulkString), without a []string to hold them.
func AppendArrayHeader(dst []byte, n int) []byte { return appendHeader(dst, '*', n) }

// AppendBulkString appends s as a RESP bulk string, binary-safe (its length goes first).
func AppendBulkString(dst []byte, s string) []byte { return appendBlob(dst, '$', s) }

// WriteCommand writes args to w as a RESP command.
func WriteCommand(w io.Writer, args ...string) error {
	_, err := w.Write(AppendCommand(nil, args))
	return err
}

// AppendReply appends r to dst in RESP3 wire form (RESP2 for the types RESP2 has), so that
// Reader reads it back as r. Nil is written as RESP3 null, an error as a simple error unless
// its text holds CR or LF (then as a blob error).
func AppendReply(dst []byte, r Reply) []byte {
	if len(r.Attr) > 0 {
		dst = appendHeader(dst, '|', len(r.Attr))
		for _, p := range r.Attr {
			dst = AppendReply(AppendReply(dst, p.Key), p.Value)
		}
	}
	switch r.Kind {
	case KindStatus:
		return appendLine(dst, '+', r.Str)
	case KindError:
		if hasCRLF(r.Str) {
			return appendBlob(dst, '!', r.Str)
		}
		return appendLine(dst, '-', r.Str)
	case KindInteger:
		return appendLine(dst, ':', strconv.FormatInt(r.Int, 10))
	case KindBulk:
		return appendBlob(dst, '$', r.Str)
	case KindDouble:
		return appendLine(dst, ',', r.Str)
	case KindBoolean:
		if r.Bool {
			return appendLine(dst, '#', "t")
		}
		return appendLine(dst, '#', "f")
	case KindVerbatim:
		return appendBlob(dst, '=', r.Format+":"+r.Str)
	case KindBigNumber:
		return appendLine(dst, '(', r.Str)
	case KindArray, KindSet, KindPush:
		typ := byte('*')
		switch r.Kind {
		case KindSet:
			typ = '~'
		case KindPush:
			typ = '>'
		}
		dst = appendHeader(dst, typ, len(r.Elems))
		for _, e := range r.Elems {
			dst = AppendReply(dst, e)
		}
		return dst
	case KindMap:
		dst = appendHeader(dst, '%', len(r.Pairs))
		for _, p := range r.Pairs {
			dst = AppendReply(AppendReply(dst, p.Key), p.Value)
		}
		return dst
	}
	return append(dst, "_\r\n"...)
}

func hasCRLF(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '\r' || s[i] == '\n' {
			return true
		}
	}
	return false
}

func appendHeader(dst []byte, typ byte, n int) []byte {
	return appendLine(dst, typ, strconv.Itoa(n))
}

func appendLine(dst []byte, typ byte, s string) []byte {
	dst = append(dst, typ)
	dst = append(dst, s...)
	return append(dst, '\r', '\n')
}

func appendBlob(dst []byte, typ byte, s string) []byte {
	dst = appendHeader(dst, typ, len(s))
	dst = append(dst, s...)
	return append(dst, '\r', '\n')
}
