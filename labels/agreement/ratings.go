package agreement

import "fmt"

// Missing is the label of a cell whose annotator did not label the item.
const Missing = -1

// Limits on the shape of Ratings, so that nonsense sizes are an error and
// not an allocation failure. MaxCells bounds Items × Annotators (and, for
// Dawid-Skene, Items × K and Annotators × K × K); MaxK bounds the number of
// classes.
const (
	MaxCells = 1 << 31
	MaxK     = 1 << 20
)

// Ratings holds the labels of Items items by Annotators annotators in wide
// form: Labels[item*Annotators+annotator] is a class code in 0..K-1, or
// Missing.
type Ratings struct {
	Items, Annotators, K int
	Labels               []int32
}

// Validate reports whether r is well formed: non-negative sizes within the
// limits, 1 ≤ K ≤ MaxK, len(Labels) = Items × Annotators and every label
// Missing or in 0..K-1. The first problem found is returned, wrapping
// ErrInvalid. Every function of the package validates its input.
func (r Ratings) Validate() error {
	if err := checkShape(r.Items, r.Annotators, r.K); err != nil {
		return err
	}
	if len(r.Labels) != r.Items*r.Annotators {
		return fmt.Errorf("%w: %d labels for %d items × %d annotators", ErrInvalid, len(r.Labels), r.Items, r.Annotators)
	}
	k := int32(r.K)
	for i, l := range r.Labels {
		if l < Missing || l >= k {
			return fmt.Errorf("%w: item %d, annotator %d: label %d is not in 0..%d (or %d for missing)",
				ErrInvalid, i/r.Annotators, i%r.Annotators, l, r.K-1, Missing)
		}
	}
	return nil
}

func checkShape(items, annotators, k int) error {
	switch {
	case items < 0 || annotators < 0:
		return fmt.Errorf("%w: %d items × %d annotators", ErrInvalid, items, annotators)
	case k < 1 || k > MaxK:
		return fmt.Errorf("%w: %d classes (want 1..%d)", ErrInvalid, k, MaxK)
	case annotators > 0 && items > MaxCells/annotators:
		return fmt.Errorf("%w: %d items × %d annotators is more than %d cells", ErrInvalid, items, annotators, MaxCells)
	}
	return nil
}

// Label returns the label annotator a gave item i, or Missing.
func (r Ratings) Label(i, a int) int {
	return int(r.Labels[i*r.Annotators+a])
}

// FromLong builds Ratings from long form: row j says annotator
// annotators[j] gave item items[j] the label labels[j]. Items, annotators
// and labels must lie in 0..nItems-1, 0..nAnnotators-1 and 0..k-1; the
// three slices must have the same length. A repeated row with the same
// label is accepted; an annotator giving one item two different labels is
// a *ConflictError naming the item and the annotator. Other problems wrap
// ErrInvalid and name the row. Cells without a row are Missing.
func FromLong(items []int, annotators []int, labels []int, nItems, nAnnotators, k int) (Ratings, error) {
	if len(items) != len(annotators) || len(items) != len(labels) {
		return Ratings{}, fmt.Errorf("%w: long form with %d items, %d annotators and %d labels", ErrInvalid, len(items), len(annotators), len(labels))
	}
	if err := checkShape(nItems, nAnnotators, k); err != nil {
		return Ratings{}, err
	}
	r := Ratings{Items: nItems, Annotators: nAnnotators, K: k, Labels: make([]int32, nItems*nAnnotators)}
	for i := range r.Labels {
		r.Labels[i] = Missing
	}
	for j, it := range items {
		a, l := annotators[j], labels[j]
		switch {
		case it < 0 || it >= nItems:
			return Ratings{}, fmt.Errorf("%w: row %d: item %d is not in 0..%d", ErrInvalid, j, it, nItems-1)
		case a < 0 || a >= nAnnotators:
			return Ratings{}, fmt.Errorf("%w: row %d: annotator %d is not in 0..%d", ErrInvalid, j, a, nAnnotators-1)
		case l < 0 || l >= k:
			return Ratings{}, fmt.Errorf("%w: row %d: label %d is not in 0..%d", ErrInvalid, j, l, k-1)
		}
		cell := &r.Labels[it*nAnnotators+a]
		if *cell != Missing && int(*cell) != l {
			return Ratings{}, &ConflictError{Row: j, Item: it, Annotator: a, First: int(*cell), Second: l}
		}
		*cell = int32(l)
	}
	return r, nil
}

// Reason says why a coefficient is undefined (NaN). The zero value,
// Defined, means it is not.
type Reason uint8

const (
	// Defined: the coefficient is a number.
	Defined Reason = iota
	// NoItems: nothing to compare — no item labelled by both annotators
	// (Cohen), by all annotators (Fleiss), or no item with two labels
	// (alpha).
	NoItems
	// NoVariation: chance agreement is 1 (chance disagreement 0) because
	// every label compared is the same category, so the coefficient is
	// 0/0. sklearn and statsmodels return nan here; nltk's alpha returns 1.
	NoVariation
	// TooFewAnnotators: Fleiss' kappa needs at least two annotators.
	TooFewAnnotators
)

var reasonNames = [...]string{"", "no-items", "no-variation", "too-few-annotators"}

func (r Reason) String() string {
	if int(r) < len(reasonNames) {
		return reasonNames[r]
	}
	return fmt.Sprintf("reason(%d)", uint8(r))
}

// MarshalText renders the reason as "" (defined), "no-items",
// "no-variation" or "too-few-annotators".
func (r Reason) MarshalText() ([]byte, error) { return []byte(r.String()), nil }
