package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/assayhq/assay/checks"
	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/featurestore"
	"github.com/assayhq/assay/featurestore/defs"
)

type featuresMaterializeOptions struct {
	Start, End  string
	Incremental bool
	Views       []string
	Checks      []string
	Warn        bool
	Registry    int
	Author      string
	Format      string
	Workers     int
}

func newFeaturesMaterializeCmd(io *streams, g *globalOptions, incremental bool) *cobra.Command {
	opts := &featuresMaterializeOptions{Incremental: incremental}
	cmd := &cobra.Command{
		Use:   "materialize --start TIME --end TIME",
		Short: "Write the latest feature values per entity in a time window into the online store",
		Long: `Write each feature view's latest row per entity whose event time lies in
[--start, --end] (both inclusive; ties go to the latest created time) into
the online store. The store keeps the latest record per entity and view,
so materializing a window again, or an older one, never moves a value back
in time.

The online store is the definitions' online_store: by default a bolt file
inside the repository (featurestore/online.bolt), or Redis.

--checks FILE runs a rule file (see docs/checks.md) on each view's batch
before it is published: its columns are the join keys, event_timestamp,
created_timestamp (when the source has one) and the features. A rule file
whose dataset: names a view applies to that view only. A batch that fails
an error-level check is not published (exit code 1); --warn publishes it
anyway. Every run is recorded in the repository.

Times are RFC 3339 (2026-11-01T00:00:00Z), dates (2026-11-01, midnight
UTC) or "now".`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runFeaturesMaterialize(cmd.Context(), io, g, opts)
		},
	}
	f := cmd.Flags()
	if incremental {
		cmd.Use = "materialize-incremental --end TIME"
		cmd.Short = "Materialize each view from where its last run ended up to --end"
		cmd.Long = `Materialize each feature view from just after the end of its last
published run into the same online store up to --end (inclusive). A view
never materialized starts at --end minus its TTL, or at the beginning
when it has none, as in Feast. See ` + "`assay features materialize --help`" + `.`
	} else {
		f.StringVar(&opts.Start, "start", "", "the window's start `TIME` (inclusive)")
		cmd.MarkFlagRequired("start")
	}
	f.StringVar(&opts.End, "end", "", "the window's end `TIME` (inclusive), or now")
	f.StringSliceVar(&opts.Views, "views", nil, "the feature views to materialize (default: all)")
	f.StringArrayVar(&opts.Checks, "checks", nil, "a rule `FILE` run on each batch before it is published (repeatable)")
	f.BoolVar(&opts.Warn, "warn", false, "publish batches that fail their checks, with a warning")
	f.IntVar(&opts.Registry, "registry-version", 0, "the definitions' version (default: the newest)")
	f.StringVar(&opts.Author, "author", "", "the author recorded with each run (default: $ASSAY_AUTHOR, else the user name)")
	f.StringVar(&opts.Format, "format", "text", "output format: text or json")
	f.IntVar(&opts.Workers, "workers", 0, "workers (default: one per core)")
	cmd.MarkFlagRequired("end")
	return cmd
}

// parseWhen parses a command-line time: RFC 3339, a date, or "now".
func parseWhen(flag, s string, now time.Time) (time.Time, error) {
	if s == "now" {
		return now.UTC(), nil
	}
	t, err := dataset.ParseTime(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: --%s: %v", dataset.ErrInvalid, flag, err)
	}
	return t, nil
}

func runFeaturesMaterialize(ctx context.Context, io *streams, g *globalOptions, opts *featuresMaterializeOptions) error {
	if err := checkFormat(opts.Format, "text", "json"); err != nil {
		return err
	}
	now := time.Now()
	w := featurestore.Window{Start: math.MinInt64}
	end, err := parseWhen("end", opts.End, now)
	if err != nil {
		return err
	}
	w.End = end.UnixMicro()
	if !opts.Incremental {
		start, err := parseWhen("start", opts.Start, now)
		if err != nil {
			return err
		}
		if start.After(end) {
			return fmt.Errorf("%w: --start %s is after --end %s", dataset.ErrInvalid, opts.Start, opts.End)
		}
		w.Start = start.UnixMicro()
	}
	// Rule files are read before anything else, so that a bad one stops
	// the command with the store untouched.
	var rules []*checks.File
	for _, path := range opts.Checks {
		f, err := checks.ParseFile(path)
		if err != nil {
			return err
		}
		rules = append(rules, f)
	}
	repo, err := g.openRepo(ctx)
	if err != nil {
		return err
	}
	reg, m, err := defs.Load(ctx, repo, opts.Registry)
	if err != nil {
		return err
	}
	for i, f := range rules {
		if f.Dataset != "" && reg.View(f.Dataset) == nil {
			return fmt.Errorf("%w: %s: dataset: %s is not a feature view of definitions v%d", dataset.ErrInvalid, opts.Checks[i], f.Dataset, m.Version)
		}
	}
	store, storeID, err := featurestore.OpenOnline(ctx, repo, reg.Online, featurestore.OnlineOptions{Wait: 5 * time.Second})
	if err != nil {
		return err
	}
	defer store.Close()
	author := opts.Author
	if author == "" {
		author = defaultAuthor()
	}
	mopts := featurestore.MaterializeOptions{
		Registry: reg, RegistryVersion: m.Version, Views: opts.Views, Window: w, Incremental: opts.Incremental,
		Store: store, StoreID: storeID, Warn: opts.Warn, Repo: repo, Author: author, Workers: opts.Workers,
	}
	if len(rules) > 0 {
		mopts.Validate = batchValidator(repo, rules, opts.Checks, opts.Workers)
	}
	if io.Terminal {
		mopts.Progress = func(view string) { fmt.Fprintf(io.Err, "materializing %s...\n", view) }
	}
	runs, err := featurestore.Materialize(ctx, openerFor(repo), mopts)
	if err != nil && !errors.Is(err, featurestore.ErrRejected) {
		return err
	}
	if opts.Format == "json" {
		if werr := writeJSON(io.Out, struct {
			Store string              `json:"store"`
			Runs  []*featurestore.Run `json:"runs"`
		}{storeID, runs}); werr != nil {
			return werr
		}
	} else {
		writeRuns(io, storeID, runs)
	}
	if err != nil {
		return &failure{msg: err.Error()}
	}
	return nil
}

