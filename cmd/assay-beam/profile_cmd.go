package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/assayhq/assay/dataset/profile"
	"github.com/assayhq/assay/report"
)

// runProfile is `assay-beam profile`: assay profile's scan, sharded. A
// dataset version is scanned too (assay answers from the profile stored
// at commit).
func runProfile(ctx context.Context, g *global, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("profile", stderr)
	columns := fs.String("columns", "", "columns to profile, comma-separated (default: all)")
	format := fs.String("format", "text", "output format: text or json")
	html := fs.String("html", "", "also write an HTML report to `FILE`")
	pos, err := parseArgs(fs, args, 1, "one REF|PATH")
	if err != nil {
		return err
	}
	if err := oneOf("--format", *format, "text", "json"); err != nil {
		return err
	}
	repo, err := repoLocation(g)
	if err != nil {
		return err
	}
	j := Job{Command: "profile", Repo: repo, Refs: []string{absRef(pos[0])}, Columns: list(*columns)}
	an, err := openAnalysis(ctx, j)
	if err != nil {
		return err
	}
	defer an.Close()
	pa := an.(*profileAnalysis)
	j.Refs[0] = pin(pa.src, j.Refs[0])
	start := time.Now()
	states, err := execute(ctx, g, an, j)
	if err != nil {
		return err
	}
	sum := states[0].(*profile.Profile).Summary()
	label := pa.src.Label
	if pa.src.Manifest == nil {
		label = pos[0] // the path as given, as assay prints it
	}
	if *html != "" {
		how := "scanned in " + time.Since(start).Round(time.Millisecond).String() + " on Beam"
		if err := report.WriteFile(*html, profile.Page(label, sum, how)); err != nil {
			return err
		}
	}
	if *format == "json" {
		return profile.WriteJSON(stdout, label, sum)
	}
	fmt.Fprintf(stdout, "%s: %s rows, %d columns\n", label, report.FormatInt(sum.Rows), len(sum.Columns))
	if err := profile.WriteText(stdout, sum); err != nil {
		return err
	}
	if *html != "" {
		fmt.Fprintf(stdout, "report: %s\n", *html)
	}
	return nil
}
