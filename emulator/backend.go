package emulator

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/alicebob/miniredis/v2/server"
)

// StartEmbeddedBackend starts an in-process miniredis on 127.0.0.1:0 for the gate to front when
// no real redis-server is given. Stop it with Close.
//
// What it adds to plain miniredis, for go-redis v9 (RESP2 and RESP3) through the gate:
//   - TTLs count down with the wall clock (miniredis freezes them unless told otherwise), so keys
//     in the demo really expire: see ttlClock.
//   - SCAN pages by COUNT with a real cursor, stable across inserts (backend_scan.go), where
//     miniredis answers one SCAN with every key.
//   - CLIENT SETINFO, which go-redis sends on every new connection, is accepted (+OK) instead of
//     failing with "unknown subcommand".
//   - INFO with every section, CLIENT LIST/INFO/ID and SLOWLOG answer (backend_info.go), so the
//     demo's :info panel shows figures. They answer at once even inside MULTI (not QUEUED).
//
// Known gaps against redis-server, none of which go-redis needs: RESET and MONITOR are unknown
// commands; in subscribe mode miniredis allows only (P)SUBSCRIBE/(P)UNSUBSCRIBE/PING/QUIT even
// under RESP3; CLIENT supports only SETNAME/GETNAME (and SETINFO, LIST, INFO, ID here). The
// gate itself handles AUTH, HELLO AUTH, QUIT and RESET, so those behave as on AMR either way.
func StartEmbeddedBackend() (*miniredis.Miniredis, error) {
	m := miniredis.NewMiniRedis()
	if err := m.StartAddr("127.0.0.1:0"); err != nil {
		return nil, fmt.Errorf("emulator: starting embedded Redis: %w", err)
	}
	go ttlClock(m, m.Ctx)
	installBackendHooks(m, newServerCommands(m))
	return m, nil
}

// RestartEmbeddedBackend stops m (every connection to it drops), keeps it down for down, and
// starts it again on the same address with its data, as a Redis restarted with persistence
// would come back.
func RestartEmbeddedBackend(m *miniredis.Miniredis, down time.Duration) error {
	m.Close()
	if down > 0 {
		time.Sleep(down)
	}
	// Close cancelled the context blocking commands and the TTL clock run under.
	m.Ctx, m.CtxCancel = context.WithCancel(context.Background())
	if err := m.Restart(); err != nil {
		return fmt.Errorf("emulator: restarting embedded Redis on %s: %w", m.Addr(), err)
	}
	go ttlClock(m, m.Ctx)
	installBackendHooks(m, newServerCommands(m))
	return nil
}

// installBackendHooks puts the emulator's additions in front of miniredis's commands; a
// restarted miniredis has a new server and needs them again.
func installBackendHooks(m *miniredis.Miniredis, sc *serverCommands) {
	scan := newScanner(m)
	m.Server().SetPreHook(func(c *server.Peer, cmd string, args ...string) bool {
		sc.track(c, cmd, args)
		scan.track(c, cmd, args)
		if scan.handle(c, cmd, args) {
			return true
		}
		if sc.handle(c, cmd, args) {
			return true
		}
		if cmd == "CLIENT" && len(args) > 0 && strings.EqualFold(args[0], "SETINFO") {
			if len(args) != 3 {
				c.WriteError("ERR wrong number of arguments for 'client|setinfo' command")
			} else {
				c.WriteOK()
			}
			return true
		}
		if cmd == "COMMAND" && len(args) > 0 && !strings.EqualFold(args[0], "INFO") {
			// miniredis ignores COMMAND's subcommands and answers COMMAND DOCS with the whole
			// command table, which makes redis-cli 7 abort on an assertion. Refusing the
			// subcommand, as a Redis without it does, sends redis-cli to its built-in help.
			c.WriteError(fmt.Sprintf("ERR unknown subcommand '%s'. Try COMMAND HELP.", args[0]))
			return true
		}
		return false
	})
}
