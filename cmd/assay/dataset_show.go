package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/profile"
	"github.com/assayhq/assay/report"
)

type showOptions struct {
	*globalOptions
	Format string
}

func newShowCmd(io *streams, g *globalOptions) *cobra.Command {
	opts := &showOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "show REF",
		Short: "Show a version: schema, files, rows, bytes, parent, message, author, time, metadata, profile",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runShow(cmd.Context(), io, opts, args[0])
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "text", "output format: text or json")
	return cmd
}

func runShow(ctx context.Context, io *streams, opts *showOptions, refText string) error {
	if err := checkFormat(opts.Format, "text", "json"); err != nil {
		return err
	}
	repo, m, err := opts.resolveVersion(ctx, refText, "show", " (for files, use assay profile)")
	if err != nil {
		return err
	}
	tags, err := repo.Tags(ctx, m.Dataset)
	if err != nil {
		return err
	}
	var mine []string
	for t, v := range tags {
		if v == m.Version {
			mine = append(mine, t)
		}
	}
	slices.Sort(mine)
	if opts.Format == "json" {
		// The manifest is nested, not embedded: its own "version" field
		// (the dataset version) would otherwise be hidden by the document's.
		if mine == nil {
			mine = []string{}
		}
		return writeJSON(io.Out, struct {
			Version  int               `json:"version"`
			Ref      string            `json:"ref"`
			Manifest *dataset.Manifest `json:"manifest"`
			Tags     []string          `json:"tags"`
		}{jsonVersion, m.Label(), m, mine})
	}
	w := io.Out
	fmt.Fprintf(w, "%s\n", m.Label())
	t := newTable(w)
	t.row("  message", m.Message)
	t.row("  author", m.Author)
	t.row("  time", m.Time.UTC().Format(time.RFC3339))
	if m.Parent > 0 {
		t.row("  parent", fmt.Sprintf("v%d", m.Parent))
	} else {
		t.row("  parent", "-")
	}
	t.row("  operation", m.Op)
	t.row("  rows", report.FormatInt(m.Rows))
	t.row("  bytes", fmt.Sprintf("%s (%s)", report.FormatInt(m.Bytes), report.FormatBytes(m.Bytes)))
	if len(mine) > 0 {
		t.row("  tags", strings.Join(mine, ", "))
	}
	keys := make([]string, 0, len(m.Metadata))
	for k := range m.Metadata {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		t.row("  meta "+k, m.Metadata[k])
	}
	t.flush()

	fmt.Fprintf(w, "\nSchema (%d columns)\n", len(m.Schema))
	t = newTable(w)
	for _, c := range m.Schema {
		typ := c.String()[len(c.Name)+1:]
		if c.Nullable {
			typ += ", nullable"
		}
		if c.Unsupported != "" {
			typ += " (not read: " + c.Unsupported + ")"
		}
		t.row("  "+c.Name, typ)
	}
	t.flush()

	fmt.Fprintf(w, "\nFiles (%d)\n", len(m.Files))
	t = newTable(w)
	for _, f := range m.Files {
		src := ""
		if f.Source != "" {
			src = "from " + f.Source
		}
		t.row("  "+f.Name, report.FormatInt(f.Rows)+" rows", report.FormatBytes(f.Size), f.Object[:19]+"…", src)
	}
	t.flush()
	if m.Profile != nil {
		fmt.Fprintf(w, "\nProfile\n")
		return profile.WriteText(w, *m.Profile)
	}
	return nil
}
