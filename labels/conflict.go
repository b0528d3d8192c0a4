package labels

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/labels/conflicts"
	"github.com/assayhq/assay/labels/review"
	"github.com/assayhq/assay/report"
)

// ConflictsOptions say what makes rows the same.
type ConflictsOptions struct {
	Label    string
	Features []string // default: every other column but Exclude
	Exclude  []string // columns left out of the default features (identifiers)
	CaseFold bool
	// FloatTolerance is the largest difference at which numbers match.
	FloatTolerance float64
	// Near, when K or Radius is set, finds near-duplicates (k nearest
	// neighbours on standardised features) instead of identical rows.
	Near    *conflicts.NearOptions
	Workers int
}

// ConflictsReport is the groups of rows with the same features and
// different labels. Its JSON form is what `assay labels conflicts
// --format json` prints.
type ConflictsReport struct {
	Version         int             `json:"version"`
	Source          string          `json:"source"`
	Label           string          `json:"label"`
	Features        []string        `json:"features"`
	Classes         []string        `json:"classes"`
	Kind            string          `json:"kind"` // exact or near
	Rows            int             `json:"rows"`
	LabelledRows    int             `json:"labelled_rows"`
	ConflictingRows int             `json:"conflicting_rows"`
	AgreeingGroups  int             `json:"agreeing_duplicate_groups,omitempty"`
	AgreeingRows    int             `json:"agreeing_duplicate_rows,omitempty"`
	Search          string          `json:"search,omitempty"`
	Recall          float64         `json:"recall,omitempty"`
	Groups          []ConflictGroup `json:"groups"`

	table *Table
}

// ConflictGroup is one group of conflicting rows.
type ConflictGroup struct {
	Rows         []int          `json:"rows"`
	Distribution map[string]int `json:"labels"`
	Suggested    string         `json:"suggested"`
	Score        float64        `json:"score"` // 1 − majority share
	Distance     float64        `json:"distance,omitempty"`
}

// Conflicts finds groups of rows whose features are the same (or, with
// Near, nearly the same) but whose labels differ.
func Conflicts(ctx context.Context, src *dataset.Source, opts ConflictsOptions) (*ConflictsReport, error) {
	features := opts.Features
	if features == nil {
		for _, c := range otherColumns(ctx, src, opts.Label) {
			if !slices.Contains(opts.Exclude, c) {
				features = append(features, c)
			}
		}
	}
	if len(features) == 0 {
		return nil, fmt.Errorf("%w: no feature columns besides the label %q", dataset.ErrInvalid, opts.Label)
	}
	t, err := Load(ctx, src, append([]string{opts.Label}, features...), opts.Workers)
	if err != nil {
		return nil, err
	}
	l := Encode(t.Cols[0])
	cols := make([]conflicts.Column, len(features))
	for j, c := range t.Cols[1:] {
		if c.Numeric {
			cols[j] = conflicts.Numeric(c.Name, c.Num, c.Valid)
		} else {
			cols[j] = conflicts.Text(c.Name, c.Str, c.Valid)
		}
	}
	labels := conflicts.Labels{Codes: l.Codes, Classes: l.Classes}
	rep := &ConflictsReport{Version: 1, Source: src.Label, Label: opts.Label, Features: features, Classes: l.Classes, Kind: "exact", Rows: t.Rows, table: t}
	var res *conflicts.Result
	if opts.Near != nil {
		rep.Kind = "near"
		near := *opts.Near
		near.CaseFold, near.Workers = opts.CaseFold, opts.Workers
		res, err = conflicts.Near(ctx, cols, labels, near)
	} else {
		res, err = conflicts.Exact(cols, labels, conflicts.Options{CaseFold: opts.CaseFold, FloatTolerance: opts.FloatTolerance, Workers: opts.Workers})
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", src.Label, err)
	}
	rep.LabelledRows, rep.ConflictingRows = res.LabelledRows, res.ConflictingRows
	rep.AgreeingGroups, rep.AgreeingRows = res.AgreeingGroups, res.AgreeingRows
	if rep.Kind == "near" {
		rep.Search, rep.Recall = string(res.Search), res.Recall
	}
	rep.Groups = make([]ConflictGroup, len(res.Groups))
	for i, g := range res.Groups {
		d := make(map[string]int, len(g.Distribution))
		for _, lc := range g.Distribution {
			d[l.Classes[lc.Label]] = lc.Rows
		}
		rep.Groups[i] = ConflictGroup{Rows: g.Rows, Distribution: d, Suggested: l.Classes[g.Suggested], Score: g.Score, Distance: g.Distance}
	}
	return rep, nil
}

// WriteConflictsText writes the counts and the most contested groups.
func WriteConflictsText(w io.Writer, r *ConflictsReport) error {
	what := "identical features"
	if r.Kind == "near" {
		what = fmt.Sprintf("near-duplicate features (%s search, recall %.2f)", r.Search, r.Recall)
	}
	fmt.Fprintf(w, "Label conflicts in %s: rows with %s and different %s labels\n", r.Source, what, r.Label)
	fmt.Fprintf(w, "features: %s\n\n", strings.Join(r.Features, ", "))
	fmt.Fprintf(w, "%s conflict groups, %s rows (of %s labelled)", report.FormatInt(int64(len(r.Groups))),
		report.FormatInt(int64(r.ConflictingRows)), report.FormatInt(int64(r.LabelledRows)))
	if r.Kind == "exact" {
		fmt.Fprintf(w, "; %s duplicate groups agree (%s rows)", report.FormatInt(int64(r.AgreeingGroups)), report.FormatInt(int64(r.AgreeingRows)))
	}
	fmt.Fprintln(w)
	if len(r.Groups) == 0 {
		return nil
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "GROUP\tROWS\tLABELS\tSUGGESTED")
	const shown = 20
	for i, g := range r.Groups[:min(shown, len(r.Groups))] {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", i+1, rowList(g.Rows, 8), distText(g, r.Classes), g.Suggested)
	}
	tw.Flush()
	if len(r.Groups) > shown {
		fmt.Fprintf(w, "(the first %d of %s groups; --format json lists all)\n", shown, report.FormatInt(int64(len(r.Groups))))
	}
	return nil
}

