package linear

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/assayhq/assay/training/frame"
)

// DesignOptions says how FitDesign encodes numeric features.
type DesignOptions struct {
	// Standardize centres each numeric column on its training mean and
	// divides it by its training standard deviation, as StandardScaler
	// does after SimpleImputer.
	Standardize bool
}

// Design turns the features of a frame.Matrix into a design matrix. Its
// fields are its whole state: a Design built from them by hand (or read
// back by Model.UnmarshalBinary) transforms as the fitted one does.
type Design struct {
	Standardize bool
	Inputs      []Input
}

// Input is the encoding of one feature, matched by name at Transform.
type Input struct {
	Name string
	Kind frame.Kind
	// Numeric: Mean replaces a missing value. With Standardize the value
	// then becomes (v − Mean) / Scale. Scale is positive: 1 for a constant
	// column, and 1 when the design does not standardize.
	Mean, Scale float64
	// Categorical: the levels seen in training, sorted; each is a column.
	Levels []string
}

// width is the number of design columns of the input.
func (in *Input) width() int {
	if in.Kind == frame.Categorical {
		return len(in.Levels)
	}
	return 1
}

// FitDesign fits a design on the training rows m: the mean and standard
// deviation of each numeric feature over its present values, and the
// levels each categorical feature takes. A numeric feature missing in
// every row gets mean 0 and so a column of zeros (SimpleImputer would drop
// it; its coefficient is zero either way). Errors wrap ErrInvalid.
func FitDesign(m *frame.Matrix, opts DesignOptions) (*Design, error) {
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if m.Rows < 1 {
		return nil, fmt.Errorf("%w: no rows to fit a design on", ErrInvalid)
	}
	d := &Design{Standardize: opts.Standardize, Inputs: make([]Input, len(m.Features))}
	seen := make(map[string]bool, len(m.Features))
	for j := range m.Features {
		f := &m.Features[j]
		if seen[f.Name] {
			return nil, fmt.Errorf("%w: feature %q appears twice", ErrInvalid, f.Name)
		}
		seen[f.Name] = true
		in := Input{Name: f.Name, Kind: f.Kind}
		if f.Kind == frame.Categorical {
			used := make([]bool, len(f.Levels))
			for _, c := range f.Cat {
				if c >= 0 {
					used[c] = true
				}
			}
			for c, u := range used {
				if u {
					in.Levels = append(in.Levels, f.Levels[c])
				}
			}
			if !slices.IsSorted(in.Levels) {
				// frame promises sorted levels; sort rather than trust it,
				// since Transform maps levels by name anyway.
				slices.Sort(in.Levels)
			}
			in.Levels = slices.Compact(in.Levels)
		} else {
			mean, scale, err := moments(f)
			if err != nil {
				return nil, err
			}
			in.Mean, in.Scale = mean, 1
			if opts.Standardize {
				in.Scale = scale
			}
		}
		d.Inputs[j] = in
	}
	if d.Width() == 0 {
		return nil, fmt.Errorf("%w: the design has no columns (no features, or categorical features with no level)", ErrInvalid)
	}
	return d, nil
}

// moments returns the imputation mean of a numeric feature and the
// standard deviation of the imputed column, computed as SimpleImputer
// then StandardScaler do: the mean of the present values, then the
// corrected two-pass variance over all rows with missing values at that
// mean, and 1 for a column scikit-learn deems constant.
func moments(f *frame.Feature) (mean, scale float64, err error) {
	var sum float64
	present := 0
	for i, v := range f.Num {
		if math.IsInf(v, 0) {
			return 0, 0, fmt.Errorf("%w: feature %s, row %d: infinite value", ErrInvalid, f.Name, i)
		}
		if !math.IsNaN(v) {
			sum += v
			present++
		}
	}
	if present == 0 {
		return 0, 1, nil
	}
	mean = sum / float64(present)
	n := float64(len(f.Num))
	value := func(v float64) float64 {
		if math.IsNaN(v) {
			return mean
		}
		return v
	}
	var total float64
	for _, v := range f.Num {
		total += value(v)
	}
	centre := total / n
	var dev, dev2 float64
	for _, v := range f.Num {
		t := value(v) - centre
		dev += t
		dev2 += t * t
	}
	variance := (dev2 - dev*dev/n) / n
	// StandardScaler's tests for a constant column.
	const eps = 0x1p-52
	if variance <= n*eps*variance+(n*centre*eps)*(n*centre*eps) {
		return mean, 1, nil
	}
	scale = math.Sqrt(variance)
	if scale < 10*eps {
		scale = 1
	}
	return mean, scale, nil
}

// Width returns the number of design columns.
func (d *Design) Width() int {
	w := 0
	for i := range d.Inputs {
		w += d.Inputs[i].width()
	}
	return w
}

// Columns returns the names of the design columns: a numeric feature's
// name, or "feature=level" for a one-hot column.
func (d *Design) Columns() []string {
	out := make([]string, 0, d.Width())
	for i := range d.Inputs {
		in := &d.Inputs[i]
		if in.Kind == frame.Categorical {
			for _, l := range in.Levels {
				out = append(out, in.Name+"="+l)
			}
		} else {
			out = append(out, in.Name)
		}
	}
	return out
}

