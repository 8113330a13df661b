package analyze

import "strings"

// eighths are the left-aligned partial blocks, 1/8 to 8/8 of a cell.
var eighths = []rune("▏▎▍▌▋▊▉█")

// Bar draws value/max as a horizontal bar of block characters, width cells wide at most, with
// eighth-cell resolution; a non-zero value always shows at least a sliver.
func Bar(value, max float64, width int) string {
	if width <= 0 || max <= 0 || value <= 0 {
		return ""
	}
	n := int(value / max * float64(width) * 8)
	if n > width*8 {
		n = width * 8
	}
	if n == 0 {
		n = 1
	}
	return strings.Repeat("█", n/8) + partial(n%8)
}

func partial(n int) string {
	if n == 0 {
		return ""
	}
	return string(eighths[n-1])
}

// sparks are the vertical levels of a sparkline.
var sparks = []rune("▁▂▃▄▅▆▇█")

// Sparkline draws one block character per value, its height proportional to the value (zero
// is a space, so empty bins stand out from small ones).
func Sparkline(values []int64) string {
	var hi int64
	for _, v := range values {
		hi = max(hi, v)
	}
	var b strings.Builder
	for _, v := range values {
		switch {
		case v <= 0 || hi == 0:
			b.WriteRune(' ')
		default:
			i := int((v*int64(len(sparks)) - 1) / hi)
			b.WriteRune(sparks[min(max(i, 0), len(sparks)-1)])
		}
	}
	return b.String()
}
