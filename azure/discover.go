package azure

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"
)

// API versions of the calls.
const (
	subscriptionsAPI = "2022-12-01"
	redisAPI         = "2024-11-01"
	enterpriseAPI    = "2025-07-01"
	// accessStringAPI is the first Microsoft.Cache/redisEnterprise version whose access policy
	// assignments carry accessString; where ARM does not serve it yet, enterpriseAPI is used.
	accessStringAPI = "2026-05-01-preview"
)

// DiscoverOptions narrow and observe a discovery.
type DiscoverOptions struct {
	// Subscription keeps only the subscription with this ID or display name (case-insensitive).
	Subscription string
	// OnProgress, when set, is called after the subscriptions are listed and after each one is
	// done; calls come from several goroutines but never at once.
	OnProgress func(Progress)
}

// Discover lists the enabled subscriptions, then, in parallel (at most Options.Concurrency
// requests at once), every AMR cluster with its databases and every Azure Cache for Redis
// instance in each. A subscription that fails keeps its failure in the result and the others
// are still listed; the error is only for what stops everything (no token, no subscriptions
// list).
func (c *Client) Discover(ctx context.Context, opts DiscoverOptions) (Result, error) {
	id, err := c.Identity(ctx)
	if err != nil {
		return Result{}, err
	}
	subs, err := c.Subscriptions(ctx)
	if err != nil {
		return Result{Identity: id}, err
	}
	if opts.Subscription != "" {
		subs = slices.DeleteFunc(subs, func(s Subscription) bool {
			return !strings.EqualFold(s.ID, opts.Subscription) && !strings.EqualFold(s.Name, opts.Subscription)
		})
		if len(subs) == 0 {
			return Result{Identity: id}, &Failure{Message: "no enabled subscription has the ID or name " + quote(opts.Subscription)}
		}
	}
	res := Result{Identity: id, Subscriptions: make([]SubscriptionResult, len(subs))}
	var mu sync.Mutex
	done := 0
	report := func(r *SubscriptionResult) {
		if opts.OnProgress == nil {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if r != nil {
			done++
		}
		opts.OnProgress(Progress{Subscriptions: len(subs), Done: done, Finished: r})
	}
	report(nil)
	sem := make(chan struct{}, c.limit)
	var wg sync.WaitGroup
	for i, s := range subs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := c.subscription(ctx, s, sem)
			res.Subscriptions[i] = r
			report(&r)
		}()
	}
	wg.Wait()
	return res, ctx.Err()
}

// Subscriptions lists the enabled subscriptions, by name.
func (c *Client) Subscriptions(ctx context.Context) ([]Subscription, error) {
	ws, err := list[wireSubscription](ctx, c, "/subscriptions", subscriptionsAPI)
	if err != nil {
		return nil, explain("listing subscriptions", err)
	}
	var out []Subscription
	for _, w := range ws {
		if strings.EqualFold(w.State, "Enabled") {
			out = append(out, Subscription{ID: w.SubscriptionID, Name: w.DisplayName, TenantID: w.TenantID})
		}
	}
	slices.SortFunc(out, func(a, b Subscription) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// subscription lists both services' caches of one subscription; sem bounds requests.
func (c *Client) subscription(ctx context.Context, s Subscription, sem chan struct{}) SubscriptionResult {
	r := SubscriptionResult{Subscription: s}
	var mu sync.Mutex
	add := func(cs []Cache, f *Failure) {
		mu.Lock()
		defer mu.Unlock()
		r.Caches = append(r.Caches, cs...)
		if f != nil {
			r.Failures = append(r.Failures, f)
		}
	}
	acquire := func() bool {
		select {
		case sem <- struct{}{}:
			return true
		case <-ctx.Done():
			return false
		}
	}
	release := func() { <-sem }
	prefix := "/subscriptions/" + s.ID

	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		if !acquire() {
			add(nil, explain("Azure Cache for Redis", ctx.Err()))
			return
		}
		ws, err := list[wireCache](ctx, c, prefix+"/providers/Microsoft.Cache/redis", redisAPI)
		release()
		var cs []Cache
		for _, w := range ws {
			cs = append(cs, cacheFromWire(s, w))
		}
		add(cs, explain("Azure Cache for Redis", err))
	}()
	go func() {
		defer wg.Done()
		if !acquire() {
			add(nil, explain("Azure Managed Redis", ctx.Err()))
			return
		}
		cls, err := list[wireCluster](ctx, c, prefix+"/providers/Microsoft.Cache/redisEnterprise", enterpriseAPI)
		release()
		if err != nil {
			add(nil, explain("Azure Managed Redis", err))
			return
		}
		var cwg sync.WaitGroup
		for _, cl := range cls {
			cwg.Add(1)
			go func() {
				defer cwg.Done()
				add(c.databases(ctx, s, cl, acquire, release), nil)
			}()
		}
		cwg.Wait()
	}()
	wg.Wait()
	slices.SortFunc(r.Caches, func(a, b Cache) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.Database, b.Database), cmp.Compare(a.ID, b.ID))
	})
	return r
}

// databases lists an AMR cluster's databases; a failure yields one entry for the cluster that
// carries the error, so the cluster still shows.
func (c *Client) databases(ctx context.Context, s Subscription, cl wireCluster, acquire func() bool, release func()) []Cache {
	failed := func(f *Failure) []Cache {
		e := databaseFromWire(s, cl, wireDatabase{})
		e.Database, e.ID, e.Port, e.ClusteringPolicy, e.Err = "", cl.ID, 0, "", f.Message
		return []Cache{e}
	}
	if !acquire() {
		return failed(explain("listing databases", ctx.Err()))
	}
	ds, err := list[wireDatabase](ctx, c, armPath(cl.ID)+"/databases", enterpriseAPI)
	release()
	if err != nil {
		return failed(explain("listing databases", err))
	}
	var out []Cache
	for _, d := range ds {
		out = append(out, databaseFromWire(s, cl, d))
	}
	return out
}

// armPath is a resource ID as a path on the endpoint (Client.url escapes it).
func armPath(id string) string { return "/" + strings.Trim(id, "/") }

func quote(s string) string { return "\"" + s + "\"" }
