package natural

import (
	"slices"
	"testing"
)

func TestCompareOrdersNumbersByValue(t *testing.T) {
	got := []string{"key:10", "key:2", "key:1", "a", "key:02", "key:", "key:1:b", "key:1:a", "b\xff", "b", "user:100:x", "user:99:x", "v1.10", "v1.9"}
	slices.SortFunc(got, Compare)
	want := []string{"a", "b", "b\xff", "key:", "key:1", "key:1:a", "key:1:b", "key:2", "key:02", "key:10", "user:99:x", "user:100:x", "v1.9", "v1.10"}
	if !slices.Equal(got, want) {
		t.Fatalf("sorted = %q\nwant     %q", got, want)
	}
}

func TestCompareIsAnOrder(t *testing.T) {
	names := []string{"", "0", "00", "1", "01", "a1", "a01", "a10", "a1b", "12345678901234567890123", "99999999999999999999", "\x00", "z"}
	for _, a := range names {
		if Compare(a, a) != 0 {
			t.Errorf("Compare(%q, itself) != 0", a)
		}
		for _, b := range names {
			if Compare(a, b) != -Compare(b, a) {
				t.Errorf("Compare(%q, %q) is not antisymmetric", a, b)
			}
			if a != b && Compare(a, b) == 0 {
				t.Errorf("Compare(%q, %q) = 0 for different names", a, b)
			}
			for _, c := range names {
				if Compare(a, b) < 0 && Compare(b, c) < 0 && Compare(a, c) >= 0 {
					t.Errorf("not transitive: %q < %q < %q", a, b, c)
				}
			}
		}
	}
}

func FuzzCompare(f *testing.F) {
	f.Add("key:2", "key:10")
	f.Fuzz(func(t *testing.T, a, b string) {
		if c := Compare(a, b); c != -Compare(b, a) || (c == 0) != (a == b) {
			t.Fatalf("Compare(%q, %q) = %d, reverse %d", a, b, c, Compare(b, a))
		}
	})
}
