package labels

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/labels/confident"
)

// IssuesOptions say where the labels and the predicted probabilities are.
type IssuesOptions struct {
	Label string
	// PredProbs names the probability columns (see ProbColumns), or
	// ProbsFile a file of them, or CV asks for out-of-sample
	// probabilities from the baseline model over Features (default: every
	// other column) by CV-fold cross-validation.
	PredProbs []string
	ProbsFile string
	CV        int
	Features  []string
	Filter    string
	Rank      string
	Workers   int
}

// IssuesReport is what confident learning found. Its JSON form is what
// `assay labels issues --format json` prints.
type IssuesReport struct {
	Version  int      `json:"version"`
	Source   string   `json:"source"`
	Label    string   `json:"label"`
	Classes  []string `json:"classes"`
	Rows     int      `json:"rows"`
	Labelled int      `json:"labelled_rows"` // rows with a label: the rows examined
	// ProbsFrom says where the probabilities came from: columns, a file,
	// or the built-in baseline model (Baseline then describes it).
	ProbsFrom string    `json:"probabilities_from"`
	Baseline  *Baseline `json:"baseline,omitempty"`
	Filter    string    `json:"filter"`
	Rank      string    `json:"rank"`

	Thresholds      []float64   `json:"thresholds"`       // per class
	ConfidentJoint  [][]int64   `json:"confident_joint"`  // rows: given label, columns: estimated true label
	CalibratedJoint [][]int64   `json:"calibrated_joint"` // the same, calibrated to the label counts
	NoiseMatrix     [][]float64 `json:"noise_matrix"`     // P(given = row class | true = column class)
	NumIssues       int         `json:"estimated_issues"` // Cleanlab's num_label_issues
	Flagged         int         `json:"flagged"`
	Issues          []Issue     `json:"issues"` // flagged rows, likeliest errors first

	probs    Probs
	probCols []string // the probability columns of the data, if any
	labels   *Labels
	scores   []float64
	table    *Table
	suggest  []int
}

// Issue is one flagged row.
type Issue struct {
	Row       int     `json:"row"`
	Given     string  `json:"given"`
	Suggested string  `json:"suggested"`
	Score     float64 `json:"score"` // label quality: lower is likelier an error
	PGiven    float64 `json:"p_given"`
	PSuggest  float64 `json:"p_suggested"`
}

