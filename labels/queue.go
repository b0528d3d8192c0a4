package labels

import (
	"fmt"
	"strconv"

	"github.com/assayhq/assay/labels/review"
)

// queueFields are the values of a row that a review item shows: the
// display columns of t, in order.
func queueFields(t *Table, row int, show []string) []review.Field {
	var out []review.Field
	for _, name := range show {
		if c := t.Column(name); c != nil {
			v := c.Text(row)
			if !c.Valid[row] {
				v = "(null)"
			}
			out = append(out, review.Field{Name: name, Value: v})
		}
	}
	return out
}

// queueNeighbours is how many nearest labelled rows a review item of a
// likely label error shows.
const queueNeighbours = 5

// IssuesQueue turns flagged rows into a review queue, likeliest errors
// first: each item shows the row's values (the columns of show in t),
// the given and the suggested label, the class probabilities, and the
// row's nearest labelled rows with their labels (on the baseline's
// features, or on t's columns but the label, the probabilities and
// identifiers; left out when the data is too large for an exact search).
func IssuesQueue(r *IssuesReport, t *Table, show []string) []review.Item {
	items := make([]review.Item, 0, len(r.Issues))
	var feats []*Column
	if r.Baseline != nil {
		feats = neighbourFeatures(t, r.Baseline.Features, nil)
	} else {
		feats = neighbourFeatures(t, nil, append([]string{r.Label}, r.probCols...))
	}
	queries := make([]int, len(r.Issues))
	for i, is := range r.Issues {
		queries[i] = is.Row
	}
	near := nearestLabelled(feats, r.labels, queries, queueNeighbours)
	var names []string
	for _, c := range feats {
		names = append(names, c.Name)
	}
	for qi, is := range r.Issues {
		probs := make(map[string]float64, len(r.Classes))
		for k, c := range r.Classes {
			probs[c] = r.probs.Row(is.Row)[k]
		}
		items = append(items, review.Item{
			ID: "row:" + strconv.Itoa(is.Row), Rows: []int{is.Row},
			Score: 1 - is.Score, Given: is.Given, Suggested: is.Suggested, Classes: r.Classes,
			Fields: queueFields(t, is.Row, show),
			Evidence: review.Evidence{Probs: probs,
				Note: fmt.Sprintf("Flagged by %s; label quality %.4f (%s). Probabilities: %s.", r.Filter, is.Score, r.Rank, r.ProbsFrom)},
		})
		if near != nil {
			items[qi].Evidence.Neighbours = &review.Neighbours{Columns: names, Rows: near[qi]}
		}
	}
	return items
}
