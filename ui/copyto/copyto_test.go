package copyto

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/bulk"
	"github.com/amr-tui/amr-tui/internal/redistest"
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"
)

// pausingStore runs the bulk calls on real clients; its copy starts paused, so that a test
// sees the copy running and cancels it at a known point.
type pausingStore struct {
	*uitest.FakeStore
	src, dst *redis.Client
}

func (s pausingStore) BulkPreview(ctx context.Context, sel bulk.Selection, o bulk.PreviewOptions, ctl *bulk.Control) (bulk.PreviewResult, error) {
	return bulk.Preview(ctx, s.src, sel, o, ctl)
}
func (s pausingStore) BulkDelete(context.Context, bulk.Selection, bulk.MutateOptions) (bulk.Report, error) {
	return bulk.Report{}, errors.New("not in this test")
}
func (s pausingStore) BulkExpire(context.Context, bulk.Selection, bulk.ExpireSpec, bulk.MutateOptions) (bulk.Report, error) {
	return bulk.Report{}, errors.New("not in this test")
}
func (s pausingStore) BulkExport(context.Context, bulk.Selection, io.Writer, bulk.ExportOptions) (bulk.Report, error) {
	return bulk.Report{}, errors.New("not in this test")
}
func (s pausingStore) BulkCopyTo(ctx context.Context, _ common.Store, sel bulk.Selection, o bulk.CopyOptions) (bulk.Report, error) {
	o.Control.Pause()
	return bulk.Copy(ctx, s.src, s.dst, sel, o)
}

type oneOpener struct{}

func (oneOpener) Profiles(context.Context) (common.ProfileList, error) {
	return common.ProfileList{Profiles: []common.ProfileSummary{{Name: "src"}, {Name: "dst", Addr: "dst.test:6379"}}}, nil
}
func (oneOpener) Open(context.Context, string, func(common.DeviceCode)) (common.Opened, error) {
	return common.Opened{Store: uitest.NewFakeStore(), Session: uitest.NewFakeSession(common.SessionState{Profile: "dst"})}, nil
}

// run runs cmd and what follows from it, as the Bubble Tea loop would, for this screen's
// messages, until the screen waits for nothing or a paused copy is all that runs.
func run(m *Model, cmd tea.Cmd) {
	for steps := 0; cmd != nil && steps < 10_000; steps++ {
		switch msg := cmd().(type) {
		case ProfilesMsg:
			m.OnProfiles(msg)
			cmd = nil
		case TickMsg:
			if m.run != nil && m.run.Control.Progress().Paused {
				return
			}
			cmd = m.OnTick(msg)
		default:
			cmd = nil
		}
	}
}

func keys(m *Model, ks ...string) {
	for _, k := range ks {
		msg := tea.KeyPressMsg{Code: []rune(k)[0], Text: k}
		switch k {
		case "enter":
			msg = tea.KeyPressMsg{Code: tea.KeyEnter}
		case "esc":
			msg = tea.KeyPressMsg{Code: tea.KeyEscape}
		}
		run(m, m.Update(msg))
	}
}

// The running copy shows its progress bar with keys/s (here paused); esc cancels
// it before the next batch, and the report says it was cancelled and what was done (nothing).
func TestCopyProgressAndCancel(t *testing.T) {
	TickEvery = time.Millisecond
	srcSrv, dstSrv := redistest.StartRedisServer(t), redistest.StartRedisServer(t)
	src := redis.NewClient(&redis.Options{Addr: srcSrv.Addr})
	dst := redis.NewClient(&redis.Options{Addr: dstSrv.Addr})
	t.Cleanup(func() { _ = src.Close(); _ = dst.Close() })
	ctx := context.Background()
	names := []string{"a\x00", "b\xff", "c"}
	for _, k := range names {
		if err := src.Set(ctx, k, "v", 0).Err(); err != nil {
			t.Fatal(err)
		}
	}
	c := &common.Common{Width: 100, Height: 30, Body: 28, Styles: common.NewStyles(true, true), Keys: common.DefaultKeyMap(),
		Now: func() time.Time { return uitest.T0 }, Store: pausingStore{uitest.NewFakeStore(), src, dst}, Ctx: ctx, Timeout: 10 * time.Second}
	m := New(c, oneOpener{}, "src", bulk.Selection{Keys: names}, 3)
	run(m, m.Init())
	if len(m.Profiles) != 1 || m.Profiles[0].Name != "dst" {
		t.Fatalf("profiles %+v", m.Profiles)
	}
	keys(m, "enter")
	if m.Phase != PhasePreview || m.Busy() || m.pre.res.Count != 3 {
		t.Fatalf("preview: phase %v busy %v notice %q", m.Phase, m.Busy(), m.Notice)
	}
	keys(m, "enter", "d", "s", "t", "enter")
	if m.Phase != PhaseRun {
		t.Fatalf("phase %v, notice %q", m.Phase, m.Notice)
	}
	v := common.AnsiStrip(m.View("", 100, 28))
	if !strings.Contains(v, "0/3 keys") || !strings.Contains(v, "keys/s") || !strings.Contains(v, "paused (p resumes)") || !strings.Contains(v, "[·") {
		t.Fatalf("no progress bar:\n%s", v)
	}
	keys(m, "esc")
	for m.Phase == PhaseRun { // the cancelled copy ends (still paused: run would stop at once)
		<-m.run.Done()
		m.OnTick(TickMsg{gen: m.gen})
	}
	if m.Phase != PhaseReport || m.Report == nil || !m.Report.Cancelled || !errors.Is(m.Err, bulk.ErrCancelled) {
		t.Fatalf("after esc: phase %v report %+v err %v", m.Phase, m.Report, m.Err)
	}
	if v := common.AnsiStrip(m.View("", 100, 28)); !strings.Contains(v, "cancelled") || !strings.Contains(v, "0  created") {
		t.Fatalf("report:\n%s", v)
	}
	if n := dst.DBSize(ctx).Val(); n != 0 {
		t.Fatalf("%d keys copied after the cancel", n)
	}
	keys(m, "enter")
	if !m.Closed() {
		t.Fatal("the report does not close")
	}
}
