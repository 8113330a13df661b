package analyze

// matchGlob reports whether key matches the Redis glob pattern exactly as the server's
// stringmatchlen does (*, ?, [abc], [^a-z], \x; bytes compared as signed chars, like the C code
// on amd64 and arm64 Linux). It is written by hand because sample mode filters keys on the client
// (to know how many keys of the whole keyspace it examined) and must agree byte for byte with
// SCAN MATCH; the glob libraries for Go implement shell or gitignore semantics ({a,b}, [!a],
// path separators) that differ from Redis's.
func matchGlob(pattern, key string) bool {
	skip := false
	return globImpl(pattern, key, &skip)
}

func globImpl(p, s string, skipLonger *bool) bool {
	// at returns p[i], or 0 past its end, as reading the C string's terminator would.
	at := func(i int) byte {
		if i < len(p) {
			return p[i]
		}
		return 0
	}
	for len(p) > 0 && len(s) > 0 {
		switch p[0] {
		case '*':
			for len(p) > 0 && at(1) == '*' {
				p = p[1:]
			}
			if len(p) == 1 {
				return true
			}
			for len(s) > 0 {
				if globImpl(p[1:], s, skipLonger) {
					return true
				}
				if *skipLonger {
					return false
				}
				s = s[1:]
			}
			*skipLonger = true
			return false
		case '?':
			s = s[1:]
		case '[':
			p = p[1:]
			not := at(0) == '^'
			if not {
				p = p[1:]
			}
			match := false
		class:
			for {
				switch {
				case at(0) == '\\' && len(p) >= 2:
					p = p[1:]
					if p[0] == s[0] {
						match = true
					}
				case at(0) == ']':
					break class // p[0] is the ']' the step after the switch consumes
				case len(p) == 0:
					// The C code steps back onto the last byte so that the step after the
					// switch uses the pattern up: one placeholder byte does the same here.
					p = " "
					break class
				case len(p) >= 3 && p[1] == '-':
					lo, hi, c := int8(p[0]), int8(p[2]), int8(s[0])
					if lo > hi {
						lo, hi = hi, lo
					}
					p = p[2:]
					if c >= lo && c <= hi {
						match = true
					}
				default:
					if p[0] == s[0] {
						match = true
					}
				}
				p = p[1:]
			}
			if not {
				match = !match
			}
			if !match {
				return false
			}
			s = s[1:]
		case '\\':
			if len(p) >= 2 {
				p = p[1:]
			}
			fallthrough
		default:
			if p[0] != s[0] {
				return false
			}
			s = s[1:]
		}
		p = p[1:]
		if len(s) == 0 {
			for len(p) > 0 && p[0] == '*' {
				p = p[1:]
			}
			break
		}
	}
	return len(p) == 0 && len(s) == 0
}
