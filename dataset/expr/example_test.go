package expr_test

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/expr"
)

var customers = dataset.Schema{
	{Name: "age", Type: dataset.Int32, Nullable: true},
	{Name: "segment", Type: dataset.String, Nullable: true},
	{Name: "signup_ts", Type: dataset.TimestampMS, UTC: true},
}

// batch returns four rows of customers.
func batch() arrow.RecordBatch {
	b := array.NewRecordBuilder(memory.DefaultAllocator, customers.Arrow())
	defer b.Release()
	b.Field(0).(*array.Int32Builder).AppendValues([]int32{34, 16, 0, 15}, []bool{true, true, false, true})
	b.Field(1).(*array.StringBuilder).AppendValues([]string{"consumer", "student", "senior", "consumer"}, nil)
	ts := b.Field(2).(*array.TimestampBuilder)
	for _, d := range []string{"2019-05-01", "2024-02-10", "2021-07-30", "2025-01-02"} {
		t, _ := time.Parse(time.DateOnly, d)
		ts.AppendTime(t)
	}
	return b.NewRecordBatch()
}

func ExampleCompile() {
	p, err := expr.Compile(`age >= 18 || segment == "student"`, customers)
	if err != nil {
		fmt.Println(err)
		return
	}
	rec := batch()
	defer rec.Release()
	v, err := p.NewEvaluator().Eval(rec)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Type(), p.Columns(), p.Vectorized())
	for i := range v.Len {
		fmt.Println(i, v.Value(i))
	}
	// Output:
	// bool [age segment] true
	// 0 true
	// 1 true
	// 2 <nil>
	// 3 false
}

func ExampleCompile_error() {
	_, err := expr.Compile("age >= 18 &&\n  segment > 5", customers)
	var e *expr.Error
	if errors.As(err, &e) {
		fmt.Println(e.Line, e.Column, e.Msg)
		fmt.Println(e.Snippet)
	}
	// Output:
	// 2 11 invalid operation: segment > 5 (mismatched types string and int)
	//  |   segment > 5
	//  | ..........^
}

func ExampleEvaluator_EvalBool() {
	p, err := expr.Compile(`signup_ts >= "2021-01-01" && age < 18`, customers)
	if err != nil {
		fmt.Println(err)
		return
	}
	rec := batch()
	defer rec.Release()
	verdicts := make([]byte, rec.NumRows()) // 0 false, 1 true, 2 null
	if err := p.NewEvaluator().EvalBool(rec, verdicts); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(verdicts)
	// Output:
	// [0 1 2 1]
}

func ExampleProgram_Vectorized() {
	// Closures are outside the vectorized subset: the program runs on
	// expr-lang's VM, and says so.
	p, err := expr.Compile(`any(["consumer", "senior"], {# == segment})`, customers)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Vectorized())
	fmt.Println(p.Fallback())
	// Output:
	// false
	// 1:1: any() is not vectorized
}

func ExampleCompileAggregate() {
	a, err := expr.CompileAggregate(`mean(age) >= 18 && null_fraction(age) < 0.1 && row_count > 0`, customers, expr.Aggregates())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range a.Calls() {
		fmt.Println(c.Text)
	}
	// The caller computes each call: mean 21.7, null fraction 0.25, 4 rows.
	v, err := a.Eval([]float64{21.7, 0.25, 4})
	fmt.Println(v, err)
	// An undefined aggregate (the mean of no values) is null (NaN here),
	// and so is the verdict unless the rest decides it.
	v, err = a.Eval([]float64{math.NaN(), 0, 4})
	fmt.Println(v, err)
	// Output:
	// mean(age)
	// null_fraction(age)
	// row_count
	// false <nil>
	// <nil> <nil>
}
