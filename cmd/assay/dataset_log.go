package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/report"
)

type logOptions struct {
	*globalOptions
	Format string
}

func newLogCmd(io *streams, g *globalOptions) *cobra.Command {
	opts := &logOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "log NAME",
		Short: "Show a dataset's versions, newest first",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runLog(cmd.Context(), io, opts, args[0])
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "text", "output format: text or json")
	return cmd
}

type logEntry struct {
	Version int               `json:"version"`
	Op      string            `json:"op"`
	Time    time.Time         `json:"time"`
	Author  string            `json:"author"`
	Message string            `json:"message"`
	Rows    int64             `json:"rows"`
	Bytes   int64             `json:"bytes"`
	Files   int               `json:"files"`
	Tags    []string          `json:"tags,omitempty"`
	Meta    map[string]string `json:"metadata,omitempty"`
}

func runLog(ctx context.Context, io *streams, opts *logOptions, name string) error {
	if err := checkFormat(opts.Format, "text", "json"); err != nil {
		return err
	}
	if err := dataset.ValidateName("dataset", name); err != nil {
		return err
	}
	repo, err := opts.openRepo(ctx)
	if err != nil {
		return err
	}
	head, err := repo.Head(ctx, name)
	if err != nil {
		return err
	}
	tags, err := repo.Tags(ctx, name)
	if err != nil {
		return err
	}
	byVersion := map[int][]string{}
	for t, v := range tags {
		byVersion[v] = append(byVersion[v], t)
	}
	var entries []logEntry
	for v := head.Version; v >= 1; v-- {
		m, err := repo.Manifest(ctx, name, v)
		if err != nil {
			return err
		}
		t := byVersion[v]
		slices.Sort(t)
		entries = append(entries, logEntry{m.Version, m.Op, m.Time, m.Author, m.Message, m.Rows, m.Bytes, len(m.Files), t, m.Metadata})
	}
	if opts.Format == "json" {
		return writeJSON(io.Out, struct {
			Version  int        `json:"version"`
			Dataset  string     `json:"dataset"`
			Versions []logEntry `json:"versions"`
		}{jsonVersion, name, entries})
	}
	for i, e := range entries {
		if i > 0 {
			fmt.Fprintln(io.Out)
		}
		tagText := ""
		if len(e.Tags) > 0 {
			tagText = " (tags: " + strings.Join(e.Tags, ", ") + ")"
		}
		fmt.Fprintf(io.Out, "%s@v%d%s\n", name, e.Version, tagText)
		fmt.Fprintf(io.Out, "  %s  %s  %s\n", e.Time.UTC().Format(time.RFC3339), e.Author, e.Op)
		fmt.Fprintf(io.Out, "  %s rows, %d files, %s\n", report.FormatInt(e.Rows), e.Files, report.FormatBytes(e.Bytes))
		fmt.Fprintf(io.Out, "  %s\n", e.Message)
	}
	return nil
}
