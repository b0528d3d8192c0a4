package conflicts_test

import (
	"context"
	"fmt"

	"github.com/assayhq/assay/labels/conflicts"
)

func ExampleExact() {
	// Six customers; rows 0, 2 and 4 are the same once trimmed and
	// case-folded, rows 1 and 5 too, row 3 is alone.
	cols := []conflicts.Column{
		conflicts.Text("contract", []string{"Month-to-month", "One year", " month-to-month", "Two year", "MONTH-TO-MONTH", "one year"}, nil),
		conflicts.Numeric("tenure", []float64{1, 12, 1, 24, 1.004, 12}, nil),
	}
	labels := conflicts.Labels{Codes: []int{1, 0, 1, 0, 0, 0}, Classes: []string{"No", "Yes"}}
	res, err := conflicts.Exact(cols, labels, conflicts.Options{CaseFold: true, FloatTolerance: 0.01})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, g := range res.Groups {
		fmt.Printf("rows %v: suggest %s (score %.2f)\n", g.Rows, labels.Classes[g.Suggested], g.Score)
	}
	fmt.Printf("%d conflicting rows; %d duplicate group agrees\n", res.ConflictingRows, res.AgreeingGroups)
	// Output:
	// rows [0 2 4]: suggest Yes (score 0.33)
	// 3 conflicting rows; 1 duplicate group agrees
}

func ExampleNear() {
	// Ages and incomes; row 1 is a near copy of row 0 with another label.
	cols := []conflicts.Column{
		conflicts.Numeric("age", []float64{34, 34, 51, 23, 67}, nil),
		conflicts.Numeric("income", []float64{52000, 52100, 81000, 30500, 44000}, nil),
	}
	labels := conflicts.Labels{Codes: []int{0, 1, 0, 0, 1}, Classes: []string{"good", "bad"}}
	res, err := conflicts.Near(context.Background(), cols, labels, conflicts.NearOptions{Radius: 0.1})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, g := range res.Groups {
		fmt.Printf("rows %v around row %d, %.3f apart\n", g.Rows, g.Anchor, g.Distance)
	}
	// Output:
	// rows [0 1] around row 0, 0.006 apart
}