func rowList(rows []int, most int) string {
	var b strings.Builder
	for i, r := range rows[:min(most, len(rows))] {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(strconv.Itoa(r))
	}
	if len(rows) > most {
		fmt.Fprintf(&b, ",… (%d rows)", len(rows))
	}
	return b.String()
}

func distText(g ConflictGroup, classes []string) string {
	var parts []string
	for _, c := range classes {
		if n := g.Distribution[c]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s×%d", c, n))
		}
	}
	return strings.Join(parts, " ")
}

// ConflictsPage lays the report out as an HTML page.
func ConflictsPage(r *ConflictsReport) report.Page {
	p := report.Page{
		Title:    "Label conflicts in " + r.Source,
		Subtitle: fmt.Sprintf("label %s · %s groups · %s rows", r.Label, report.FormatInt(int64(len(r.Groups))), report.FormatInt(int64(r.ConflictingRows))),
		Meta:     []report.KV{{Key: "Source", Value: r.Source}, {Key: "Kind", Value: r.Kind}, {Key: "Features", Value: strings.Join(r.Features, ", ")}},
	}
	lvl := report.LevelOK
	if len(r.Groups) > 0 {
		lvl = report.LevelError
	}
	stats := &report.Stats{Items: []report.KV{
		{Key: "Conflict groups", Value: report.FormatInt(int64(len(r.Groups)))},
		{Key: "Rows in conflict", Value: report.FormatInt(int64(r.ConflictingRows))},
		{Key: "Labelled rows", Value: report.FormatInt(int64(r.LabelledRows))},
	}}
	if r.Kind == "exact" {
		stats.Items = append(stats.Items, report.KV{Key: "Agreeing duplicate groups", Value: report.FormatInt(int64(r.AgreeingGroups))})
	}
	note := &report.Note{Level: lvl, Text: fmt.Sprintf("%s groups of rows share their features but not their label.", report.FormatInt(int64(len(r.Groups))))}
	p.Sections = append(p.Sections, report.Section{ID: "summary", Title: "Summary", Blocks: []report.Block{note, stats}})
	grid := &report.Grid{}
	const shown = 60
	for i, g := range r.Groups[:min(shown, len(r.Groups))] {
		t := &report.Table{Columns: append([]string{"row", r.Label}, r.Features...)}
		for _, row := range g.Rows[:min(20, len(g.Rows))] {
			cells := []report.Cell{{Text: strconv.Itoa(row)}, {Text: r.table.Cols[0].Text(row)}}
			if r.table.Cols[0].Text(row) != g.Suggested {
				cells[1].Level = report.LevelError
			}
			for _, c := range r.table.Cols[1:] {
				cells = append(cells, report.Cell{Text: c.Text(row)})
			}
			t.Rows = append(t.Rows, cells)
		}
		grid.Cards = append(grid.Cards, report.Card{Title: fmt.Sprintf("Group %d: %s (suggested %s)", i+1, distText(g, r.Classes), g.Suggested),
			Level: report.LevelWarn, Blocks: []report.Block{t}})
	}
	p.Sections = append(p.Sections, report.Section{ID: "groups", Title: "Groups", Intro: "Most contested first; rows whose label is not the suggested one are marked.", Blocks: []report.Block{grid}})
	return p
}

// ConflictsQueue turns conflict groups into a review queue, most
// contested first: one item per group, covering all its rows, so that
// accepting sets them all to the suggested label and relabelling to the
// class chosen. Each item shows the first row's values (the columns of
// show in t) and the group's rows as evidence.
func ConflictsQueue(r *ConflictsReport, t *Table, show []string) []review.Item {
	items := make([]review.Item, 0, len(r.Groups))
	label := r.table.Cols[0]
	for i, g := range r.Groups {
		ev := &review.Conflicts{Columns: r.Features}
		for _, row := range g.Rows {
			cr := review.ConflictRow{Row: row, Label: label.Text(row)}
			for _, c := range r.table.Cols[1:] {
				cr.Values = append(cr.Values, c.Text(row))
			}
			ev.Rows = append(ev.Rows, cr)
		}
		items = append(items, review.Item{
			ID: "group:" + strconv.Itoa(i+1), Rows: g.Rows, Score: g.Score,
			Given: distText(g, r.Classes), Suggested: g.Suggested, Classes: r.Classes,
			Fields: queueFields(t, g.Rows[0], show),
			Evidence: review.Evidence{Conflicts: ev,
				Note: fmt.Sprintf("%d rows with the same features and labels %s; the decision sets the label of all of them.", len(g.Rows), distText(g, r.Classes))},
		})
	}
	return items
}
