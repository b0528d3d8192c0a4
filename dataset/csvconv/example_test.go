package csvconv_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/assayhq/assay/dataset/csvconv"
)

func Example() {
	ctx := context.Background()
	files := []string{"testdata/example.csv"}
	opts := csvconv.DefaultOptions()

	cols, err := csvconv.Infer(ctx, files, opts)
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range cols {
		fmt.Printf("%s %s\n", c.Name, c.Type)
	}

	var out bytes.Buffer // a file or a repository object in practice
	n, err := csvconv.Convert(ctx, files[0], &out, cols, opts)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(n, "rows")
	// Output:
	// id int64
	// name string
	// score float64
	// active bool
	// signed_up timestamp
	// 3 rows
}

func ExampleParseTypeHints() {
	// Values of a repeated --schema flag.
	hints, err := csvconv.ParseTypeHints([]string{"id=string", "score=float64,active=string"})
	if err != nil {
		log.Fatal(err)
	}
	opts := csvconv.DefaultOptions()
	opts.Types = hints

	cols, err := csvconv.Infer(context.Background(), []string{"testdata/example.csv"}, opts)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cols)
	// Output:
	// [{id string} {name string} {score float64} {active string} {signed_up timestamp}]
}

func ExampleSchema() {
	schema, err := csvconv.Schema([]csvconv.Column{
		{Name: "id", Type: csvconv.Int64},
		{Name: "at", Type: csvconv.Timestamp},
		{Name: "name", Type: csvconv.String},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(schema)
	// Output:
	// message schema {
	//	optional int64 id (INT(64,true));
	//	optional int64 at (TIMESTAMP(isAdjustedToUTC=true,unit=MICROS));
	//	optional binary name (STRING);
	// }
}

func ExampleParseError() {
	ctx := context.Background()
	file := "testdata/late-text.csv" // "n/a" in row 3, after the sample
	opts := csvconv.Options{SampleRows: 2}

	cols, err := csvconv.Infer(ctx, []string{file}, opts)
	if err != nil {
		log.Fatal(err)
	}
	_, err = csvconv.Convert(ctx, file, new(bytes.Buffer), cols, opts)
	var pe *csvconv.ParseError
	if errors.As(err, &pe) {
		fmt.Println(pe.Line, pe.Column, pe.Value)
	}
	fmt.Println(err)
	// Output:
	// 4 2 n/a
	// testdata/late-text.csv:4:2: column "TotalCharges": "n/a" is not float64 (inferred from the first 2 rows); pass --schema TotalCharges=string to keep it as text
}
