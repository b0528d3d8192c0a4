package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/assayhq/assay/checks"
	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/csvconv"
	"github.com/assayhq/assay/report"
)

type commitOptions struct {
	*globalOptions
	Message    string
	Append     bool
	Meta       []string
	Schema     []string
	SampleRows int
	Workers    int
	Check      string
	CheckOpts  checkOptions
}

func newCommitCmd(io *streams, g *globalOptions) *cobra.Command {
	opts := &commitOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "commit NAME FILE|DIR|GLOB... -m MSG",
		Short: "Commit Parquet or CSV files as the next version of a dataset",
		Long: `Commit Parquet or CSV files as the next version of dataset NAME.

CSV is converted to Parquet, with column types (int64, float64, bool,
timestamp, string) inferred from the first --sample-rows rows; empty or
blank cells are null. A later cell that does not fit its column's type is
an error naming file:line:column; --schema col=string keeps such a column
as text. Without --append the files replace the previous version's files;
with it they are added (the schema must match). Identical file content is
stored once.`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCommit(cmd.Context(), io, opts, args[0], args[1:])
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Message, "message", "m", "", "commit message (required)")
	f.BoolVar(&opts.Append, "append", false, "add the files to the previous version instead of replacing them")
	f.StringArrayVar(&opts.Meta, "meta", nil, "metadata `key=value` (repeatable)")
	f.StringArrayVar(&opts.Schema, "schema", nil, "CSV column types `col=type[,col=type]` (int64, float64, bool, timestamp, string)")
	f.IntVar(&opts.SampleRows, "sample-rows", csvconv.DefaultOptions().SampleRows, "CSV rows to infer types from (0: all)")
	f.IntVar(&opts.Workers, "workers", 0, "scan workers (default: one per core)")
	f.StringVar(&opts.Check, "check", "", "run the checks of `rules.yaml` on the new version first: if an error-level check fails, nothing is committed")
	f.StringVar(&opts.CheckOpts.Format, "check-format", "text", "output format of --check: text, json, junit or markdown")
	f.StringVar(&opts.CheckOpts.HTML, "check-html", "", "also write the --check report to `FILE`")
	return cmd
}

func parseMeta(pairs []string) (map[string]string, error) {
	if len(pairs) == 0 {
		return nil, nil
	}
	meta := map[string]string{}
	for _, p := range pairs {
		k, v, ok := strings.Cut(p, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("%w: --meta %q: want key=value", dataset.ErrInvalid, p)
		}
		meta[k] = v
	}
	return meta, nil
}

func csvOptions(schema []string, sampleRows int) (csvconv.Options, error) {
	o := csvconv.DefaultOptions()
	o.SampleRows = sampleRows
	if len(schema) > 0 {
		types, err := csvconv.ParseTypeHints(schema)
		if err != nil {
			return o, fmt.Errorf("%w: --schema: %w", dataset.ErrInvalid, err)
		}
		o.Types = types
	}
	return o, nil
}

func runCommit(ctx context.Context, io *streams, opts *commitOptions, name string, paths []string) error {
	meta, err := parseMeta(opts.Meta)
	if err != nil {
		return err
	}
	csv, err := csvOptions(opts.Schema, opts.SampleRows)
	if err != nil {
		return err
	}
	co := dataset.CommitOptions{
		Name: name, Paths: paths, Message: opts.Message, Append: opts.Append,
		Metadata: meta, CSV: csv, Workers: opts.Workers,
	}
	if err := co.Validate(); err != nil {
		return err
	}
	repo, err := opts.openRepo(ctx)
	if err != nil {
		return err
	}
	var gateRun *checks.Run
	if opts.Check != "" {
		if err := checkFormat(opts.CheckOpts.Format, "text", "json", "junit", "markdown"); err != nil {
			return err
		}
		rules, err := checks.ParseFile(opts.Check)
		if err != nil {
			return err
		}
		co.Gate = func(ctx context.Context, version *dataset.Source) error {
			copts := opts.CheckOpts
			copts.globalOptions, copts.Rules, copts.Samples = opts.globalOptions, opts.Check, checks.DefaultSamples
			run, err := checkSource(ctx, &copts, rules, repo, version, nil)
			if err != nil {
				return err
			}
			gateRun = run
			if err := reportCheck(io, &copts, run); err != nil {
				return fmt.Errorf("%w; nothing was committed", err)
			}
			return nil
		}
	}
	m, err := repo.Commit(ctx, co)
	if err != nil {
		return err
	}
	if gateRun != nil {
		// The checks ran on what is now this version: keep their results.
		gateRun.Source, gateRun.DataVer = m.Label(), m.Version
		if err := checks.SaveRun(ctx, repo, gateRun); err != nil {
			return err
		}
	}
	fmt.Fprintf(io.Out, "%s: %s rows, %d columns, %d files (%s)\n", m.Label(),
		report.FormatInt(m.Rows), len(m.Schema), len(m.Files), report.FormatBytes(m.Bytes))
	return nil
}
