package training

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/assayhq/assay/report"
	"github.com/assayhq/assay/training/frame"
	"github.com/assayhq/assay/training/metrics"
	"github.com/assayhq/assay/training/track"
	"github.com/assayhq/assay/training/tune"
)

// groupGapWarn is the spread of a metric on a 0-to-1 scale (accuracy,
// F1, ROC AUC, R²) across the levels of a group column above which a run
// report marks the gap as a warning.
const groupGapWarn = 0.05

// Limits that keep a report quick to open whatever a run holds.
const (
	pageMaxLineage = 4000 // characters of a run's lineage shown
	pageFilterRows = 12   // tables with more rows get a filter box
	pageMaxMarkers = 8    // pruned and failed trials marked on a chart
)

// RunPage lays a training run out as an HTML report (render it with
// report.Render or report.WriteFile). ev is the run's evaluation; nil
// decodes it from run.Metrics.
//
// The summary comes first: the headline test metric (ROC AUC and
// accuracy, or R² and RMSE), the rows, target, trainer, time taken and
// the data checks' verdict, with notes on failed data checks, metrics
// that are undefined and group gaps over 0.05. Then the trainer's
// parameters; the metrics of each split (train, the mean of the
// cross-validation folds, the test holdout); for classification the
// test ROC curve against the diagonal of chance and the test confusion
// matrix (rows true, columns predicted, counts and row shares); the
// test metrics per group level, with each column's gap, marked when a
// 0-to-1 metric's is over 0.05; the score of each fold; the data the
// run trained on; and last, the model's input signature.
func RunPage(run *track.Run, ev *Evaluation) *report.Page {
	if run == nil {
		return notePage("assay training run", report.LevelError, "No run.")
	}
	var problems []string
	if ev == nil && len(run.Metrics) > 0 {
		var err error
		if ev, err = RunEvaluation(run); err != nil {
			problems = append(problems, err.Error())
		}
	}
	sig, err := runSchema(run)
	if err != nil {
		problems = append(problems, err.Error())
	}
	page := &report.Page{Title: runTitle(run), Subtitle: runSubtitle(run, sig), Meta: runMeta(run)}
	page.Sections = append(page.Sections, runSummary(run, ev, sig, problems), paramsSection(run.Params))
	if ev != nil {
		page.Sections = append(page.Sections, splitsSection(ev))
		if s := rocSection(ev); s != nil {
			page.Sections = append(page.Sections, *s)
		}
		if s := confusionSection(ev); s != nil {
			page.Sections = append(page.Sections, *s)
		}
		if s := groupsSection(ev.Groups.Test); s != nil {
			page.Sections = append(page.Sections, *s)
		}
		if s := foldsSection(ev.Folds); s != nil {
			page.Sections = append(page.Sections, *s)
		}
	}
	page.Sections = append(page.Sections, dataSection(run.Data))
	if sig != nil {
		page.Sections = append(page.Sections, signatureSection(sig))
	}
	return page
}

// notePage is a page that only says why there is nothing to show.
func notePage(title string, level report.Level, text string) *report.Page {
	return &report.Page{Title: title, Sections: []report.Section{{ID: "summary", Title: "Summary",
		Blocks: []report.Block{&report.Note{Level: level, Text: text}}}}}
}

// runSchema decodes a run's signature, or returns nil if it has none.
func runSchema(run *track.Run) (*frame.Schema, error) {
	if len(run.Signature) == 0 || string(run.Signature) == "null" {
		return nil, nil
	}
	var s frame.Schema
	if err := json.Unmarshal(run.Signature, &s); err != nil {
		return nil, fmt.Errorf("run %s: bad signature: %v", run.ID, err)
	}
	return &s, nil
}

// runTitle names the trainer, the target and the data: "gbdt model of
// Churn on churn@v3".
func runTitle(run *track.Run) string {
	title := cmp.Or(run.Trainer, "Unknown") + " model"
	if run.Data.Target != "" {
		title += " of " + run.Data.Target
	}
	if run.Data.Source != "" {
		title += " on " + run.Data.Source
	}
	return title
}

func runSubtitle(run *track.Run, sig *frame.Schema) string {
	parts := []string{"run " + cmp.Or(run.ID, "without an id")}
	if sig != nil {
		parts = append(parts, sig.Target.Task.String(), countText(len(sig.Features), "feature", "features"))
	}
	if run.Data.Rows > 0 {
		parts = append(parts, countText(run.Data.Rows, "row", "rows"))
	}
	return strings.Join(parts, " · ")
}

func runMeta(run *track.Run) []report.KV {
	var meta []report.KV
	add := func(k, v string) {
		if v != "" {
			meta = append(meta, report.KV{Key: k, Value: v})
		}
	}
	add("Run", run.ID)
	add("Kind", run.Kind)
	add("Study", run.Study)
	if !run.Started.IsZero() {
		add("Started", run.Started.UTC().Format(time.RFC3339))
	}
	add("Author", run.Author)
	return meta
}

