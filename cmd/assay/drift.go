package main

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/drift"
	"github.com/assayhq/assay/report"
)

type driftOptions struct {
	*globalOptions
	Columns      []string
	Target       string
	Prediction   string
	Time         string
	Error        string
	Method       string
	Threshold    string
	Correction   string
	DatasetShare float64
	Multivariate string
	RefFrom      string
	Format       string
	HTML         string
	Workers      int
}

func newDriftCmd(io *streams, g *globalOptions) *cobra.Command {
	opts := &driftOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "drift REFERENCE CURRENT",
		Short: "Compare current data with a reference: per-column tests, dataset drift, concept drift",
		Long: `Compare CURRENT with REFERENCE (refs or paths), column by column.

With --method auto each column gets Evidently's default test: with at most
1,000 reference values, KS for numeric columns of more than 5 values and
chi-square (more than 2 values) or the z-test for others; with more,
the normed Wasserstein distance for numeric columns and Jensen-Shannon for
others. A change in the missing share is drift of its own. The dataset
has drifted when the share of drifted columns reaches --dataset-threshold.
--target and --prediction add concept drift: target and prediction drift,
P(target | feature) per bin, model performance, and error-stream detectors
(DDM, EDDM, ADWIN, Page-Hinkley) over the current rows in --time order;
--error runs the detectors over a column of per-row errors instead.

Exit codes: 0 no dataset drift, 1 dataset drift, 2 bad input.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDrift(cmd.Context(), io, opts, args[0], args[1])
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&opts.Columns, "columns", nil, "columns to compare (default: all both sides share)")
	f.StringVar(&opts.Target, "target", "", "the label column, for concept drift")
	f.StringVar(&opts.Prediction, "prediction", "", "the model's output column, for concept drift")
	f.StringVar(&opts.Error, "error", "", "a column of per-row model errors (0/1 or magnitudes) for the error-stream detectors")
	f.StringVar(&opts.Time, "time", "", "the column that orders rows for the error-stream detectors")
	f.StringVar(&opts.Method, "method", "auto", "auto, ks, chisquare, z, psi, jensenshannon, kl, wasserstein, hellinger, anderson, cvm, mannwhitney or tvd")
	f.StringVar(&opts.Threshold, "threshold", "", "the method's threshold (default: 0.05 for tests, 0.1 for distances)")
	f.StringVar(&opts.Correction, "correction", "none", "p-value correction: none, bonferroni or bh")
	f.Float64Var(&opts.DatasetShare, "dataset-threshold", 0.5, "share of drifted columns that is dataset drift")
	f.StringVar(&opts.Multivariate, "multivariate", "none", "whole-row drift: none, classifier or pca")
	f.StringVar(&opts.RefFrom, "reference-from", "auto", "reference side: data (read its rows), profile (the profile stored with the version) or auto (the profile for versions of more than 2,097,152 rows when no concept or multivariate drift is asked)")
	f.StringVar(&opts.Format, "format", "text", "output format: text, json or markdown")
	f.StringVar(&opts.HTML, "html", "", "also write an HTML report to `FILE`")
	f.IntVar(&opts.Workers, "workers", 0, "scan workers (default: one per core)")
	cmd.AddCommand(newDriftHistoryCmd(io, g))
	return cmd
}

// compareOptions turns the flags into drift options.
func (o *driftOptions) compareOptions() (drift.Options, error) {
	c := drift.Options{Columns: o.Columns, Target: o.Target, Prediction: o.Prediction, Error: o.Error, Time: o.Time,
		Method: o.Method, Correction: o.Correction, DatasetThreshold: o.DatasetShare, Multivariate: o.Multivariate, ReferenceFrom: o.RefFrom, Workers: o.Workers}
	if o.Threshold != "" {
		t, err := strconv.ParseFloat(o.Threshold, 64)
		if err != nil {
			return c, fmt.Errorf("%w: --threshold %q is not a number", dataset.ErrInvalid, o.Threshold)
		}
		c.Threshold = &t
	}
	return c, c.Validate()
}

func runDrift(ctx context.Context, io *streams, opts *driftOptions, refText, curText string) error {
	if err := checkFormat(opts.Format, drift.Formats...); err != nil {
		return err
	}
	copts, err := opts.compareOptions()
	if err != nil {
		return err
	}
	repo, err := opts.maybeRepo(ctx)
	if err != nil {
		return err
	}
	ref, err := dataset.OpenSource(ctx, repo, refText, dataset.DefaultCSVOptions())
	if err != nil {
		return err
	}
	defer ref.Close()
	cur, err := dataset.OpenSource(ctx, repo, curText, dataset.DefaultCSVOptions())
	if err != nil {
		return err
	}
	defer cur.Close()
	rep, err := drift.Compare(ctx, ref, cur, copts)
	if err != nil {
		return err
	}
	return reportDrift(io, opts.Format, opts.HTML, rep)
}

func reportDrift(io *streams, format, html string, rep *drift.Report) error {
	if err := drift.Write(io.Out, format, rep); err != nil {
		return err
	}
	if html != "" {
		if err := report.WriteFile(html, drift.Page(rep)); err != nil {
			return err
		}
		if format == "text" {
			fmt.Fprintf(io.Out, "report: %s\n", html)
		}
	}
	if rep.Drifted {
		return &failure{msg: fmt.Sprintf("dataset drift: %d of %d columns of %s drifted against %s", rep.DriftedCount, rep.ColumnCount, rep.Current, rep.Reference)}
	}
	return nil
}

type driftHistoryOptions struct {
	*globalOptions
	Format string
}

func newDriftHistoryCmd(io *streams, g *globalOptions) *cobra.Command {
	opts := &driftHistoryOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "history NAME",
		Short: "Show the stored drift results of a monitored dataset",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDriftHistory(cmd.Context(), io, opts, args[0])
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "text", "output format: text or json")
	return cmd
}

func runDriftHistory(ctx context.Context, io *streams, opts *driftHistoryOptions, name string) error {
	if err := checkFormat(opts.Format, "text", "json"); err != nil {
		return err
	}
	repo, err := opts.openRepo(ctx)
	if err != nil {
		return err
	}
	if _, err := repo.Head(ctx, name); err != nil {
		return err
	}
	runs, err := drift.History(ctx, repo, name)
	if err != nil {
		return err
	}
	if opts.Format == "json" {
		type line struct {
			Current      int       `json:"current_version"`
			Reference    int       `json:"reference_version"`
			Time         time.Time `json:"time"`
			Drifted      bool      `json:"dataset_drift"`
			DriftedShare float64   `json:"drifted_share"`
			Columns      []string  `json:"drifted_columns"`
		}
		lines := []line{}
		for _, s := range runs {
			l := line{s.Current, s.Reference, s.Report.Time, s.Report.Drifted, s.Report.DriftedShare, []string{}}
			for _, c := range s.Report.Columns {
				if c.Drifted {
					l.Columns = append(l.Columns, c.Column)
				}
			}
			lines = append(lines, l)
		}
		return writeJSON(io.Out, struct {
			Version int    `json:"version"`
			Dataset string `json:"dataset"`
			Runs    []line `json:"runs"`
		}{jsonVersion, name, lines})
	}
	if len(runs) == 0 {
		fmt.Fprintf(io.Out, "No drift results stored for %s yet: assay monitor %s --reference TAG --once\n", name, name)
		return nil
	}
	t := newTable(io.Out)
	t.row("CURRENT", "REFERENCE", "TIME", "DRIFTED", "SHARE", "RESULT")
	for _, s := range runs {
		res := "ok"
		if s.Report.Drifted {
			res = "DRIFT"
		}
		t.row(fmt.Sprintf("v%d", s.Current), fmt.Sprintf("v%d", s.Reference), s.Report.Time.UTC().Format(time.RFC3339),
			fmt.Sprintf("%d/%d", s.Report.DriftedCount, s.Report.ColumnCount), report.FormatPercent(s.Report.DriftedShare), res)
	}
	return t.flush()
}
