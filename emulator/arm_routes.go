package emulator

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// route dispatches an authorized GET by path shape (ARM matches segments case-insensitively).
func (a *ARM) route(w http.ResponseWriter, r *http.Request, oid string) {
	seg := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	is := func(i int, s string) bool { return i < len(seg) && strings.EqualFold(seg[i], s) }
	a.mu.Lock()
	f := a.fixture
	a.mu.Unlock()
	if len(seg) == 1 && is(0, "subscriptions") {
		if a.checkVersion(w, r, ARMSubscriptionsAPI) {
			a.listSubscriptions(w, r, f)
		}
		return
	}
	if len(seg) < 2 || !is(0, "subscriptions") {
		armError(w, http.StatusNotFound, "NotFound", "The fake ARM has no route for "+r.URL.Path+".")
		return
	}
	sub, ok := findSubscription(f, seg[1])
	if !ok {
		armError(w, http.StatusNotFound, "SubscriptionNotFound", fmt.Sprintf("The subscription '%s' could not be found.", seg[1]))
		return
	}
	if a.throttle(w, sub) {
		return
	}
	rest := seg[2:]
	action := "Microsoft.Cache/redis/read"
	switch {
	case len(rest) == 3 && strings.EqualFold(strings.Join(rest, "/"), "providers/Microsoft.Cache/redis"):
		if !a.forbidden(w, sub, oid, action, "/subscriptions/"+sub.ID) && a.checkVersion(w, r, ARMRedisAPI) {
			a.page(w, r, f, cachesJSON(sub))
		}
	case len(rest) == 3 && strings.EqualFold(strings.Join(rest, "/"), "providers/Microsoft.Cache/redisEnterprise"):
		if !a.forbidden(w, sub, oid, "Microsoft.Cache/redisEnterprise/read", "/subscriptions/"+sub.ID) && a.checkVersion(w, r, ARMEnterpriseAPI, ARMAccessStringAPI) {
			a.page(w, r, f, clustersJSON(sub))
		}
	case len(rest) >= 6 && is(2, "resourceGroups") && is(4, "providers") && is(5, "Microsoft.Cache"):
		a.routeResource(w, r, f, sub, oid, seg[3], rest[4:])
	default:
		armError(w, http.StatusNotFound, "NotFound", "The fake ARM has no route for "+r.URL.Path+".")
	}
}

// routeResource serves the children of one cache: rest starts at "redis" or "redisEnterprise".
func (a *ARM) routeResource(w http.ResponseWriter, r *http.Request, f ARMFixture, sub ARMSubscription, oid, rg string, rest []string) {
	scope := r.URL.Path
	notFound := func(what string) {
		armError(w, http.StatusNotFound, "ResourceNotFound", fmt.Sprintf("The Resource '%s' under resource group '%s' was not found.", what, rg))
	}
	switch {
	case len(rest) == 3 && strings.EqualFold(rest[0], "redis"):
		c, ok := findCache(sub, rg, rest[1])
		if !ok {
			notFound("Microsoft.Cache/Redis/" + rest[1])
			return
		}
		var action string
		var items []map[string]any
		switch {
		case strings.EqualFold(rest[2], "accessPolicies"):
			action, items = "Microsoft.Cache/redis/accessPolicies/read", policiesJSON(sub, c)
		case strings.EqualFold(rest[2], "accessPolicyAssignments"):
			action, items = "Microsoft.Cache/redis/accessPolicyAssignments/read", cacheAssignmentsJSON(sub, c)
		default:
			notFound("Microsoft.Cache/Redis/" + rest[1] + "/" + rest[2])
			return
		}
		if a.forbidden(w, sub, oid, "Microsoft.Cache/redis/read", scope) || a.denyAccess(w, c.AccessForbidden, oid, action, scope) {
			return
		}
		if a.checkVersion(w, r, ARMRedisAPI) {
			a.page(w, r, f, items)
		}
	case len(rest) >= 3 && strings.EqualFold(rest[0], "redisEnterprise") && strings.EqualFold(rest[2], "databases"):
		cl, ok := findCluster(sub, rg, rest[1])
		if !ok {
			notFound("Microsoft.Cache/redisEnterprise/" + rest[1])
			return
		}
		if a.forbidden(w, sub, oid, "Microsoft.Cache/redisEnterprise/databases/read", scope) {
			return
		}
		switch {
		case len(rest) == 3:
			if a.checkVersion(w, r, ARMEnterpriseAPI, ARMAccessStringAPI) {
				a.page(w, r, f, databasesJSON(sub, cl))
			}
		case len(rest) == 5 && strings.EqualFold(rest[4], "accessPolicyAssignments"):
			db, ok := findDatabase(cl, rest[3])
			if !ok {
				notFound("Microsoft.Cache/redisEnterprise/" + cl.Name + "/databases/" + rest[3])
				return
			}
			if a.denyAccess(w, db.AccessForbidden, oid, "Microsoft.Cache/redisEnterprise/databases/accessPolicyAssignments/read", scope) {
				return
			}
			versions := []string{ARMEnterpriseAPI, ARMAccessStringAPI}
			if f.NoAccessStringAPI {
				versions = versions[:1]
			}
			if a.checkVersion(w, r, versions...) {
				withString := r.URL.Query().Get("api-version") == ARMAccessStringAPI
				a.page(w, r, f, enterpriseAssignmentsJSON(sub, cl, db, withString))
			}
		default:
			notFound(strings.Join(rest, "/"))
		}
	default:
		armError(w, http.StatusNotFound, "NotFound", "The fake ARM has no route for "+r.URL.Path+".")
	}
}

