package uitest

import (
	"context"
	"strconv"

	"github.com/amr-tui/amr-tui/ui/common"
)

var _ common.SafeWriter = (*FakeStore)(nil)

// exists reports whether k holds a value (caller holds Mu).
func (f *FakeStore) exists(k string) bool {
	_, ok := f.Vals[k]
	return ok
}

// RenameNX implements common.SafeWriter.
func (f *FakeStore) RenameNX(ctx context.Context, k, nk string) (bool, error) {
	f.Mu.Lock()
	taken := f.exists(nk)
	f.Mu.Unlock()
	if taken {
		f.Mu.Lock()
		f.log("RENAMENX " + k + " " + nk + " (target exists)")
		f.Mu.Unlock()
		return false, f.Err
	}
	return true, f.Rename(ctx, k, nk)
}

// CreateKey implements common.SafeWriter.
func (f *FakeStore) CreateKey(ctx context.Context, typ, k string, first []string) (bool, error) {
	f.Mu.Lock()
	taken := f.exists(k)
	f.Mu.Unlock()
	if taken {
		return false, f.Err
	}
	switch typ {
	case common.TypeString:
		return f.SetNX(ctx, k, first[0])
	case common.TypeHash:
		return true, f.HSet(ctx, k, first[0], first[1])
	case common.TypeList:
		return true, f.RPush(ctx, k, first[0])
	case common.TypeSet:
		f.Set(k, SetVal{})
		return true, f.SAdd(ctx, k, first[0])
	case common.TypeZSet:
		s, err := strconv.ParseFloat(first[1], 64)
		if err != nil {
			return false, err
		}
		f.Set(k, []Zmember{})
		return true, f.ZAdd(ctx, k, first[0], s)
	case common.TypeStream:
		_, err := f.XAdd(ctx, k, first)
		return err == nil, err
	}
	return false, common.ConstErr("cannot create a key of type " + typ)
}

// HGet implements common.SafeWriter.
func (f *FakeStore) HGet(_ context.Context, k, field string) (string, bool, error) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	h, _ := f.Vals[k].(map[string]string)
	v, ok := h[field]
	return v, ok, f.Err
}

// HSetNX implements common.SafeWriter.
func (f *FakeStore) HSetNX(ctx context.Context, k, field, v string) (bool, error) {
	if _, ok, _ := f.HGet(ctx, k, field); ok {
		return false, f.Err
	}
	return true, f.HSet(ctx, k, field, v)
}

// ZScore implements common.SafeWriter.
func (f *FakeStore) ZScore(_ context.Context, k, m string) (float64, bool, error) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	z, _ := f.Vals[k].([]Zmember)
	for _, x := range z {
		if x.Member == m {
			return x.Score, true, f.Err
		}
	}
	return 0, false, f.Err
}

// ZAddNX implements common.SafeWriter.
func (f *FakeStore) ZAddNX(ctx context.Context, k, m string, score float64) (bool, error) {
	if _, ok, _ := f.ZScore(ctx, k, m); ok {
		return false, f.Err
	}
	return true, f.ZAdd(ctx, k, m, score)
}

// HSetIf implements common.SafeWriter.
func (f *FakeStore) HSetIf(ctx context.Context, k, field, expect, v string) error {
	cur, ok, _ := f.HGet(ctx, k, field)
	switch {
	case !ok:
		return common.ErrGone
	case cur != expect:
		return common.ErrChanged
	}
	return f.HSet(ctx, k, field, v)
}

// LSetIf implements common.SafeWriter.
func (f *FakeStore) LSetIf(ctx context.Context, k string, i int64, expect, v string) error {
	f.Mu.Lock()
	l, _ := f.Vals[k].([]string)
	var cur string
	ok := i >= 0 && i < int64(len(l))
	if ok {
		cur = l[i]
	}
	f.Mu.Unlock()
	switch {
	case !ok:
		return common.ErrGone
	case cur != expect:
		return common.ErrChanged
	}
	return f.LSet(ctx, k, i, v)
}

// ZScoreIf implements common.SafeWriter.
func (f *FakeStore) ZScoreIf(ctx context.Context, k, m string, score float64) error {
	if _, ok, _ := f.ZScore(ctx, k, m); !ok {
		return common.ErrGone
	}
	return f.ZAdd(ctx, k, m, score)
}
