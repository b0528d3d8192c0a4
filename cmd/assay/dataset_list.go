package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/assayhq/assay/report"
)

type listOptions struct {
	*globalOptions
	Format string
}

func newListCmd(io *streams, g *globalOptions) *cobra.Command {
	opts := &listOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List datasets with their newest version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runList(cmd.Context(), io, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "text", "output format: text or json")
	return cmd
}

type listEntry struct {
	Name     string    `json:"name"`
	Versions int       `json:"versions"`
	Head     int       `json:"head"`
	Rows     int64     `json:"rows"`
	Bytes    int64     `json:"bytes"`
	Updated  time.Time `json:"updated"`
	Message  string    `json:"message"`
}

func runList(ctx context.Context, io *streams, opts *listOptions) error {
	if err := checkFormat(opts.Format, "text", "json"); err != nil {
		return err
	}
	repo, err := opts.openRepo(ctx)
	if err != nil {
		return err
	}
	names, err := repo.Datasets(ctx)
	if err != nil {
		return err
	}
	entries := []listEntry{}
	for _, n := range names {
		vs, err := repo.Versions(ctx, n)
		if err != nil {
			return err
		}
		m, err := repo.Manifest(ctx, n, vs[len(vs)-1])
		if err != nil {
			return err
		}
		entries = append(entries, listEntry{n, len(vs), m.Version, m.Rows, m.Bytes, m.Time, m.Message})
	}
	if opts.Format == "json" {
		return writeJSON(io.Out, struct {
			Version  int         `json:"version"`
			Datasets []listEntry `json:"datasets"`
		}{jsonVersion, entries})
	}
	if len(entries) == 0 {
		fmt.Fprintln(io.Out, "No datasets yet: assay dataset commit NAME FILE... -m MESSAGE")
		return nil
	}
	t := newTable(io.Out)
	t.row("DATASET", "HEAD", "ROWS", "SIZE", "UPDATED", "MESSAGE")
	for _, e := range entries {
		t.row(e.Name, fmt.Sprintf("v%d", e.Head), report.FormatInt(e.Rows), report.FormatBytes(e.Bytes),
			e.Updated.UTC().Format(time.RFC3339), e.Message)
	}
	return t.flush()
}