// checkVersion answers 400 unless the request names one of the API versions the route serves.
func (a *ARM) checkVersion(w http.ResponseWriter, r *http.Request, versions ...string) bool {
	v := r.URL.Query().Get("api-version")
	for _, ok := range versions {
		if v == ok {
			return true
		}
	}
	if v == "" {
		armError(w, http.StatusBadRequest, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.")
		return false
	}
	armError(w, http.StatusBadRequest, "InvalidApiVersionParameter", fmt.Sprintf(
		"The api-version '%s' is invalid. The supported versions are '%s'.", v, strings.Join(versions, ",")))
	return false
}

// throttle answers 429 with Retry-After while the subscription has throttled calls left.
func (a *ARM) throttle(w http.ResponseWriter, sub ARMSubscription) bool {
	a.mu.Lock()
	n := a.throttled[sub.ID]
	if n < sub.Throttle {
		a.throttled[sub.ID] = n + 1
	}
	a.mu.Unlock()
	if n >= sub.Throttle {
		return false
	}
	secs := int64((sub.RetryAfter + time.Second - 1) / time.Second)
	if secs < 1 {
		secs = 1
	}
	w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
	armError(w, http.StatusTooManyRequests, "TooManyRequests", "The request is being throttled as the limit has been reached for operation type - Read_ObservationWindow_00:05:00.")
	return true
}

// forbidden answers 403 AuthorizationFailed for a subscription the caller has no role on.
func (a *ARM) forbidden(w http.ResponseWriter, sub ARMSubscription, oid, action, scope string) bool {
	return a.denyAccess(w, sub.Forbidden, oid, action, scope)
}

func (a *ARM) denyAccess(w http.ResponseWriter, deny bool, oid, action, scope string) bool {
	if !deny {
		return false
	}
	armError(w, http.StatusForbidden, "AuthorizationFailed", fmt.Sprintf(
		"The client '%s' with object id '%s' does not have authorization to perform action '%s' over scope '%s' or the scope is invalid. If access was recently granted, please refresh your credentials.",
		oid, oid, action, scope))
	return true
}

// page answers a list, split into pages with nextLink when the fixture asks for it.
func (a *ARM) page(w http.ResponseWriter, r *http.Request, f ARMFixture, items []map[string]any) {
	if items == nil {
		items = []map[string]any{}
	}
	resp := map[string]any{}
	start := 0
	if s := r.URL.Query().Get("$skipToken"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > len(items) {
			armError(w, http.StatusBadRequest, "InvalidSkipToken", "The $skipToken is not valid.")
			return
		}
		start = n
	}
	end := len(items)
	if f.PageSize > 0 && start+f.PageSize < end {
		end = start + f.PageSize
		q := url.Values{}
		q.Set("api-version", r.URL.Query().Get("api-version"))
		q.Set("$skipToken", strconv.Itoa(end))
		base := a.Endpoint()
		if f.NextLinkBase != "" {
			base = f.NextLinkBase
		}
		resp["nextLink"] = base + r.URL.Path + "?" + q.Encode()
	}
	resp["value"] = items[start:end]
	writeJSON(w, http.StatusOK, resp)
}

func (a *ARM) listSubscriptions(w http.ResponseWriter, r *http.Request, f ARMFixture) {
	var items []map[string]any
	for _, s := range f.Subscriptions {
		state := s.State
		if state == "" {
			state = "Enabled"
		}
		items = append(items, map[string]any{
			"id": "/subscriptions/" + s.ID, "authorizationSource": "RoleBased", "subscriptionId": s.ID,
			"tenantId": a.entra.TenantID(), "displayName": s.DisplayName, "state": state,
			"subscriptionPolicies": map[string]string{"locationPlacementId": "Public_2014-09-01", "quotaId": "PayAsYouGo_2014-09-01", "spendingLimit": "Off"},
		})
	}
	a.page(w, r, f, items)
}

func findSubscription(f ARMFixture, id string) (ARMSubscription, bool) {
	for _, s := range f.Subscriptions {
		if strings.EqualFold(s.ID, id) {
			return s, true
		}
	}
	return ARMSubscription{}, false
}

func findCache(s ARMSubscription, rg, name string) (ARMCache, bool) {
	for _, c := range s.Caches {
		if strings.EqualFold(c.ResourceGroup, rg) && strings.EqualFold(c.Name, name) {
			return c, true
		}
	}
	return ARMCache{}, false
}

func findCluster(s ARMSubscription, rg, name string) (ARMCluster, bool) {
	for _, c := range s.Clusters {
		if strings.EqualFold(c.ResourceGroup, rg) && strings.EqualFold(c.Name, name) {
			return c, true
		}
	}
	return ARMCluster{}, false
}

func findDatabase(c ARMCluster, name string) (ARMDatabase, bool) {
	for _, d := range c.Databases {
		if strings.EqualFold(d.Name, name) {
			return d, true
		}
	}
	return ARMDatabase{}, false
}
