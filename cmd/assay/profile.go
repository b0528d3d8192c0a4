package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/profile"
	"github.com/assayhq/assay/report"
)

type profileOptions struct {
	*globalOptions
	Columns    []string
	Format     string
	HTML       string
	Workers    int
	Schema     []string
	SampleRows int
}

func newProfileCmd(io *streams, g *globalOptions) *cobra.Command {
	opts := &profileOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "profile REF|PATH",
		Short: "Profile columns: counts, nulls, distinct, min, max, mean, std, quantiles, histogram, top values, lengths",
		Long: `Profile the columns of a dataset version or of Parquet/CSV files.

A dataset version answers from the profile stored when it was committed;
files are scanned, row groups in parallel. Distinct counts and top values
are exact below 65,536 distinct values (HyperLogLog and Misra-Gries above);
quantiles and histograms are exact for columns with fewer distinct values
than that, and from a KLL sketch (rank error about 1%) otherwise.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runProfile(cmd.Context(), io, opts, args[0])
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&opts.Columns, "columns", nil, "columns to profile (default: all)")
	f.StringVar(&opts.Format, "format", "text", "output format: text or json")
	f.StringVar(&opts.HTML, "html", "", "also write an HTML report to `FILE`")
	f.IntVar(&opts.Workers, "workers", 0, "scan workers (default: one per core)")
	f.StringArrayVar(&opts.Schema, "schema", nil, "CSV column types `col=type[,col=type]`")
	f.IntVar(&opts.SampleRows, "sample-rows", dataset.DefaultCSVOptions().SampleRows, "CSV rows to infer types from (0: all)")
	return cmd
}

func runProfile(ctx context.Context, io *streams, opts *profileOptions, refText string) error {
	if err := checkFormat(opts.Format, "text", "json"); err != nil {
		return err
	}
	csv, err := csvOptions(opts.Schema, opts.SampleRows)
	if err != nil {
		return err
	}
	repo, err := opts.maybeRepo(ctx)
	if err != nil {
		return err
	}
	src, err := dataset.OpenSource(ctx, repo, refText, csv)
	if err != nil {
		return err
	}
	defer src.Close()
	start := time.Now()
	p, err := src.Profile(ctx, opts.Columns, opts.Workers)
	if err != nil {
		return err
	}
	sum := p.Summary()
	if opts.HTML != "" {
		how := "scanned in " + time.Since(start).Round(time.Millisecond).String()
		if src.Manifest != nil {
			how = "computed at commit, " + src.Manifest.Time.UTC().Format(time.RFC3339)
		}
		page := profile.Page(src.Label, sum, how)
		if err := report.WriteFile(opts.HTML, page); err != nil {
			return err // names the file
		}
	}
	if opts.Format == "json" {
		return profile.WriteJSON(io.Out, src.Label, sum)
	}
	fmt.Fprintf(io.Out, "%s: %s rows, %d columns\n", src.Label, report.FormatInt(sum.Rows), len(sum.Columns))
	if err := profile.WriteText(io.Out, sum); err != nil {
		return err
	}
	if opts.HTML != "" {
		fmt.Fprintf(io.Out, "report: %s\n", opts.HTML)
	}
	return nil
}
