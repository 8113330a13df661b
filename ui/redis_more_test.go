package ui

import (
	"github.com/amr-tui/amr-tui/ui/common"

	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"strconv"

	"github.com/redis/go-redis/v9"
)

// More of the go-redis test adapter: list and stream editing, SELECT, CLIENT LIST, SLOWLOG.
// They mirror ui/sessionstore's product versions.
func (s goRedisStore) LRemAt(ctx context.Context, k string, i int64, expect string) error {
	var nonce [16]byte
	_, _ = rand.Read(nonce[:])
	sentinel := "amr-tui-removed:" + hex.EncodeToString(nonce[:])
	err := s.c.Watch(ctx, func(tx *redis.Tx) error {
		cur, err := tx.LIndex(ctx, k, i).Result()
		if err != nil || cur != expect {
			return errors.New("the element at index " + strconv.FormatInt(i, 10) + " changed since it was read; nothing was removed")
		}
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.LSet(ctx, k, i, sentinel)
			p.LRem(ctx, k, 1, sentinel)
			return nil
		})
		return err
	}, k)
	return err
}

func (s goRedisStore) RPush(ctx context.Context, k, v string) error {
	return s.c.RPush(ctx, k, v).Err()
}

func (s goRedisStore) LPush(ctx context.Context, k, v string) error {
	return s.c.LPush(ctx, k, v).Err()
}

func (s goRedisStore) XAdd(ctx context.Context, k string, fields []string) (string, error) {
	return s.c.XAdd(ctx, &redis.XAddArgs{Stream: k, Values: fields}).Result()
}

func (s goRedisStore) XDel(ctx context.Context, k, id string) error {
	return s.c.XDel(ctx, k, id).Err()
}

func (s goRedisStore) SelectDB(ctx context.Context, n int) (common.Store, error) {
	o := *s.c.Options()
	o.DB = n
	c := redis.NewClient(&o)
	if err := c.Ping(ctx).Err(); err != nil {
		_ = c.Close()
		return nil, err
	}
	return goRedisStore{c}, nil
}

func (s goRedisStore) ClientList(ctx context.Context) (string, error) {
	return s.c.ClientList(ctx).Result()
}

func (s goRedisStore) SlowLog(ctx context.Context, n int64) ([]common.SlowLogEntry, error) {
	ls, err := s.c.SlowLogGet(ctx, n).Result()
	out := make([]common.SlowLogEntry, len(ls))
	for i, l := range ls {
		out[i] = common.SlowLogEntry{ID: l.ID, Time: l.Time, Duration: l.Duration, Args: l.Args, Client: l.ClientAddr, Name: l.ClientName}
	}
	return out, err
}
