package azure

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
)

// Policy is a data access policy of a cache.
type Policy struct {
	Name string `json:"name"`
	// Type is BuiltIn or Custom (Azure Cache for Redis).
	Type string `json:"type,omitempty"`
	// Permissions is the policy's Redis ACL string.
	Permissions string `json:"permissions,omitempty"`
}

// Assignment gives one principal a data access policy on a cache.
type Assignment struct {
	Name     string `json:"name"`
	ObjectID string `json:"object_id"`
	// Alias is the principal's display alias (Azure Cache for Redis only).
	Alias  string `json:"alias,omitempty"`
	Policy string `json:"policy"`
	// AccessString is the Redis ACL string of an AMR assignment, where the API gives one.
	AccessString string `json:"access_string,omitempty"`
	// Mine marks the signed-in identity's own assignment.
	Mine bool `json:"mine,omitempty"`
	// ClientIDMistake marks an assignment that names the signed-in app's client ID instead of
	// its object ID, and so grants nothing.
	ClientIDMistake bool `json:"client_id_mistake,omitempty"`
}

// Access is who may use a cache through Microsoft Entra, as seen by one identity.
type Access struct {
	Cache       Cache        `json:"cache"`
	Identity    Identity     `json:"identity"`
	Policies    []Policy     `json:"policies"`
	Assignments []Assignment `json:"assignments"`
}

// amrDefaultPolicy is the one policy of every AMR database.
var amrDefaultPolicy = Policy{Name: "default", Type: "BuiltIn", Permissions: "+@all ~*"}

// Access lists the cache's data access policies and their assignments, marking the identity's
// own object ID and assignments made to its client ID by mistake. A 403 comes back as a
// *Failure whose Forbidden is true.
func (c *Client) Access(ctx context.Context, cache Cache, me Identity) (Access, error) {
	a := Access{Cache: cache, Identity: me}
	switch cache.Kind {
	case CacheForRedis:
		ps, err := list[wirePolicy](ctx, c, armPath(cache.ID)+"/accessPolicies", redisAPI)
		if err != nil {
			return a, explain("reading the access policies of "+cache.Name, err)
		}
		for _, p := range ps {
			a.Policies = append(a.Policies, Policy{Name: p.Name, Type: p.Properties.Type, Permissions: p.Properties.Permissions})
		}
		as, err := list[wireCacheAssignment](ctx, c, armPath(cache.ID)+"/accessPolicyAssignments", redisAPI)
		if err != nil {
			return a, explain("reading the access policy assignments of "+cache.Name, err)
		}
		for _, w := range as {
			a.Assignments = append(a.Assignments, Assignment{Name: w.Name, ObjectID: w.Properties.ObjectID,
				Alias: w.Properties.ObjectIDAlias, Policy: w.Properties.AccessPolicyName})
		}
	case ManagedRedis:
		if cache.Database == "" {
			return a, &Failure{Message: "the databases of " + cache.Name + " could not be listed, so neither can their access policies"}
		}
		a.Policies = []Policy{amrDefaultPolicy}
		path := armPath(cache.ID) + "/accessPolicyAssignments"
		as, err := list[wireEnterpriseAssignment](ctx, c, path, accessStringAPI)
		if unsupportedVersion(err) {
			as, err = list[wireEnterpriseAssignment](ctx, c, path, enterpriseAPI)
		}
		if err != nil {
			return a, explain("reading the access policy assignments of "+cache.Ref(), err)
		}
		for _, w := range as {
			a.Assignments = append(a.Assignments, Assignment{Name: w.Name, ObjectID: w.Properties.User.ObjectID,
				Policy: w.Properties.AccessPolicyName, AccessString: w.Properties.AccessString})
		}
	default:
		return a, errors.New("azure: unknown cache kind " + string(cache.Kind))
	}
	for i := range a.Assignments {
		as := &a.Assignments[i]
		as.Mine = me.ObjectID != "" && strings.EqualFold(as.ObjectID, me.ObjectID)
		as.ClientIDMistake = me.App && me.AppID != "" && !strings.EqualFold(me.AppID, me.ObjectID) &&
			strings.EqualFold(as.ObjectID, me.AppID)
	}
	return a, nil
}

// unsupportedVersion reports an ARM 400 refusing the API version (a region or cloud without
// the newer version yet).
func unsupportedVersion(err error) bool {
	var re *azcore.ResponseError
	if !errors.As(err, &re) || re.StatusCode != http.StatusBadRequest {
		return false
	}
	switch re.ErrorCode {
	case "InvalidApiVersionParameter", "NoRegisteredProviderFound", "InvalidResourceType", "UnsupportedApiVersion":
		return true
	}
	return false
}

// Mine lists the identity's own assignments.
func (a Access) Mine() []Assignment {
	var out []Assignment
	for _, as := range a.Assignments {
		if as.Mine {
			out = append(out, as)
		}
	}
	return out
}

// Verdict says in plain words whether the identity may use the cache through Entra, and
// explains an assignment made to the app's client ID instead of its object ID.
func (a Access) Verdict() []string {
	var out []string
	mine := a.Mine()
	oid := a.Identity.ObjectID
	switch {
	case !a.Cache.EntraAuth:
		out = append(out, "Microsoft Entra authentication is off on this cache: no access policy assignment applies until it is turned on")
	case len(mine) == 0:
		out = append(out, "you ("+oid+") have no access policy on this cache")
	default:
		for _, m := range mine {
			s := "you (" + oid + ") have the access policy " + quote(m.Policy)
			if m.AccessString != "" {
				s += " with access string " + quote(m.AccessString)
			}
			out = append(out, s)
		}
	}
	for _, as := range a.Assignments {
		if as.ClientIDMistake {
			out = append(out, "the assignment "+quote(as.Name)+" names "+as.ObjectID+", which is this app's client (application) ID, not its object ID; "+
				"Redis checks the object ID ("+oid+"), so that assignment grants nothing: assign the policy to the object ID "+oid+" instead")
		}
	}
	return out
}

// HasAccess reports whether the identity holds an assignment on a cache with Entra on.
func (a Access) HasAccess() bool { return a.Cache.EntraAuth && len(a.Mine()) > 0 }
