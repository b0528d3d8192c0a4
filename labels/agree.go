package labels

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/labels/agreement"
)

// AgreementOptions say where the annotations are: Annotators names one
// label column per annotator (wide form: a row is an item), or Long names
// the item, annotator and label columns (long form: a row is one label).
type AgreementOptions struct {
	Annotators []string
	Item       string // wide form: the column naming each item (default: the row number)
	Long       *LongForm
	Workers    int
	DawidSkene agreement.DSOptions
}

// LongForm names the columns of labels in long form.
type LongForm struct{ Item, Annotator, Label string }

// AgreementReport is the agreement of annotators and the consensus labels.
// Its JSON form is what `assay labels agreement --format json` prints;
// undefined coefficients are null with the reason.
type AgreementReport struct {
	Version    int      `json:"version"`
	Source     string   `json:"source"`
	Form       string   `json:"form"` // wide or long
	Items      int      `json:"items"`
	Classes    []string `json:"classes"`
	Annotators []string `json:"annotators"`

	Cohen        []CohenPair      `json:"cohen_kappa"`
	Fleiss       Coefficient      `json:"fleiss_kappa"`
	Krippendorff Coefficient      `json:"krippendorff_alpha"`
	PerAnnotator []AnnotatorScore `json:"per_annotator"`

	// Consensus, over items with at least one label.
	Labelled     int     `json:"labelled_items"`
	Tied         int     `json:"majority_ties"`
	Disagree     int     `json:"dawid_skene_differs"` // items where Dawid-Skene's label is not the majority's
	DSIterations int     `json:"dawid_skene_iterations"`
	DSConverged  bool    `json:"dawid_skene_converged"`
	DSLogLik     float64 `json:"dawid_skene_log_likelihood"`

	// Per item (not in JSON: written with --output): the item's name, the
	// majority label and its share, Dawid-Skene's label and posterior.
	ItemNames []string            `json:"-"`
	Consensus agreement.Consensus `json:"-"`
	DS        *agreement.DSModel  `json:"-"`
	ratings   agreement.Ratings
}

// CohenPair is Cohen's kappa of two annotators.
type CohenPair struct {
	A string `json:"a"`
	B string `json:"b"`
	Coefficient
}

// Coefficient is an agreement coefficient: Value is null, and Undefined
// says why, when it has no value.
type Coefficient struct {
	Value     *float64 `json:"value"`
	N         int      `json:"n"` // items (kappa) or pairable values (alpha)
	Undefined string   `json:"undefined,omitempty"`
}

// AnnotatorScore is one annotator's agreement with the others: the share
// of their labels equal to the majority vote of the other annotators
// (leave-one-out), and Dawid-Skene's estimate of their accuracy.
type AnnotatorScore struct {
	Name       string   `json:"name"`
	Labelled   int      `json:"labelled"`
	Compared   int      `json:"compared"`
	Agreed     int      `json:"agreed"`
	Rate       *float64 `json:"agreement"`
	DSAccuracy float64  `json:"dawid_skene_accuracy"`
}

func coefficient(v float64, n int, why agreement.Reason) Coefficient {
	c := Coefficient{N: n, Undefined: why.String()}
	if !math.IsNaN(v) {
		c.Value = &v
	}
	return c
}

