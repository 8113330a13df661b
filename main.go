// Command amr-tui is a terminal UI for browsing Redis — above all Azure Managed Redis and Azure
// Cache for Redis — with Microsoft Entra ID login. The command line lives in package cli.
package main

import (
	"os"

	"github.com/amr-tui/amr-tui/cli"
)

// Stamped at release time by goreleaser (-ldflags "-X main.version=…").
var (
	version = "dev"
	commit  = "none"
	date    = "unknown"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.Build{Version: version, Commit: commit, Date: date}, os.Stderr))
}
