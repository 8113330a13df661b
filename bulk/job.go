package bulk

import "sync"

// Job is an operation running in its own goroutine, for front ends that poll it (the TUI):
// its Control steers it, Done is closed when it ends, and Result gives its report then.
type Job struct {
	Control *Control
	done    chan struct{}
	mu      sync.Mutex
	rep     Report
	err     error
}

// Start runs op with a new Control (rate cap keysPerSecond, total expected keys) in a
// goroutine.
func Start(keysPerSecond float64, total int64, op func(ctl *Control) (Report, error)) *Job {
	j := &Job{Control: NewControl(keysPerSecond), done: make(chan struct{})}
	j.Control.SetTotal(total)
	go func() {
		rep, err := op(j.Control)
		j.mu.Lock()
		j.rep, j.err = rep, err
		j.mu.Unlock()
		close(j.done)
	}()
	return j
}

// Done is closed when the operation has ended.
func (j *Job) Done() <-chan struct{} { return j.done }

// Result returns the report and error; valid once Done is closed.
func (j *Job) Result() (Report, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.rep, j.err
}
