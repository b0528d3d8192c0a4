// Package expr evaluates expr-lang expressions (github.com/expr-lang/expr)
// over Arrow record batches, a column at a time.
//
// Rule files and feature definitions hold expressions such as
//
//	age >= 18 || segment == "student"
//
// Compile parses one with expr-lang's parser, checks it against a dataset
// schema and turns it into a tree of typed vector operations (a Program).
// An Evaluator, one per goroutine, runs the tree over a record batch:
// every operation is a loop over a whole column into reused scratch
// buffers, so evaluation allocates nothing per row (nor, once the buffers
// have grown, per batch).
//
// # Glossary
//
//   - Program: a compiled expression. Immutable; share it between
//     goroutines.
//   - Evaluator: the scratch space of one worker; Eval returns a Vector
//     that stays valid until the next call.
//   - Vector: the value of an expression for every row of a batch, typed
//     by Type, with a null mask.
//   - Vectorized path: the tree of vector operations. Fallback path:
//     expressions outside the vectorized subset run on expr-lang's own VM,
//     one row at a time (allocating); Program.Vectorized reports which.
//   - Aggregate: an expression over aggregate calls (mean(income) > 0) for
//     metric rules; see CompileAggregate.
//
// # Types
//
// Columns map to types as follows: bool → Bool; int32, int64 → Int
// (int64); float32, float64 → Float (float64); string and binary →
// String (bytes, compared byte-wise); date, timestamp[ms|us|ns] → Time, an
// instant held as ticks since the Unix epoch (timestamps without a time
// zone are read as UTC). Durations (duration("1h"), ts1 - ts2) have type
// Duration. Literals are ints, floats, strings, bools, nil (type Null) and
// arrays (on the right of in).
//
// # Nulls
//
// Nulls follow SQL's three-valued logic:
//
//   - arithmetic, comparisons, string operators and functions with a null
//     operand give null;
//   - && (and) and || (or) are Kleene: false && null is false, true ||
//     null is true, otherwise a null operand gives null;
//   - ! (not) of null is null;
//   - x == nil and x != nil test nullness and are never null;
//   - a ?? b is b where a is null;
//   - c ? a : b is null where c is null;
//   - x in [...] is null where x is null, and also where x is not found
//     and the array holds nil.
//
// What a null verdict means is for the caller (a rule) to decide.
//
// # Operators
//
// Arithmetic: + - * on Ints gives an Int (wrapping on overflow), / always
// gives a Float (x / 0 is ±Inf or NaN, as in Go and expr), % takes Ints
// and gives null for a zero divisor, ** and ^ give a Float; an Int meeting
// a Float is converted to Float. Unary - and +. Strings concatenate with
// +. Times: time ± duration is a time, time - time is a duration,
// durations add, subtract and multiply by Ints.
//
// Comparisons: == != < <= > >= between numbers (5 == 5.0), strings
// (byte-wise), times (as instants), durations; == and != between bools. A
// time compared with a string literal parses the literal at compile time
// as RFC 3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05" or a date
// "2006-01-02" (UTC unless the literal has an offset).
//
// Membership: x in [...] and x not in [...] for strings, numbers and
// bools; constant members become a hash set, others a chain of ==.
//
// Strings: contains, startsWith, endsWith (either side may be a column),
// matches (a regular-expression search, as regexp.Match; the pattern must
// be a string literal to be vectorized and is compiled once; a pattern
// that is not valid is a compile error). Common patterns, those whose
// character classes are ASCII or cover all of non-ASCII, run on a small
// DFA built at compile time; others on package regexp.
//
// Functions: len (characters of a string), lower, upper, trim (with an
// optional literal cutset), trimPrefix and trimSuffix (literal prefix or
// suffix, a space by default), abs, ceil, floor, round (ceil, floor and
// round give Floats, as in expr), int and float (of numbers, or of
// strings: int takes decimal integers with an optional sign, float
// decimal notation, inf and nan; a string that does not parse, NaN, ±Inf
// and floats out of the int64 range give null where expr-lang would stop
// with an error), string (of bools and numbers, as fmt's %v), now()
// (fixed once at compile time; see Now), date("…") (with an optional
// layout) and duration("…") with literal arguments.
//
// Times are int64 ticks of their column's unit (days for dates); an
// operation that needs a finer unit converts, and values beyond what the
// finer unit holds (nanoseconds: the years 1678 to 2261) saturate. Adding
// a literal duration keeps the coarsest unit that holds it exactly.
//
// A column whose name is not an identifier can be referenced as
// $env["Monthly Charges"].
//
// # Fallback
//
// Anything else expr-lang accepts (closures such as all(…), maps, member
// access, let, other builtins, non-literal patterns) compiles with
// expr.Compile and runs on its VM once per row with a reused environment;
// so does an expression the vectorized type checks reject but expr-lang
// accepts (it is laxer with mixed types). Program.Vectorized reports false and Program.Fallback says why, so that
// callers can warn. On that path nulls are expr-lang's nil: operators
// that accept nil behave as expr-lang defines them (nil == nil is true,
// nil matches "x" is false), and a row whose evaluation fails while one
// of the referenced columns is null evaluates to null; a failure on a row
// without nulls is an error. Kleene logic does not hold there (expr
// short-circuits, and a failing comparison with nil makes the whole row
// null).
//
// # Errors
//
// Compile errors (syntax, an unknown column or function, a type mismatch)
// are *Error values carrying the byte offset, the 1-based line and column
// (in characters) of the offending token within the source, and a
// snippet; errors.Is tells their class (ErrSyntax, ErrUnknownColumn,
// ErrUnknownFunction, ErrType, ErrUnsupported). Nothing panics on any
// input: a panic inside the compiler or an evaluator is recovered and
// returned as an error.
package expr