// runSummary is the summary section: key facts and what needs a look.
func runSummary(run *track.Run, ev *Evaluation, sig *frame.Schema, problems []string) report.Section {
	var blocks []report.Block
	for _, p := range problems {
		blocks = append(blocks, &report.Note{Level: report.LevelError, Text: p})
	}
	stats := &report.Stats{Items: headline(ev)}
	target := run.Data.Target
	if sig != nil {
		target = cmp.Or(target, sig.Target.Name)
		detail := sig.Target.Task.String()
		if n := len(sig.Target.Classes); n > 0 {
			detail += ", " + countText(n, "class", "classes")
		}
		target += " (" + detail + ")"
	}
	stats.Items = append(stats.Items,
		report.KV{Key: "Rows", Value: intText(run.Data.Rows)},
		report.KV{Key: "Target", Value: orDash(target)},
		report.KV{Key: "Trainer", Value: orDash(run.Trainer)},
		report.KV{Key: "Time taken", Value: elapsedText(run.Finished.Sub(run.Started), !run.Started.IsZero() && !run.Finished.IsZero())},
		report.KV{Key: "Data checks", Value: checksWord(run.Data.Checks)})
	blocks = append(blocks, stats)
	if n := checksNote(run.Data.Checks); n != nil {
		blocks = append(blocks, n)
	}
	if ev != nil {
		if n := undefinedNote(ev); n != nil {
			blocks = append(blocks, n)
		}
		if n := gapsNote(ev.Groups.Test); n != nil {
			blocks = append(blocks, n)
		}
	} else if len(problems) == 0 {
		blocks = append(blocks, &report.Note{Text: "The run holds no metrics."})
	}
	return report.Section{ID: "summary", Title: "Summary", Blocks: blocks}
}

// headline returns the run's headline metrics: of the test split, or the
// cross-validation, or the training data, the first there is.
func headline(ev *Evaluation) []report.KV {
	if ev == nil {
		return nil
	}
	split, s := "Test", ev.Test
	switch {
	case s != nil:
	case ev.CV != nil:
		split, s = "CV", ev.CV
	case ev.Train != nil:
		split, s = "Train", ev.Train
	default:
		return nil
	}
	names := []string{metrics.MetricROCAUC, metrics.MetricAccuracy}
	if isRegression(s) {
		names = []string{metrics.MetricR2, metrics.MetricRMSE}
	}
	var items []report.KV
	for _, m := range names {
		items = append(items, report.KV{Key: split + " " + inSentence(metricLabel(m)), Value: metricText(scoreValue(s, m))})
	}
	return items
}

// checksWord is the verdict of a run's data checks.
func checksWord(c *track.Checks) string {
	switch {
	case c == nil:
		return "not checked"
	case c.Success:
		return "passed"
	}
	return "failed (" + countText(len(c.Failed), "check", "checks") + ")"
}

// checksNote says how the data fared in its checks, or nil when it was
// not checked.
func checksNote(c *track.Checks) *report.Note {
	if c == nil {
		return nil
	}
	rules := ""
	if c.Rules != "" {
		rules = " of " + c.Rules
	}
	if c.Success {
		return &report.Note{Level: report.LevelOK, Text: "The training data passed its checks" + rules + "."}
	}
	text := "The training data failed " + countText(len(c.Failed), "check", "checks") + rules
	if len(c.Failed) > 0 {
		text += ": " + strings.Join(c.Failed, ", ")
	}
	return &report.Note{Level: report.LevelWarn, Text: text + "."}
}

// undefinedNote lists the test metrics that are undefined, and why.
func undefinedNote(ev *Evaluation) *report.Note {
	var why []string
	switch {
	case ev.Test == nil:
	case ev.Test.Classification != nil:
		why = ev.Test.Classification.Undefined
	case ev.Test.Regression != nil:
		why = ev.Test.Regression.Undefined
	}
	if len(why) == 0 {
		return nil
	}
	return &report.Note{Level: report.LevelInfo, Text: "Undefined on the test split (shown as —): " + strings.Join(why, "; ") + "."}
}

// gapsNote lists the group columns whose metrics differ across levels by
// more than groupGapWarn.
func gapsNote(gs []metrics.GroupMetrics) *report.Note {
	var lines []string
	for _, sp := range groupGaps(gs) {
		if gapWarns(sp) {
			lines = append(lines, fmt.Sprintf("%s differs by %s across %s: %s %s, %s %s.", metricLabel(sp.Metric), metricText(sp.Gap),
				sp.Column, sp.MinLevel, metricText(sp.Min), sp.MaxLevel, metricText(sp.Max)))
		}
	}
	if len(lines) == 0 {
		return nil
	}
	return &report.Note{Level: report.LevelWarn, Text: fmt.Sprintf("Group gaps over %s on the test split:\n%s",
		metricText(groupGapWarn), strings.Join(lines, "\n"))}
}

// paramsSection lists the trainer's parameters by name.
func paramsSection(params map[string]any) report.Section {
	s := report.Section{ID: "parameters", Title: "Parameters"}
	if len(params) == 0 {
		s.Blocks = []report.Block{&report.Note{Text: "The run records no parameters."}}
		return s
	}
	t := &report.Table{Columns: []string{"Parameter", "Value"}, Filter: len(params) > pageFilterRows}
	for _, name := range sortedKeys(params) {
		t.Rows = append(t.Rows, []report.Cell{{Text: name}, {Text: paramText(params[name])}})
	}
	s.Blocks = []report.Block{t}
	return s
}

// splitsSection is the metrics of each split.
func splitsSection(ev *Evaluation) report.Section {
	s := report.Section{ID: "metrics", Title: "Metrics"}
	first := cmp.Or(ev.Test, ev.CV, ev.Train)
	if first == nil {
		s.Blocks = []report.Block{&report.Note{Text: "The run holds no scores."}}
		return s
	}
	ms := taskMetrics(isRegression(first))
	t := metricTable(ms, "Split")
	add := func(name string, sc *Scores) {
		if sc != nil {
			t.Rows = append(t.Rows, scoreRow(name, sc, ms))
		}
	}
	add("train", ev.Train)
	if ev.CV != nil {
		add(fmt.Sprintf("cv (mean of %d folds)", len(ev.Folds)), ev.CV)
	}
	add("valid", ev.Valid)
	add("test", ev.Test)
	t.Caption = splitsCaption(first)
	s.Intro = "train: the rows the model was fitted on; cv: the mean over the cross-validation folds, each scored on the rows its model did not see; valid: a validation part kept out of training; test: the holdout."
	s.Blocks = []report.Block{t}
	return s
}

