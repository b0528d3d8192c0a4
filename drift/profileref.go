package drift

import (
	"context"
	"fmt"
	"math"
	"sort"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/profile"
)

// Where the reference side comes from (Options.ReferenceFrom).
const (
	// ReferenceAuto reads the reference's rows unless it is a dataset
	// version with a stored profile, more rows than the sample cap, and
	// neither concept nor multivariate drift is asked for (those need
	// rows): then it uses the profile.
	ReferenceAuto = "auto"
	// ReferenceData always reads the reference's rows.
	ReferenceData = "data"
	// ReferenceProfile always uses the profile stored with the reference
	// version, never reading its data.
	ReferenceProfile = "profile"
)

// useProfile decides whether the reference comes from its stored profile.
func useProfile(ref *dataset.Source, opts Options) (bool, error) {
	stored := ref.Manifest != nil && ref.Manifest.ProfileObject != ""
	rowsNeeded := opts.needsRows()
	switch opts.ReferenceFrom {
	case ReferenceData:
		return false, nil
	case ReferenceProfile:
		if !stored {
			return false, fmt.Errorf("%w: --reference-from profile: %s is not a dataset version with a stored profile", dataset.ErrInvalid, ref.Label)
		}
		if rowsNeeded {
			return false, fmt.Errorf("%w: --reference-from profile: concept and multivariate drift need the reference's rows (use --reference-from data)", dataset.ErrInvalid)
		}
		return true, nil
	}
	return stored && !rowsNeeded && ref.Manifest.Rows > int64(opts.SampleCap), nil
}

// profileSides builds the reference side of each column from the profile
// stored with the reference version.
func profileSides(ctx context.Context, ref *dataset.Source, cols dataset.Schema, sampleCap int) (map[string]*side, error) {
	p, err := ref.Profile(ctx, cols.Names(), 1)
	if err != nil {
		return nil, err
	}
	out := make(map[string]*side, len(cols))
	for _, c := range cols {
		pc := p.Column(c.Name)
		if pc == nil {
			return nil, fmt.Errorf("%w: %s: the stored profile has no column %q", dataset.ErrInvalid, ref.Label, c.Name)
		}
		out[c.Name] = sideFromProfile(pc, sampleCap)
	}
	return out, nil
}

// sideFromProfile turns a column's profile into a test side.
//
// Numbers: while the profile counts every distinct value (at most
// profile.ExactDistinctCap) the side is the column's values exactly; a
// column of more values than sampleCap is represented by sampleCap
// values at evenly spaced ranks (a systematic sample). Past the exact
// cap, the values come from the KLL sketch at evenly spaced ranks,
// within its rank error. The side's smallest and largest values are the
// column's exact minimum and maximum, so bins span the true range.
//
// Categories: every value's exact count while the profile is exact;
// otherwise the frequent values the Misra-Gries summary kept, with the
// remaining values counted together as rest.
func sideFromProfile(pc *profile.Column, sampleCap int) *side {
	s := pc.Summary()
	sd := &side{rows: s.Count, missing: s.Nulls + s.NaN, fromProfile: true}
	nonMissing := s.Count - s.Nulls - s.NaN
	switch pc.Kind {
	case profile.KindString, profile.KindBinary:
		vals, counts, exact := pc.Frequencies()
		sd.counts = make(map[string]int64, len(vals))
		var listed int64
		for i, v := range vals {
			sd.counts[v] = counts[i]
			listed += counts[i]
		}
		if !exact {
			sd.rest = max(nonMissing-listed, 0)
		}
		sd.sketched = !exact
		return sd
	case profile.KindBool:
		var trues int64
		if s.True != nil {
			trues = *s.True
		}
		vals := []float64{0, 1}
		cum := []int64{nonMissing - trues, nonMissing}
		sd.sorted = expand(vals, cum, nonMissing, sampleCap)
		return sd
	}
	vals, cum, exact := pc.Distribution()
	if len(vals) == 0 {
		return sd
	}
	sd.sorted = expand(vals, cum, nonMissing, sampleCap)
	if s.Min != nil && s.Max != nil && len(sd.sorted) > 0 {
		sd.sorted[0], sd.sorted[len(sd.sorted)-1] = float64(*s.Min), float64(*s.Max)
	}
	sd.sketched = !exact
	return sd
}

// expand returns m = min(n, sampleCap) values of the distribution given
// as sorted values with cumulative weights: every value when the weights
// are exact counts summing to m, else the values at ranks (i+½)·W/m.
func expand(vals []float64, cum []int64, n int64, sampleCap int) []float64 {
	total := cum[len(cum)-1]
	if total <= 0 || n <= 0 {
		return nil
	}
	m := int(min(n, int64(sampleCap)))
	out := make([]float64, m)
	if int64(m) == total {
		j := 0
		for i := range out {
			for int64(i) >= cum[j] {
				j++
			}
			out[i] = vals[j]
		}
		return out
	}
	step := float64(total) / float64(m)
	j := 0
	for i := range out {
		r := int64(math.Floor((float64(i) + 0.5) * step))
		if r >= cum[j] {
			j += sort.Search(len(cum)-j, func(k int) bool { return cum[j+k] > r })
			j = min(j, len(cum)-1)
		}
		out[i] = vals[j]
	}
	return out
}
