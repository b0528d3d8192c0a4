package dataset_test

import (
	"errors"
	"fmt"

	"github.com/assayhq/assay/dataset"
)

func ExampleParseRef() {
	for _, s := range []string{
		"churn",
		"churn@3",
		"churn@prod",
		"churn@~1",
		"churn@2026-11-01",
		"exports/*.parquet",
	} {
		r, err := dataset.ParseRef(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%-18s %-8s %s\n", s, r.Kind, r)
	}

	_, err := dataset.ParseRef("churn@")
	fmt.Println(err)
	fmt.Println(errors.Is(err, dataset.ErrInvalid))
	// Output:
	// churn              head     churn
	// churn@3            version  churn@v3
	// churn@prod         tag      churn@prod
	// churn@~1           back     churn@~1
	// churn@2026-11-01   time     churn@2026-11-01T00:00:00Z
	// exports/*.parquet  path     exports/*.parquet
	// bad ref "churn@": empty selector after "@" (use name, name@v3, name@TAG, name@~1 or name@2026-11-01T00:00:00Z)
	// true
}

func ExampleRef_String() {
	r := dataset.Ref{Name: "churn", Kind: dataset.RefVersion, Version: 42}
	fmt.Println(r)
	// Output: churn@v42
}

func ExampleValidateName() {
	fmt.Println(dataset.ValidateName("dataset", "churn-2026"))
	fmt.Println(dataset.ValidateName("tag", "v3"))
	fmt.Println(dataset.ValidateName("dataset", "../etc"))
	// Output:
	// <nil>
	// tag name "v3" looks like a version number
	// dataset name "../etc" contains "/"; use letters, digits, '.', '_' and '-'
}

func ExampleIsGlob() {
	fmt.Println(dataset.IsGlob("exports/part-*.parquet"))
	fmt.Println(dataset.IsGlob("exports/part-0.parquet"))
	// Output:
	// true
	// false
}
