package sessionstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/session"
	"github.com/amr-tui/amr-tui/ui/common"
)

var (
	_ common.DBSelector      = (*Store)(nil)
	_ common.ServerReader    = (*Store)(nil)
	_ common.ShardInfoReader = (*Store)(nil)
)

// LRemAt implements common.MemberWriter. Redis has no command that deletes a list element by
// index, so the element is overwritten with a sentinel no client could have written (random
// 128 bits) by LSET and that sentinel removed by LREM key 1. Both run in one MULTI/EXEC, so no
// other command sees the sentinel or runs in between; WATCH plus the LINDEX check make sure
// the element is still the one the user saw (a push or pop elsewhere shifts indexes), and
// EXEC fails, changing nothing, if the list changed after the check. No Lua: EVAL is often
// denied by ACLs and managed services.
func (s *Store) LRemAt(ctx context.Context, k string, i int64, expect string) error {
	var nonce [16]byte
	if _, err := rand.Read(nonce[:]); err != nil {
		return err
	}
	sentinel := "amr-tui:removed:" + hex.EncodeToString(nonce[:])
	changed := fmt.Errorf("the element at index %d changed since it was read; nothing was removed (reload and try again)", i)
	err := s.c.Watch(ctx, func(tx *redis.Tx) error {
		cur, err := tx.LIndex(ctx, k, i).Result()
		if errors.Is(err, redis.Nil) || (err == nil && cur != expect) {
			return changed
		}
		if err != nil {
			return err
		}
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.LSet(ctx, k, i, sentinel)
			p.LRem(ctx, k, 1, sentinel)
			return nil
		})
		return err
	}, k)
	if errors.Is(err, redis.TxFailedErr) {
		return changed
	}
	return err
}

// RPush implements common.MemberWriter.
func (s *Store) RPush(ctx context.Context, k, v string) error { return s.c.RPush(ctx, k, v).Err() }

// LPush implements common.MemberWriter.
func (s *Store) LPush(ctx context.Context, k, v string) error { return s.c.LPush(ctx, k, v).Err() }

// XAdd implements common.MemberWriter (XADD key * f1 v1 …).
func (s *Store) XAdd(ctx context.Context, k string, fields []string) (string, error) {
	return s.c.XAdd(ctx, &redis.XAddArgs{Stream: k, ID: "*", Values: fields}).Result()
}

// XDel implements common.MemberWriter.
func (s *Store) XDel(ctx context.Context, k, id string) error {
	n, err := s.c.XDel(ctx, k, id).Result()
	if err == nil && n == 0 {
		return errors.New("no entry with that ID (already deleted?)")
	}
	return err
}

// SelectDB implements common.DBSelector. A session's store asks the session to move its command
// pool (re-AUTH tracking included) and returns a store over the new client; a plain client's
// store gets a new client on that database. A cluster has only database 0.
func (s *Store) SelectDB(ctx context.Context, db int) (common.Store, error) {
	if s.cluster != nil {
		return nil, session.ErrClusterDB
	}
	if s.sess != nil {
		if err := s.sess.SelectDB(ctx, db); err != nil {
			return nil, err
		}
		// This store must not be used any more (see common.DBSelector); its SCAN connection is on
		// the old database.
		if s.scanner != nil {
			_ = s.scanner.Close()
		}
		return New(s.sess), nil
	}
	c, ok := s.c.(*redis.Client)
	if !ok {
		return nil, errors.New("this connection cannot switch databases")
	}
	o := *c.Options()
	o.DB = db
	nc := redis.NewClient(&o)
	if err := nc.Ping(ctx).Err(); err != nil {
		_ = nc.Close()
		return nil, fmt.Errorf("SELECT %d: %w", db, err)
	}
	return NewClient(nc), nil
}
