package main

import (
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/auth"
)

// TestSameToken: a new login (new token for the same user) is told apart from a cached token.
func TestSameToken(t *testing.T) {
	exp := time.Now().Add(time.Hour)
	first := auth.Token{Value: "token-one", Username: "oid", ExpiresOn: exp}
	if !sameToken(first, first) {
		t.Error("the cached token not recognised")
	}
	if sameToken(first, auth.Token{Value: "token-two", Username: "oid", ExpiresOn: exp}) {
		t.Error("a new token for the same user counted as reuse")
	}
	if sameToken(first, auth.Token{Value: "token-one", Username: "oid", ExpiresOn: exp.Add(time.Minute)}) {
		t.Error("a different expiry counted as reuse")
	}
}
