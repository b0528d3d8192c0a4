package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/training"
	"github.com/assayhq/assay/training/track"
)

type predictOptions struct {
	Output  string
	Columns []string
	Commit  string
	Format  string
}

func newPredictCmd(io *streams, g *globalOptions) *cobra.Command {
	opts := &predictOptions{}
	cmd := &cobra.Command{
		Use:   "predict MODEL[@vN|@ALIAS] REF|PATH -o preds.parquet [--commit NAME]",
		Short: "Batch inference: a model's predictions for every row of a dataset",
		Long: `Predict every row of a dataset version or file with a registered model and
write the rows with the predictions after them: p_CLASS per class and the
predicted class (prediction) for a classifier, prediction for a regressor.

The data must match the model's signature: every feature column, of the
type the model was trained on (a missing or retyped column is an error
naming it; a category the model never saw counts as missing and is
reported). --commit also commits the output as a dataset version.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runPredict(cmd.Context(), io, g, opts, args[0], args[1])
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Output, "output", "o", "", "the Parquet file to write")
	f.StringVar(&opts.Commit, "commit", "", "also commit the predictions as a version of dataset `NAME`")
	f.StringSliceVar(&opts.Columns, "columns", nil, "the data's columns to write before the predictions (default: all)")
	f.StringVar(&opts.Format, "format", "text", "output format: text or json")
	cmd.MarkFlagRequired("output")
	return cmd
}

func runPredict(ctx context.Context, io *streams, g *globalOptions, opts *predictOptions, modelRef, dataRef string) error {
	if err := checkFormat(opts.Format, "text", "json"); err != nil {
		return err
	}
	repo, err := g.openRepo(ctx)
	if err != nil {
		return err
	}
	v, err := track.Resolve(ctx, repo, modelRef)
	if err != nil {
		return err
	}
	run, err := track.LoadRun(ctx, repo, v.Run)
	if err != nil {
		return err
	}
	m, s, err := training.LoadModel(ctx, repo, run)
	if err != nil {
		return err
	}
	src, err := dataset.OpenSource(ctx, repo, dataRef, dataset.DefaultCSVOptions())
	if err != nil {
		return err
	}
	defer src.Close()
	start := time.Now()
	meta, _ := json.Marshal(map[string]string{"model": v.Label(), "run": run.ID, "data": src.Label})
	p, err := training.PredictSource(ctx, m, s, src, training.PredictOptions{Output: opts.Output, Columns: opts.Columns,
		Metadata: map[string]string{"assay.predictions": string(meta)}})
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	committed := ""
	if opts.Commit != "" {
		nm, err := repo.Commit(ctx, dataset.CommitOptions{Name: opts.Commit, Paths: []string{opts.Output},
			Message: fmt.Sprintf("predictions of %s on %s", v.Label(), src.Label), Metadata: map[string]string{"predictions.model": v.Label(), "predictions.run": run.ID, "predictions.data": src.Label}})
		if err != nil {
			return err
		}
		committed = nm.Label()
	}
	if opts.Format == "json" {
		return writeJSON(io.Out, struct {
			*training.Predictions
			Model     string  `json:"model"`
			Output    string  `json:"output"`
			Seconds   float64 `json:"seconds"`
			Committed string  `json:"committed,omitempty"`
		}{p, v.Label(), opts.Output, elapsed.Seconds(), committed})
	}
	fmt.Fprintf(io.Out, "%s: %d rows of %s predicted by %s in %.2fs\n", opts.Output, p.Rows, src.Label, v.Label(), elapsed.Seconds())
	for col, n := range p.Unseen {
		fmt.Fprintf(io.Err, "warning: %d values of %s were not seen in training and count as missing\n", n, col)
	}
	if committed != "" {
		fmt.Fprintf(io.Out, "committed as %s\n", committed)
	}
	return nil
}
