package ui

import (
	"context"

	"github.com/amr-tui/amr-tui/ui/sessionstore"
)

// The test store's SafeWriter is the product's (sessionstore), over the same client.

func (s goRedisStore) safe() *sessionstore.Store { return sessionstore.NewClient(s.c) }

func (s goRedisStore) RenameNX(ctx context.Context, k, n string) (bool, error) {
	return s.safe().RenameNX(ctx, k, n)
}
func (s goRedisStore) CreateKey(ctx context.Context, typ, k string, first []string) (bool, error) {
	return s.safe().CreateKey(ctx, typ, k, first)
}
func (s goRedisStore) HGet(ctx context.Context, k, f string) (string, bool, error) {
	return s.safe().HGet(ctx, k, f)
}
func (s goRedisStore) HSetNX(ctx context.Context, k, f, v string) (bool, error) {
	return s.safe().HSetNX(ctx, k, f, v)
}
func (s goRedisStore) ZScore(ctx context.Context, k, m string) (float64, bool, error) {
	return s.safe().ZScore(ctx, k, m)
}
func (s goRedisStore) ZAddNX(ctx context.Context, k, m string, score float64) (bool, error) {
	return s.safe().ZAddNX(ctx, k, m, score)
}
func (s goRedisStore) HSetIf(ctx context.Context, k, f, expect, v string) error {
	return s.safe().HSetIf(ctx, k, f, expect, v)
}
func (s goRedisStore) LSetIf(ctx context.Context, k string, i int64, expect, v string) error {
	return s.safe().LSetIf(ctx, k, i, expect, v)
}
func (s goRedisStore) ZScoreIf(ctx context.Context, k, m string, score float64) error {
	return s.safe().ZScoreIf(ctx, k, m, score)
}