// Agreement measures how far annotators agree and derives consensus
// labels by majority vote and by Dawid-Skene.
func Agreement(ctx context.Context, src *dataset.Source, opts AgreementOptions) (*AgreementReport, error) {
	var rep *AgreementReport
	var err error
	switch {
	case opts.Long != nil && len(opts.Annotators) > 0:
		return nil, fmt.Errorf("%w: give annotator columns (wide form) or --long ITEM,ANNOTATOR,LABEL, not both", dataset.ErrInvalid)
	case opts.Long != nil:
		rep, err = longRatings(ctx, src, *opts.Long, opts.Workers)
	case len(opts.Annotators) >= 2:
		rep, err = wideRatings(ctx, src, opts.Annotators, opts.Item, opts.Workers)
	default:
		return nil, fmt.Errorf("%w: agreement needs at least two annotator columns, or --long ITEM,ANNOTATOR,LABEL", dataset.ErrInvalid)
	}
	if err != nil {
		return nil, err
	}
	r := rep.ratings
	pairs, err := agreement.CohenKappa(r)
	if err != nil {
		return nil, err
	}
	for _, p := range pairs {
		rep.Cohen = append(rep.Cohen, CohenPair{A: rep.Annotators[p.A], B: rep.Annotators[p.B], Coefficient: coefficient(p.Value, p.N, p.Undefined)})
	}
	fk, err := agreement.FleissKappa(r)
	if err != nil {
		return nil, err
	}
	rep.Fleiss = coefficient(fk.Value, fk.N, fk.Undefined)
	ka, err := agreement.KrippendorffAlpha(r)
	if err != nil {
		return nil, err
	}
	rep.Krippendorff = coefficient(ka.Value, ka.Pairable, ka.Undefined)
	if rep.Consensus, err = agreement.MajorityVote(r); err != nil {
		return nil, err
	}
	if rep.DS, err = agreement.DawidSkene(ctx, r, opts.DawidSkene); err != nil {
		return nil, err
	}
	per, err := agreement.AnnotatorAgreement(r)
	if err != nil {
		return nil, err
	}
	for a, s := range per {
		score := AnnotatorScore{Name: rep.Annotators[a], Labelled: s.Labelled, Compared: s.Compared, Agreed: s.Agreed, DSAccuracy: rep.DS.Accuracy(a)}
		if !math.IsNaN(s.Rate) {
			rate := s.Rate
			score.Rate = &rate
		}
		rep.PerAnnotator = append(rep.PerAnnotator, score)
	}
	for i := range r.Items {
		if rep.Consensus.Labels[i] == agreement.Missing {
			continue
		}
		rep.Labelled++
		if rep.Consensus.Tied[i] {
			rep.Tied++
		}
		if rep.DS.Labels[i] != rep.Consensus.Labels[i] {
			rep.Disagree++
		}
	}
	rep.DSIterations, rep.DSConverged, rep.DSLogLik = rep.DS.Iterations, rep.DS.Converged, rep.DS.LogLikelihood
	return rep, nil
}

// classIndex collects the class names of label columns, sorted as Encode
// sorts them, and maps each name to its code.
type classIndex struct {
	numeric bool
	names   map[string]float64 // name → numeric value, for numeric labels
	index   map[string]int
	classes []string
}

