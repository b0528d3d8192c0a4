package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/assayhq/assay/checks"
	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/profile"
	"github.com/assayhq/assay/drift"
	"github.com/assayhq/assay/labels/review"
	"github.com/assayhq/assay/report"
	"github.com/assayhq/assay/training"
	"github.com/assayhq/assay/training/pipeline"
	"github.com/assayhq/assay/training/track"
)

type reportOptions struct {
	*globalOptions
	Out string
	// Add are more HTML reports to copy in and link (reports written
	// outside the repository, such as assay drift --html).
	Add []string
}

func newReportCmd(io *streams, g *globalOptions) *cobra.Command {
	opts := &reportOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "report [-o DIR]",
		Short: "Write an HTML dashboard of the repository: datasets, checks, drift, training runs, models",
		Long: `Write DIR/index.html, a dashboard of the repository's data and models over
time, and a page for each item it links, under DIR:

  datasets/NAME/vN.html       the profile of each dataset version (stored at commit; no scan)
  checks/NAME/vN-TIME.html    the newest check run of each version and rule file
  drift/NAME/C-R.html         each stored drift result of a monitor (version C against R)
  runs/ID.html                each training run's report, as stored with the run

The index lists each dataset's versions with their check verdicts, label
reviews applied, drift results, training runs and registered models with
their aliases, gates and runs. Every page is one self-contained HTML file;
links between them are relative, so DIR can be moved or served as it is.
Files already in DIR are overwritten, others left alone.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runReport(cmd.Context(), io, opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Out, "out", "o", "assay-report", "the directory to write to")
	cmd.Flags().StringArrayVar(&opts.Add, "add", nil, "another HTML report `FILE` to copy in and link under Other reports (repeatable)")
	return cmd
}

func runReport(ctx context.Context, io *streams, opts *reportOptions) error {
	repo, err := opts.openRepo(ctx)
	if err != nil {
		return err
	}
	if err := makeReportDir(opts.Out); err != nil {
		return err
	}
	site := &reportSite{repo: repo, dir: opts.Out, written: map[string]bool{}}
	ix, err := site.index(ctx)
	if err != nil {
		return err
	}
	if len(opts.Add) > 0 {
		sec, err := site.otherSection(opts.Add)
		if err != nil {
			return err
		}
		ix.Sections = append(ix.Sections, sec)
	}
	index := filepath.Join(opts.Out, "index.html")
	if err := report.WriteIndex(index, ix); err != nil {
		return err
	}
	fmt.Fprintf(io.Out, "wrote %s under %s\nindex: %s\n", countNoun(len(site.written)+1, "page"), opts.Out, index)
	return nil
}

// makeReportDir creates the output directory; a file in its place is an
// input error.
func makeReportDir(dir string) error {
	if st, err := os.Stat(dir); err == nil && !st.IsDir() {
		return fmt.Errorf("%w: -o %s: not a directory", dataset.ErrInvalid, dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("%w: -o %s: %v", dataset.ErrInvalid, dir, err)
	}
	return nil
}

// reportSite writes the pages of a report directory and remembers them.
type reportSite struct {
	repo    *dataset.Repo
	dir     string
	written map[string]bool // relative paths ("runs/x.html")
}

// page writes p at rel, under the site's directory, and returns rel.
func (s *reportSite) page(rel string, p report.Page) (string, error) {
	if err := s.mkdir(rel); err != nil {
		return "", err
	}
	if err := report.WriteFile(filepath.Join(s.dir, filepath.FromSlash(rel)), p); err != nil {
		return "", err
	}
	s.written[rel] = true
	return rel, nil
}

// copy writes a page rendered before (a run's stored report) at rel.
func (s *reportSite) copy(rel string, html []byte) (string, error) {
	if err := s.mkdir(rel); err != nil {
		return "", err
	}
	if err := report.WriteHTML(filepath.Join(s.dir, filepath.FromSlash(rel)), html); err != nil {
		return "", err
	}
	s.written[rel] = true
	return rel, nil
}

func (s *reportSite) mkdir(rel string) error {
	return os.MkdirAll(filepath.Join(s.dir, filepath.FromSlash(path.Dir(rel))), 0o755)
}

// free returns rel, or rel with a suffix before ".html" when a page was
// written there already.
func (s *reportSite) free(rel string) string {
	base := strings.TrimSuffix(rel, ".html")
	for n := 2; s.written[rel]; n++ {
		rel = base + "-" + strconv.Itoa(n) + ".html"
	}
	return rel
}

// index gathers the repository's items, writes their pages and returns
// the index that links them.
func (s *reportSite) index(ctx context.Context) (report.Index, error) {
	ix := report.Index{
		Title: "assay report",
		Meta: []report.KV{
			{Key: "Generated", Value: time.Now().UTC().Format(time.RFC3339)},
			{Key: "Repository", Value: s.repo.Location},
		},
		Empty: "Nothing here yet: the repository holds no dataset, run or model.\n" +
			"Commit data with: assay dataset commit NAME FILE",
	}
	names, err := s.repo.Datasets(ctx)
	if err != nil {
		return ix, err
	}
	var (
		reviews  []report.IndexRow
		versions int
	)
	for _, name := range names {
		sec, rev, err := s.datasetSection(ctx, name)
		if err != nil {
			return ix, err
		}
		versions += len(sec.Rows)
		ix.Sections = append(ix.Sections, sec)
		reviews = append(reviews, rev...)
	}
	driftSec, err := s.driftSection(ctx, names)
	if err != nil {
		return ix, err
	}
	runsSec, runs, err := s.runsSection(ctx)
	if err != nil {
		return ix, err
	}
	models, nmodels, err := s.modelSections(ctx)
	if err != nil {
		return ix, err
	}
	pipeSec, err := s.pipelineSection(ctx, names)
	if err != nil {
		return ix, err
	}
	ix.Sections = append(ix.Sections, labelReviewSection(reviews), driftSec, pipeSec, runsSec)
	ix.Sections = append(ix.Sections, models...)
	ix.Subtitle = fmt.Sprintf("%s · %s · %s · %s", countNoun(len(names), "dataset"), countNoun(versions, "version"),
		countNoun(runs, "training run"), countNoun(nmodels, "model"))
	return ix, nil
}

func countNoun(n int, what string) string {
	if n != 1 {
		what += "s"
	}
	return report.FormatInt(int64(n)) + " " + what
}

// datasetSection lists the versions of a dataset, newest first, with
// their profile pages and the verdict of the newest check run of each
// rule file; and the versions that applied a label review.
func (s *reportSite) datasetSection(ctx context.Context, name string) (report.IndexSection, []report.IndexRow, error) {
	sec := report.IndexSection{ID: "dataset-" + name, Title: "Dataset " + name, ItemColumn: "Version", StatusColumn: "Checks",
		Columns: []string{"Rows", "Author", "Message"}, Numeric: []bool{true}}
	vs, err := s.repo.Versions(ctx, name)
	if err != nil {
		return sec, nil, err
	}
	runs, err := checks.Runs(ctx, s.repo, name)
	if err != nil {
		return sec, nil, err
	}
	newest, rules := newestCheckRuns(runs)
	sec.Columns = append(sec.Columns, ruleColumns(rules)...)
	var reviews []report.IndexRow
	chart := &report.Line{Title: "Rows by version", XTime: true, YLabel: "rows", Series: []report.Series{{Name: name}}}
	for _, v := range slices.Backward(vs) {
		m, err := s.repo.Manifest(ctx, name, v)
		if err != nil {
			return sec, nil, err
		}
		row, err := s.versionRow(ctx, m, newest[v], rules)
		if err != nil {
			return sec, nil, err
		}
		sec.Rows = append(sec.Rows, row)
		if r, ok := labelReviewRow(m, row.Item.Link); ok {
			reviews = append(reviews, r)
		}
		chart.X = append([]float64{float64(m.Time.Unix())}, chart.X...)
		chart.Series[0].Y = append([]float64{float64(m.Rows)}, chart.Series[0].Y...)
	}
	if len(vs) > 1 {
		sec.Blocks = append(sec.Blocks, chart)
	}
	return sec, reviews, nil
}

// newestCheckRuns returns the newest stored check run of each version and
// rule file, and the rule files in the order they were first used.
func newestCheckRuns(runs []checks.StoredRun) (map[int]map[string]*checks.Run, []string) {
	out := map[int]map[string]*checks.Run{}
	var rules []string
	for _, sr := range runs { // oldest first: later runs win
		r := sr.Run
		if out[r.DataVer] == nil {
			out[r.DataVer] = map[string]*checks.Run{}
		}
		if !slices.Contains(rules, r.Rules) {
			rules = append(rules, r.Rules)
		}
		out[r.DataVer][r.Rules] = r
	}
	return out, rules
}

// ruleColumns heads the check columns by rule file: its base name, or
// the path as given when two share a base name.
func ruleColumns(rules []string) []string {
	bases := map[string]int{}
	for _, r := range rules {
		bases[path.Base(filepath.ToSlash(r))]++
	}
	var out []string
	for _, r := range rules {
		if b := path.Base(filepath.ToSlash(r)); bases[b] == 1 {
			r = b
		}
		out = append(out, "Checks: "+r)
	}
	return out
}

// versionRow writes the profile page of a version and the pages of its
// check runs, and returns its row.
func (s *reportSite) versionRow(ctx context.Context, m *dataset.Manifest, runs map[string]*checks.Run, rules []string) (report.IndexRow, error) {
	row := report.IndexRow{Item: report.Cell{Text: fmt.Sprintf("v%d", m.Version)}, Time: m.Time,
		Cells: []report.Cell{{Text: report.FormatInt(m.Rows)}, {Text: m.Author}, {Text: m.Message}}}
	link, err := s.profilePage(ctx, m)
	if err != nil {
		return row, err
	}
	row.Item.Link = link
	worst := report.Cell{Text: "not checked"}
	for _, r := range rules {
		run := runs[r]
		if run == nil {
			row.Cells = append(row.Cells, report.Cell{Text: "-"})
			continue
		}
		rel := s.free(fmt.Sprintf("checks/%s/v%d-%s.html", m.Dataset, m.Version, run.Time.UTC().Format("20060102T150405.000Z")))
		if _, err := s.page(rel, checks.Page(run)); err != nil {
			return row, err
		}
		cell := checkVerdict(run)
		cell.Link = rel
		row.Cells = append(row.Cells, cell)
		if levelOrder(cell.Level) > levelOrder(worst.Level) {
			worst = report.Cell{Text: verdictWord[cell.Level], Level: cell.Level}
		}
	}
	row.Status = worst
	return row, nil
}

// profilePage writes the page of a version's stored profile (no scan)
// and returns its path; "" when the version has no profile.
func (s *reportSite) profilePage(ctx context.Context, m *dataset.Manifest) (string, error) {
	how := "computed at commit, " + m.Time.UTC().Format(time.RFC3339)
	rel := fmt.Sprintf("datasets/%s/v%d.html", m.Dataset, m.Version)
	switch {
	case m.ProfileObject != "":
		p, err := s.repo.LoadProfile(ctx, m)
		if err != nil {
			return "", err
		}
		return s.page(rel, profile.Page(m.Label(), p.Summary(), how))
	case m.Profile != nil:
		return s.page(rel, profile.Page(m.Label(), *m.Profile, how))
	}
	return "", nil
}

// checkVerdict is a check run's verdict: failed, warned or passed, with
// how many checks.
func checkVerdict(r *checks.Run) report.Cell {
	c := r.Counts
	switch {
	case !r.Success:
		return report.Cell{Text: fmt.Sprintf("failed: %d of %d", c.Failed, c.Checks), Level: report.LevelError}
	case c.Warned > 0:
		return report.Cell{Text: fmt.Sprintf("warned: %d of %d", c.Warned, c.Checks), Level: report.LevelWarn}
	}
	return report.Cell{Text: fmt.Sprintf("passed: %d of %d", c.Passed, c.Checks), Level: report.LevelOK}
}

// verdictWord is the word for a check verdict of a level.
var verdictWord = map[report.Level]string{report.LevelOK: "passed", report.LevelWarn: "warned", report.LevelError: "failed"}

// levelOrder ranks levels by severity.
func levelOrder(l report.Level) int {
	return slices.Index([]report.Level{report.LevelOK, report.LevelInfo, report.LevelWarn, report.LevelError}, l)
}

// labelReviewRow is the row of a version that applied a label review
// (assay labels apply records it in the version's metadata), linking to
// the version's profile page.
func labelReviewRow(m *dataset.Manifest, profile string) (report.IndexRow, bool) {
	md := m.Metadata
	if md["labels.reviewed"] == "" {
		return report.IndexRow{}, false
	}
	var decisions []review.Decision
	json.Unmarshal([]byte(md["labels.decisions"]), &decisions) // the count below says "-" if it does not parse
	actions := map[string]int{}
	reviewers := map[string]bool{}
	for _, d := range decisions {
		actions[d.Action]++
		reviewers[d.Reviewer] = true
	}
	var acts []string
	for _, a := range []string{review.Accept, review.Relabel, review.Skip} {
		if actions[a] > 0 {
			acts = append(acts, fmt.Sprintf("%s %d", a, actions[a]))
		}
	}
	delete(reviewers, "")
	names := slices.Sorted(maps.Keys(reviewers))
	return report.IndexRow{
		Item:   report.Cell{Text: m.Label(), Link: profile},
		Time:   m.Time,
		Status: report.Cell{Text: md["labels.changed"] + " labels changed", Level: report.LevelInfo},
		Cells: []report.Cell{{Text: md["labels.reviewed"]}, {Text: md["labels.column"]},
			{Text: orDash(strings.Join(acts, ", "))}, {Text: orDash(strings.Join(names, ", "))}, {Text: m.Message}},
	}, true
}

func labelReviewSection(rows []report.IndexRow) report.IndexSection {
	slices.SortStableFunc(rows, func(a, b report.IndexRow) int { return b.Time.Compare(a.Time) })
	return report.IndexSection{ID: "label-reviews", Title: "Label reviews", ItemColumn: "Version", StatusColumn: "Result",
		Intro:   "Dataset versions made by applying a label review's decisions (assay labels apply).",
		Columns: []string{"Reviewed", "Label column", "Decisions", "Reviewers", "Message"},
		Rows:    rows}
}

// driftSection lists the stored drift results of monitored datasets,
// newest first, and writes their pages.
func (s *reportSite) driftSection(ctx context.Context, names []string) (report.IndexSection, error) {
	sec := report.IndexSection{ID: "drift", Title: "Drift monitors", ItemColumn: "Current", StatusColumn: "Drift",
		Columns: []string{"Reference", "Drifted columns", "Columns"}, Numeric: []bool{false, true},
		Empty: "No drift results stored yet: assay monitor NAME --reference TAG --once"}
	for _, name := range names {
		runs, err := drift.History(ctx, s.repo, name)
		if err != nil {
			return sec, err
		}
		for _, r := range runs {
			rel, err := s.page(fmt.Sprintf("drift/%s/%d-%d.html", name, r.Current, r.Reference), drift.Page(r.Report))
			if err != nil {
				return sec, err
			}
			sec.Rows = append(sec.Rows, driftRow(r, rel))
		}
	}
	slices.SortStableFunc(sec.Rows, func(a, b report.IndexRow) int { return b.Time.Compare(a.Time) })
	return sec, nil
}

func driftRow(s drift.Stored, page string) report.IndexRow {
	r := s.Report
	status := report.Cell{Text: "no drift", Level: report.LevelOK}
	if r.Drifted {
		status = report.Cell{Text: "drift", Level: report.LevelError}
	}
	var cols []string
	for _, c := range r.Columns {
		if c.Drifted {
			cols = append(cols, c.Column)
		}
	}
	return report.IndexRow{
		Item: report.Cell{Text: r.Current, Link: page}, Time: r.Time, Status: status,
		Cells: []report.Cell{{Text: r.Reference},
			{Text: fmt.Sprintf("%d of %d (%s)", r.DriftedCount, r.ColumnCount, report.FormatPercent(r.DriftedShare))},
			{Text: orDash(strings.Join(cols, ", "))}},
	}
}

// runsSection lists the training runs, newest first, copying each run's
// stored report page; it returns the number of runs.
func (s *reportSite) runsSection(ctx context.Context) (report.IndexSection, int, error) {
	sec := report.IndexSection{ID: "runs", Title: "Training runs", ItemColumn: "Run", StatusColumn: "Data checks",
		Columns: []string{"Kind", "Trainer", "Data", "Rows", "Test metric"}, Numeric: []bool{false, false, false, true},
		Empty: "No training runs yet: assay train NAME --target COLUMN"}
	ids, err := track.RunIDs(ctx, s.repo)
	if err != nil {
		return sec, 0, err
	}
	for _, id := range slices.Backward(ids) {
		run, err := track.LoadRun(ctx, s.repo, id)
		if err != nil {
			return sec, 0, err
		}
		page, err := s.runPage(ctx, id)
		if err != nil {
			return sec, 0, err
		}
		sec.Rows = append(sec.Rows, s.runRow(run, page))
	}
	return sec, len(ids), nil
}

// runPage copies a run's stored report and returns its path; "" for a
// run stored without one.
func (s *reportSite) runPage(ctx context.Context, id string) (string, error) {
	rel := "runs/" + id + ".html"
	if s.written[rel] {
		return rel, nil
	}
	html, err := track.ReadFile(ctx, s.repo, id, training.ReportFile)
	if errors.Is(err, dataset.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return s.copy(rel, html)
}

func (s *reportSite) runRow(run *track.Run, page string) report.IndexRow {
	status := report.Cell{Text: "not checked"}
	if c := run.Data.Checks; c != nil && c.Success {
		status = report.Cell{Text: "passed", Level: report.LevelOK}
	} else if c != nil {
		status = report.Cell{Text: "failed", Level: report.LevelError}
	}
	data := report.Cell{Text: run.Data.Source}
	if run.Data.Dataset != "" {
		if rel := fmt.Sprintf("datasets/%s/v%d.html", run.Data.Dataset, run.Data.Version); s.written[rel] {
			data.Link = rel
		}
	}
	kind := run.Kind
	if kind == "" {
		kind = "train"
	}
	when := run.Finished
	if when.IsZero() {
		when = run.Started
	}
	return report.IndexRow{
		Item: report.Cell{Text: run.ID, Link: page}, Time: when, Status: status,
		Cells: []report.Cell{{Text: kind}, {Text: run.Trainer}, data, {Text: report.FormatInt(int64(run.Data.Rows))}, {Text: headline(run.Summary)}},
	}
}

// modelSections lists each registered model's versions, newest first,
// with their aliases, gate results and runs; it returns the number of
// models.
func (s *reportSite) modelSections(ctx context.Context) ([]report.IndexSection, int, error) {
	names, err := track.Models(ctx, s.repo)
	if err != nil {
		return nil, 0, err
	}
	if len(names) == 0 {
		return []report.IndexSection{{ID: "models", Title: "Models",
			Empty: "No models registered yet: assay models register RUN --name NAME"}}, 0, nil
	}
	var out []report.IndexSection
	for _, name := range names {
		sec, err := s.modelSection(ctx, name)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, sec)
	}
	return out, len(names), nil
}

func (s *reportSite) modelSection(ctx context.Context, name string) (report.IndexSection, error) {
	sec := report.IndexSection{ID: "model-" + name, Title: "Model " + name, ItemColumn: "Version", StatusColumn: "Gates",
		Columns: []string{"Aliases", "Trainer", "Run", "Test metric", "Description", "Tags"}}
	vs, err := track.Versions(ctx, s.repo, name)
	if err != nil {
		return sec, err
	}
	aliases, err := track.Aliases(ctx, s.repo, name)
	if err != nil {
		return sec, err
	}
	sec.Intro = "Aliases: " + orDash(aliasList(aliases))
	for _, v := range slices.Backward(vs) {
		tags, err := track.Tags(ctx, s.repo, name, v.Version)
		if err != nil {
			return sec, err
		}
		page, err := s.runPage(ctx, v.Run)
		if err != nil {
			return sec, err
		}
		sec.Rows = append(sec.Rows, modelRow(v, page, aliases, tags))
	}
	return sec, nil
}

func aliasList(aliases map[string]int) string {
	var out []string
	for _, a := range slices.Sorted(maps.Keys(aliases)) {
		out = append(out, fmt.Sprintf("%s → v%d", a, aliases[a]))
	}
	return strings.Join(out, ", ")
}

func modelRow(v *track.Version, page string, aliases map[string]int, tags map[string]track.Tag) report.IndexRow {
	var names []string
	for _, a := range slices.Sorted(maps.Keys(aliases)) {
		if aliases[a] == v.Version {
			names = append(names, a)
		}
	}
	var notes []string
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		if !strings.HasPrefix(k, "gate.") {
			notes = append(notes, k+"="+tags[k].Value)
		}
	}
	return report.IndexRow{
		Item: report.Cell{Text: fmt.Sprintf("v%d", v.Version), Link: page}, Time: v.Time, Status: gateStatus(tags),
		Cells: []report.Cell{{Text: orDash(strings.Join(names, ", "))}, {Text: v.Trainer}, {Text: v.Run, Link: page},
			{Text: headline(v.Summary)}, {Text: orDash(v.Description)}, {Text: orDash(strings.Join(notes, ", "))}},
	}
}

// gateStatus sums up the gate results recorded as tags on a version
// ("gate.NAME" = "passed: …" or "failed: …").
func gateStatus(tags map[string]track.Tag) report.Cell {
	var passed int
	var failed []string
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		if gate, ok := strings.CutPrefix(k, "gate."); ok {
			if strings.HasPrefix(tags[k].Value, "passed") {
				passed++
			} else {
				failed = append(failed, gate)
			}
		}
	}
	switch {
	case len(failed) > 0:
		return report.Cell{Text: "failed: " + strings.Join(failed, ", "), Level: report.LevelError}
	case passed > 0:
		return report.Cell{Text: fmt.Sprintf("passed: %d", passed), Level: report.LevelOK}
	}
	return report.Cell{Text: "no gates"}
}

// pipelineSection lists the pipeline runs of the datasets, newest first:
// the version, the result, and what each step did.
func (s *reportSite) pipelineSection(ctx context.Context, names []string) (report.IndexSection, error) {
	sec := report.IndexSection{ID: "pipelines", Title: "Pipeline runs", ItemColumn: "Version", StatusColumn: "Result",
		Columns: []string{"Steps", "Reason"},
		Empty:   "No pipeline runs yet: assay pipeline run, or assay watch, with an assay.yaml"}
	var all []*pipeline.Result
	for _, name := range names {
		rs, err := pipeline.Results(ctx, s.repo, name)
		if err != nil {
			return sec, err
		}
		all = append(all, rs...)
	}
	slices.SortFunc(all, func(a, b *pipeline.Result) int { return b.Started.Compare(a.Started) })
	for _, r := range all {
		status := report.Cell{Text: r.Status, Level: report.LevelOK}
		switch r.Status {
		case "failed":
			status.Level = report.LevelError
		case "skipped":
			status.Level = ""
		}
		var steps []string
		for _, st := range r.Steps {
			steps = append(steps, st.Step+" "+st.Status)
		}
		sec.Rows = append(sec.Rows, report.IndexRow{
			Item: report.Cell{Text: fmt.Sprintf("%s@v%d", r.Dataset, r.Version)}, Time: r.Started, Status: status,
			Cells: []report.Cell{{Text: strings.Join(steps, ", ")}, {Text: r.Reason}},
		})
	}
	return sec, nil
}

// otherSection copies reports written outside the repository into
// other/ and lists them.
func (s *reportSite) otherSection(files []string) (report.IndexSection, error) {
	sec := report.IndexSection{ID: "other", Title: "Other reports", ItemColumn: "Report", Columns: []string{"File"}}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return sec, fmt.Errorf("%w: --add: %v", dataset.ErrInvalid, err)
		}
		st, _ := os.Stat(f)
		rel, err := s.copy(path.Join("other", filepath.Base(f)), data)
		if err != nil {
			return sec, err
		}
		sec.Rows = append(sec.Rows, report.IndexRow{Item: report.Cell{Text: strings.TrimSuffix(filepath.Base(f), ".html"), Link: rel},
			Time: st.ModTime().UTC(), Status: report.Cell{Text: "-"}, Cells: []report.Cell{{Text: f}}})
	}
	return sec, nil
}