// Issues finds likely label errors with confident learning, as Cleanlab's
// find_label_issues does, and ranks them by label quality. Rows without a
// label are left out; row numbers stay those of the data.
func Issues(ctx context.Context, src *dataset.Source, opts IssuesOptions) (*IssuesReport, error) {
	sources := 0
	for _, set := range []bool{len(opts.PredProbs) > 0, opts.ProbsFile != "", opts.CV > 0} {
		if set {
			sources++
		}
	}
	if sources != 1 {
		return nil, fmt.Errorf("%w: give the predicted probabilities as --pred-probs COLUMNS or FILE, or ask for a baseline with --cv K (one of them)", dataset.ErrInvalid)
	}
	names := []string{opts.Label}
	if opts.CV > 0 {
		features := opts.Features
		if features == nil {
			features = otherColumns(ctx, src, opts.Label)
		}
		opts.Features = features
		names = append(names, features...)
	}
	// Probability columns read while the labels load: their names are
	// known, only their order waits for the classes.
	var specCols []string
	var specProbs Probs
	g, gctx := errgroup.WithContext(ctx)
	if len(opts.PredProbs) > 0 {
		for _, s := range opts.PredProbs {
			_, col, pair := strings.Cut(s, "=")
			if !pair {
				col = s
			}
			specCols = append(specCols, col)
		}
		g.Go(func() (err error) {
			specProbs, err = readProbs(gctx, src, specCols, opts.Workers)
			return err
		})
	}
	var t *Table
	g.Go(func() (err error) {
		t, err = Load(gctx, src, names, opts.Workers)
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	l := Encode(t.Cols[0])
	if len(l.Classes) < 2 {
		return nil, fmt.Errorf("%w: label column %q has %d class (%s): at least 2 are needed", dataset.ErrInvalid, opts.Label, len(l.Classes), strings.Join(l.Classes, ", "))
	}
	rep := &IssuesReport{Version: 1, Source: src.Label, Label: opts.Label, Classes: l.Classes, Rows: t.Rows, Labelled: t.Rows - l.Missing, labels: l, table: t}
	var p Probs
	var err error
	switch {
	case opts.CV > 0:
		var b *Baseline
		if p, b, err = CrossValProbs(t, l, opts.Features, opts.CV); err != nil {
			return nil, err
		}
		rep.Baseline = b
		rep.ProbsFrom = fmt.Sprintf("baseline: multinomial logistic regression, %d-fold cross-validation (out of sample)", opts.CV)
	case opts.ProbsFile != "":
		if p, err = LoadProbs(ctx, opts.ProbsFile, t.Rows, l.Classes, opts.Workers); err != nil {
			return nil, err
		}
		rep.ProbsFrom = "file " + opts.ProbsFile
	default:
		cols, err := ProbColumns(opts.PredProbs, l.Classes)
		if err != nil {
			return nil, err
		}
		p = reorder(specProbs, specCols, cols)
		rep.probCols = cols
		if err := checkSums(p, src.Label, cols); err != nil {
			return nil, err
		}
		rep.ProbsFrom = "columns " + strings.Join(cols, ", ")
	}
	rep.probs = p
	// Confident learning runs on the labelled rows.
	rows := make([]int, 0, t.Rows-l.Missing)
	for i, c := range l.Codes {
		if c >= 0 {
			rows = append(rows, i)
		}
	}
	given, cp := l.Codes, confident.Probs{N: p.N, K: p.K, Data: p.Data}
	if len(rows) < t.Rows {
		given = make([]int, len(rows))
		cp = confident.Probs{N: len(rows), K: p.K, Data: make([]float64, len(rows)*p.K)}
		for j, i := range rows {
			given[j] = l.Codes[i]
			copy(cp.Data[j*p.K:(j+1)*p.K], p.Row(i))
		}
	}
	res, err := confident.FindIssues(given, cp, confident.Options{Filter: opts.Filter, Rank: opts.Rank, Workers: opts.Workers})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", src.Label, err)
	}
	rep.Filter, rep.Rank = res.Filter, res.Rank
	rep.Thresholds, rep.ConfidentJoint, rep.CalibratedJoint = res.Thresholds, res.ConfidentJoint, res.CalibratedJoint
	rep.NoiseMatrix = noiseMatrix(res.CalibratedJoint)
	rep.NumIssues = res.NumIssues
	rep.scores = make([]float64, t.Rows)
	rep.suggest = make([]int, t.Rows)
	for j, i := range rows {
		rep.scores[i] = res.Scores[j]
		rep.suggest[i] = res.SuggestedLabel[j]
	}
	rep.Issues = make([]Issue, 0, len(res.Order))
	for _, j := range res.Order {
		i := rows[j]
		s := res.SuggestedLabel[j]
		rep.Issues = append(rep.Issues, Issue{Row: i, Given: l.Classes[given[j]], Suggested: l.Classes[s], Score: res.Scores[j],
			PGiven: cp.At(j, given[j]), PSuggest: cp.At(j, s)})
	}
	rep.Flagged = len(rep.Issues)
	return rep, nil
}

// reorder puts the columns of p, read in the order of have, in the order
// of want (the same names), in place.
func reorder(p Probs, have, want []string) Probs {
	perm := make([]int, len(want))
	same := true
	for k, name := range want {
		perm[k] = slices.Index(have, name)
		same = same && perm[k] == k
	}
	if same {
		return p
	}
	row := make([]float64, p.K)
	for i := range p.N {
		r := p.Row(i)
		for k, j := range perm {
			row[k] = r[j]
		}
		copy(r, row)
	}
	return p
}

// noiseMatrix is Cleanlab's estimate of P(given label = i | true label =
// j): the calibrated joint's columns normalised to sum to 1 (a column with
// no rows is the identity's).
func noiseMatrix(cj [][]int64) [][]float64 {
	k := len(cj)
	out := make([][]float64, k)
	for i := range out {
		out[i] = make([]float64, k)
	}
	for j := range k {
		var s int64
		for i := range k {
			s += cj[i][j]
		}
		for i := range k {
			switch {
			case s > 0:
				out[i][j] = float64(cj[i][j]) / float64(s)
			case i == j:
				out[i][j] = 1
			}
		}
	}
	return out
}

// otherColumns lists the supported columns of src but the label.
func otherColumns(ctx context.Context, src *dataset.Source, label string) []string {
	sc, err := src.Scanner(ctx)
	if err != nil {
		return nil
	}
	defer sc.Close()
	var out []string
	for _, n := range sc.Schema().Supported().Names() {
		if n != label {
			out = append(out, n)
		}
	}
	return slices.Clip(out)
}
