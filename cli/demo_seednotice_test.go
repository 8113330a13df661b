package cli

import (
	"context"
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
)

// The demo tells the UI when the keys it seeds behind it are all there, with their count, and
// then closes the channel.
func TestSeedNoticeSaysWhenEveryKeyIsSeeded(t *testing.T) {
	emutest.CleanAzureEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	keys := demoSeedFirst + 1500
	d, err := emulator.StartDemo(ctx, emulator.DemoOptions{Dir: t.TempDir(), TokenLifetime: time.Minute, Keys: keys, SeedFirst: demoSeedFirst})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ch := seedNotices(ctx, d, keys)
	select {
	case n, ok := <-ch:
		if !ok || n.Warn || n.Text != "demo: all 11,500 sample keys are seeded — r rescans to list them" {
			t.Fatalf("notice %+v (ok %v)", n, ok)
		}
	case <-ctx.Done():
		t.Fatal("no notice after the seeding")
	}
	if _, ok := <-ch; ok {
		t.Fatal("a second notice")
	}
}

// A demo that seeds everything before the UI opens has nothing to tell; one that ends before
// its seeding does closes the channel without a notice.
func TestSeedNoticeNoneWhenNothingIsLeftOrTheDemoEnds(t *testing.T) {
	if seedNotices(context.Background(), nil, demoSeedFirst) != nil {
		t.Fatal("a channel for a demo seeded before the UI opened")
	}
	emutest.CleanAzureEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	keys := 5_000_000 // far more than the test waits for
	d, err := emulator.StartDemo(ctx, emulator.DemoOptions{Dir: t.TempDir(), TokenLifetime: time.Minute, Keys: keys, SeedFirst: demoSeedFirst})
	if err != nil {
		t.Fatal(err)
	}
	uiCtx, quit := context.WithCancel(ctx)
	ch := seedNotices(uiCtx, d, keys)
	quit() // the user quits the demo: the context ends, then the demo closes
	d.Close()
	select {
	case n, ok := <-ch:
		if ok {
			t.Fatalf("a notice after the demo ended: %+v", n)
		}
	case <-ctx.Done():
		t.Fatal("the channel stays open after the demo ended")
	}
}
