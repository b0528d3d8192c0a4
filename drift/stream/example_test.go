package stream_test

import (
	"fmt"

	"github.com/assayhq/assay/drift/stream"
)

// A model's errors (1 = wrong) at a 10% rate, then at 60%.
func errorStream() []float64 {
	var xs []float64
	for i := range 600 {
		e := 0.0
		if i%10 == 3 || (i >= 300 && i%10 < 6) {
			e = 1
		}
		xs = append(xs, e)
	}
	return xs
}

func ExampleRun() {
	d, _ := stream.New("adwin", nil) // river's defaults
	for _, e := range stream.Run(d, errorStream()) {
		fmt.Println(e.Kind, "at", e.Index)
	}
	// Output:
	// drift at 351
}

func ExampleParse() {
	d, err := stream.Parse("page_hinkley:threshold=20,mode=up")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d)
	fmt.Println(stream.Run(d, errorStream()))

	_, err = stream.Parse("eddm:alpha=0.8,gamma=2")
	fmt.Println(err)
	// Output:
	// page_hinkley:min_instances=30,delta=0.005,threshold=20,alpha=0.9999,mode=up
	// [{341 drift}]
	// eddm: gamma=2: unknown parameter (want warm_start, alpha, beta)
	// eddm: alpha=0.8: must be >= beta (0.9)
}

func ExampleNewDDM() {
	d, _ := stream.NewDDM(stream.DDMOptions{}) // zero options: river's defaults
	for i, x := range errorStream() {
		warning, drift := d.Update(x)
		if drift {
			fmt.Printf("drift at %d, error rate before the reset %.2f\n", i, d.Estimation())
		}
		_ = warning
	}
	// Output:
	// drift at 315, error rate before the reset 0.13
}

func ExampleADWIN_Estimation() {
	a, _ := stream.NewADWIN(stream.ADWINOptions{})
	for _, x := range errorStream() {
		if _, drift := a.Update(x); drift {
			// At the alarm the window has dropped its oldest values:
			// 108 at the old rate and the 52 since the change remain.
			fmt.Printf("window %d values, mean %.2f\n", a.Width(), a.Estimation())
		}
	}
	// Output:
	// window 160 values, mean 0.27
}
