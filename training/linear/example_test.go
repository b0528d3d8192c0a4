package linear_test

import (
	"context"
	"fmt"
	"math"

	"github.com/assayhq/assay/training/frame"
	"github.com/assayhq/assay/training/linear"
)

func ExampleFit() {
	// Churn by monthly charge and contract; one charge is missing.
	x := &frame.Matrix{Rows: 8, Features: []frame.Feature{
		{Name: "charge", Kind: frame.Numeric, Num: []float64{20, 25, 30, math.NaN(), 80, 85, 90, 95}},
		{Name: "contract", Kind: frame.Categorical, Levels: []string{"monthly", "yearly"},
			Cat: []int32{1, 1, 0, 1, 0, 0, 1, 0}},
	}}
	y := &frame.Target{Name: "churn", Classes: []string{"no", "yes"}, Class: []int32{0, 0, 0, 0, 1, 1, 0, 1}}
	m, err := linear.Fit(context.Background(), x, y, linear.Options{Design: linear.DesignOptions{Standardize: true}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Design.Columns())

	// New rows, with a contract level never seen in training.
	z := &frame.Matrix{Rows: 2, Features: []frame.Feature{
		{Name: "charge", Kind: frame.Numeric, Num: []float64{22, 92}},
		{Name: "contract", Kind: frame.Categorical, Levels: []string{"monthly", "weekly"}, Cat: []int32{0, 1}},
	}}
	proba := make([]float64, 2*len(m.Classes))
	if err := m.PredictProba(proba, z); err != nil {
		fmt.Println(err)
		return
	}
	pred, _ := m.Predict(z)
	for i := range 2 {
		fmt.Printf("P(churn) %.2f → %s\n", proba[2*i+1], pred.Classes[pred.Class[i]])
	}

	data, _ := m.MarshalBinary()
	var back linear.Model
	fmt.Println(back.UnmarshalBinary(data))
	// Output:
	// [charge contract=monthly contract=yearly]
	// P(churn) 0.22 → no
	// P(churn) 0.56 → yes
	// <nil>
}
