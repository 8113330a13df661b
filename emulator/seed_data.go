package emulator

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

type keyType int

const (
	typeString keyType = iota
	typeHash
	typeList
	typeSet
	typeZSet
	typeStream
)

// streamEpochMs is 2026-01-01T00:00:00Z: explicit stream IDs keep streams reproducible (XADD *
// would use the server's clock).
const streamEpochMs = 1767225600000

var (
	firstNames = []string{"ada", "grace", "alan", "linus", "margaret", "dennis", "barbara", "ken", "radia", "edsger", "frances", "john", "hedy", "tim", "anita", "donald"}
	lastNames  = []string{"lovelace", "hopper", "turing", "torvalds", "hamilton", "ritchie", "liskov", "thompson", "perlman", "dijkstra", "allen", "backus", "lamarr", "berners-lee", "borg", "knuth"}
	domains    = []string{"contoso.com", "fabrikam.io", "example.org", "northwind.net", "adventure-works.com"}
	plans      = []string{"free", "pro", "team", "enterprise"}
	products   = []string{"keyboard", "monitor", "headset", "webcam", "dock", "mouse", "laptop-stand", "usb-hub", "ssd", "router"}
	adjectives = []string{"compact", "wireless", "ergonomic", "4k", "silent", "rgb", "portable", "pro", "mini", "ultra"}
	tags       = []string{"beta", "vip", "churn-risk", "newsletter", "trial", "admin", "eu", "us", "apac", "mobile", "desktop", "early-adopter"}
	eventKinds = []string{"created", "paid", "shipped", "delivered", "refunded", "cancelled"}
	cities     = []struct {
		name     string
		lon, lat float64
	}{
		{"amsterdam", 4.9041, 52.3676}, {"berlin", 13.4050, 52.5200}, {"dublin", -6.2603, 53.3498},
		{"lisbon", -9.1393, 38.7223}, {"madrid", -3.7038, 40.4168}, {"paris", 2.3522, 48.8566},
		{"seattle", -122.3321, 47.6062}, {"singapore", 103.8198, 1.3521}, {"sydney", 151.2093, -33.8688},
		{"tokyo", 139.6503, 35.6762}, {"toronto", -79.3832, 43.6532}, {"zurich", 8.5417, 47.3769},
	}
)

// seedGenerator derives every key from (seed, index) alone, so batches can be written
// concurrently and in any order and the result is still the same.
type seedGenerator struct {
	seed        uint64
	ttlFraction float64
}

// specialKeys are the named examples and big values, written first, one per index.
var specialKeys = []struct {
	name  string
	t     keyType
	write func(ctx context.Context, p redis.Pipeliner, key string, r *rand.Rand)
}{
	{"config:feature-flags", typeString, seedFeatureFlags},
	{"user:1042:profile", typeHash, seedUser1042},
	{"queue:emails", typeList, seedEmailQueue},
	{"leaderboard:2026:weekly", typeZSet, seedWeeklyLeaderboard},
	{"events:orders", typeStream, seedOrderEvents},
	{"catalog:products", typeHash, seedProductCatalog},
	{"blob:backup:snapshot", typeString, seedBackupBlob},
	{"geo:stores", typeZSet, seedStoreLocations},
	{"online:users", typeSet, seedOnlineUsers},
	{"counter:page-views", typeString, seedPageViews},
}

func init() { specialKeys = append(specialKeys, decoderKeys...) } // compressed and serialized values: seed_decoders.go

// keyPlan is what Seed writes for one index: the name comes first so that a whole batch can
// be cleared with one DEL before it is written.
type keyPlan struct {
	index   int
	name    string
	t       keyType
	kind    int // which generated family (see write)
	ttl     time.Duration
	r       *rand.Rand // positioned after the draws that chose the above
	special int        // index into specialKeys, or -1
}

