package decode

import "bytes"

// Sniff reports whether the first bytes of a value carry a signature worth reading the whole
// value for: a compression, Java serialization, a pickle of protocol 2 or later, or a BSON
// length prefix that matches size. A viewer that reads large strings a window at a time uses
// it to decide when auto-detection needs more than the window. A user decoder whose detect
// bytes start the prefix counts as a signature too.
func Sniff(prefix []byte, size int64, users ...UserDecoder) Codec {
	if u := detectUser(prefix, users); u != nil {
		return UserCodec(u.Name)
	}
	if c := detectCompression(prefix); c != "" && c != Zlib {
		return c
	}
	if isZlibHeader(prefix) {
		return Zlib
	}
	switch {
	case bytes.HasPrefix(prefix, magicJava):
		return Java
	case len(prefix) > 2 && prefix[0] == 0x80 && prefix[1] >= 2 && prefix[1] <= 5:
		return Pickle
	case len(prefix) >= 4 && size >= 5 && int64(uint32(prefix[0])|uint32(prefix[1])<<8|uint32(prefix[2])<<16|uint32(prefix[3])<<24) == size:
		return BSON
	}
	return ""
}

// Choices is the picker's order: Auto, None, the built-in codecs, then the user decoders.
func Choices(users []UserDecoder) []Codec {
	out := append([]Codec(nil), Codecs...)
	for _, u := range users {
		out = append(out, UserCodec(u.Name))
	}
	return out
}

// Next is the codec after c in Choices (wrapping), for a key that cycles through them.
func Next(c Codec, users []UserDecoder) Codec {
	all := Choices(users)
	for i, x := range all {
		if x == c {
			return all[(i+1)%len(all)]
		}
	}
	return all[0]
}
