package expr

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/assayhq/assay/dataset"
)

func TestAggregate(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		src    string
		calls  []string
		values []float64
		want   any
	}{
		{`mean(income) >= 20000 && null_fraction(segment) < 0.01`, []string{"mean(income)", "null_fraction(segment)"}, []float64{25000, 0}, true},
		{`mean(income) >= 20000 && null_fraction(segment) < 0.01`, nil, []float64{25000, 0.5}, false},
		{`mean(income) >= 20000 && mean(income) <= 90000`, []string{"mean(income)"}, []float64{100000}, false},
		{`sum(age) == sum(n)`, []string{"sum(age)", "sum(n)"}, []float64{10, 10}, true},
		{`quantile(income, 0.99) < 5`, []string{"quantile(income, 0.99)"}, []float64{4}, true},
		{`quantile(income, .5) == median(income)`, []string{"quantile(income, 0.5)", "median(income)"}, []float64{3, 3}, true},
		{`row_count > 0`, []string{"row_count"}, []float64{0}, false},
		{`row_count() > 0 && row_count < 10`, []string{"row_count"}, []float64{3}, true},
		{`distinct(segment) == 8`, []string{"distinct(segment)"}, []float64{8}, true},
		{`mean(churn) == 0.6 && sum(churn) == 3`, []string{"mean(churn)", "sum(churn)"}, []float64{0.6, 3}, true},
		{`count(segment) + nulls(segment) == row_count`, []string{"count(segment)", "nulls(segment)", "row_count"}, []float64{7, 1, 8}, true},
		{`stddev(income) / mean(income)`, []string{"stddev(income)", "mean(income)"}, []float64{5, 10}, 0.5},
		{`abs(variance(age) - 4) < 0.1`, []string{"variance(age)"}, []float64{4.05}, true},
		{`min(age) >= 0 and max(age) <= 120`, []string{"min(age)", "max(age)"}, []float64{-1, 150}, false},
		{`unique_fraction($env["Monthly Charges"]) > 0.9`, []string{"unique_fraction(Monthly Charges)"}, []float64{1}, true},
		// An undefined aggregate is null, and Kleene logic applies.
		{`mean(income) > 0`, nil, []float64{nan}, nil},
		{`row_count == 0 || mean(income) > 0`, nil, []float64{0, nan}, true},
		{`row_count > 0 && mean(income) > 0`, nil, []float64{0, nan}, false},
		{`mean(income) ?? 0`, nil, []float64{nan}, 0.0},
		{`max(income) - min(income)`, nil, []float64{10, 2.5}, 7.5},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			a, err := CompileAggregate(tt.src, testSchema, Aggregates())
			if err != nil {
				t.Fatal(err)
			}
			if tt.calls != nil {
				var texts []string
				for _, c := range a.Calls() {
					texts = append(texts, c.Text)
				}
				if !slices.Equal(texts, tt.calls) {
					t.Errorf("calls %q, want %q", texts, tt.calls)
				}
			}
			got, err := a.Eval(tt.values)
			if err != nil {
				t.Fatal(err)
			}
			if !same(got, tt.want) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestAggregateCall(t *testing.T) {
	cols := append(testSchema[:0:0], testSchema...)
	cols = append(cols, dataset.Column{Name: "score", Type: dataset.Float64})
	a, err := CompileAggregate(`quantile(score, 0.25) < quantile(score, 1)`, cols, Aggregates())
	if err != nil {
		t.Fatal(err)
	}
	c := a.Calls()[1]
	if c.Func != "quantile" || c.Column != "score" || !slices.Equal(c.Params, []float64{1}) || c.Text != "quantile(score, 1)" {
		t.Errorf("call %+v", c)
	}
	if a.Type() != Bool {
		t.Errorf("Type() = %s, want bool", a.Type())
	}
	if _, err := a.Eval([]float64{1}); !errors.Is(err, ErrEval) {
		t.Errorf("Eval with too few values: %v, want ErrEval", err)
	}
}

func TestAggregateErrors(t *testing.T) {
	tests := []struct {
		src   string
		class error
		col   int
		msg   string
	}{
		{`avg(income) > 0`, ErrUnknownFunction, 1, "unknown aggregate avg (known: count, distinct, max, mean, median"},
		{`mean(segment) > 0`, ErrType, 6, "mean needs a numeric or bool column; segment is string"},
		{`quantile(ts, 0.5) > 0`, ErrType, 10, "quantile needs a numeric or bool column; ts is timestamp[ms]"},
		{`mean(incomee) > 0`, ErrUnknownColumn, 6, `unknown column "incomee" (did you mean "income"?)`},
		{`quantile(income, 2) < 1`, ErrType, 18, "quantile 2 is outside [0, 1]"},
		{`quantile(income) < 1`, ErrType, 1, "quantile takes 2 arguments (quantile(column, number)), got 1"},
		{`quantile(income, age) < 1`, ErrType, 18, "must be a number literal"},
		{`mean(1) > 0`, ErrType, 6, "the argument of mean must be a column"},
		{`income > 0`, ErrType, 1, "column income is used outside an aggregate"},
		{`row_count(age) > 0`, ErrType, 1, "row_count takes 0 arguments"},
		{`mean(income) > "x"`, ErrType, 14, "mismatched types float and string"},
		{`mean(income) >`, ErrSyntax, 14, "unexpected token EOF"},
		{`all([1], {# > 0})`, ErrUnsupported, 1, "not supported in an aggregate expression"},
		{`foo > 1`, ErrUnknownFunction, 1, "unknown aggregate foo"},
		{`mean(dec) > 1`, ErrUnknownColumn, 6, "cannot be read"},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			_, err := CompileAggregate(tt.src, testSchema, Aggregates())
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v (%T), want an *Error", err, err)
			}
			if !errors.Is(err, tt.class) {
				t.Errorf("error %q is not %v", err, tt.class)
			}
			if e.Column != tt.col || !strings.Contains(e.Msg, tt.msg) {
				t.Errorf("got %q at column %d, want %q at column %d", e.Msg, e.Column, tt.msg, tt.col)
			}
		})
	}
}
