package main

import (
	"errors"
	"time"

	"github.com/spf13/cobra"
)

// demoFlags are the knobs of `amr-tui demo`.
type demoFlags struct {
	serve         bool
	tokenLifetime time.Duration
	keys          int
	plain         bool
	backend       string
}

func newDemoCmd() *cobra.Command {
	var f demoFlags
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run amr-tui against the embedded emulator (fake Entra ID + AMR-like Redis)",
		Long: "demo starts the embedded emulator on loopback — a fake Microsoft Entra ID and an Azure\n" +
			"Managed Redis–like gate that enforces token AUTH and closes connections whose token\n" +
			"expires — seeds it with sample data, and opens amr-tui against it.\n\n" +
			"With --serve it runs the emulator headless until Ctrl-C and prints one JSON line with\n" +
			"everything a client needs to connect.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return errors.New("demo: not wired yet")
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.serve, "serve", false, "run the emulator headless and print connection details as JSON")
	fl.DurationVar(&f.tokenLifetime, "token-lifetime", 10*time.Minute, "lifetime of the access tokens the fake Entra issues")
	fl.IntVar(&f.keys, "keys", 10000, "number of sample keys to seed")
	fl.BoolVar(&f.plain, "plain", false, "serve the Redis gate without TLS")
	fl.StringVar(&f.backend, "backend", "", "address of a real redis-server to front instead of the embedded one")
	return cmd
}
