package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/report"
	"github.com/assayhq/assay/training"
	"github.com/assayhq/assay/training/track"
	"github.com/assayhq/assay/training/tune"
)

type tuneOptions struct {
	dataOptions
	Space        string
	Sampler      string
	Trials       int
	Parallel     int
	Folds        int
	TestFraction float64
	Seed         uint64
	Prune        bool
	Command      string
	Author       string
	Format       string
	HTML         string
}

func newTuneCmd(io *streams, g *globalOptions) *cobra.Command {
	opts := &tuneOptions{}
	cmd := &cobra.Command{
		Use:   "tune REF|PATH --target COLUMN --space space.yaml [--sampler tpe|random|grid] [--trials N] [--cv K]",
		Short: "Tune a trainer's parameters with K-fold cross-validation per trial",
		Long: `Search a trainer's parameters: each trial trains with K-fold
cross-validation on the rows outside the holdout (--cv, default 5) and is
scored by the space's metric (cv.roc_auc, say). Samplers: grid, random and
TPE (Bayesian, as Optuna's). --prune stops a trial whose fold scores fall
below the median of earlier trials at the same fold. --parallel runs trials
at once; the seed fixes the study whatever the parallelism.

Every completed trial is recorded as a run (kind trial); the study is
recorded as a run (kind study) holding the best trial's model, metrics and
the whole trial table: register it with assay models register.

The space file:
  trainer: gbdt
  metric: cv.roc_auc
  direction: maximize
  space:
    learning_rate: {type: log_float, low: 0.01, high: 0.3}
    max_leaf_nodes: {type: int, low: 8, high: 64}
    l2_regularization: {type: float, low: 0, high: 1}
    max_depth: {type: categorical, choices: [3, 6, 0]}`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			_, err := runTune(cmd.Context(), io, g, opts, args[0])
			return err
		},
	}
	f := cmd.Flags()
	opts.dataOptions.flags(f)
	f.StringVar(&opts.Space, "space", "", "the search space file")
	f.StringVar(&opts.Sampler, "sampler", "tpe", "tpe, random or grid")
	f.IntVar(&opts.Trials, "trials", 20, "the number of trials (grid: at most the grid)")
	f.IntVar(&opts.Parallel, "parallel", 1, "trials run at once")
	f.IntVar(&opts.Folds, "cv", 5, "cross-validation folds per trial")
	f.Float64Var(&opts.TestFraction, "test-fraction", 0.2, "the holdout's share of the rows (not used for tuning)")
	f.Uint64Var(&opts.Seed, "seed", 42, "the seed of the split, the sampler and the trainer")
	f.BoolVar(&opts.Prune, "prune", false, "stop trials below the median at a fold (median pruning)")
	f.StringVar(&opts.Command, "command", "", "the external trainer's command line")
	f.StringVar(&opts.Author, "author", "", "who tunes (default: $ASSAY_AUTHOR, else the user name)")
	f.StringVar(&opts.Format, "format", "text", "output format: text or json")
	f.StringVar(&opts.HTML, "html", "", "also write the study's HTML report (trials, best parameters, metric by trial) to `FILE`")
	cmd.MarkFlagRequired("target")
	cmd.MarkFlagRequired("space")
	return cmd
}

