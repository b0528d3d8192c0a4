package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/assayhq/assay/checks"
	"github.com/assayhq/assay/dataset"
	coltable "github.com/assayhq/assay/dataset/table"
	"github.com/assayhq/assay/featurestore"
	"github.com/assayhq/assay/training"
	"github.com/assayhq/assay/training/frame"
	"github.com/assayhq/assay/training/metrics"
	"github.com/assayhq/assay/training/track"
)

// dataOptions are the flags that choose a model's data.
type dataOptions struct {
	Target      string
	Features    []string
	Exclude     []string
	Categorical []string
	Task        string
	GroupBy     []string
	Workers     int
}

func (o *dataOptions) flags(f *pflag.FlagSet) {
	f.StringVar(&o.Target, "target", "", "the column to predict")
	f.StringSliceVar(&o.Features, "features", nil, "feature columns (default: every column but the target, --exclude and dates/timestamps)")
	f.StringSliceVar(&o.Exclude, "exclude", nil, "columns that are not features (ids, say)")
	f.StringSliceVar(&o.Categorical, "categorical", nil, "numeric columns to treat as categories")
	f.StringVar(&o.Task, "task", "", "classification or regression (default: floats regress, anything else classifies)")
	f.StringSliceVar(&o.GroupBy, "group-by", nil, "columns to report every metric per level of (demographic accuracy)")
	f.IntVar(&o.Workers, "workers", 0, "workers (default: one per core)")
}

type trainOptions struct {
	dataOptions
	Trainer       string
	Params        []string
	Command       string
	TestFraction  float64
	ValidFraction float64
	Folds         int
	Seed          uint64
	Author        string
	Format        string
	HTML          string
}

func newTrainCmd(io *streams, g *globalOptions) *cobra.Command {
	opts := &trainOptions{}
	cmd := &cobra.Command{
		Use:   "train REF|PATH --target COLUMN [--trainer gbdt|logistic|linear|external] [--param NAME=VALUE]...",
		Short: "Train a model, evaluate it on a seeded holdout (and K-fold CV), and record the run",
		Long: `Train a model on a dataset version, a feature-store training set or a file.

A seeded, stratified holdout (--test-fraction, default 0.2) is kept out of
training; --cv K also cross-validates on the rest (stratified K-fold). The
run records the parameters, the data version and its check results, the
feature-store lineage of a training set, the metrics (train, cv, test and
per --group-by level), the model's input signature and the model, under
runs/train/ID in the repository. Register it with assay models register.

Trainers and their parameters (scikit-learn's names and defaults):
  gbdt      histogram gradient boosting: learning_rate 0.1, max_iter 100, max_leaf_nodes 31,
            max_depth 0 (none), min_samples_leaf 20, l2_regularization 0, max_bins 255,
            early_stopping auto, validation_fraction 0.1, n_iter_no_change 10, tol 1e-7
  logistic  L2 logistic regression (lbfgs): C 1, max_iter 100, tol 1e-4, standardize true
  linear    least squares (ridge with alpha > 0): alpha 0, standardize false
  external  --command 'PROGRAM ARGS': any parameters; the contract is in
            training/external (examples/external/sklearn_logistic.py)`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			_, err := runTrain(cmd.Context(), io, g, opts, args[0])
			return err
		},
	}
	f := cmd.Flags()
	opts.dataOptions.flags(f)
	f.StringVar(&opts.Trainer, "trainer", "gbdt", "gbdt, logistic, linear or external")
	f.StringArrayVar(&opts.Params, "param", nil, "a trainer parameter `NAME=VALUE` (repeatable)")
	f.StringVar(&opts.Command, "command", "", "the external trainer's command line")
	f.Float64Var(&opts.TestFraction, "test-fraction", 0.2, "the holdout's share of the rows")
	f.Float64Var(&opts.ValidFraction, "valid-fraction", 0, "also keep this share of the rows out of training as a validation part (valid.* metrics)")
	f.IntVar(&opts.Folds, "cv", 0, "also cross-validate with `K` folds on the training rows")
	f.Uint64Var(&opts.Seed, "seed", 42, "the seed of the split and the trainer")
	f.StringVar(&opts.Author, "author", "", "who trains (default: $ASSAY_AUTHOR, else the user name)")
	f.StringVar(&opts.Format, "format", "text", "output format: text or json")
	f.StringVar(&opts.HTML, "html", "", "also write the run's HTML report (metrics, ROC curve, confusion matrix, groups) to `FILE`")
	cmd.MarkFlagRequired("target")
	return cmd
}

