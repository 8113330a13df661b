package azure

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"

	"github.com/amr-tui/amr-tui/auth"
)

// DefaultConcurrency bounds the ARM requests in flight at once.
const DefaultConcurrency = 8

// maxPages bounds how many nextLink pages one list follows, against a server that loops.
const maxPages = 1000

// Options configure New.
type Options struct {
	// Endpoint is the management endpoint; the zero value means PublicCloud.
	Endpoint Endpoint
	// Transport carries the requests; nil means azcore's default (system roots, proxy from the
	// environment). Tests and the demo pass one that trusts the emulator CA and stays on loopback.
	Transport policy.Transporter
	// Retry overrides azcore's retry policy (3 retries, Retry-After honoured); nil keeps it.
	Retry *policy.RetryOptions
	// Concurrency bounds requests in flight; 0 means DefaultConcurrency.
	Concurrency int
}

// Client calls Azure Resource Manager with one credential.
type Client struct {
	pl       runtime.Pipeline
	cred     azcore.TokenCredential
	endpoint Endpoint
	base     *url.URL
	limit    int
}

// New builds a client whose requests carry tokens from cred for the endpoint's audience.
func New(cred azcore.TokenCredential, opts Options) (*Client, error) {
	if cred == nil {
		return nil, errors.New("azure: a credential is required")
	}
	ep := opts.Endpoint
	if ep.URL == "" {
		ep = PublicCloud
	}
	base, err := url.Parse(ep.URL)
	if err != nil || base.Scheme != "https" || base.Host == "" {
		return nil, fmt.Errorf("azure: management endpoint %q is not an https URL", ep.URL)
	}
	co := &policy.ClientOptions{
		Transport: opts.Transport,
		// Values of other query parameters ($skipToken) are redacted in logs by azcore.
		Logging: policy.LogOptions{AllowedQueryParams: []string{"api-version"}, AllowedHeaders: []string{"Retry-After", "x-ms-request-id", "x-ms-correlation-request-id"}},
	}
	if opts.Retry != nil {
		co.Retry = *opts.Retry
	}
	pl := runtime.NewPipeline("amr-tui", "1", runtime.PipelineOptions{
		PerRetry: []policy.Policy{runtime.NewBearerTokenPolicy(cred, []string{ep.Scope()}, nil)},
	}, co)
	limit := opts.Concurrency
	if limit <= 0 {
		limit = DefaultConcurrency
	}
	return &Client{pl: pl, cred: cred, endpoint: ep, base: base, limit: limit}, nil
}

// Endpoint is the management endpoint the client calls.
func (c *Client) Endpoint() Endpoint { return c.endpoint }

// Identity gets a management token and reads who it is for.
func (c *Client) Identity(ctx context.Context) (Identity, error) {
	tok, err := c.cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{c.endpoint.Scope()}})
	if err != nil {
		return Identity{}, err
	}
	cl, err := auth.ClaimsFromToken(tok.Token)
	if err != nil {
		return Identity{}, fmt.Errorf("azure: the management token is not a JWT, so the signed-in object ID is unknown: %w", err)
	}
	if cl.ObjectID == "" {
		return Identity{}, errors.New("azure: the management token has no oid claim, so the signed-in object ID is unknown")
	}
	return Identity{ObjectID: cl.ObjectID, TenantID: cl.TenantID, UPN: cl.UPN, AppID: cl.AppID, App: cl.UPN == ""}, nil
}

// url builds an absolute URL on the endpoint for an ARM path and API version.
func (c *Client) url(path, apiVersion string) string {
	u := *c.base
	u.Path = strings.TrimSuffix(c.base.Path, "/") + path
	u.RawPath = ""
	u.RawQuery = url.Values{"api-version": {apiVersion}}.Encode()
	return u.String()
}

// get fetches one JSON document.
func (c *Client) get(ctx context.Context, rawURL string, v any) error {
	req, err := runtime.NewRequest(ctx, http.MethodGet, rawURL)
	if err != nil {
		return err
	}
	req.Raw().Header.Set("Accept", "application/json")
	resp, err := c.pl.Do(req)
	if err != nil {
		return err
	}
	if !runtime.HasStatusCode(resp, http.StatusOK) {
		return runtime.NewResponseError(resp)
	}
	return runtime.UnmarshalAsJSON(resp, v)
}

// page is ARM's list envelope.
type page[T any] struct {
	Value    []T    `json:"value"`
	NextLink string `json:"nextLink"`
}

// list fetches every page of a list, following nextLink. A nextLink to another host is refused:
// the bearer token must never go anywhere but the management endpoint.
func list[T any](ctx context.Context, c *Client, path, apiVersion string) ([]T, error) {
	var all []T
	next := c.url(path, apiVersion)
	for n := 0; next != ""; n++ {
		if n == maxPages {
			return all, fmt.Errorf("azure: %s: more than %d pages; stopped following nextLink", path, maxPages)
		}
		var p page[T]
		if err := c.get(ctx, next, &p); err != nil {
			return all, err
		}
		all = append(all, p.Value...)
		next = p.NextLink
		if next != "" {
			u, err := url.Parse(next)
			if err != nil || !strings.EqualFold(u.Scheme, "https") || !strings.EqualFold(u.Host, c.base.Host) {
				return all, fmt.Errorf("azure: %s: refusing a nextLink to another host (%s)", path, hostOf(next))
			}
		}
	}
	return all, nil
}

func hostOf(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		return u.Host
	}
	return "an unparsable URL"
}
