package common

import (
	"context"
	"errors"

	"github.com/amr-tui/amr-tui/rediscli"
)

// ConsoleOpener is implemented by stores that can open a command console: a dedicated
// connection whose state (SELECT, MULTI, CLIENT …) persists between commands. It is optional:
// without it :console says so.
type ConsoleOpener interface {
	OpenConsole(ctx context.Context) (Console, error)
}

// Console runs the console's commands. Like Store, it is only called from Cmds.
type Console interface {
	// Do sends one command and returns its reply; a server error is a KindError reply, and the
	// error is for a broken connection, a timeout or a cancelled context.
	Do(ctx context.Context, args []string) (rediscli.Reply, error)
	// Stream starts a command that answers with a stream of replies (MONITOR, SUBSCRIBE,
	// PSUBSCRIBE, SSUBSCRIBE). The stream runs until it is closed.
	Stream(ctx context.Context, args []string) (ReplyStream, error)
	// Close releases the console's connection.
	Close() error
}

// ReplyStream is a running MONITOR or subscription.
type ReplyStream interface {
	// Next waits for at least one reply and returns it with every reply already waiting, up to
	// max: a busy MONITOR costs one UI update per batch, not per line. After Close, or when the
	// connection is lost for good, it returns an error.
	Next(ctx context.Context, max int) ([]rediscli.Reply, error)
	// Close stops the stream and releases its connection.
	Close() error
}

// StreamingCommands answer with a stream of replies until stopped with ctrl+c.
var StreamingCommands = map[string]bool{"monitor": true, "subscribe": true, "psubscribe": true, "ssubscribe": true}

// ErrStreamClosed is what ReplyStream.Next returns once the stream was closed.
var ErrStreamClosed = errors.New("the stream was stopped")
