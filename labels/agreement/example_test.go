package agreement_test

import (
	"context"
	"fmt"

	"github.com/assayhq/assay/labels/agreement"
)

// Three annotators label five items with classes 0 (cat), 1 (dog) and
// 2 (bird); annotator 2 skipped item 4.
func example() agreement.Ratings {
	r, err := agreement.FromLong(
		[]int{0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4},
		[]int{0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1},
		[]int{0, 0, 0, 1, 1, 0, 2, 2, 2, 1, 0, 2, 1, 1},
		5, 3, 3)
	if err != nil {
		panic(err)
	}
	return r
}

func ExampleFromLong() {
	r, err := agreement.FromLong(
		[]int{0, 0, 1, 1},
		[]int{0, 1, 0, 0},
		[]int{2, 2, 1, 0}, // annotator 0 gives item 1 two labels
		2, 2, 3)
	fmt.Println(r.Items, err)
	// Output:
	// 0 row 3: annotator 0 labelled item 1 twice, as 1 and as 0
}

func ExampleCohenKappa() {
	pairs, _ := agreement.CohenKappa(example())
	for _, p := range pairs {
		fmt.Printf("%d-%d: kappa %.3f on %d items\n", p.A, p.B, p.Value, p.N)
	}
	// Output:
	// 0-1: kappa 0.688 on 5 items
	// 0-2: kappa 0.333 on 4 items
	// 1-2: kappa 0.200 on 4 items
}

// A single category used by everyone leaves kappa undefined: NaN with a
// reason, as sklearn returns nan.
func ExampleCohenKappa_undefined() {
	r := agreement.Ratings{Items: 3, Annotators: 2, K: 2, Labels: []int32{1, 1, 1, 1, 1, 1}}
	pairs, _ := agreement.CohenKappa(r)
	fmt.Println(pairs[0].Value, pairs[0].Undefined)
	// Output:
	// NaN no-variation
}

func ExampleFleissKappa() {
	k, _ := agreement.FleissKappa(example())
	fmt.Printf("kappa %.3f on %d items labelled by all\n", k.Value, k.N)
	// Output:
	// kappa 0.362 on 4 items labelled by all
}

func ExampleKrippendorffAlpha() {
	a, _ := agreement.KrippendorffAlpha(example())
	fmt.Printf("alpha %.3f from %d labels on %d units\n", a.Value, a.Pairable, a.Units)
	// Output:
	// alpha 0.500 from 14 labels on 5 units
}

func ExampleMajorityVote() {
	v, _ := agreement.MajorityVote(example())
	for i, l := range v.Labels {
		fmt.Printf("item %d: %d (share %.2f, tied %v)\n", i, l, v.Share[i], v.Tied[i])
	}
	// Output:
	// item 0: 0 (share 1.00, tied false)
	// item 1: 1 (share 0.67, tied false)
	// item 2: 2 (share 1.00, tied false)
	// item 3: 0 (share 0.33, tied true)
	// item 4: 1 (share 1.00, tied false)
}

func ExampleAnnotatorAgreement() {
	as, _ := agreement.AnnotatorAgreement(example())
	for a, s := range as {
		fmt.Printf("annotator %d: %d of %d agree with the others\n", a, s.Agreed, s.Compared)
	}
	// Output:
	// annotator 0: 3 of 5 agree with the others
	// annotator 1: 3 of 5 agree with the others
	// annotator 2: 2 of 4 agree with the others
}

func ExampleDawidSkene() {
	m, err := agreement.DawidSkene(context.Background(), example(), agreement.DSOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("consensus:", m.Labels)
	for a := range m.Annotators {
		fmt.Printf("annotator %d accuracy %.2f\n", a, m.Accuracy(a))
	}
	// Output:
	// consensus: [0 1 2 0 1]
	// annotator 0 accuracy 0.80
	// annotator 1 accuracy 1.00
	// annotator 2 accuracy 0.40
}
