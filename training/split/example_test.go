package split_test

import (
	"fmt"

	"github.com/assayhq/assay/training/split"
)

func ExampleTrainTest() {
	// Twenty rows, a quarter of them class 1: each part keeps that share.
	y := make([]int32, 20)
	for i := range y {
		if i%4 == 3 {
			y[i] = 1
		}
	}
	train, valid, test, err := split.TrainTest(len(y), split.Options{TestFraction: 0.2, ValidFraction: 0.2, Seed: 1, Stratify: y})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, part := range [][]int{train, valid, test} {
		ones := 0
		for _, r := range part {
			ones += int(y[r])
		}
		fmt.Printf("%d rows, %d of class 1: %v\n", len(part), ones, part)
	}
	// Output:
	// 12 rows, 3 of class 1: [1 4 6 7 9 10 11 12 14 16 17 19]
	// 4 rows, 1 of class 1: [0 13 15 18]
	// 4 rows, 1 of class 1: [2 3 5 8]
}

func ExampleKFold() {
	folds, err := split.KFold(7, 3, 1, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range folds {
		fmt.Println(f.Test, f.Train)
	}
	// Output:
	// [2 3 5] [0 1 4 6]
	// [0 1] [2 3 4 5 6]
	// [4 6] [0 1 2 3 5]
}
