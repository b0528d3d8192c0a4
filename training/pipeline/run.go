package pipeline

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/assayhq/assay/dataset"
)

// State is what the steps of one run share.
type State struct {
	Spec    *Spec
	Dataset string
	Version int
	// Ref is the new version's ref: churn@v4.
	Ref string
	// Drifted is set by the drift step.
	Drifted bool
	// TrainingData is what the train step reads: Ref, or the training
	// set the features step built.
	TrainingData string
	// Run is the training (or study) run; ModelVersion the registered
	// version (churn-model@v3).
	Run          string
	ModelVersion string
	// Promoted is set when the alias moved to ModelVersion.
	Promoted bool
	// Reports lists the HTML reports written, by name.
	Reports map[string]string
}

// Outcome is what a step tells the runner besides its record.
type Outcome int

const (
	// Continue goes on to the next step.
	Continue Outcome = iota
	// Stop ends the run as passed (a gate refusal: nothing more to do).
	Stop
	// Skip ends the run as skipped (no drift under the on_drift policy).
	Skip
)

// StepFunc runs one step. An error fails the step and the run; the step
// fills its record's detail and outputs.
type StepFunc func(ctx context.Context, st *State, rec *Step) (Outcome, error)

// Event is what the runner reports to notifications.
type Event struct {
	Name string // one of EventNames
	Text string
	Data map[string]any
}

// Runner runs a pipeline for a dataset version.
type Runner struct {
	Repo  *dataset.Repo
	Spec  *Spec
	Steps map[string]StepFunc
	// Owner names the watcher or user in leases and results; LeaseTTL
	// bounds how long a claim holds without renewal (default 1 h).
	Owner    string
	LeaseTTL time.Duration
	// Notify is told of events (a failed notification never fails the
	// run: it logs).
	Notify func(ctx context.Context, e Event)
	// Progress is told when each step starts.
	Progress func(step string)
}

// Run claims the version, runs the steps in order and records the
// result. A failing step stops the run (status failed) with the steps
// after it not run; each step publishes atomically (a registered
// version, a moved alias, a committed dataset), so nothing is half
// published. It returns ErrTaken when the version ran or is running.
func (r *Runner) Run(ctx context.Context, version int) (*Result, error) {
	ttl := r.LeaseTTL
	if ttl == 0 {
		ttl = time.Hour
	}
	ds := r.Spec.Dataset
	if _, err := Claim(ctx, r.Repo, ds, version, r.Owner, ttl); err != nil {
		return nil, err
	}
	st := &State{Spec: r.Spec, Dataset: ds, Version: version, Ref: fmt.Sprintf("%s@v%d", ds, version), Reports: map[string]string{}}
	st.TrainingData = st.Ref
	res := &Result{Dataset: ds, Version: version, Status: "passed", Owner: r.Owner, Started: time.Now().UTC()}
	for _, name := range r.Spec.Steps {
		fn := r.Steps[name]
		if fn == nil {
			return nil, fmt.Errorf("pipeline: no implementation of step %s", name)
		}
		if r.Progress != nil {
			r.Progress(name)
		}
		rec := Step{Step: name, Status: "ok", Outputs: map[string]string{}}
		began := time.Now()
		out, err := fn(ctx, st, &rec)
		rec.Seconds = time.Since(began).Seconds()
		if err != nil {
			if errors.Is(err, context.Canceled) {
				return nil, err // the lease runs out; another watcher retries
			}
			rec.Status = "failed"
			if rec.Detail == "" {
				rec.Detail = err.Error()
			}
			res.Steps = append(res.Steps, rec)
			res.Status, res.Reason = "failed", fmt.Sprintf("step %s failed: %s", name, rec.Detail)
			r.notify(ctx, Event{Name: "pipeline_failed", Text: fmt.Sprintf(":x: pipeline of %s stopped at %s: %s", st.Ref, name, rec.Detail),
				Data: map[string]any{"version": st.Ref, "step": name}})
			break
		}
		res.Steps = append(res.Steps, rec)
		// Renew the claim between steps, so that a long run keeps it.
		if _, err := Claim(ctx, r.Repo, ds, version, r.Owner, ttl); err != nil {
			return nil, fmt.Errorf("pipeline: renew the claim after step %s: %w", name, err)
		}
		if out == Skip {
			res.Status, res.Reason = "skipped", fmt.Sprintf("after %s: %s", name, rec.Detail)
			break
		}
		if out == Stop {
			res.Reason = fmt.Sprintf("after %s: %s", name, rec.Detail)
			break
		}
	}
	res.Finished = time.Now().UTC()
	if err := SaveResult(ctx, r.Repo, res); err != nil {
		return nil, err
	}
	return res, nil
}

func (r *Runner) notify(ctx context.Context, e Event) {
	if r.Notify != nil {
		r.Notify(ctx, e)
	}
}

// Send reports an event to the notifications (for steps).
func (r *Runner) Send(ctx context.Context, e Event) { r.notify(ctx, e) }

// Due returns the versions the trigger policy runs now, oldest first:
// every version after the newest with a result — or, before the first
// run, the newest version only (a pipeline starts from the data as it
// is) — and for a schedule only the newest, once the interval has
// passed since the last run.
func Due(ctx context.Context, repo *dataset.Repo, s *Spec, now time.Time) ([]int, error) {
	versions, err := repo.Versions(ctx, s.Dataset)
	if err != nil {
		return nil, err
	}
	results, err := Results(ctx, repo, s.Dataset)
	if err != nil {
		return nil, err
	}
	done := map[int]bool{}
	lastRan, lastTime := 0, time.Time{}
	for _, r := range results {
		done[r.Version] = true
		lastRan = max(lastRan, r.Version)
		if r.Status != "skipped" && r.Started.After(lastTime) {
			lastTime = r.Started
		}
	}
	var due []int
	for _, v := range versions {
		if v > lastRan && !done[v] {
			due = append(due, v)
		}
	}
	if len(results) == 0 && len(due) > 1 {
		due = due[len(due)-1:]
	}
	if s.Trigger.Policy == "schedule" && len(due) > 0 {
		every, err := ScheduleInterval(s.Trigger.Schedule)
		if err != nil {
			return nil, err
		}
		if !lastTime.IsZero() && now.Sub(lastTime) < every {
			return nil, nil
		}
		due = due[len(due)-1:]
	}
	return due, nil
}
