package browser

// dropPosition removes pos from a list of key-set positions (in place) and shifts the later
// ones down by one, as the key set does when the key at pos leaves it.
func dropPosition[T ~int32 | ~uint32](list []T, pos int) []T {
	out := list[:0]
	for _, p := range list {
		switch {
		case int(p) == pos:
		case int(p) > pos:
			out = append(out, p-1)
		default:
			out = append(out, p)
		}
	}
	return out
}