// splitsCaption says how precision, recall and F1 combine the classes.
func splitsCaption(s *Scores) string {
	c := s.Classification
	if c == nil {
		return ""
	}
	if c.Average == metrics.Binary && len(c.Classes) == 2 {
		return fmt.Sprintf("Precision, recall and F1 are of class %q; ROC AUC and PR AUC rank it against %q.", c.Classes[1], c.Classes[0])
	}
	return fmt.Sprintf("Precision, recall and F1 are %s averages over the %d classes; ROC AUC and PR AUC are one-vs-rest, averaged.", c.Average, len(c.Classes))
}

// rocSection draws the test ROC curve, or returns nil when the run has
// none.
func rocSection(ev *Evaluation) *report.Section {
	c := ev.ROC
	if c == nil || len(c.FPR) == 0 || len(c.FPR) != len(c.TPR) {
		return nil
	}
	auc := math.NaN()
	classes := 0
	if ev.Test != nil && ev.Test.Classification != nil {
		auc = ev.Test.Classification.ROCAUC
		classes = len(ev.Test.Classification.Classes)
	}
	title := fmt.Sprintf("ROC curve of class %q on the test split, AUC %s", c.Class, metricText(auc))
	intro := "The true positive rate against the false positive rate as the threshold on the predicted probability falls; the diagonal is a model that guesses."
	if classes > 2 {
		title = fmt.Sprintf("ROC curve of class %q against the rest on the test split (ROC AUC over all classes %s)", c.Class, metricText(auc))
		intro += fmt.Sprintf(" With %d classes, the curve is of the last class against the rest; the AUC is the mean of every class's.", classes)
	}
	line := &report.Line{
		Title: title,
		X:     c.FPR,
		Series: []report.Series{
			{Name: "model, AUC " + metricText(auc), Y: c.TPR},
			{Name: "chance", Y: c.FPR},
		},
		XLabel: "false positive rate", YLabel: "true positive rate",
	}
	return &report.Section{ID: "roc", Title: "ROC curve", Intro: intro, Blocks: []report.Block{line}}
}

// confusionSection is the test confusion matrix: a row per true class, a
// column per predicted class, each cell its count and its share of the
// row.
func confusionSection(ev *Evaluation) *report.Section {
	if ev.Test == nil || ev.Test.Classification == nil {
		return nil
	}
	c := ev.Test.Classification
	k := len(c.Classes)
	if k == 0 || len(c.Confusion) != k {
		return nil
	}
	t := &report.Table{Columns: []string{"True \\ predicted"}, Numeric: []bool{false},
		Caption: "Test split: rows are the true class, columns the predicted one (the most probable); each cell is a count and its share of the row."}
	for _, name := range c.Classes {
		t.Columns = append(t.Columns, name)
		t.Numeric = append(t.Numeric, true)
	}
	t.Columns = append(t.Columns, "Rows")
	t.Numeric = append(t.Numeric, true)
	cols := make([]int64, k)
	var all int64
	for i, row := range c.Confusion {
		var n int64
		for _, v := range row {
			n += v
		}
		cells := []report.Cell{{Text: c.Classes[i]}}
		for j := range k {
			var v int64
			if j < len(row) {
				v = row[j]
			}
			cols[j] += v
			cell := report.Cell{Text: countShare(v, n)}
			if i == j {
				cell.Level = report.LevelOK
			}
			cells = append(cells, cell)
		}
		all += n
		t.Rows = append(t.Rows, append(cells, report.Cell{Text: report.FormatInt(n)}))
	}
	total := []report.Cell{{Text: "all rows"}}
	for _, v := range cols {
		total = append(total, report.Cell{Text: countShare(v, all)})
	}
	t.Rows = append(t.Rows, append(total, report.Cell{Text: report.FormatInt(all)}))
	return &report.Section{ID: "confusion", Title: "Confusion matrix", Blocks: []report.Block{t}}
}

// groupsSection is the test metrics per level of each group column, with
// each column's gap.
func groupsSection(gs []metrics.GroupMetrics) *report.Section {
	if len(gs) == 0 {
		return nil
	}
	ms := groupMetricList(gs[0].Regression != nil)
	t := &report.Table{Columns: []string{"Column", "Level", "Rows"}, Numeric: []bool{false, false, true}, Filter: len(gs) > pageFilterRows,
		Caption: fmt.Sprintf("Test split. A gap is the highest level's metric less the lowest's; gaps over %s in a metric on a 0-to-1 scale are marked.", metricText(groupGapWarn))}
	for _, m := range ms {
		t.Columns = append(t.Columns, metricLabel(m))
		t.Numeric = append(t.Numeric, true)
	}
	for i := range gs {
		g := &gs[i]
		row := []report.Cell{{Text: g.Column}, {Text: g.Level}, {Text: report.FormatInt(int64(g.N))}}
		for _, m := range ms {
			v, err := g.Value(m)
			if err != nil {
				v = math.NaN()
			}
			row = append(row, report.Cell{Text: metricText(v)})
		}
		t.Rows = append(t.Rows, row)
		if i+1 == len(gs) || gs[i+1].Column != g.Column {
			t.Rows = append(t.Rows, gapRow(gs, g.Column, ms))
		}
	}
	return &report.Section{ID: "groups", Title: "Metrics by group", Blocks: []report.Block{t}}
}

