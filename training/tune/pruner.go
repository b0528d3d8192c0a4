package tune

import (
	"fmt"
	"math"
	"slices"
)

// MedianPruner stops a trial whose intermediate values are worse than
// the median of complete trials at the same step, as Optuna's
// MedianPruner. At a step s reported by a trial, it prunes when
//
//   - at least StartupTrials trials it may compare with are complete
//     (and at least one),
//   - s >= WarmupSteps,
//   - s is the first step the trial reports in its interval (steps are
//     checked every Interval steps from WarmupSteps; a check that found
//     no report waits for the next one),
//   - and the trial's best intermediate value so far is worse than the
//     median of the values complete trials reported at s (a trial all
//     of whose values are NaN is pruned; complete trials without a value
//     at s do not count, and if none has one, nothing is pruned).
//
// The trials a trial compares with are those it was sampled from (see
// Options.Window), so decisions do not depend on timing.
type MedianPruner struct {
	StartupTrials int `json:"startup_trials"`
	WarmupSteps   int `json:"warmup_steps"`
	Interval      int `json:"interval"` // 0 means 1
}

// NewMedianPruner returns a median pruner with Optuna's defaults: 5
// startup trials, no warmup steps, checks at every step.
func NewMedianPruner() *MedianPruner {
	return &MedianPruner{StartupTrials: 5, WarmupSteps: 0, Interval: 1}
}

// Validate checks the pruner's settings.
func (m *MedianPruner) Validate() error {
	switch {
	case m.StartupTrials < 0:
		return fmt.Errorf("%w: median pruner: startup trials %d is negative", ErrOptions, m.StartupTrials)
	case m.WarmupSteps < 0:
		return fmt.Errorf("%w: median pruner: warmup steps %d is negative", ErrOptions, m.WarmupSteps)
	case m.Interval < 0:
		return fmt.Errorf("%w: median pruner: interval %d is negative", ErrOptions, m.Interval)
	}
	return nil
}

// prune decides for a trial whose intermediate values (in step order)
// are values, given the finished trials it compares with.
func (m *MedianPruner) prune(dir Direction, seen []*Record, values []StepValue) bool {
	if len(values) == 0 {
		return false
	}
	var complete []*Record
	for _, r := range seen {
		if r != nil && r.State == Complete {
			complete = append(complete, r)
		}
	}
	if len(complete) == 0 || len(complete) < m.StartupTrials {
		return false
	}
	step := values[len(values)-1].Step
	if step < m.WarmupSteps {
		return false
	}
	interval := max(m.Interval, 1)
	// The check at step s is due when no earlier report fell at or after
	// the last checkpoint at or before s.
	checkpoint := (step-m.WarmupSteps)/interval*interval + m.WarmupSteps
	if len(values) > 1 && values[len(values)-2].Step >= checkpoint {
		return false
	}
	best := math.NaN()
	for _, v := range values {
		if !math.IsNaN(v.Value) && (math.IsNaN(best) || dir.better(v.Value, best)) {
			best = v.Value
		}
	}
	if math.IsNaN(best) {
		return true
	}
	var at []float64
	for _, r := range complete {
		if v, ok := r.valueAt(step); ok && !math.IsNaN(v) {
			at = append(at, v)
		}
	}
	if len(at) == 0 {
		return false
	}
	return dir.better(median(at), best)
}

// median is the middle of values, or the mean of the two middle ones;
// it sorts values.
func median(values []float64) float64 {
	slices.Sort(values)
	n := len(values)
	if n%2 == 1 {
		return values[n/2]
	}
	return values[n/2-1] + (values[n/2]-values[n/2-1])/2
}
