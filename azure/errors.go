package azure

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"

	"github.com/amr-tui/amr-tui/azure/catalog"
)

// explain turns an ARM error into a Failure; what names the call ("listing caches").
func explain(what string, err error) *Failure {
	if err == nil {
		return nil
	}
	var f *Failure
	if errors.As(err, &f) {
		return f
	}
	var re *azcore.ResponseError
	if !errors.As(err, &re) {
		if errors.Is(err, context.Canceled) {
			return catalog.NewFailure(0, "", what+": cancelled", err)
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return catalog.NewFailure(0, "", what+": timed out", err)
		}
		return catalog.NewFailure(0, "", what+": "+firstLine(err.Error()), err)
	}
	out := catalog.NewFailure(re.StatusCode, re.ErrorCode, "", err)
	switch {
	case re.StatusCode == http.StatusForbidden:
		out.Message = what + ": 403 " + orText(re.ErrorCode, "Forbidden") + " — this identity has no role that may read it (Reader, or any role with Microsoft.Cache read permissions, on the subscription, resource group or cache)"
	case re.StatusCode == http.StatusTooManyRequests:
		wait := "a minute"
		if re.RawResponse != nil && re.RawResponse.Header.Get("Retry-After") != "" {
			wait = re.RawResponse.Header.Get("Retry-After") + " s, as its Retry-After asked"
		}
		out.Message = what + ": 429 throttled by Azure Resource Manager after the retries — try again in " + wait
	case re.StatusCode == http.StatusUnauthorized:
		out.Message = what + ": 401 " + orText(re.ErrorCode, "Unauthorized") + " — the management token was refused (wrong tenant or cloud?)"
	case re.StatusCode == http.StatusNotFound:
		out.Message = what + ": 404 " + orText(re.ErrorCode, "NotFound") + " — it no longer exists or was moved"
	default:
		out.Message = what + ": " + http.StatusText(re.StatusCode) + " (" + orText(re.ErrorCode, "no error code") + ")"
	}
	return out
}

func orText(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		return strings.TrimSpace(s[:i])
	}
	return s
}
