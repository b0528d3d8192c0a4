package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	goio "io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/assayhq/assay/checks"
	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/webhook"
	"github.com/assayhq/assay/drift"
	"github.com/assayhq/assay/featurestore"
	"github.com/assayhq/assay/featurestore/defs"
	"github.com/assayhq/assay/report"
	"github.com/assayhq/assay/training/pipeline"
)

type pipelineRunOptions struct {
	File    string
	Version string
	Once    bool
	Every   time.Duration
	Owner   string
}

func newPipelineRunCmd(io *streams, g *globalOptions) *cobra.Command {
	opts := &pipelineRunOptions{}
	cmd := &cobra.Command{
		Use:   "run [--file assay.yaml] [--version NAME@VERSION]",
		Short: "Run the pipeline on a dataset version (default: the newest)",
		Long: `Run the pipeline's steps on a version: checks (a failing error-level check
stops here) → drift against the reference → training set → train or tune →
register the challenger → gates → move the champion alias → batch
inference → reports. Each step's result is recorded with the run under
runs/pipeline/DATASET/VERSION; a version runs once. Exit code 1 when a
step failed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runPipeline(cmd.Context(), io, g, opts)
		},
	}
	cmd.Flags().StringVar(&opts.File, "file", "assay.yaml", "the pipeline file")
	cmd.Flags().StringVar(&opts.Version, "version", "", "the version to run on: NAME@VERSION (default: the newest)")
	cmd.Flags().StringVar(&opts.Owner, "owner", "", "who runs it, in the run's lease (default: user@host)")
	return cmd
}

func newWatchCmd(io *streams, g *globalOptions) *cobra.Command {
	opts := &pipelineRunOptions{}
	cmd := &cobra.Command{
		Use:   "watch [--file assay.yaml] [--once] [--every 1m]",
		Short: "Run the pipeline when new dataset versions land, by the trigger policy",
		Long: `Poll the repository and run the pipeline on each version its trigger
policy makes due: every new version, only on drift (the run stops after
the drift step when nothing drifted), or on a schedule (the newest
version, once the interval has passed). A version never runs twice, also
after a restart, and two watchers never run the same version (a lease in
the repository). --once checks once and exits, for cron and CI (exit
code 1 when a run failed).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runWatch(cmd.Context(), io, g, opts)
		},
	}
	cmd.Flags().StringVar(&opts.File, "file", "assay.yaml", "the pipeline file")
	cmd.Flags().BoolVar(&opts.Once, "once", false, "check once and exit")
	cmd.Flags().DurationVar(&opts.Every, "every", time.Minute, "the polling interval")
	cmd.Flags().StringVar(&opts.Owner, "owner", "", "this watcher's name in leases (default: user@host)")
	return cmd
}

func owner(o string) string {
	if o != "" {
		return o
	}
	host, _ := os.Hostname()
	return defaultAuthor() + "@" + host
}

func runPipeline(ctx context.Context, io *streams, g *globalOptions, opts *pipelineRunOptions) error {
	spec, err := pipeline.ParseFile(opts.File)
	if err != nil {
		return err
	}
	repo, err := g.openRepo(ctx)
	if err != nil {
		return err
	}
	version := 0
	if opts.Version != "" {
		ref, err := dataset.ParseRef(opts.Version)
		if err != nil {
			return err
		}
		m, err := repo.Resolve(ctx, ref)
		if err != nil {
			return err
		}
		if m.Dataset != spec.Dataset {
			return fmt.Errorf("%w: --version %s is not a version of %s, the pipeline's dataset", dataset.ErrInvalid, opts.Version, spec.Dataset)
		}
		version = m.Version
	} else {
		head, err := repo.Head(ctx, spec.Dataset)
		if err != nil {
			return err
		}
		version = head.Version
	}
	res, err := newRunner(io, g, repo, spec, owner(opts.Owner)).Run(ctx, version)
	if err != nil {
		return err
	}
	return printResult(io, res)
}