// trainingData is a model's data with its provenance and groups.
type trainingData struct {
	data   *frame.Data
	schema *frame.Schema
	info   track.Data
	groups []metrics.Group
}

// loadTrainingData loads a source for training and finds its provenance:
// the dataset version, its newest check run, and a training set's lineage.
func loadTrainingData(ctx context.Context, g *globalOptions, o *dataOptions, ref string) (*trainingData, error) {
	repo, err := g.maybeRepo(ctx)
	if err != nil {
		return nil, err
	}
	src, err := dataset.OpenSource(ctx, repo, ref, dataset.DefaultCSVOptions())
	if err != nil {
		return nil, err
	}
	defer src.Close()
	d, s, err := frame.Load(ctx, src, frame.LoadOptions{Target: o.Target, Features: o.Features, Exclude: o.Exclude,
		Categorical: o.Categorical, Task: o.Task, Workers: o.Workers})
	if err != nil {
		return nil, err
	}
	td := &trainingData{data: d, schema: s, info: track.Data{Source: src.Label, Rows: d.X.Rows, Target: o.Target}}
	// A feature-store training set records its lineage in its footer
	// (and, committed, in the version's metadata).
	if lin, err := src.Metadata(ctx, featurestore.LineageKey); err == nil && lin != "" && json.Valid([]byte(lin)) {
		td.info.Lineage = json.RawMessage(lin)
	}
	if m := src.Manifest; m != nil {
		td.info.Dataset, td.info.Version = m.Dataset, m.Version
		if lin := m.Metadata["features.lineage"]; lin != "" && json.Valid([]byte(lin)) {
			td.info.Lineage = json.RawMessage(lin)
		}
		if td.info.Checks, err = latestChecks(ctx, repo, m); err != nil {
			return nil, err
		}
	}
	if len(o.GroupBy) > 0 {
		if td.groups, err = loadGroups(ctx, src, o.GroupBy, d.Rows, o.Workers); err != nil {
			return nil, err
		}
	}
	return td, nil
}

// latestChecks returns the newest stored check run of a dataset version.
func latestChecks(ctx context.Context, repo *dataset.Repo, m *dataset.Manifest) (*track.Checks, error) {
	runs, err := checks.Runs(ctx, repo, m.Dataset)
	if err != nil {
		return nil, err
	}
	for i := len(runs) - 1; i >= 0; i-- {
		r := runs[i].Run
		if r.DataVer != m.Version {
			continue
		}
		c := &track.Checks{Rules: r.Rules, Success: r.Success, Time: r.Time}
		for _, res := range r.Results {
			if !res.Success && res.Severity == checks.SeverityError {
				c.Failed = append(c.Failed, res.Name)
			}
		}
		return c, nil
	}
	return nil, nil
}

// loadGroups reads group columns as level codes of the training rows.
func loadGroups(ctx context.Context, src *dataset.Source, names []string, rows []int, workers int) ([]metrics.Group, error) {
	tab, err := coltable.Load(ctx, src, names, workers)
	if err != nil {
		return nil, err
	}
	var out []metrics.Group
	for _, c := range tab.Cols {
		gr := metrics.Group{Column: c.Name, Codes: make([]int32, len(rows))}
		index := map[string]int32{}
		for i, r := range rows {
			if !c.Valid[r] {
				gr.Codes[i] = frame.Missing
				continue
			}
			v := c.Text(r)
			code, ok := index[v]
			if !ok {
				code = int32(len(gr.Levels))
				index[v] = code
				gr.Levels = append(gr.Levels, v)
			}
			gr.Codes[i] = code
		}
		out = append(out, gr)
	}
	return out, nil
}

