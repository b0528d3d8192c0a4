package labels

import (
	"cmp"
	"slices"
	"strconv"
)

// Labels are a label column encoded as class codes.
type Labels struct {
	Column  string
	Codes   []int    // per row: the class's index in Classes, -1 where the label is missing
	Classes []string // the class names, sorted (numerically for numeric labels)
	Counts  []int64  // rows per class
	Missing int      // rows without a label
}

// Encode turns a label column into class codes. Classes are sorted: as
// numbers for a numeric column (0, 1, 2, 10), as text otherwise, which is
// the order Cleanlab and scikit-learn give classes, so class k is the k-th
// column of predicted probabilities.
func Encode(c *Column) *Labels {
	l := &Labels{Column: c.Name, Codes: make([]int, len(c.Valid))}
	if c.Numeric {
		var vals []float64
		seen := map[float64]bool{}
		for i, ok := range c.Valid {
			if ok && !seen[c.Num[i]] {
				seen[c.Num[i]] = true
				vals = append(vals, c.Num[i])
			}
		}
		slices.Sort(vals)
		index := make(map[float64]int, len(vals))
		for k, v := range vals {
			index[v] = k
			l.Classes = append(l.Classes, textOf(c, v))
		}
		for i, ok := range c.Valid {
			l.Codes[i] = -1
			if ok {
				l.Codes[i] = index[c.Num[i]]
			}
		}
	} else {
		index := map[string]int{}
		for i, ok := range c.Valid {
			if ok {
				index[c.Str[i]] = 0
			}
		}
		for k := range index {
			l.Classes = append(l.Classes, k)
		}
		slices.SortFunc(l.Classes, cmp.Compare[string])
		for k, name := range l.Classes {
			index[name] = k
		}
		for i, ok := range c.Valid {
			l.Codes[i] = -1
			if ok {
				l.Codes[i] = index[c.Str[i]]
			}
		}
	}
	l.Counts = make([]int64, len(l.Classes))
	for _, k := range l.Codes {
		if k < 0 {
			l.Missing++
		} else {
			l.Counts[k]++
		}
	}
	return l
}

// textOf renders a numeric label value as Text does.
func textOf(c *Column, v float64) string {
	if c.Type == "bool" {
		return strconv.FormatBool(v == 1)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// Class returns the code of a class name, or -1.
func (l *Labels) Class(name string) int {
	return slices.Index(l.Classes, name)
}