// plan decides key number i's name, type and TTL.
func (g seedGenerator) plan(i int) keyPlan {
	r := rand.New(rand.NewPCG(g.seed, uint64(i)))
	if i < len(specialKeys) {
		sk := specialKeys[i]
		return keyPlan{index: i, name: sk.name, t: sk.t, r: r, special: i}
	}
	kp := keyPlan{index: i, r: r, special: -1}
	id := 100000 + i // generated IDs never collide with the special keys' IDs
	if r.Float64() < g.ttlFraction {
		kp.ttl = time.Minute + time.Duration(r.IntN(7*24*60))*time.Minute
	}
	kp.kind = r.IntN(100)
	switch n := kp.kind; {
	case n < 12:
		kp.name, kp.t = fmt.Sprintf("cache:product:%d", id), typeString
	case n < 20:
		kp.name, kp.t = "session:"+sessionID(g.seed, i), typeString
	case n < 25:
		kp.name, kp.t = fmt.Sprintf("counter:api:%s:%d", products[r.IntN(len(products))], id), typeString
	case n < 30:
		kp.name, kp.t = fmt.Sprintf("blob:thumbnail:%d", id), typeString
	case n < 48:
		kp.name, kp.t = fmt.Sprintf("user:%d:profile", id), typeHash
	case n < 52:
		kp.name, kp.t = fmt.Sprintf("cart:%d", id), typeHash
	case n < 62:
		kp.name, kp.t = fmt.Sprintf("notifications:user:%d", id), typeList
	case n < 74:
		kp.name, kp.t = fmt.Sprintf("user:%d:tags", id), typeSet
	case n < 88:
		kp.name, kp.t = fmt.Sprintf("leaderboard:game:%d", id), typeZSet
	default:
		kp.name, kp.t = fmt.Sprintf("events:device:%d", id), typeStream
	}
	return kp
}

// write queues the commands that fill the key planned in kp (which must not exist yet).
func (g seedGenerator) write(ctx context.Context, p redis.Pipeliner, kp keyPlan) {
	r, key, ttl, id := kp.r, kp.name, kp.ttl, 100000+kp.index
	if kp.special >= 0 {
		specialKeys[kp.special].write(ctx, p, key, r)
		return
	}
	switch n := kp.kind; {
	case n < 12:
		p.Set(ctx, key, productJSON(r, id), ttl)
	case n < 20:
		p.Set(ctx, key, fmt.Sprintf(`{"user_id":%d,"ip":"10.%d.%d.%d","agent":"amr-tui/%d.%d"}`,
			100000+r.IntN(900000), r.IntN(256), r.IntN(256), r.IntN(256), r.IntN(3), r.IntN(20)), ttl)
	case n < 25:
		p.Set(ctx, key, r.IntN(1_000_000), ttl)
	case n < 30:
		p.Set(ctx, key, randomBytes(r, 16+r.IntN(1008)), ttl)
	case n < 48:
		p.HSet(ctx, key, userProfile(r, id)...)
		expire(ctx, p, key, ttl)
	case n < 52:
		fields := make([]any, 0, 16)
		for range 1 + r.IntN(8) {
			fields = append(fields, fmt.Sprintf("sku-%05d", r.IntN(100000)), r.IntN(5)+1)
		}
		p.HSet(ctx, key, fields...)
		expire(ctx, p, key, ttl)
	case n < 62:
		items := make([]any, 0, 20)
		for j := range 1 + r.IntN(20) {
			items = append(items, fmt.Sprintf(`{"seq":%d,"kind":"%s","order":%d}`, j, eventKinds[r.IntN(len(eventKinds))], r.IntN(1_000_000)))
		}
		p.RPush(ctx, key, items...)
		expire(ctx, p, key, ttl)
	case n < 74:
		members := make([]any, 0, 6)
		for range 1 + r.IntN(6) {
			members = append(members, tags[r.IntN(len(tags))])
		}
		p.SAdd(ctx, key, members...)
		expire(ctx, p, key, ttl)
	case n < 88:
		zs := make([]redis.Z, 0, 30)
		for j := range 3 + r.IntN(28) {
			zs = append(zs, redis.Z{Score: float64(r.IntN(100000)), Member: fmt.Sprintf("player:%d", id*100+j)})
		}
		p.ZAdd(ctx, key, zs...)
		expire(ctx, p, key, ttl)
	default:
		ms := int64(streamEpochMs)
		for range 2 + r.IntN(7) {
			ms += 1 + int64(r.IntN(3_600_000))
			p.Do(ctx, "XADD", key, strconv.FormatInt(ms, 10)+"-0",
				"event", eventKinds[r.IntN(len(eventKinds))], "temp_c", fmt.Sprintf("%.1f", 15+r.Float64()*20))
		}
		expire(ctx, p, key, ttl)
	}
}

func expire(ctx context.Context, p redis.Pipeliner, key string, ttl time.Duration) {
	if ttl > 0 {
		p.Expire(ctx, key, ttl)
	}
}

// sessionID is a unique-per-index, random-looking hex ID (a bijective mix of the index, so no
// two keys collide).
func sessionID(seed uint64, i int) string {
	x := uint64(i) ^ seed*0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	x ^= x >> 31
	return fmt.Sprintf("%016x", x)
}