// gapRow is the row of a column's gaps, each metric's marked warn or ok
// when it is on a 0-to-1 scale.
func gapRow(gs []metrics.GroupMetrics, column string, ms []string) []report.Cell {
	row := []report.Cell{{Text: column}, {Text: "gap"}, {}}
	for _, m := range ms {
		sp, err := metrics.SpreadOf(gs, column, m)
		if err != nil {
			row = append(row, report.Cell{Text: "—"})
			continue
		}
		cell := report.Cell{Text: metricText(sp.Gap)}
		if unitScale(m) {
			cell.Level = report.LevelOK
			if gapWarns(sp) {
				cell.Level = report.LevelWarn
			}
		}
		row = append(row, cell)
	}
	return row
}

// groupGaps returns the spread of each group metric across the levels of
// each column, in column order.
func groupGaps(gs []metrics.GroupMetrics) []metrics.Spread {
	if len(gs) == 0 {
		return nil
	}
	var out []metrics.Spread
	ms := groupMetricList(gs[0].Regression != nil)
	for i := range gs {
		if i > 0 && gs[i-1].Column == gs[i].Column {
			continue
		}
		for _, m := range ms {
			if sp, err := metrics.SpreadOf(gs, gs[i].Column, m); err == nil {
				out = append(out, sp)
			}
		}
	}
	return out
}

// gapWarns reports whether a spread is a gap to warn of.
func gapWarns(sp metrics.Spread) bool {
	return unitScale(sp.Metric) && sp.Levels > 1 && sp.Gap > groupGapWarn
}

// foldsSection lists the score of each cross-validation fold with their
// mean and standard deviation.
func foldsSection(folds []Scores) *report.Section {
	if len(folds) == 0 {
		return nil
	}
	ms := taskMetrics(isRegression(&folds[0]))
	t := metricTable(ms, "Fold")
	t.Caption = "Each fold's model is fitted on the other folds and scored on this one's rows."
	for i := range folds {
		t.Rows = append(t.Rows, scoreRow(strconv.Itoa(i+1), &folds[i], ms))
	}
	if len(folds) > 1 {
		mean, sd := []report.Cell{{Text: "mean"}, {}}, []report.Cell{{Text: "standard deviation"}, {}}
		for _, m := range ms {
			vs := make([]float64, len(folds))
			for i := range folds {
				vs[i] = scoreValue(&folds[i], m)
			}
			mu, s := meanSD(vs)
			mean = append(mean, report.Cell{Text: metricText(mu)})
			sd = append(sd, report.Cell{Text: metricText(s)})
		}
		t.Rows = append(t.Rows, mean, sd)
	}
	return &report.Section{ID: "folds", Title: "Cross-validation folds", Blocks: []report.Block{t}}
}

// dataSection says what the run trained on.
func dataSection(d track.Data) report.Section {
	items := []report.KV{
		{Key: "Source", Value: orDash(d.Source)},
		{Key: "Rows", Value: intText(d.Rows)},
		{Key: "Target", Value: orDash(d.Target)},
	}
	if d.Dataset != "" {
		v := d.Dataset
		if d.Version > 0 {
			v += " version " + strconv.Itoa(d.Version)
		}
		items = append(items, report.KV{Key: "Dataset", Value: v})
	}
	items = append(items, report.KV{Key: "Data checks", Value: checksWord(d.Checks)})
	if c := d.Checks; c != nil {
		items = append(items, report.KV{Key: "Rules", Value: orDash(c.Rules)})
		if !c.Time.IsZero() {
			items = append(items, report.KV{Key: "Checked", Value: c.Time.UTC().Format(time.RFC3339)})
		}
	}
	blocks := []report.Block{&report.Stats{Items: items}}
	if n := checksNote(d.Checks); n != nil {
		blocks = append(blocks, n)
	}
	if lin := lineageText(d.Lineage); lin != "" {
		blocks = append(blocks, &report.Note{Text: "Lineage of the training set:\n" + lin})
	}
	return report.Section{ID: "data", Title: "Data", Blocks: blocks}
}

// lineageText is a lineage's JSON, indented and clipped.
func lineageText(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var b bytes.Buffer
	if err := json.Indent(&b, raw, "", "  "); err != nil {
		return clipText(string(raw), pageMaxLineage)
	}
	return clipText(b.String(), pageMaxLineage)
}

// signatureSection is the model's input signature: its features and its
// target.
func signatureSection(s *frame.Schema) report.Section {
	tg := s.Target
	target := &report.Stats{Title: "Target", Items: []report.KV{
		{Key: "Column", Value: orDash(tg.Name)},
		{Key: "Type", Value: orDash(string(tg.Type))},
		{Key: "Task", Value: tg.Task.String()},
	}}
	if len(tg.Classes) > 0 {
		target.Items = append(target.Items, report.KV{Key: "Classes", Value: clipText(strings.Join(tg.Classes, ", "), 200)})
	}
	t := &report.Table{Caption: "Features, in the order the model reads them; prediction checks new data against them.",
		Columns: []string{"Feature", "Type", "Kind", "Levels"}, Numeric: []bool{false, false, false, true},
		Filter: len(s.Features) > pageFilterRows}
	for _, f := range s.Features {
		levels := "—"
		if f.Kind == frame.Categorical {
			levels = report.FormatInt(int64(len(f.Levels)))
		}
		t.Rows = append(t.Rows, []report.Cell{{Text: f.Name}, {Text: string(f.Type)}, {Text: f.Kind.String()}, {Text: levels}})
	}
	return report.Section{ID: "signature", Title: "Input signature", Blocks: []report.Block{target, t}}
}