// runTrain trains, records and prints a run, and returns its id.
func runTrain(ctx context.Context, io *streams, g *globalOptions, opts *trainOptions, ref string) (string, error) {
	if err := checkFormat(opts.Format, "text", "json"); err != nil {
		return "", err
	}
	params, err := training.ParseParams(opts.Trainer, opts.Params)
	if err != nil {
		return "", err
	}
	command, err := splitCommand(opts.Trainer, opts.Command)
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
	res, err := training.Train(ctx, td.data, td.schema, training.Options{Trainer: opts.Trainer, Params: params, Command: command,
		TestFraction: opts.TestFraction, ValidFraction: opts.ValidFraction, Folds: opts.Folds, Seed: opts.Seed, Groups: td.groups})
	if err != nil {
		return "", err
	}
	author := opts.Author
	if author == "" {
		author = defaultAuthor()
	}
	run, err := training.Record(ctx, repo, res, training.RunInfo{Trainer: opts.Trainer, Data: td.info, Schema: td.schema, Author: author})
	if err != nil {
		return "", err
	}
	if opts.HTML != "" {
		page, err := track.ReadFile(ctx, repo, run.ID, training.ReportFile)
		if err != nil {
			return "", err
		}
		if err := os.WriteFile(opts.HTML, page, 0o644); err != nil {
			return "", err
		}
	}
	if opts.Format == "json" {
		return run.ID, writeJSON(io.Out, run)
	}
	writeRun(io, run, td.schema)
	return run.ID, nil
}

// splitCommand reads the external trainer's command line.
func splitCommand(trainer, command string) ([]string, error) {
	fields := strings.Fields(command)
	switch {
	case trainer == "external" && len(fields) == 0:
		return nil, fmt.Errorf("%w: the external trainer needs --command 'PROGRAM ARGS'", dataset.ErrInvalid)
	case trainer != "external" && len(fields) > 0:
		return nil, fmt.Errorf("%w: --command is for the external trainer (--trainer external)", dataset.ErrInvalid)
	}
	return fields, nil
}

// writeRun prints a run's headline metrics.
func writeRun(io *streams, run *track.Run, s *frame.Schema) {
	fmt.Fprintf(io.Out, "run %s: %s on %s (%d rows, target %s, %s)\n", run.ID, run.Trainer, run.Data.Source, run.Data.Rows, run.Data.Target, s.Target.Task)
	if c := run.Data.Checks; c != nil {
		verdict := "passed"
		if !c.Success {
			verdict = "failed: " + strings.Join(c.Failed, "; ")
		}
		fmt.Fprintf(io.Out, "  data checks (%s): %s\n", c.Rules, verdict)
	}
	tw := tabwriter.NewWriter(io.Out, 0, 0, 2, ' ', 0)
	names := []string{"accuracy", "f1", "roc_auc", "pr_auc", "log_loss"}
	if s.Target.Task == frame.Regression {
		names = []string{"rmse", "mae", "r2"}
	}
	fmt.Fprintf(tw, "  split\t%s\n", strings.Join(names, "\t"))
	for _, split := range []string{"train", "cv", "valid", "test"} {
		if _, ok := run.Summary[split+"."+names[0]]; !ok {
			continue
		}
		cells := []string{}
		for _, n := range names {
			cells = append(cells, formatMetric(run.Summary[split+"."+n]))
		}
		fmt.Fprintf(tw, "  %s\t%s\n", split, strings.Join(cells, "\t"))
	}
	tw.Flush()
	var groups []string
	for _, k := range training.SummaryNames(run.Summary) {
		if strings.HasPrefix(k, "test.by.") && strings.HasSuffix(k, "."+names[0]) {
			groups = append(groups, fmt.Sprintf("%s %s", strings.TrimSuffix(strings.TrimPrefix(k, "test.by."), "."+names[0]), formatMetric(run.Summary[k])))
		}
	}
	if len(groups) > 0 {
		fmt.Fprintf(io.Out, "  test %s by group: %s\n", names[0], strings.Join(groups, ", "))
	}
}

func formatMetric(v float64) string {
	if math.IsNaN(v) {
		return "-"
	}
	return fmt.Sprintf("%.4f", v)
}
