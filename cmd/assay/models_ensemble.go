package main

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/training"
	"github.com/assayhq/assay/training/frame"
	"github.com/assayhq/assay/training/gates"
	"github.com/assayhq/assay/training/track"
)

type ensembleOptions struct {
	Name        string
	Best        string
	Metric      string
	Description string
	Author      string
}

func newModelsEnsembleCmd(io *streams, g *globalOptions) *cobra.Command {
	opts := &ensembleOptions{}
	cmd := &cobra.Command{
		Use:   "ensemble [RUN...] --name NAME [--best DATA] [--metric test.roc_auc]",
		Short: "Register an averaging ensemble of runs (the best of each trainer, with --best)",
		Long: `Build a model that averages its members' predictions (class probabilities,
or values), evaluate it on the first member's holdout, record it as a run
and register it as the next version of --name.

The members are the runs given, or with --best DATA the best run of each
trainer on that data (by --metric, default test.roc_auc for
classification, test.r2 for regression). Members must share the input
signature and the data they were trained on.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runModelsEnsemble(cmd.Context(), io, g, opts, args)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Name, "name", "", "the model to register the ensemble as")
	f.StringVar(&opts.Best, "best", "", "take the best run of each trainer on this data source (as runs record it: churn@v3 or a path)")
	f.StringVar(&opts.Metric, "metric", "", "the metric --best ranks by")
	f.StringVar(&opts.Description, "description", "", "what the version is")
	f.StringVar(&opts.Author, "author", "", "who registers (default: $ASSAY_AUTHOR, else the user name)")
	cmd.MarkFlagRequired("name")
	return cmd
}

func runModelsEnsemble(ctx context.Context, io *streams, g *globalOptions, opts *ensembleOptions, ids []string) error {
	if (opts.Best == "") == (len(ids) == 0) {
		return fmt.Errorf("%w: give member runs or --best DATA, not both", dataset.ErrInvalid)
	}
	if err := track.ValidateName("model", opts.Name); err != nil {
		return err
	}
	repo, err := g.openRepo(ctx)
	if err != nil {
		return err
	}
	var runs []*track.Run
	if opts.Best != "" {
		if runs, err = bestPerTrainer(ctx, repo, opts.Best, opts.Metric); err != nil {
			return err
		}
	} else {
		for _, id := range ids {
			r, err := track.LoadRun(ctx, repo, id)
			if err != nil {
				return err
			}
			runs = append(runs, r)
		}
	}
	var members []training.Member
	var schema *frame.Schema
	for _, r := range runs {
		if r.Kind == "ensemble" {
			return fmt.Errorf("%w: run %s is an ensemble; members must be single models", dataset.ErrInvalid, r.ID)
		}
		if !bytes.Equal(r.Signature, runs[0].Signature) || r.Data.Source != runs[0].Data.Source {
			return fmt.Errorf("%w: run %s was trained on other data or features than %s", dataset.ErrInvalid, r.ID, runs[0].ID)
		}
		m, s, err := training.LoadModel(ctx, repo, r)
		if err != nil {
			return err
		}
		schema = s
		members = append(members, training.Member{Run: r.ID, Trainer: r.Trainer, Model: m})
	}
	ens, err := training.NewEnsemble(schema, members)
	if err != nil {
		return err
	}
	ev0, err := training.RunEvaluation(runs[0])
	if err != nil {
		return err
	}
	src, err := dataset.OpenSource(ctx, repo, runs[0].Data.Source, dataset.DefaultCSVOptions())
	if err != nil {
		return err
	}
	defer src.Close()
	started := time.Now().UTC()
	test, err := training.EvaluateRows(ctx, ens, schema, src, ev0.TestRows)
	if err != nil {
		return err
	}
	ev := &training.Evaluation{Test: test, TestRows: ev0.TestRows}
	var memberIDs []string
	for _, r := range runs {
		memberIDs = append(memberIDs, r.ID)
	}
	author := opts.Author
	if author == "" {
		author = defaultAuthor()
	}
	res := &training.Result{Model: ens, Params: training.Params{"members": strings.Join(memberIDs, ",")}, Evaluation: ev,
		Summary: training.Summarize(ev), Started: started, Finished: time.Now().UTC()}
	run, err := training.Record(ctx, repo, res, training.RunInfo{Kind: "ensemble", Trainer: "ensemble", Data: runs[0].Data, Schema: schema, Author: author})
	if err != nil {
		return err
	}
	v, err := track.Register(ctx, repo, opts.Name, run, opts.Description, author)
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Out, "%s: ensemble of %s (run %s), %s\n", v.Label(), strings.Join(memberIDs, ", "), run.ID, headline(run.Summary))
	return nil
}

// bestPerTrainer returns the best single-model run of each trainer on a
// data source, by metric.
func bestPerTrainer(ctx context.Context, repo *dataset.Repo, source, metric string) ([]*track.Run, error) {
	ids, err := track.RunIDs(ctx, repo)
	if err != nil {
		return nil, err
	}
	best := map[string]*track.Run{}
	for _, id := range ids {
		r, err := track.LoadRun(ctx, repo, id)
		if err != nil {
			return nil, err
		}
		if r.Data.Source != source || r.Kind == "ensemble" || r.Kind == "study" {
			continue
		}
		m := metric
		if m == "" {
			m = "test.roc_auc"
			if _, ok := r.Summary[m]; !ok {
				m = "test.r2"
			}
		}
		v, ok := r.Summary[m]
		if !ok || math.IsNaN(v) {
			continue
		}
		cur, seen := best[r.Trainer]
		better := !seen || v > cur.Summary[m]
		if gates.LowerIsBetter(m) {
			better = !seen || v < cur.Summary[m]
		}
		if better {
			best[r.Trainer] = r
		}
	}
	var out []*track.Run
	for _, r := range best {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b *track.Run) int { return strings.Compare(a.Trainer, b.Trainer) })
	if len(out) < 2 {
		return nil, fmt.Errorf("%w: runs of %d trainer(s) on %s; an ensemble needs the best of at least 2", dataset.ErrInvalid, len(out), source)
	}
	return out, nil
}
