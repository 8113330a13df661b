// Package natural compares names as people read them: runs of digits compare by their number,
// so "key:2" sorts before "key:10", and everything else compares byte by byte, so any key name,
// valid UTF-8 or not, has one place in the order.
package natural

// Compare returns -1, 0 or +1 as a sorts before, with or after b. Numbers compare by value,
// then by length so that "01" and "1" keep a fixed order ("1" first); equal names compare 0.
func Compare(a, b string) int {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		ca, cb := a[i], b[j]
		if isDigit(ca) && isDigit(cb) {
			ei, ej := digitsEnd(a, i), digitsEnd(b, j)
			if c := compareNumbers(a[i:ei], b[j:ej]); c != 0 {
				return c
			}
			i, j = ei, ej
			continue
		}
		if ca != cb {
			if ca < cb {
				return -1
			}
			return 1
		}
		i++
		j++
	}
	switch {
	case len(a)-i < len(b)-j:
		return -1
	case len(a)-i > len(b)-j:
		return 1
	}
	return 0
}

// compareNumbers compares two digit runs by value without parsing them (they may be longer
// than any integer type), then by length (fewer leading zeros first).
func compareNumbers(x, y string) int {
	tx, ty := trimZeros(x), trimZeros(y)
	if len(tx) != len(ty) {
		if len(tx) < len(ty) {
			return -1
		}
		return 1
	}
	for k := 0; k < len(tx); k++ {
		if tx[k] != ty[k] {
			if tx[k] < ty[k] {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(x) < len(y):
		return -1
	case len(x) > len(y):
		return 1
	}
	return 0
}

func trimZeros(s string) string {
	for len(s) > 1 && s[0] == '0' {
		s = s[1:]
	}
	return s
}

func digitsEnd(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
