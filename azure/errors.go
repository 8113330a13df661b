package azure

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
)

// Failure is a short, user-facing account of an ARM call that failed.
type Failure struct {
	// Status is the HTTP status (0 when no response came back).
	Status int `json:"status,omitempty"`
	// Code is ARM's error code, such as AuthorizationFailed or TooManyRequests.
	Code string `json:"code,omitempty"`
	// Message says what happened and what to do, in one line.
	Message string `json:"message"`
	err     error
}

func (f *Failure) Error() string { return f.Message }

// Unwrap gives the underlying error (an *azcore.ResponseError, a transport error).
func (f *Failure) Unwrap() error { return f.err }

// Forbidden reports whether the caller lacks the role the call needs (403).
func (f *Failure) Forbidden() bool { return f.Status == http.StatusForbidden }

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
			return &Failure{Message: what + ": cancelled", err: err}
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return &Failure{Message: what + ": timed out", err: err}
		}
		return &Failure{Message: what + ": " + firstLine(err.Error()), err: err}
	}
	out := &Failure{Status: re.StatusCode, Code: re.ErrorCode, err: err}
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