// StudyPage lays a tuning study out as an HTML report (render it with
// report.Render or report.WriteFile). study is the study's run (nil
// leaves out what only it holds: the data, times and author); trialRuns
// maps trial numbers to the ids of their runs.
//
// The summary gives the best value and trial, the sampler, seed and
// pruner, and the count of complete, pruned and failed trials, with the
// best trial's parameters and the range each was searched over. Then
// the metric of each complete trial by trial number with the running
// best, pruned and failed trials marked (or, past 8, counted); the
// table of every trial (number, state, value, duration, parameters,
// run); and, when trials reported intermediate values (a score per
// cross-validation fold, step 0 being fold 1), the median over trials
// at each fold beside the best trial's, with a table of the median,
// lowest and highest score and the trials pruned there.
func StudyPage(study *track.Run, result *tune.Result, trialRuns map[int]string) *report.Page {
	if result == nil {
		return notePage("assay tuning study", report.LevelError, "No study result.")
	}
	page := &report.Page{Title: studyTitle(study, result), Subtitle: studySubtitle(result), Meta: studyMeta(study)}
	page.Sections = append(page.Sections, studySummary(study, result, trialRuns))
	if s := byTrialSection(result); s != nil {
		page.Sections = append(page.Sections, *s)
	}
	page.Sections = append(page.Sections, trialsSection(result, trialRuns))
	if s := intermediateSection(result); s != nil {
		page.Sections = append(page.Sections, *s)
	}
	return page
}

// studyMetric is the metric a study tuned, as its space names it.
func studyMetric(r *tune.Result) string {
	if r.Space != nil && r.Space.Metric != "" {
		return r.Space.Metric
	}
	return "value"
}

// studyDirection is the study's direction, maximize if it says none.
func studyDirection(r *tune.Result) tune.Direction {
	d := r.Direction
	if d == "" && r.Space != nil {
		d = r.Space.Direction
	}
	return cmp.Or(d, tune.Maximize)
}

func studyTitle(study *track.Run, r *tune.Result) string {
	trainer := ""
	if r.Space != nil {
		trainer = r.Space.Trainer
	}
	if study != nil {
		trainer = cmp.Or(study.Trainer, trainer)
	}
	title := "Tuning " + cmp.Or(trainer, "a model")
	if study != nil && study.Data.Source != "" {
		title += " on " + study.Data.Source
	}
	return title
}

func studySubtitle(r *tune.Result) string {
	return fmt.Sprintf("%s, %s · %s · %s sampler", studyMetric(r), studyDirection(r), countText(len(r.Trials), "trial", "trials"), cmp.Or(r.Sampler, "unknown"))
}

func studyMeta(study *track.Run) []report.KV {
	if study == nil {
		return nil
	}
	meta := []report.KV{{Key: "Study", Value: study.ID}}
	if study.Data.Target != "" {
		meta = append(meta, report.KV{Key: "Target", Value: study.Data.Target})
	}
	if !study.Started.IsZero() {
		meta = append(meta, report.KV{Key: "Started", Value: study.Started.UTC().Format(time.RFC3339)})
	}
	if study.Author != "" {
		meta = append(meta, report.KV{Key: "Author", Value: study.Author})
	}
	return meta
}

// stateCounts counts trials by state.
func stateCounts(r *tune.Result) map[tune.State]int {
	n := map[tune.State]int{}
	for _, t := range r.Trials {
		if t != nil {
			n[t.State]++
		}
	}
	return n
}

// studySummary is the summary section: the best trial and its
// parameters, how the study searched and how its trials ended.
func studySummary(study *track.Run, r *tune.Result, trialRuns map[int]string) report.Section {
	n := stateCounts(r)
	metric := studyMetric(r)
	items := []report.KV{{Key: "Best " + metric, Value: "—"}, {Key: "Best trial", Value: "—"}}
	if b := r.Best; b != nil {
		items[0].Value = metricText(b.Value)
		items[1].Value = strconv.Itoa(b.Number)
		if id := trialRuns[b.Number]; id != "" {
			items = append(items, report.KV{Key: "Best run", Value: id})
		}
	}
	items = append(items,
		report.KV{Key: "Direction", Value: string(studyDirection(r))},
		report.KV{Key: "Sampler", Value: orDash(r.Sampler)},
		report.KV{Key: "Seed", Value: strconv.FormatUint(r.Seed, 10)},
		report.KV{Key: "Pruner", Value: prunerText(r.Pruner)},
		report.KV{Key: "Trials", Value: report.FormatInt(int64(len(r.Trials)))},
		report.KV{Key: "Complete", Value: report.FormatInt(int64(n[tune.Complete]))},
		report.KV{Key: "Pruned", Value: report.FormatInt(int64(n[tune.Pruned]))},
		report.KV{Key: "Failed", Value: report.FormatInt(int64(n[tune.Failed]))})
	if study != nil {
		items = append(items, report.KV{Key: "Time taken", Value: elapsedText(study.Finished.Sub(study.Started), !study.Started.IsZero() && !study.Finished.IsZero())})
	}
	blocks := []report.Block{&report.Stats{Items: items}}
	if r.Best == nil {
		blocks = append(blocks, &report.Note{Level: report.LevelError, Text: "No trial completed."})
	}
	if n[tune.Failed] > 0 {
		blocks = append(blocks, &report.Note{Level: report.LevelWarn, Text: fmt.Sprintf("%s failed; the first error: %s",
			countText(n[tune.Failed], "trial", "trials"), firstFailure(r))})
	}
	if r.Best != nil {
		blocks = append(blocks, bestParamsTable(r))
	}
	return report.Section{ID: "summary", Title: "Summary", Blocks: blocks}
}

