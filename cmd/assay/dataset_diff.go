package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/report"
)

type diffOptions struct {
	*globalOptions
	Key     []string
	Format  string
	Changed bool
}

func newDiffCmd(io *streams, g *globalOptions) *cobra.Command {
	opts := &diffOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "diff REF_A REF_B [--key COL,...]",
		Short: "Compare two versions: schema, rows, per-column profile changes; with --key, added, removed and changed rows",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDiff(cmd.Context(), io, opts, args[0], args[1])
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&opts.Key, "key", nil, "key columns that identify a row (compares rows)")
	f.StringVar(&opts.Format, "format", "text", "output format: text or json")
	f.BoolVar(&opts.Changed, "changed", false, "list only columns whose figures changed")
	return cmd
}

func runDiff(ctx context.Context, io *streams, opts *diffOptions, refA, refB string) error {
	if err := checkFormat(opts.Format, "text", "json"); err != nil {
		return err
	}
	repo, err := opts.maybeRepo(ctx)
	if err != nil {
		return err
	}
	a, err := dataset.OpenSource(ctx, repo, refA, dataset.DefaultCSVOptions())
	if err != nil {
		return err
	}
	defer a.Close()
	b, err := dataset.OpenSource(ctx, repo, refB, dataset.DefaultCSVOptions())
	if err != nil {
		return err
	}
	defer b.Close()
	sa, err := a.Scanner(ctx)
	if err != nil {
		return err
	}
	defer sa.Close()
	sb, err := b.Scanner(ctx)
	if err != nil {
		return err
	}
	defer sb.Close()
	pa, err := a.Profile(ctx, nil, 0)
	if err != nil {
		return err
	}
	pb, err := b.Profile(ctx, nil, 0)
	if err != nil {
		return err
	}
	d := dataset.CompareProfiles(a.Label, b.Label, sa.Schema(), sb.Schema(), pa.Summary(), pb.Summary())
	if len(opts.Key) > 0 {
		if d.Keys, err = dataset.CompareKeys(ctx, sa, sb, opts.Key, sb.Schema()); err != nil {
			return err
		}
	}
	if opts.Format == "json" {
		return writeJSON(io.Out, struct {
			Version int    `json:"version"`
			A       string `json:"a"`
			B       string `json:"b"`
			*dataset.Diff
		}{jsonVersion, a.Label, b.Label, d})
	}
	return printDiff(io, d, opts.Changed)
}

func printDiff(io *streams, d *dataset.Diff, changedOnly bool) error {
	w := io.Out
	fmt.Fprintf(w, "%s -> %s\n", d.A, d.B)
	fmt.Fprintf(w, "rows: %s -> %s (%+d)\n", report.FormatInt(d.RowsA), report.FormatInt(d.RowsB), d.RowsB-d.RowsA)
	if len(d.Added)+len(d.Removed)+len(d.Retyped) == 0 {
		fmt.Fprintln(w, "schema: unchanged")
	} else {
		fmt.Fprintln(w, "schema:")
		for _, c := range d.Added {
			fmt.Fprintf(w, "  + %s\n", c)
		}
		for _, c := range d.Removed {
			fmt.Fprintf(w, "  - %s\n", c)
		}
		for _, r := range d.Retyped {
			fmt.Fprintf(w, "  ~ %s: %s -> %s\n", r.Name, r.From, r.To)
		}
	}
	fmt.Fprintln(w, "columns:")
	t := newTable(w)
	t.row("  COLUMN", "NULLS", "MEAN", "SHIFT", "DISTINCT", "TOP VALUES")
	for _, c := range d.Columns {
		if changedOnly && !c.Changed() {
			continue
		}
		nulls := report.FormatPercent(c.NullShareA)
		if c.NullShareA != c.NullShareB {
			nulls += " -> " + report.FormatPercent(c.NullShareB)
		}
		mean := fnum(c.MeanA)
		if fnum(c.MeanB) != mean {
			mean += " -> " + fnum(c.MeanB)
		}
		shift := "-"
		if c.MeanShift != nil {
			shift = fmt.Sprintf("%+.3f sd", float64(*c.MeanShift))
		}
		distinct := report.FormatInt(c.DistinctA)
		if c.DistinctA != c.DistinctB {
			distinct += " -> " + report.FormatInt(c.DistinctB)
		}
		var top []string
		for _, v := range c.TopNew {
			top = append(top, "+"+quote(v, 20))
		}
		for _, v := range c.TopGone {
			top = append(top, "-"+quote(v, 20))
		}
		topText := "same"
		if len(top) > 0 {
			topText = strings.Join(top, " ")
		}
		t.row("  "+c.Name, nulls, mean, shift, distinct, topText)
	}
	t.flush()
	k := d.Keys
	if k == nil {
		return nil
	}
	fmt.Fprintf(w, "rows by key (%s): %s added, %s removed, %s changed, %s unchanged\n",
		strings.Join(k.Key, ", "), report.FormatInt(k.Added), report.FormatInt(k.Removed),
		report.FormatInt(k.Changed), report.FormatInt(k.Unchanged))
	if k.DuplicatesA+k.DuplicatesB > 0 {
		fmt.Fprintf(w, "  duplicate keys: %s rows in A, %s in B (only the first row of a key is compared)\n",
			report.FormatInt(k.DuplicatesA), report.FormatInt(k.DuplicatesB))
	}
	for _, r := range k.SampleAdded {
		fmt.Fprintf(w, "  + %s\n", r.Key)
	}
	for _, r := range k.SampleRemoved {
		fmt.Fprintf(w, "  - %s\n", r.Key)
	}
	for _, r := range k.SampleChanged {
		var parts []string
		for _, c := range r.Changes {
			parts = append(parts, fmt.Sprintf("%s: %s -> %s", c.Column, c.A, c.B))
		}
		fmt.Fprintf(w, "  ~ %s: %s\n", r.Key, strings.Join(parts, "; "))
	}
	return nil
}
