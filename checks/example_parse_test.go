package checks_test

import (
	"fmt"

	"github.com/assayhq/assay/checks"
)

func ExampleParse() {
	rules := []byte(`dataset: churn
checks:
  - not_null: customerID
  - unique: customerID
  - between: {column: tenure, min: 0, max: 72}
    severity: warn
  - row: 'TotalCharges != nil || tenure == 0'
    name: only new customers lack a total
`)
	f, err := checks.Parse("churn.yaml", rules)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range f.Checks {
		fmt.Printf("line %d: %s %s%s (%s)\n", c.Pos.Line, c.Kind, c.Column, c.Expr, c.Severity)
	}
	// Output:
	// line 3: not_null customerID (error)
	// line 4: unique customerID (error)
	// line 5: between tenure (warn)
	// line 7: row TotalCharges != nil || tenure == 0 (error)
}

// A bad rule file reports all of its problems at once, each with its
// position.
func ExampleParse_problems() {
	rules := []byte(`checks:
  - not_nul: customerID
  - between: {column: tenure, min: 72, max: 0}
  - in_set: {column: Contract, values: [Month-to-month, One year]}
    severity: fatal
`)
	_, err := checks.Parse("churn.yaml", rules)
	fmt.Println(err)
	// Output:
	// churn.yaml:2:5: unknown key not_nul in a check; did you mean not_null?
	// churn.yaml:3:36: between: min 72 is greater than max 0
	// churn.yaml:5:15: severity: want error or warn, got "fatal"
}