func writeRuns(io *streams, storeID string, runs []*featurestore.Run) {
	fmt.Fprintf(io.Out, "online store %s\n", storeID)
	for _, r := range runs {
		from := "the beginning"
		if r.Start != nil {
			from = r.Start.Format(time.RFC3339Nano)
		}
		window := fmt.Sprintf("%s to %s", from, r.End.Format(time.RFC3339Nano))
		if r.Skipped != "" {
			fmt.Fprintf(io.Out, "  %s: nothing to do, %s\n", r.View, r.Skipped)
			continue
		}
		verb := "wrote"
		if !r.Published {
			verb = "did not publish"
		}
		fmt.Fprintf(io.Out, "  %s: %s %d entities (%d rows in window %s, of %d read from %s) in %.2fs\n",
			r.View, verb, r.Entities, r.InWindow, window, r.Scanned, r.Source, r.Seconds)
		if v := r.Validation; v != nil {
			switch {
			case v.Passed && len(v.Warned) == 0:
				fmt.Fprintf(io.Out, "    checks passed (%s)\n", v.Checks)
			case v.Passed:
				fmt.Fprintf(io.Out, "    checks passed with warnings (%s): %s\n", v.Checks, strings.Join(v.Warned, "; "))
			default:
				fmt.Fprintf(io.Out, "    checks failed (%s): %s\n", v.Checks, strings.Join(v.Failed, "; "))
			}
			if !v.Passed && r.Published {
				fmt.Fprintf(io.Err, "assay: warning: %s was published although its checks failed (--warn)\n", r.View)
			}
			if !v.Passed {
				fmt.Fprint(io.Out, indent(v.Report, "    "))
			}
		}
	}
}

func indent(s, prefix string) string {
	if s == "" {
		return ""
	}
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return prefix + strings.Join(lines, "\n"+prefix) + "\n"
}

// batchValidator runs the rule files that apply to a view on its batch,
// written to a temporary Parquet file.
func batchValidator(repo *dataset.Repo, rules []*checks.File, paths []string, workers int) func(context.Context, *featurestore.Batch) (*featurestore.Validation, error) {
	return func(ctx context.Context, b *featurestore.Batch) (*featurestore.Validation, error) {
		var applied []string
		val := &featurestore.Validation{Passed: true}
		dir, err := os.MkdirTemp("", "assay-batch-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		path := filepath.Join(dir, b.View.Name+".parquet")
		if err := b.WriteParquet(path); err != nil {
			return nil, err
		}
		src, err := dataset.OpenSource(ctx, nil, path, dataset.DefaultCSVOptions())
		if err != nil {
			return nil, err
		}
		defer src.Close()
		src.Label = "batch of " + b.View.Name
		sc, err := src.Scanner(ctx)
		if err != nil {
			return nil, err
		}
		schema := sc.Schema()
		sc.Close()
		var report strings.Builder
		for i, f := range rules {
			if f.Dataset != "" && f.Dataset != b.View.Name {
				continue
			}
			applied = append(applied, paths[i])
			plan, err := checks.Compile(ctx, f, schema, checks.Env{Repo: repo, CSV: dataset.DefaultCSVOptions(), Workers: workers})
			if err != nil {
				return nil, err
			}
			run, err := plan.Run(ctx, src, checks.RunOptions{})
			if err != nil {
				return nil, err
			}
			for _, r := range run.Results {
				if r.Success {
					continue
				}
				if r.Severity == checks.SeverityError {
					val.Failed = append(val.Failed, r.Name)
				} else {
					val.Warned = append(val.Warned, r.Name)
				}
			}
			if !run.Success {
				val.Passed = false
				if err := checks.WriteText(&report, run, checks.TextOptions{}); err != nil {
					return nil, err
				}
			}
		}
		val.Checks = strings.Join(applied, ", ")
		val.Report = report.String()
		if len(applied) == 0 {
			return nil, nil
		}
		return val, nil
	}
}
