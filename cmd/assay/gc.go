package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/report"
)

type gcOptions struct {
	*globalOptions
	DryRun bool
	Grace  time.Duration
	Format string
}

func newGCCmd(io *streams, g *globalOptions) *cobra.Command {
	opts := &gcOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "gc",
		Short: "Delete objects no version references (left by failed or interrupted commits)",
		Long: `Delete objects that no version references: data of commits that failed or
were interrupted. Objects younger than --grace are kept, because a commit
running right now may have stored them and not yet its manifest.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runGC(cmd.Context(), io, opts)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opts.DryRun, "dry-run", false, "list what would be deleted, delete nothing")
	f.DurationVar(&opts.Grace, "grace", time.Hour, "keep unreferenced objects younger than this")
	f.StringVar(&opts.Format, "format", "text", "output format: text or json")
	return cmd
}

func runGC(ctx context.Context, io *streams, opts *gcOptions) error {
	if err := checkFormat(opts.Format, "text", "json"); err != nil {
		return err
	}
	if opts.Grace < 0 {
		return fmt.Errorf("%w: --grace must not be negative", dataset.ErrInvalid)
	}
	repo, err := opts.openRepo(ctx)
	if err != nil {
		return err
	}
	rep, err := repo.GC(ctx, opts.Grace, opts.DryRun)
	if err != nil {
		return err
	}
	if opts.Format == "json" {
		return writeJSON(io.Out, struct {
			Version int `json:"version"`
			*dataset.GCReport
		}{jsonVersion, rep})
	}
	verb := "deleted"
	if opts.DryRun {
		verb = "would delete"
	}
	for _, id := range rep.Deleted {
		fmt.Fprintf(io.Out, "%s %s\n", verb, id)
	}
	fmt.Fprintf(io.Out, "%s %d objects (%s); kept %d referenced", verb, len(rep.Deleted), report.FormatBytes(rep.Bytes), rep.Kept)
	if rep.Young > 0 {
		fmt.Fprintf(io.Out, " and %d younger than %s", rep.Young, opts.Grace)
	}
	fmt.Fprintln(io.Out)
	return nil
}
