package sessionstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/ui/common"
)

var _ common.SafeWriter = (*Store)(nil)

// RenameNX implements common.SafeWriter.
func (s *Store) RenameNX(ctx context.Context, k, n string) (bool, error) {
	return s.c.RenameNX(ctx, k, n).Result()
}

// CreateKey implements common.SafeWriter. A string is SET NX; the other types have no "create
// only" form, so the first member is written inside MULTI/EXEC under WATCH after EXISTS said
// the name is free: a key created in between makes EXEC fail and nothing is written.
func (s *Store) CreateKey(ctx context.Context, typ, k string, first []string) (bool, error) {
	if err := checkFirst(typ, first); err != nil {
		return false, err
	}
	if typ == common.TypeString {
		return s.c.SetNX(ctx, k, first[0], 0).Result()
	}
	created := false
	err := s.c.Watch(ctx, func(tx *redis.Tx) error {
		n, err := tx.Exists(ctx, k).Result()
		if err != nil || n != 0 {
			return err
		}
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			switch typ {
			case common.TypeHash:
				p.HSet(ctx, k, first[0], first[1])
			case common.TypeList:
				p.RPush(ctx, k, first[0])
			case common.TypeSet:
				p.SAdd(ctx, k, first[0])
			case common.TypeZSet:
				score, _ := strconv.ParseFloat(first[1], 64) // checked by checkFirst
				p.ZAdd(ctx, k, redis.Z{Member: first[0], Score: score})
			case common.TypeStream:
				p.XAdd(ctx, &redis.XAddArgs{Stream: k, ID: "*", Values: first})
			}
			return nil
		})
		created = err == nil
		return err
	}, k)
	if errors.Is(err, redis.TxFailedErr) {
		return false, nil
	}
	return created, err
}

func checkFirst(typ string, first []string) error {
	want := map[string]int{common.TypeString: 1, common.TypeHash: 2, common.TypeList: 1, common.TypeSet: 1, common.TypeZSet: 2}
	n, ok := want[typ]
	switch {
	case typ == common.TypeStream:
		if len(first) == 0 || len(first)%2 != 0 {
			return errors.New("a stream entry needs field value pairs")
		}
		return nil
	case !ok:
		return fmt.Errorf("cannot create a key of type %q", typ)
	case len(first) != n:
		return fmt.Errorf("a new %s needs %d values, got %d", typ, n, len(first))
	case typ == common.TypeZSet:
		if _, err := strconv.ParseFloat(first[1], 64); err != nil {
			return fmt.Errorf("score %q is not a number", first[1])
		}
	}
	return nil
}

// HGet implements common.SafeWriter.
func (s *Store) HGet(ctx context.Context, k, f string) (string, bool, error) {
	v, err := s.c.HGet(ctx, k, f).Result()
	if errors.Is(err, redis.Nil) {
		return "", false, nil
	}
	return v, err == nil, err
}

// HSetNX implements common.SafeWriter.
func (s *Store) HSetNX(ctx context.Context, k, f, v string) (bool, error) {
	return s.c.HSetNX(ctx, k, f, v).Result()
}

// ZScore implements common.SafeWriter.
func (s *Store) ZScore(ctx context.Context, k, m string) (float64, bool, error) {
	v, err := s.c.ZScore(ctx, k, m).Result()
	if errors.Is(err, redis.Nil) {
		return 0, false, nil
	}
	return v, err == nil, err
}

// ZAddNX implements common.SafeWriter.
func (s *Store) ZAddNX(ctx context.Context, k, m string, score float64) (bool, error) {
	n, err := s.c.ZAddNX(ctx, k, redis.Z{Member: m, Score: score}).Result()
	return n == 1, err
}

// HSetIf implements common.SafeWriter.
func (s *Store) HSetIf(ctx context.Context, k, f, expect, v string) error {
	return s.writeIf(ctx, k, func(tx *redis.Tx) error {
		cur, err := tx.HGet(ctx, k, f).Result()
		if errors.Is(err, redis.Nil) {
			return common.ErrGone
		}
		if err == nil && cur != expect {
			return common.ErrChanged
		}
		return err
	}, func(p redis.Pipeliner) { p.HSet(ctx, k, f, v) })
}

// LSetIf implements common.SafeWriter: a push or pop elsewhere shifts indexes, so the element
// at index is checked, under WATCH, to still be the one the user edited.
func (s *Store) LSetIf(ctx context.Context, k string, i int64, expect, v string) error {
	return s.writeIf(ctx, k, func(tx *redis.Tx) error {
		cur, err := tx.LIndex(ctx, k, i).Result()
		if errors.Is(err, redis.Nil) {
			return common.ErrGone
		}
		if err == nil && cur != expect {
			return common.ErrChanged
		}
		return err
	}, func(p redis.Pipeliner) { p.LSet(ctx, k, i, v) })
}

// ZScoreIf implements common.SafeWriter (ZADD XX: never adds a member removed meanwhile).
func (s *Store) ZScoreIf(ctx context.Context, k, m string, score float64) error {
	n, err := s.c.ZAddArgs(ctx, k, redis.ZAddArgs{XX: true, Ch: true, Members: []redis.Z{{Member: m, Score: score}}}).Result()
	if err != nil {
		return err
	}
	if n == 0 {
		if _, ok, err := s.ZScore(ctx, k, m); err == nil && !ok {
			return common.ErrGone
		}
	}
	return nil
}

// writeIf runs check under WATCH k and, if it passes, write inside MULTI/EXEC; EXEC fails,
// changing nothing, when k changed after the check.
func (s *Store) writeIf(ctx context.Context, k string, check func(*redis.Tx) error, write func(redis.Pipeliner)) error {
	err := s.c.Watch(ctx, func(tx *redis.Tx) error {
		if err := check(tx); err != nil {
			return err
		}
		_, err := tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			write(p)
			return nil
		})
		return err
	}, k)
	if errors.Is(err, redis.TxFailedErr) {
		return common.ErrChanged
	}
	return err
}