func runWatch(ctx context.Context, io *streams, g *globalOptions, opts *pipelineRunOptions) error {
	spec, err := pipeline.ParseFile(opts.File)
	if err != nil {
		return err
	}
	repo, err := g.openRepo(ctx)
	if err != nil {
		return err
	}
	r := newRunner(io, g, repo, spec, owner(opts.Owner))
	failed := 0
	for {
		due, err := pipeline.Due(ctx, repo, spec, time.Now())
		if err != nil {
			return err
		}
		if len(due) == 0 && opts.Once {
			fmt.Fprintf(io.Out, "nothing to run for %s (trigger %s)\n", spec.Dataset, spec.Trigger.Policy)
		}
		for _, v := range due {
			r.Send(ctx, pipeline.Event{Name: "dataset_committed", Text: fmt.Sprintf(":inbox_tray: %s@v%d landed; running its pipeline", spec.Dataset, v),
				Data: map[string]any{"version": fmt.Sprintf("%s@v%d", spec.Dataset, v)}})
			res, err := r.Run(ctx, v)
			if errors.Is(err, pipeline.ErrTaken) {
				fmt.Fprintf(io.Err, "%s@v%d: %v\n", spec.Dataset, v, err)
				continue
			}
			if err != nil {
				return err
			}
			if printResult(io, res) != nil {
				failed++
			}
		}
		if opts.Once {
			if failed > 0 {
				return &failure{msg: fmt.Sprintf("%d pipeline run(s) failed", failed)}
			}
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(opts.Every):
		}
	}
}

// printResult prints a run's steps; a failed run is a failure.
func printResult(io *streams, res *pipeline.Result) error {
	fmt.Fprintf(io.Out, "pipeline %s@v%d: %s", res.Dataset, res.Version, res.Status)
	if res.Reason != "" {
		fmt.Fprintf(io.Out, " (%s)", res.Reason)
	}
	fmt.Fprintln(io.Out)
	for _, s := range res.Steps {
		fmt.Fprintf(io.Out, "  %-9s %-8s %6.2fs  %s\n", s.Step, s.Status, s.Seconds, s.Detail)
	}
	if res.Status == "failed" {
		return &failure{msg: res.Reason}
	}
	return nil
}