// Transform returns the design matrix of the rows of m, which must have
// every feature of the design, by name and of the same kind; other
// features are ignored. m's levels need not be the training levels:
// categories are matched by name. Errors wrap ErrInvalid.
func (d *Design) Transform(m *frame.Matrix) (*mat.Dense, error) {
	b, err := d.bind(m)
	if err != nil {
		return nil, err
	}
	if m.Rows < 1 {
		return nil, fmt.Errorf("%w: no rows to transform", ErrInvalid)
	}
	w := d.Width()
	data := make([]float64, m.Rows*w)
	if err := b.fill(data, 0, m.Rows); err != nil {
		return nil, err
	}
	return mat.NewDense(m.Rows, w, data), nil
}

// binding is a design applied to one frame: where each input's values
// are, and for a categorical input the design column of each of the
// frame's codes (−1: a level not seen in training).
type binding struct {
	d      *Design
	m      *frame.Matrix
	width  int
	inputs []boundInput
}

type boundInput struct {
	f      *frame.Feature
	offset int     // first design column
	column []int32 // categorical: code → column offset within the input, or −1
}

// bind matches the design's inputs to m's features.
func (d *Design) bind(m *frame.Matrix) (*binding, error) {
	if err := d.validate(); err != nil {
		return nil, fmt.Errorf("%w: design: %w", ErrInvalid, err)
	}
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	byName := make(map[string]int, len(m.Features))
	for j := range m.Features {
		byName[m.Features[j].Name] = j
	}
	b := &binding{d: d, m: m, width: d.Width(), inputs: make([]boundInput, len(d.Inputs))}
	offset := 0
	for i := range d.Inputs {
		in := &d.Inputs[i]
		j, ok := byName[in.Name]
		if !ok {
			return nil, fmt.Errorf("%w: the frame has no feature %q", ErrInvalid, in.Name)
		}
		f := &m.Features[j]
		if f.Kind != in.Kind {
			return nil, fmt.Errorf("%w: feature %q is %s, the model was trained on it as %s", ErrInvalid, in.Name, f.Kind, in.Kind)
		}
		bi := boundInput{f: f, offset: offset}
		if in.Kind == frame.Categorical {
			bi.column = make([]int32, len(f.Levels))
			for c, l := range f.Levels {
				k, found := slices.BinarySearch(in.Levels, l)
				if !found {
					k = -1
				}
				bi.column[c] = int32(k)
			}
		}
		b.inputs[i] = bi
		offset += in.width()
	}
	return b, nil
}

// fill writes the design rows of frame rows [lo, hi) into dst, row-major
// with one row per Width() values.
func (b *binding) fill(dst []float64, lo, hi int) error {
	w := b.width
	clear(dst[:(hi-lo)*w])
	for i := range b.inputs {
		bi := &b.inputs[i]
		in := &b.d.Inputs[i]
		if in.Kind == frame.Categorical {
			for r, c := range bi.f.Cat[lo:hi] {
				if c < 0 {
					continue
				}
				if k := bi.column[c]; k >= 0 {
					dst[r*w+bi.offset+int(k)] = 1
				}
			}
			continue
		}
		mean, scale := in.Mean, in.Scale
		for r, v := range bi.f.Num[lo:hi] {
			switch {
			case math.IsNaN(v):
				v = mean
			case math.IsInf(v, 0):
				return fmt.Errorf("%w: feature %s, row %d: infinite value", ErrInvalid, in.Name, lo+r)
			}
			if b.d.Standardize {
				v = (v - mean) / scale
			}
			dst[r*w+bi.offset] = v
		}
	}
	return nil
}

// validate checks a design read from bytes: names unique and non-empty,
// known kinds, finite means, positive finite scales, sorted unique levels.
func (d *Design) validate() error {
	seen := make(map[string]bool, len(d.Inputs))
	for i := range d.Inputs {
		in := &d.Inputs[i]
		if in.Name == "" || seen[in.Name] {
			return fmt.Errorf("input %d: empty or repeated name %q", i, in.Name)
		}
		seen[in.Name] = true
		switch in.Kind {
		case frame.Numeric:
			if !finite(in.Mean) || !finite(in.Scale) || in.Scale <= 0 {
				return fmt.Errorf("input %s: mean %v, scale %v", in.Name, in.Mean, in.Scale)
			}
			if len(in.Levels) > 0 {
				return fmt.Errorf("input %s: numeric with levels", in.Name)
			}
		case frame.Categorical:
			for k := 1; k < len(in.Levels); k++ {
				if in.Levels[k-1] >= in.Levels[k] {
					return fmt.Errorf("input %s: levels not sorted and unique at %q", in.Name, in.Levels[k])
				}
			}
		default:
			return fmt.Errorf("input %s: unknown kind %d", in.Name, in.Kind)
		}
	}
	if d.Width() == 0 {
		return fmt.Errorf("no design columns")
	}
	return nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
