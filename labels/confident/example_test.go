package confident_test

import (
	"fmt"

	"github.com/assayhq/assay/labels/confident"
)

func ExampleFindIssues() {
	// Six rows, three classes. Row 4 is labelled 0 but the model is sure
	// it is class 2.
	labels := []int{0, 0, 1, 1, 0, 2}
	p := confident.Probs{N: 6, K: 3, Data: []float64{
		0.8, 0.1, 0.1,
		0.7, 0.2, 0.1,
		0.1, 0.8, 0.1,
		0.2, 0.7, 0.1,
		0.1, 0.1, 0.8,
		0.1, 0.2, 0.7,
	}}
	res, err := confident.FindIssues(labels, p, confident.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, i := range res.Order {
		fmt.Printf("row %d: given %d, suggested %d, score %.2f\n", i, labels[i], res.SuggestedLabel[i], res.Scores[i])
	}
	fmt.Println("estimated issues:", res.NumIssues)
	fmt.Println("confident joint:", res.ConfidentJoint)
	// Output:
	// row 4: given 0, suggested 2, score 0.10
	// estimated issues: 1
	// confident joint: [[2 0 1] [0 1 0] [0 0 1]]
}

func ExampleScores() {
	labels := []int{0, 1, 1}
	p := confident.Probs{N: 3, K: 2, Data: []float64{0.9, 0.1, 0.6, 0.4, 0.3, 0.7}}
	s, err := confident.Scores(labels, p, confident.RankNormalizedMargin)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.2f\n", s)
	// Output:
	// [0.90 0.40 0.70]
}

func ExampleValidate() {
	labels := []int{0, 1, 3}
	p := confident.Probs{N: 3, K: 2, Data: []float64{0.9, 0.1, 0.6, 0.4, 0.3, 0.7}}
	fmt.Println(confident.Validate(labels, p, confident.DefaultSumTol))
	// Output:
	// row 2: label 3 is not a class in [0, 2)
}
