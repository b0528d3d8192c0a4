package gbdt_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/assayhq/assay/training/frame"
	"github.com/assayhq/assay/training/gbdt"
)

func Example() {
	// Customers on a monthly plan with high charges churn more.
	rng := rand.New(rand.NewPCG(1, 2))
	n := 2000
	charges := make([]float64, n)
	plan := make([]int32, n)
	churn := make([]int32, n)
	for i := range n {
		charges[i] = 20 + 100*rng.Float64()
		plan[i] = int32(rng.IntN(3))
		risk := -3 + charges[i]/30
		if plan[i] == 0 {
			risk += 1.5
		}
		if rng.Float64() < 1/(1+math.Exp(-risk)) {
			churn[i] = 1
		}
	}
	x := &frame.Matrix{Rows: n, Features: []frame.Feature{
		{Name: "charges", Kind: frame.Numeric, Num: charges},
		{Name: "plan", Kind: frame.Categorical, Cat: plan, Levels: []string{"monthly", "one year", "two year"}},
	}}
	y := &frame.Target{Name: "churn", Task: frame.Classification, Class: churn, Classes: []string{"No", "Yes"}}

	p := gbdt.DefaultParams()
	p.MaxIter = 50
	m, err := gbdt.Train(context.Background(), x, y, p)
	if err != nil {
		fmt.Println(err)
		return
	}

	probe := &frame.Matrix{Rows: 2, Features: []frame.Feature{
		{Name: "plan", Kind: frame.Categorical, Cat: []int32{0, 1}, Levels: []string{"monthly", "one year"}},
		{Name: "charges", Kind: frame.Numeric, Num: []float64{110, 30}},
	}}
	proba := make([]float64, probe.Rows*len(m.Classes()))
	if err := m.PredictProba(probe, proba); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("P(churn | monthly, 110) > P(churn | one year, 30): %v\n", proba[1] > proba[3])
	imp := m.FeatureImportances()
	fmt.Printf("charges matter more than the plan: %v\n", imp[0] > imp[1])
	// Output:
	// P(churn | monthly, 110) > P(churn | one year, 30): true
	// charges matter more than the plan: true
}