// runTune runs and records a study, prints it, and returns the study's
// run id.
func runTune(ctx context.Context, io *streams, g *globalOptions, opts *tuneOptions, ref string) (string, error) {
	if err := checkFormat(opts.Format, "text", "json"); err != nil {
		return "", err
	}
	space, err := tune.ParseFile(opts.Space)
	if err != nil {
		return "", fmt.Errorf("%w: %v", dataset.ErrInvalid, err)
	}
	trainer := space.Trainer
	if trainer == "" {
		trainer = "gbdt"
	}
	if _, err := training.ParseParams(trainer, nil); err != nil {
		return "", fmt.Errorf("%s: trainer: %w", opts.Space, err)
	}
	metric := space.Metric
	split, name, _ := strings.Cut(metric, ".")
	if metric == "" || split != "cv" || name == "" {
		return "", fmt.Errorf("%w: %s: metric %q: want cv.METRIC (the trials are scored by cross-validation), as cv.roc_auc", dataset.ErrInvalid, opts.Space, metric)
	}
	if opts.Folds < 2 {
		return "", fmt.Errorf("%w: --cv %d: tuning needs at least 2 folds", dataset.ErrInvalid, opts.Folds)
	}
	command, err := splitCommand(trainer, opts.Command)
	if err != nil {
		return "", err
	}
	repo, err := g.openRepo(ctx)
	if err != nil {
		return "", err
	}
	td, err := loadTrainingData(ctx, g, &opts.dataOptions, ref)
	if err != nil {
		return "", err
	}
	author := opts.Author
	if author == "" {
		author = defaultAuthor()
	}
	started := time.Now().UTC()
	study := track.NewRunID(started)
	var mu sync.Mutex
	results := map[int]*training.Result{}
	runs := map[int]*track.Run{}
	objective := func(ctx context.Context, t *tune.Trial) (float64, error) {
		params, err := training.Normalize(trainer, t.Params)
		if err != nil {
			return 0, err
		}
		res, err := training.Train(ctx, td.data, td.schema, training.Options{Trainer: trainer, Params: params, Command: command,
			TestFraction: opts.TestFraction, Folds: opts.Folds, Seed: opts.Seed, Groups: td.groups, FoldMetric: name,
			Fold: func(k int, v float64) bool { return t.Report(k, v) }})
		if errors.Is(err, training.ErrStopped) {
			return 0, tune.ErrPruned
		}
		if err != nil {
			return 0, err
		}
		run, err := training.Record(ctx, repo, res, training.RunInfo{Kind: "trial", Study: study, Trainer: trainer, Data: td.info, Schema: td.schema, Author: author})
		if err != nil {
			return 0, err
		}
		mu.Lock()
		results[t.Number], runs[t.Number] = res, run
		mu.Unlock()
		v, ok := res.Summary[metric]
		if !ok {
			return 0, fmt.Errorf("%w: the runs have no metric %s", dataset.ErrInvalid, metric)
		}
		return v, nil
	}
	tuneOpts := tune.Options{Space: space, Sampler: opts.Sampler, Trials: opts.Trials, Parallel: opts.Parallel, Seed: opts.Seed}
	if opts.Prune {
		tuneOpts.Pruner = tune.NewMedianPruner()
	}
	out, err := tune.Run(ctx, tuneOpts, objective)
	if err != nil {
		return "", fmt.Errorf("%w: %v", dataset.ErrInvalid, err)
	}
	if out.Best == nil {
		return "", fmt.Errorf("%w: no trial completed (the first error: %s)", dataset.ErrInvalid, firstTrialError(out))
	}
	best := results[out.Best.Number]
	studyJSON, err := json.Marshal(out)
	if err != nil {
		return "", err
	}
	model, err := best.Model.MarshalBinary()
	if err != nil {
		return "", err
	}
	sig, _ := json.Marshal(td.schema)
	evalJSON, _ := json.Marshal(best.Evaluation)
	params := map[string]any{}
	for k, v := range best.Params {
		params[k] = v
	}
	srun := &track.Run{ID: study, Kind: "study", Trainer: trainer, Params: params, Data: td.info, Metrics: evalJSON,
		Summary: best.Summary, Signature: sig, Started: started, Finished: time.Now().UTC(), Author: author}
	trialRuns := map[int]string{}
	for n, r := range runs {
		trialRuns[n] = r.ID
	}
	var page bytes.Buffer
	if err := report.Render(&page, *training.StudyPage(srun, out, trialRuns)); err != nil {
		return "", err
	}
	files := map[string][]byte{track.ModelFile: model, "study.json": studyJSON, training.ReportFile: page.Bytes()}
	if err := track.SaveRun(ctx, repo, srun, files); err != nil {
		return "", err
	}
	if opts.HTML != "" {
		if err := os.WriteFile(opts.HTML, page.Bytes(), 0o644); err != nil {
			return "", err
		}
	}
	if opts.Format == "json" {
		return study, writeJSON(io.Out, struct {
			Study  string          `json:"study"`
			Best   string          `json:"best_run"`
			Trials json.RawMessage `json:"result"`
		}{study, runs[out.Best.Number].ID, studyJSON})
	}
	writeStudy(io, out, runs, metric)
	fmt.Fprintf(io.Out, "study %s: best trial %d (run %s), %s %s\n", study, out.Best.Number, runs[out.Best.Number].ID, metric, formatMetric(out.Best.Value))
	fmt.Fprintf(io.Out, "register it with: assay models register %s --name NAME\n", study)
	return study, nil
}

func firstTrialError(r *tune.Result) string {
	for _, t := range r.Trials {
		if t.Error != "" {
			return t.Error
		}
	}
	return "none recorded"
}

// writeStudy prints the trial table.
func writeStudy(io *streams, r *tune.Result, runs map[int]*track.Run, metric string) {
	tw := tabwriter.NewWriter(io.Out, 0, 0, 2, ' ', 0)
	var names []string
	for _, p := range r.Space.Params {
		names = append(names, p.Name)
	}
	fmt.Fprintf(tw, "TRIAL\tSTATE\t%s\t%s\n", strings.ToUpper(metric), strings.Join(names, "\t"))
	for _, t := range r.Trials {
		cells := []string{fmt.Sprint(t.Number), string(t.State), formatMetric(t.Value)}
		for _, n := range names {
			cells = append(cells, fmt.Sprint(t.Params[n]))
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	tw.Flush()
}