// newRunner builds a runner whose steps call the commands' code, with
// webhooks from the file.
func newRunner(io *streams, g *globalOptions, repo *dataset.Repo, spec *pipeline.Spec, who string) *pipeline.Runner {
	r := &pipeline.Runner{Repo: repo, Spec: spec, Owner: who}
	client := &http.Client{Timeout: 10 * time.Second}
	r.Notify = func(ctx context.Context, e pipeline.Event) {
		for _, n := range spec.Notify {
			if len(n.Events) > 0 && !slices.Contains(n.Events, e.Name) {
				continue
			}
			t := webhook.Target{URL: n.URL, Slack: n.Format == "slack"}
			if n.SecretEnv != "" {
				t.Secret = os.Getenv(n.SecretEnv)
			}
			err := webhook.Send(ctx, client, t, webhook.Event{Event: e.Name, Dataset: spec.Dataset, Text: e.Text, Details: e.Data})
			if err != nil {
				// A webhook never fails the pipeline.
				fmt.Fprintf(io.Err, "warning: webhook %s (%s): %v\n", n.URL, e.Name, err)
			}
		}
	}
	quiet := &streams{Out: goio.Discard, Err: io.Err}
	reports := filepath.Join(spec.Dir, "assay-report")
	r.Steps = map[string]pipeline.StepFunc{
		"checks": func(ctx context.Context, st *pipeline.State, rec *pipeline.Step) (pipeline.Outcome, error) {
			rules, err := checks.ParseFile(spec.Path(spec.Checks))
			if err != nil {
				return 0, err
			}
			src, err := dataset.OpenSource(ctx, repo, st.Ref, dataset.DefaultCSVOptions())
			if err != nil {
				return 0, err
			}
			defer src.Close()
			run, err := checkSource(ctx, &checkOptions{globalOptions: g, Samples: 5}, rules, repo, src, nil)
			if err != nil {
				return 0, err
			}
			if err := checks.SaveRun(ctx, repo, run); err != nil {
				return 0, err
			}
			if !run.Success {
				r.Send(ctx, pipeline.Event{Name: "checks_failed", Text: fmt.Sprintf(":x: %d of %d checks failed on %s", run.Counts.Failed, run.Counts.Checks, st.Ref)})
				return 0, fmt.Errorf("%d of %d checks failed on %s", run.Counts.Failed, run.Counts.Checks, st.Ref)
			}
			rec.Detail = fmt.Sprintf("%d of %d checks passed", run.Counts.Passed, run.Counts.Checks)
			return pipeline.Continue, nil
		},
		"drift": func(ctx context.Context, st *pipeline.State, rec *pipeline.Step) (pipeline.Outcome, error) {
			d := spec.Drift
			refText := d.Reference
			if refText == "previous" {
				if st.Version < 2 {
					rec.Detail = "no previous version"
					return pipeline.Continue, nil
				}
				refText = st.Dataset + "@v" + strconv.Itoa(st.Version-1)
			}
			opts := &driftOptions{globalOptions: g, Columns: d.Columns, Method: cmp.Or(d.Method, "auto"), Correction: "none",
				DatasetShare: d.Threshold, Multivariate: "none", RefFrom: "auto"}
			copts, err := opts.compareOptions()
			if err != nil {
				return 0, err
			}
			ref, err := dataset.OpenSource(ctx, repo, refText, dataset.DefaultCSVOptions())
			if err != nil {
				return 0, err
			}
			defer ref.Close()
			cur, err := dataset.OpenSource(ctx, repo, st.Ref, dataset.DefaultCSVOptions())
			if err != nil {
				return 0, err
			}
			defer cur.Close()
			rep, err := drift.Compare(ctx, ref, cur, copts)
			if err != nil {
				return 0, err
			}
			os.MkdirAll(reports, 0o755)
			page := filepath.Join(reports, fmt.Sprintf("drift-%s-v%d.html", st.Dataset, st.Version))
			if err := report.WriteFile(page, drift.Page(rep)); err != nil {
				return 0, err
			}
			rec.Outputs["report"] = page
			st.Drifted = rep.Drifted
			rec.Detail = fmt.Sprintf("%d of %d columns drifted against %s", rep.DriftedCount, rep.ColumnCount, rep.Reference)
			if rep.Drifted {
				r.Send(ctx, pipeline.Event{Name: "drift_detected", Text: fmt.Sprintf(":warning: drift in %s: %s", st.Ref, rec.Detail)})
				if d.Stop {
					return 0, fmt.Errorf("dataset drift: %s", rec.Detail)
				}
			} else if spec.Trigger.Policy == "on_drift" {
				rec.Detail += "; no dataset drift, nothing to retrain"
				return pipeline.Skip, nil
			}
			return pipeline.Continue, nil
		},
		"features": func(ctx context.Context, st *pipeline.State, rec *pipeline.Step) (pipeline.Outcome, error) {
			reg, m, err := defs.Load(ctx, repo, spec.Features.Definitions)
			if err != nil {
				return 0, err
			}
			ents, err := dataset.OpenSource(ctx, repo, st.Ref, dataset.DefaultCSVOptions())
			if err != nil {
				return 0, err
			}
			defer ents.Close()
			out := filepath.Join(os.TempDir(), fmt.Sprintf("assay-training-%s-v%d.parquet", st.Dataset, st.Version))
			defer os.Remove(out)
			lin, err := featurestore.TrainingSet(ctx, ents, openerFor(repo), featurestore.TrainingOptions{Registry: reg, RegistryVersion: m.Version,
				Features: spec.Features.Features, EventTime: cmp.Or(spec.Features.EventTime, featurestore.DefaultEventTime), Output: out})
			if err != nil {
				return 0, err
			}
			nm, err := repo.Commit(ctx, dataset.CommitOptions{Name: st.Dataset + "-training", Paths: []string{out}, Message: "training set of " + st.Ref})
			if err != nil {
				return 0, err
			}
			st.TrainingData = nm.Label()
			rec.Outputs["training_set"] = nm.Label()
			rec.Detail = fmt.Sprintf("%d rows with %d features (definitions v%d)", lin.Rows, len(lin.Features), lin.Registry)
			return pipeline.Continue, nil
		},
		"train": func(ctx context.Context, st *pipeline.State, rec *pipeline.Step) (pipeline.Outcome, error) {
			t := spec.Train
			data := dataOptions{Target: t.Target, Features: t.Features, Exclude: t.Exclude, Categorical: t.Categorical, GroupBy: t.GroupBy}
			var params []string
			for k, v := range t.Params {
				params = append(params, fmt.Sprintf("%s=%v", k, v))
			}
			var id string
			var err error
			if spec.Tune != nil {
				id, err = runTune(ctx, quiet, g, &tuneOptions{dataOptions: data, Space: spec.Path(spec.Tune.Space), Sampler: spec.Tune.Sampler,
					Trials: spec.Tune.Trials, Parallel: spec.Tune.Parallel, Folds: spec.Tune.CV, TestFraction: t.TestFraction, Seed: t.Seed,
					Prune: spec.Tune.Prune, Command: t.Command, Author: who, Format: "text"}, st.TrainingData)
			} else {
				id, err = runTrain(ctx, quiet, g, &trainOptions{dataOptions: data, Trainer: t.Trainer, Params: params, Command: t.Command,
					TestFraction: t.TestFraction, Folds: t.CV, Seed: t.Seed, Author: who, Format: "text"}, st.TrainingData)
			}
			if err != nil {
				return 0, err
			}
			st.Run = id
			rec.Outputs["run"] = id
			rec.Detail = "run " + id
			return pipeline.Continue, nil
		},
		"register": func(ctx context.Context, st *pipeline.State, rec *pipeline.Step) (pipeline.Outcome, error) {
			m := spec.Model
			desc := cmp.Or(m.Description, "trained by the pipeline on "+st.Ref)
			label, err := runModelsRegister(ctx, quiet, g, st.Run, m.Name, desc, who)
			if err != nil {
				return 0, err
			}
			st.ModelVersion = label
			if err := runModelsAlias(ctx, quiet, g, label, m.Challenger, "", who, false); err != nil {
				return 0, err
			}
			rec.Outputs["model"] = label
			rec.Detail = label + " is " + m.Challenger
			r.Send(ctx, pipeline.Event{Name: "model_registered", Text: fmt.Sprintf(":package: %s registered from %s (run %s)", label, st.Ref, st.Run)})
			return pipeline.Continue, nil
		},
		"gates": func(ctx context.Context, st *pipeline.State, rec *pipeline.Step) (pipeline.Outcome, error) {
			rec.Detail = "checked when the alias moves (promote)"
			return pipeline.Continue, nil
		},
		"promote": func(ctx context.Context, st *pipeline.State, rec *pipeline.Step) (pipeline.Outcome, error) {
			m := spec.Model
			gatesPath := ""
			if m.Gates != "" {
				gatesPath = spec.Path(m.Gates)
			}
			var out strings.Builder
			err := runModelsAlias(ctx, &streams{Out: &out, Err: io.Err}, g, st.ModelVersion, m.Alias, gatesPath, who, false)
			var f *failure
			if errors.As(err, &f) {
				rec.Status = "refused"
				var failed []string
				for _, line := range strings.Split(out.String(), "\n") {
					if l := strings.TrimSpace(line); strings.HasPrefix(l, "failed ") {
						failed = append(failed, strings.TrimPrefix(l, "failed "))
					}
				}
				rec.Detail = "gates failed: " + strings.Join(failed, "; ")
				r.Send(ctx, pipeline.Event{Name: "promotion_refused", Text: fmt.Sprintf(":no_entry: %s stays %s: %s", st.ModelVersion, "challenger", rec.Detail)})
				if spec.Has("predict") {
					return pipeline.Continue, nil // the old champion still predicts
				}
				return pipeline.Stop, nil
			}
			if err != nil {
				return 0, err
			}
			st.Promoted = true
			rec.Detail = fmt.Sprintf("%s@%s → %s", m.Name, m.Alias, st.ModelVersion)
			r.Send(ctx, pipeline.Event{Name: "promotion_accepted", Text: ":trophy: " + rec.Detail})
			return pipeline.Continue, nil
		},
		"predict": func(ctx context.Context, st *pipeline.State, rec *pipeline.Step) (pipeline.Outcome, error) {
			p := spec.Predict
			out := filepath.Join(os.TempDir(), fmt.Sprintf("assay-predictions-%s-v%d.parquet", st.Dataset, st.Version))
			defer os.Remove(out)
			model := spec.Model.Name + "@" + spec.Model.Alias
			if err := runPredict(ctx, quiet, g, &predictOptions{Output: out, Columns: p.Columns, Commit: p.Output, Format: "text"}, model, st.Ref); err != nil {
				return 0, err
			}
			rec.Detail = fmt.Sprintf("%s predicted %s", model, st.Ref)
			if p.Output != "" {
				rec.Detail += ", committed to " + p.Output
			}
			return pipeline.Continue, nil
		},
		"report": func(ctx context.Context, st *pipeline.State, rec *pipeline.Step) (pipeline.Outcome, error) {
			if err := runReport(ctx, quiet, &reportOptions{globalOptions: g, Out: reports}); err != nil {
				return 0, err
			}
			rec.Outputs["index"] = filepath.Join(reports, "index.html")
			rec.Detail = "dashboard " + rec.Outputs["index"]
			return pipeline.Continue, nil
		},
	}
	return r
}