func newClassIndex(cols []*Column) (*classIndex, error) {
	ci := &classIndex{numeric: cols[0].Numeric, names: map[string]float64{}, index: map[string]int{}}
	for _, c := range cols {
		if c.Numeric != ci.numeric {
			return nil, fmt.Errorf("%w: label columns %q and %q differ in type (%s, %s)", dataset.ErrInvalid, cols[0].Name, c.Name, cols[0].Type, c.Type)
		}
		for i, ok := range c.Valid {
			if !ok {
				continue
			}
			name := c.Text(i)
			if _, seen := ci.names[name]; !seen {
				ci.names[name] = 0
				if c.Numeric {
					ci.names[name] = c.Num[i]
				}
			}
		}
	}
	for name := range ci.names {
		ci.classes = append(ci.classes, name)
	}
	slices.SortFunc(ci.classes, func(a, b string) int {
		if ci.numeric {
			return cmpFloat(ci.names[a], ci.names[b])
		}
		return strings.Compare(a, b)
	})
	for k, name := range ci.classes {
		ci.index[name] = k
	}
	if len(ci.classes) == 0 {
		return nil, fmt.Errorf("%w: no labels in %s", dataset.ErrInvalid, cols[0].Name)
	}
	return ci, nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// wideRatings reads one label column per annotator; a row is an item.
func wideRatings(ctx context.Context, src *dataset.Source, annotators []string, item string, workers int) (*AgreementReport, error) {
	cols := slices.Clone(annotators)
	if item != "" {
		cols = append(cols, item)
	}
	t, err := Load(ctx, src, cols, workers)
	if err != nil {
		return nil, err
	}
	var itemCol *Column
	if item != "" {
		itemCol = t.Cols[len(annotators)]
		t.Cols = t.Cols[:len(annotators)]
	}
	ci, err := newClassIndex(t.Cols)
	if err != nil {
		return nil, err
	}
	r := agreement.Ratings{Items: t.Rows, Annotators: len(annotators), K: len(ci.classes), Labels: make([]int32, t.Rows*len(annotators))}
	for a, c := range t.Cols {
		for i := range t.Rows {
			l := int32(agreement.Missing)
			if c.Valid[i] {
				l = int32(ci.index[c.Text(i)])
			}
			r.Labels[i*len(annotators)+a] = l
		}
	}
	names := make([]string, t.Rows)
	for i := range names {
		if itemCol != nil {
			names[i] = itemCol.Text(i)
		} else {
			names[i] = fmt.Sprint(i)
		}
	}
	return &AgreementReport{Version: 1, Source: src.Label, Form: "wide", Items: t.Rows, Classes: ci.classes,
		Annotators: slices.Clone(annotators), ItemNames: names, ratings: r}, nil
}

// longRatings reads (item, annotator, label) rows; rows without a label
// are skipped.
func longRatings(ctx context.Context, src *dataset.Source, lf LongForm, workers int) (*AgreementReport, error) {
	t, err := Load(ctx, src, []string{lf.Item, lf.Annotator, lf.Label}, workers)
	if err != nil {
		return nil, err
	}
	itemCol, annCol, labelCol := t.Cols[0], t.Cols[1], t.Cols[2]
	ci, err := newClassIndex([]*Column{labelCol})
	if err != nil {
		return nil, err
	}
	itemIndex, annIndex := map[string]int{}, map[string]int{}
	var itemNames, annNames []string
	var items, anns, labs, rows []int
	for i := range t.Rows {
		if !labelCol.Valid[i] {
			continue
		}
		if !itemCol.Valid[i] || !annCol.Valid[i] {
			return nil, fmt.Errorf("%w: %s: row %d has a label but no %s", dataset.ErrInvalid, src.Label, i, map[bool]string{true: "item", false: "annotator"}[!itemCol.Valid[i]])
		}
		it, an := itemCol.Text(i), annCol.Text(i)
		if _, ok := itemIndex[it]; !ok {
			itemIndex[it] = len(itemNames)
			itemNames = append(itemNames, it)
		}
		if _, ok := annIndex[an]; !ok {
			annIndex[an] = len(annNames)
			annNames = append(annNames, an)
		}
		items, anns, labs, rows = append(items, itemIndex[it]), append(anns, annIndex[an]), append(labs, ci.index[labelCol.Text(i)]), append(rows, i)
	}
	r, err := agreement.FromLong(items, anns, labs, len(itemNames), len(annNames), len(ci.classes))
	if err != nil {
		var ce *agreement.ConflictError
		if errors.As(err, &ce) {
			return nil, fmt.Errorf("%w: %s: row %d: annotator %q labelled item %q twice, as %q and as %q", dataset.ErrInvalid, src.Label,
				rows[ce.Row], annNames[ce.Annotator], itemNames[ce.Item], ci.classes[ce.First], ci.classes[ce.Second])
		}
		return nil, fmt.Errorf("%w: %s: %v", dataset.ErrInvalid, src.Label, err)
	}
	return &AgreementReport{Version: 1, Source: src.Label, Form: "long", Items: len(itemNames), Classes: ci.classes,
		Annotators: annNames, ItemNames: itemNames, ratings: r}, nil
}
