package ui

import (
	"github.com/amr-tui/amr-tui/ui/console"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"

	"strconv"
	"testing"

	"github.com/amr-tui/amr-tui/rediscli"
)

// BenchmarkConsoleView renders the console with a short and a full scrollback: the cost must
// not grow with the number of lines kept.
func BenchmarkConsoleView(b *testing.B) {
	for _, n := range []int{100, console.MaxLines} {
		b.Run(strconv.Itoa(n)+"lines", func(b *testing.B) {
			a, _ := testApp(b, uitest.ConsoleStore{FakeStore: uitest.NewFakeStore(), Con: uitest.NewFakeConsole()}, nil, 120, 40)
			a.screen = screenConsole
			reply := rediscli.FormatTTY(rediscli.Array(rediscli.Bulk("field"), rediscli.Bulk("a value of some length"), rediscli.Integer(42)))
			for i := 0; len(a.console.Lines) < n; i++ {
				a.console.Add(console.LineEcho, "127.0.0.1:6379> HGETALL key:"+strconv.Itoa(i))
				a.console.Add(console.LineReply, reply)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				_ = a.Render()
			}
		})
	}
}