// firstFailure is the error of the first failed trial.
func firstFailure(r *tune.Result) string {
	for _, t := range r.Trials {
		if t != nil && t.State == tune.Failed && t.Error != "" {
			return t.Error
		}
	}
	return "none recorded"
}

// prunerText describes a study's pruner.
func prunerText(p *tune.MedianPruner) string {
	if p == nil {
		return "none"
	}
	return fmt.Sprintf("median (%s, %s)", countText(p.StartupTrials, "startup trial", "startup trials"),
		countText(p.WarmupSteps, "warmup step", "warmup steps"))
}

// bestParamsTable lists the best trial's parameters with the range each
// was searched over.
func bestParamsTable(r *tune.Result) *report.Table {
	t := &report.Table{Caption: fmt.Sprintf("Parameters of the best trial, %d", r.Best.Number),
		Columns: []string{"Parameter", "Value", "Searched"}}
	for _, name := range studyParams(r) {
		searched := ""
		if p := spaceParam(r.Space, name); p != nil {
			searched = rangeText(p)
		}
		v, ok := r.Best.Params[name]
		text := "—"
		if ok {
			text = paramText(v)
		}
		t.Rows = append(t.Rows, []report.Cell{{Text: name}, {Text: text}, {Text: orDash(searched)}})
	}
	return t
}

// studyParams returns the parameter names of a study: the space's in its
// order, then any others the trials have, sorted.
func studyParams(r *tune.Result) []string {
	var names []string
	if r.Space != nil {
		for _, p := range r.Space.Params {
			names = append(names, p.Name)
		}
	}
	var extra []string
	for _, t := range r.Trials {
		if t == nil {
			continue
		}
		for k := range t.Params {
			if !slices.Contains(names, k) && !slices.Contains(extra, k) {
				extra = append(extra, k)
			}
		}
	}
	slices.Sort(extra)
	return append(names, extra...)
}

// spaceParam returns the space's parameter of that name, or nil.
func spaceParam(s *tune.Space, name string) *tune.Param {
	if s == nil {
		return nil
	}
	for i := range s.Params {
		if s.Params[i].Name == name {
			return &s.Params[i]
		}
	}
	return nil
}

// rangeText describes what a parameter was searched over: "0.01 to 0.3,
// log scale", "8 to 64 in steps of 8", "one of 3, 6, 0".
func rangeText(p *tune.Param) string {
	if p.Kind == tune.KindCategorical {
		cs := make([]string, len(p.Choices))
		for i, c := range p.Choices {
			cs[i] = paramText(c)
		}
		return "one of " + strings.Join(cs, ", ")
	}
	text := num(p.Low) + " to " + num(p.High)
	if p.Kind == tune.KindInt {
		text = "integers " + text
	}
	switch {
	case p.Log:
		text += ", log scale"
	case p.Step > 0:
		text += " in steps of " + num(p.Step)
	}
	if len(p.Grid) > 0 {
		gs := make([]string, len(p.Grid))
		for i, g := range p.Grid {
			gs[i] = num(g)
		}
		text += " (grid " + strings.Join(gs, ", ") + ")"
	}
	return text
}

// byTrialSection draws the value of each complete trial by trial number
// with the running best; nil when no trial completed. Pruned and failed
// trials have no final value: they are marked at their numbers when
// there are at most pageMaxMarkers of them, and counted otherwise.
func byTrialSection(r *tune.Result) *report.Section {
	dir := studyDirection(r)
	var x, y, best []float64
	var marks []report.Marker
	for _, t := range r.Trials {
		switch {
		case t == nil:
		case t.State == tune.Complete && !math.IsNaN(t.Value):
			b := t.Value
			if k := len(best); k > 0 && !better(dir, t.Value, best[k-1]) {
				b = best[k-1]
			}
			x, y, best = append(x, float64(t.Number)), append(y, t.Value), append(best, b)
		case t.State == tune.Pruned:
			marks = append(marks, report.Marker{X: float64(t.Number), Label: "pruned", Level: report.LevelWarn})
		case t.State == tune.Failed:
			marks = append(marks, report.Marker{X: float64(t.Number), Label: "failed", Level: report.LevelError})
		}
	}
	if len(x) == 0 {
		return nil
	}
	metric := studyMetric(r)
	line := &report.Line{
		Title:  fmt.Sprintf("%s of each complete trial (%s)", metric, dir),
		X:      x,
		Series: []report.Series{{Name: metric, Y: y}, {Name: "best so far", Y: best}},
		XLabel: "trial", YLabel: metric,
		XFormat: wholeNumber,
	}
	intro := "Pruned and failed trials have no final value; they are marked at their numbers."
	if len(marks) > pageMaxMarkers {
		n := stateCounts(r)
		var parts []string
		for _, st := range []tune.State{tune.Pruned, tune.Failed} {
			if n[st] > 0 {
				parts = append(parts, report.FormatInt(int64(n[st]))+" "+string(st))
			}
		}
		intro = fmt.Sprintf("The %s trials have no final value; the trials table lists them.", strings.Join(parts, " and "))
	} else {
		line.Markers = marks
	}
	return &report.Section{ID: "by-trial", Title: "Metric by trial", Intro: intro, Blocks: []report.Block{line}}
}