func randomBytes(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func productJSON(r *rand.Rand, id int) string {
	return fmt.Sprintf(`{"id":%d,"name":"%s %s","price":%d.%02d,"currency":"EUR","stock":%d,"tags":["%s","%s"]}`,
		id, adjectives[r.IntN(len(adjectives))], products[r.IntN(len(products))],
		5+r.IntN(500), r.IntN(100), r.IntN(1000), tags[r.IntN(len(tags))], tags[r.IntN(len(tags))])
}

func userProfile(r *rand.Rand, id int) []any {
	first, last := firstNames[r.IntN(len(firstNames))], lastNames[r.IntN(len(lastNames))]
	created := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.IntN(6*365*24)) * time.Hour)
	return []any{
		"id", id,
		"name", first + " " + last,
		"email", fmt.Sprintf("%s.%s%d@%s", first, last, id%1000, domains[r.IntN(len(domains))]),
		"plan", plans[r.IntN(len(plans))],
		"created_at", created.Format(time.RFC3339),
		"logins", r.IntN(5000),
		"verified", strconv.FormatBool(r.IntN(4) != 0),
	}
}

func seedFeatureFlags(ctx context.Context, p redis.Pipeliner, key string, _ *rand.Rand) {
	p.Set(ctx, key, `{"new-browser":{"enabled":true,"rollout":0.5},"dark-mode":{"enabled":true},`+
		`"entra-only":{"enabled":false,"tenants":["contoso","fabrikam"]},"max-scan-count":1000}`, 0)
}

func seedUser1042(ctx context.Context, p redis.Pipeliner, key string, r *rand.Rand) {
	p.HSet(ctx, key, userProfile(r, 1042)...)
}

// seedEmailQueue is the big list: 10000 items.
func seedEmailQueue(ctx context.Context, p redis.Pipeliner, key string, r *rand.Rand) {
	items := make([]any, 0, 1000)
	for j := range 10000 {
		items = append(items, fmt.Sprintf(`{"job":%d,"to":"%s@%s","template":"%s"}`,
			j, firstNames[r.IntN(len(firstNames))], domains[r.IntN(len(domains))],
			[]string{"welcome", "reset-password", "invoice", "weekly-digest"}[r.IntN(4)]))
		if len(items) == cap(items) {
			p.RPush(ctx, key, items...)
			items = make([]any, 0, 1000)
		}
	}
}

func seedWeeklyLeaderboard(ctx context.Context, p redis.Pipeliner, key string, r *rand.Rand) {
	zs := make([]redis.Z, 0, 1000)
	for j := range 1000 {
		zs = append(zs, redis.Z{Score: float64(r.IntN(1_000_000)) / 10, Member: fmt.Sprintf("%s_%s_%d", firstNames[j%len(firstNames)], lastNames[r.IntN(len(lastNames))], j)})
	}
	p.ZAdd(ctx, key, zs...)
}

func seedOrderEvents(ctx context.Context, p redis.Pipeliner, key string, r *rand.Rand) {
	ms := int64(streamEpochMs)
	for j := range 2000 {
		ms += 1 + int64(r.IntN(60_000))
		p.Do(ctx, "XADD", key, strconv.FormatInt(ms, 10)+"-0",
			"order_id", 500000+j, "event", eventKinds[r.IntN(len(eventKinds))],
			"amount", fmt.Sprintf("%d.%02d", r.IntN(900)+10, r.IntN(100)), "currency", "EUR")
	}
}

// seedProductCatalog is the big hash: 5000 fields.
func seedProductCatalog(ctx context.Context, p redis.Pipeliner, key string, r *rand.Rand) {
	fields := make([]any, 0, 2000)
	for j := range 5000 {
		fields = append(fields, fmt.Sprintf("sku-%05d", j), productJSON(r, j))
		if len(fields) == cap(fields) {
			p.HSet(ctx, key, fields...)
			fields = make([]any, 0, 2000)
		}
	}
}

// seedBackupBlob is the big binary string: 256 KiB.
func seedBackupBlob(ctx context.Context, p redis.Pipeliner, key string, r *rand.Rand) {
	p.Set(ctx, key, randomBytes(r, 256<<10), 0)
}

func seedStoreLocations(ctx context.Context, p redis.Pipeliner, key string, _ *rand.Rand) {
	locs := make([]*redis.GeoLocation, 0, len(cities))
	for _, c := range cities {
		locs = append(locs, &redis.GeoLocation{Name: "store:" + c.name, Longitude: c.lon, Latitude: c.lat})
	}
	p.GeoAdd(ctx, key, locs...)
}

func seedOnlineUsers(ctx context.Context, p redis.Pipeliner, key string, r *rand.Rand) {
	members := make([]any, 0, 500)
	for range 500 {
		members = append(members, "user:"+strconv.Itoa(100000+r.IntN(900000)))
	}
	p.SAdd(ctx, key, members...)
}

func seedPageViews(ctx context.Context, p redis.Pipeliner, key string, r *rand.Rand) {
	p.Set(ctx, key, 1_000_000+r.IntN(9_000_000), 0)
}
