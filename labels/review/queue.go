package review

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Queue is what to review: label problems of one label column of one
// dataset version. The command builds it; OpenLog checks it.
type Queue struct {
	Title   string `json:"title"`   // the page's title
	Dataset string `json:"dataset"` // the dataset version under review, as users name it: churn@v3
	Version int    `json:"version"` // its version number
	Label   string `json:"label"`   // the label column
	Source  string `json:"source"`  // what found the problems: conflicts or issues
	Items   []Item `json:"items"`
}

// Item is one label problem: a row, or a group of rows that share their
// features.
type Item struct {
	ID        string   `json:"id"`        // stable across runs: "row:123", "group:7"
	Rows      []int    `json:"rows"`      // the dataset rows it concerns
	Score     float64  `json:"score"`     // review order: highest first, ties by ID
	Given     string   `json:"given"`     // the label the dataset gives
	Suggested string   `json:"suggested"` // the label suggested instead; "" for none
	Classes   []string `json:"classes"`   // the labels it may be relabelled to
	Fields    []Field  `json:"fields"`    // the row's values to show, in order
	Evidence  Evidence `json:"evidence"`
}

// Field is one column value of an item's row.
type Field struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Evidence is why an item is in the queue. Every part is optional.
type Evidence struct {
	Conflicts  *Conflicts         `json:"conflicts,omitempty"`  // rows with the same features and other labels
	Probs      map[string]float64 `json:"probs,omitempty"`      // class → a model's probability, shown as bars
	Neighbours *Neighbours        `json:"neighbours,omitempty"` // the nearest rows in feature space
	Note       string             `json:"note,omitempty"`       // free text
}

// Conflicts is a small table of rows that conflict with the item: their
// values in Columns and their labels.
type Conflicts struct {
	Columns []string      `json:"columns"`
	Rows    []ConflictRow `json:"rows"`
}

// ConflictRow is a row of Conflicts: its row number, one value per column
// and its label.
type ConflictRow struct {
	Row    int      `json:"row"`
	Values []string `json:"values"`
	Label  string   `json:"label"`
}

// Neighbours is a small table of the item's nearest rows: their distance,
// label and values in Columns, nearest first.
type Neighbours struct {
	Columns []string    `json:"columns"`
	Rows    []Neighbour `json:"rows"`
}

// Neighbour is a row of Neighbours.
type Neighbour struct {
	Row      int      `json:"row"`
	Distance float64  `json:"distance"`
	Label    string   `json:"label"`
	Values   []string `json:"values"`
}

// Validate checks that q can be reviewed: it names its dataset version and
// label column, its item IDs are present and unique, and every number is
// finite. It lists every problem.
func (q *Queue) Validate() error {
	if q == nil {
		return fmt.Errorf("review: no queue: %w", ErrInvalid)
	}
	var probs []string
	bad := func(format string, args ...any) { probs = append(probs, fmt.Sprintf(format, args...)) }
	if q.Dataset == "" {
		bad("the queue names no dataset")
	}
	if q.Label == "" {
		bad("the queue names no label column")
	}
	finite := func(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
	seen := make(map[string]bool, len(q.Items))
	for i, it := range q.Items {
		name := fmt.Sprintf("item %d (%q)", i+1, it.ID)
		switch {
		case it.ID == "":
			bad("item %d has no ID", i+1)
		case seen[it.ID]:
			bad("%s: the ID is used twice", name)
		}
		seen[it.ID] = true
		if !finite(it.Score) {
			bad("%s: score %v is not a finite number", name, it.Score)
		}
		for class, p := range it.Evidence.Probs {
			if !finite(p) {
				bad("%s: probability of %q is %v, not a finite number", name, class, p)
			}
		}
		if n := it.Evidence.Neighbours; n != nil {
			for _, r := range n.Rows {
				if !finite(r.Distance) {
					bad("%s: distance of neighbour row %d is %v, not a finite number", name, r.Row, r.Distance)
				}
			}
		}
	}
	if len(probs) > 0 {
		return fmt.Errorf("review: queue %s: %s: %w", q.Dataset, strings.Join(probs, "; "), ErrInvalid)
	}
	return nil
}

// ordered returns a copy of items in review order: highest score first,
// ties by ID.
func ordered(items []Item) []Item {
	out := slices.Clone(items)
	slices.SortStableFunc(out, func(a, b Item) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}
