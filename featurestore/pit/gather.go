package pit

import "fmt"

// Gather returns the column of f picked by match: row i is row match[i] of
// f, or null when match[i] is -1 or that row of f is null. The result has
// the same name and type as f and always has a Valid slice.
func Gather(f Feature, match []int32) (Feature, error) {
	n := 0
	switch {
	case f.Float != nil:
		n = len(f.Float)
	case f.Int != nil:
		n = len(f.Int)
	case f.Str != nil:
		n = len(f.Str)
	case f.Bool != nil:
		n = len(f.Bool)
	}
	if err := validateFeature(&f, n); err != nil {
		return Feature{}, err
	}
	out := Feature{Name: f.Name, Valid: make([]bool, len(match))}
	for i, m := range match {
		if m < -1 || int(m) >= n {
			return Feature{}, fmt.Errorf("feature %q: match %d at row %d outside %d rows: %w", f.Name, m, i, n, ErrInvalid)
		}
		out.Valid[i] = m >= 0 && (f.Valid == nil || f.Valid[m])
	}
	switch {
	case f.Float != nil:
		out.Float = gather(f.Float, match, out.Valid)
	case f.Int != nil:
		out.Int = gather(f.Int, match, out.Valid)
	case f.Str != nil:
		out.Str = gather(f.Str, match, out.Valid)
	case f.Bool != nil:
		out.Bool = gather(f.Bool, match, out.Valid)
	default:
		out.Float = make([]float64, len(match)) // a typeless empty view: all null
	}
	return out, nil
}

// gather picks src[match[i]] where valid[i], leaving the zero value in null
// rows.
func gather[T any](src []T, match []int32, valid []bool) []T {
	out := make([]T, len(match))
	for i, m := range match {
		if valid[i] {
			out[i] = src[m]
		}
	}
	return out
}
