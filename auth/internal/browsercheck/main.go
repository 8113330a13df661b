// Command browsercheck is the manual check of the interactive browser login (auth/README.md):
// it signs in through the system browser against real Microsoft Entra ID, prints who the token
// is for (never the token), and optionally sends AUTH to a real cache over TLS.
//
//	go run ./auth/internal/browsercheck -tenant TENANT [-addr NAME.REGION.redis.azure.net:10000]
package main

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/profiles"
)

func main() {
	tenant := flag.String("tenant", "", "Entra tenant ID or domain (default: organizations)")
	authority := flag.String("authority", "", "public (default), china, usgov or an https URL")
	addr := flag.String("addr", "", "optional cache address host:port to send AUTH to over TLS")
	flag.Parse()

	p := profiles.Profile{Name: "browser-check", Auth: profiles.Auth{
		Kind: profiles.AuthDeveloper, Method: profiles.DeveloperBrowser, TenantID: *tenant, Authority: *authority,
	}}
	fmt.Println("Login:", auth.Describe(p))
	src, err := auth.NewSource(p, auth.Options{})
	if err != nil {
		fail(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	fmt.Println("A browser window opens; sign in there.")
	tok, err := src.Token(ctx)
	if err != nil {
		fail(err)
	}
	fmt.Println("Token for:", tok.Claims.Identity())
	fmt.Println("Redis username:", tok.Username)
	fmt.Println("Audience:", tok.Claims.Audience, "| expires:", tok.ExpiresOn.Local().Format(time.RFC1123))
	again, err := src.Token(ctx)
	if err != nil {
		fail(err)
	}
	fmt.Println("Second Token call returned the cached token (same token digest and expiry):", sameToken(tok, again))
	if *addr == "" {
		return
	}
	c := redis.NewClient(&redis.Options{Addr: *addr, Username: tok.Username, Password: tok.Value, TLSConfig: &tls.Config{MinVersion: tls.VersionTLS12}})
	defer c.Close()
	if err := c.Ping(ctx).Err(); err != nil {
		fail(auth.ExplainRedisError(err, tok))
	}
	fmt.Println("The cache accepted AUTH with the token: PING → PONG")
}

// sameToken reports whether b is the very token a was: the same value (compared by SHA-256
// digest, so nothing about the value is kept or shown) and the same expiry. A second Token call
// served from the credential's cache returns the same token; a second login would have issued a
// new one. The username cannot tell them apart: it is the same account's object ID either way.
func sameToken(a, b auth.Token) bool {
	return sha256.Sum256([]byte(a.Value)) == sha256.Sum256([]byte(b.Value)) && a.ExpiresOn.Equal(b.ExpiresOn)
}

func fail(err error) {
	if e, ok := err.(*auth.Error); ok {
		fmt.Fprintln(os.Stderr, e.Explain())
	} else {
		fmt.Fprintln(os.Stderr, err)
	}
	os.Exit(1)
}
