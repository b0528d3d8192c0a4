package metrics

import "errors"

// Errors returned by this package. They are wrapped with the detail at
// hand (the row, the class, the metric); test for them with errors.Is.
var (
	// ErrEmpty means there are no rows to evaluate.
	ErrEmpty = errors.New("no rows")

	// ErrInvalid means the input is malformed: lengths that do not
	// agree, a class code out of range, a probability that is NaN or
	// outside [0, 1], a regression value that is not finite, a group
	// column that does not fit the rows, an unknown metric name.
	ErrInvalid = errors.New("invalid input")

	// ErrUndefined means a metric is not defined for the rows given,
	// such as ROC AUC when y holds only one class. The metric's value
	// is NaN; the wrapping error says why.
	ErrUndefined = errors.New("metric undefined")
)