// wholeNumber formats the whole numbers of an axis of counts (trials,
// folds), and leaves the ticks between them unlabelled.
func wholeNumber(v float64) string {
	if v != math.Trunc(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// better reports whether a is better than b in direction d.
func better(d tune.Direction, a, b float64) bool {
	if d == tune.Minimize {
		return a < b
	}
	return a > b
}

// trialsSection is the table of every trial.
func trialsSection(r *tune.Result, trialRuns map[int]string) report.Section {
	params := studyParams(r)
	failed := stateCounts(r)[tune.Failed] > 0
	t := &report.Table{Columns: []string{"Trial", "State", studyMetric(r), "Duration"}, Numeric: []bool{true, false, true, true},
		Filter: len(r.Trials) > pageFilterRows}
	for _, p := range params {
		t.Columns = append(t.Columns, p)
		t.Numeric = append(t.Numeric, false)
	}
	t.Columns = append(t.Columns, "Run")
	t.Numeric = append(t.Numeric, false)
	if failed {
		t.Columns = append(t.Columns, "Error")
		t.Numeric = append(t.Numeric, false)
	}
	for _, tr := range r.Trials {
		if tr == nil {
			continue
		}
		t.Rows = append(t.Rows, trialRow(r, tr, params, trialRuns[tr.Number], failed))
	}
	s := report.Section{ID: "trials", Title: "Trials", Blocks: []report.Block{t}}
	if len(r.Trials) == 0 {
		s.Blocks = []report.Block{&report.Note{Text: "The study has no finished trials."}}
	}
	return s
}

// trialRow is one trial's row of the trials table.
func trialRow(r *tune.Result, tr *tune.Record, params []string, run string, withError bool) []report.Cell {
	number := report.Cell{Text: strconv.Itoa(tr.Number)}
	if r.Best == tr {
		number = report.Cell{Text: strconv.Itoa(tr.Number) + " (best)", Level: report.LevelOK}
	}
	state := report.Cell{Text: string(tr.State)}
	value := metricText(tr.Value)
	switch tr.State {
	case tune.Complete:
		state.Level = report.LevelOK
	case tune.Pruned:
		state.Level = report.LevelWarn
		if k := len(tr.Intermediate); k > 0 {
			state.Text = fmt.Sprintf("pruned after fold %d", tr.Intermediate[k-1].Step+1)
		}
	case tune.Failed:
		state.Level = report.LevelError
		value = "—"
	}
	row := []report.Cell{number, state, {Text: value}, {Text: elapsedText(tr.Duration, true)}}
	for _, p := range params {
		v, ok := tr.Params[p]
		text := "—"
		switch f, isFloat := v.(float64); {
		case isFloat:
			text = report.FormatFloat(f) // the best trial's are given in full
		case ok:
			text = paramText(v)
		}
		row = append(row, report.Cell{Text: text})
	}
	row = append(row, report.Cell{Text: orDash(run)})
	if withError {
		row = append(row, report.Cell{Text: clipText(tr.Error, 200)})
	}
	return row
}

// intermediateSection shows the intermediate values trials reported, a
// score per fold: the median over the trials that reached each fold, the
// spread, and the best trial's; nil when no trial reported any.
func intermediateSection(r *tune.Result) *report.Section {
	byStep := map[int][]float64{}
	prunedAt := map[int]int{}
	for _, t := range r.Trials {
		if t == nil || t.State == tune.Failed {
			continue
		}
		for _, sv := range t.Intermediate {
			if !math.IsNaN(sv.Value) && !math.IsInf(sv.Value, 0) {
				byStep[sv.Step] = append(byStep[sv.Step], sv.Value)
			}
		}
		if k := len(t.Intermediate); t.State == tune.Pruned && k > 0 {
			prunedAt[t.Intermediate[k-1].Step]++
		}
	}
	if len(byStep) == 0 {
		return nil
	}
	steps := sortedKeys(byStep)
	bestAt := map[int]float64{}
	if r.Best != nil {
		for _, sv := range r.Best.Intermediate {
			bestAt[sv.Step] = sv.Value
		}
	}
	t := &report.Table{Columns: []string{"Fold", "Trials", "Pruned here", "Median", "Lowest", "Highest", "Best trial"},
		Numeric: []bool{true, true, true, true, true, true, true}}
	var x, med, best []float64
	bestWhole := r.Best != nil
	for _, s := range steps {
		vs := byStep[s]
		m := median(vs)
		lo, hi := slices.Min(vs), slices.Max(vs)
		b, ok := bestAt[s]
		bestWhole = bestWhole && ok && !math.IsNaN(b) && !math.IsInf(b, 0)
		bt := "—"
		if ok {
			bt = metricText(b)
		}
		x, med, best = append(x, float64(s+1)), append(med, m), append(best, b)
		t.Rows = append(t.Rows, []report.Cell{{Text: strconv.Itoa(s + 1)}, {Text: report.FormatInt(int64(len(vs)))},
			{Text: report.FormatInt(int64(prunedAt[s]))}, {Text: metricText(m)}, {Text: metricText(lo)}, {Text: metricText(hi)}, {Text: bt}})
	}
	line := &report.Line{
		Title:  "Score at each fold, median over the trials that reached it",
		X:      x,
		Series: []report.Series{{Name: "median over trials", Y: med}},
		XLabel: "fold", YLabel: "score",
		XFormat: wholeNumber,
	}
	if bestWhole {
		line.Series = append(line.Series, report.Series{Name: fmt.Sprintf("best trial (%d)", r.Best.Number), Y: best})
	}
	return &report.Section{ID: "intermediate", Title: "Scores by fold",
		Intro:  "The scores complete and pruned trials reported after each cross-validation fold, which the pruner compares.",
		Blocks: []report.Block{line, t}}
}

// taskMetrics are the metrics of a task, in the order tables show them.
func taskMetrics(regression bool) []string {
	if regression {
		return slices.Clone(regressionMetrics)
	}
	return slices.Clone(classificationMetrics)
}

// groupMetricList are the metrics of the groups table.
func groupMetricList(regression bool) []string {
	if regression {
		return []string{metrics.MetricRMSE, metrics.MetricMAE, metrics.MetricR2}
	}
	return []string{metrics.MetricAccuracy, metrics.MetricF1, metrics.MetricROCAUC}
}

// metricTable is a table with a first column named first, a rows column
// and a column per metric.
func metricTable(ms []string, first string) *report.Table {
	t := &report.Table{Columns: []string{first, "Rows"}, Numeric: []bool{false, true}}
	for _, m := range ms {
		t.Columns = append(t.Columns, metricLabel(m))
		t.Numeric = append(t.Numeric, true)
	}
	return t
}

// scoreRow is a row of a metric table.
func scoreRow(name string, s *Scores, ms []string) []report.Cell {
	row := []report.Cell{{Text: name}, {Text: intText(int(scoreValue(s, metrics.MetricN)))}}
	for _, m := range ms {
		row = append(row, report.Cell{Text: metricText(scoreValue(s, m))})
	}
	return row
}

// isRegression reports whether scores are a regression's.
func isRegression(s *Scores) bool { return s != nil && s.Classification == nil && s.Regression != nil }

// scoreValue returns a metric of s, NaN when s lacks it.
func scoreValue(s *Scores, metric string) float64 {
	if s == nil || s.Classification == nil && s.Regression == nil {
		return math.NaN()
	}
	v, err := s.Value(metric)
	if err != nil {
		return math.NaN()
	}
	return v
}

// metricLabel is a metric's name as a heading.
func metricLabel(m string) string {
	switch m {
	case metrics.MetricAccuracy:
		return "Accuracy"
	case metrics.MetricPrecision:
		return "Precision"
	case metrics.MetricRecall:
		return "Recall"
	case metrics.MetricF1:
		return "F1"
	case metrics.MetricROCAUC:
		return "ROC AUC"
	case metrics.MetricPRAUC:
		return "PR AUC"
	case metrics.MetricLogLoss:
		return "Log loss"
	case metrics.MetricRMSE:
		return "RMSE"
	case metrics.MetricMAE:
		return "MAE"
	case metrics.MetricR2:
		return "R²"
	}
	return m
}

// inSentence writes a metric's label as it reads inside a sentence:
// "Accuracy" becomes "accuracy"; acronyms ("ROC AUC", "R²") stay.
func inSentence(label string) string {
	r := []rune(label)
	if len(r) > 1 && unicode.IsUpper(r[0]) && unicode.IsLower(r[1]) {
		r[0] = unicode.ToLower(r[0])
	}
	return string(r)
}

// unitScale reports whether a metric lies on a 0-to-1 scale, where
// groupGapWarn applies (R² may fall below 0, but is read on that scale).
func unitScale(m string) bool {
	switch m {
	case metrics.MetricRMSE, metrics.MetricMAE, metrics.MetricLogLoss, metrics.MetricN:
		return false
	}
	return true
}

// metricText formats a metric, "—" when it is undefined.
func metricText(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return report.FormatFloat(v)
}

// countShare formats a count with its share of n: "812 (89.23%)".
func countShare(v, n int64) string {
	if n == 0 {
		return report.FormatInt(v)
	}
	return report.FormatInt(v) + " (" + report.FormatPercent(float64(v)/float64(n)) + ")"
}

// paramText formats a parameter value: numbers as written in a space
// file, anything else as JSON.
func paramText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case float64:
		return num(v)
	case float32:
		return num(float64(v))
	case int64:
		return strconv.FormatInt(v, 10)
	case int:
		return strconv.Itoa(v)
	case bool:
		return strconv.FormatBool(v)
	case nil:
		return "—"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// num formats a number in full, without an exponent for integers.
func num(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// elapsedText formats a duration for reading: "850 ms", "12.3 s",
// "4 min 05 s", "1 h 02 min"; "—" when it is unknown (!known) or
// negative.
func elapsedText(d time.Duration, known bool) string {
	switch {
	case !known || d < 0:
		return "—"
	case d < time.Second:
		return strconv.FormatInt(d.Milliseconds(), 10) + " ms"
	case d < time.Minute:
		return strconv.FormatFloat(d.Seconds(), 'f', 1, 64) + " s"
	case d < time.Hour:
		s := int64(d.Round(time.Second) / time.Second)
		return fmt.Sprintf("%d min %02d s", s/60, s%60)
	}
	m := int64(d.Round(time.Minute) / time.Minute)
	return fmt.Sprintf("%d h %02d min", m/60, m%60)
}

// countText is n with the word that fits it: "1 row", "7,043 rows".
func countText(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return report.FormatInt(int64(n)) + " " + many
}

// intText formats a count, "—" for none recorded.
func intText(n int) string {
	if n <= 0 {
		return "—"
	}
	return report.FormatInt(int64(n))
}

func orDash(s string) string { return cmp.Or(s, "—") }

// clipText shortens s to at most n runes, marking the cut with "…".
func clipText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// sortedKeys returns the keys of m in order.
func sortedKeys[K cmp.Ordered, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// median returns the median of vs (not empty), leaving vs as it is.
func median(vs []float64) float64 {
	s := slices.Clone(vs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// meanSD returns the mean and sample standard deviation of the finite
// values of vs (NaN when there are too few).
func meanSD(vs []float64) (mean, sd float64) {
	var sum float64
	n := 0
	for _, v := range vs {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			sum += v
			n++
		}
	}
	if n == 0 {
		return math.NaN(), math.NaN()
	}
	mean = sum / float64(n)
	if n < 2 {
		return mean, math.NaN()
	}
	var ss float64
	for _, v := range vs {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			ss += (v - mean) * (v - mean)
		}
	}
	return mean, math.Sqrt(ss / float64(n-1))
}
