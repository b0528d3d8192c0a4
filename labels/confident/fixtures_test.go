package confident

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
)

// The fixtures in testdata/fixtures.json are written by
// testdata/gen_fixtures.py with Cleanlab run from source (see
// testdata/README.md). Small inputs are stored inline; larger ones as a
// generator spec that genCase replays bit for bit, checked against the
// SHA-256 the generator recorded.

type fixtures struct {
	Versions map[string]string `json:"versions"`
	Argsort  []argsortFixture  `json:"argsort"`
	Cases    []caseFixture     `json:"cases"`
	Big      []bigFixture      `json:"big"`
}

// bigFixture is a generated input of benchmark size with a few of
// Cleanlab's outputs.
type bigFixture struct {
	Gen             genSpec            `json:"gen"`
	LabelsHash      string             `json:"labels_sha256"`
	ProbsHash       string             `json:"probs_sha256"`
	Thresholds      []float64          `json:"thresholds"`
	ConfidentJoint  [][]int64          `json:"confident_joint"`
	CalibratedJoint [][]int64          `json:"calibrated_joint"`
	Filters         map[string]rowsOut `json:"filters"`
}

type argsortFixture struct {
	Gen           argsortSpec `json:"gen"`
	SHA256        string      `json:"sha256"`
	Quicksort     []int       `json:"quicksort"`
	Heapsort      []int       `json:"heapsort"`
	QuicksortHash string      `json:"quicksort_sha256"`
	HeapsortHash  string      `json:"heapsort_sha256"`
}

type argsortSpec struct {
	N      int    `json:"n"`
	Levels int    `json:"levels"`
	Seed   uint64 `json:"seed"`
}

type caseFixture struct {
	Name   string      `json:"name"`
	N      int         `json:"n"`
	K      int         `json:"k"`
	Labels []int       `json:"labels"`
	Probs  [][]float64 `json:"probs"`

	Gen        *genSpec `json:"gen"`
	LabelsHash string   `json:"labels_sha256"`
	ProbsHash  string   `json:"probs_sha256"`

	Thresholds          []float64            `json:"thresholds"`
	ConfidentJoint      [][]int64            `json:"confident_joint"`
	CalibratedJoint     [][]int64            `json:"calibrated_joint"`
	CalibrationFloats   [][]float64          `json:"calibration_floats"`
	NumIssues           *int                 `json:"num_issues"`
	NumIssuesCalibrated *int                 `json:"num_issues_calibrated"`
	Scores              map[string]scoresOut `json:"scores"`
	Runs                []runFixture         `json:"runs"`
}

type scoresOut struct {
	Values     []float64 `json:"values"`
	SHA256     string    `json:"sha256"`
	SampleStep int       `json:"sample_step"`
	Sample     []float64 `json:"sample"`
	Error      string    `json:"error"`
}

type runFixture struct {
	FracNoise   float64              `json:"frac_noise"`
	MinExamples int                  `json:"min_examples_per_class"`
	PruneCounts [][]int64            `json:"prune_counts"`
	Filters     map[string]rowsOut   `json:"filters"`
	Ranked      map[string]rankedOut `json:"ranked"`
}

type rowsOut struct {
	Rows   []int  `json:"rows"`
	Count  int    `json:"count"`
	SHA256 string `json:"sha256"`
	Error  string `json:"error"`
}

type rankedOut struct {
	Rows       []int  `json:"rows"`
	Count      int    `json:"count"`
	ScoresHash string `json:"scores_sha256"`
	Error      string `json:"error"`
}

// genSpec describes a generated case; see gen() in gen_fixtures.py.
type genSpec struct {
	N       int     `json:"n"`
	K       int     `json:"k"`
	Seed    uint64  `json:"seed"`
	Noise   float64 `json:"noise"`
	Peak    float64 `json:"peak"`
	Grid    float64 `json:"grid"`
	Skew    bool    `json:"skew"`
	Missing []int   `json:"missing"`
}

var loadFixtures = sync.OnceValues(func() (*fixtures, error) {
	b, err := os.ReadFile("testdata/fixtures.json")
	if err != nil {
		return nil, err
	}
	f := new(fixtures)
	return f, json.Unmarshal(b, f)
})

func readFixtures(t testing.TB) *fixtures {
	t.Helper()
	f, err := loadFixtures()
	if err != nil {
		t.Fatal(err)
	}
	// The package replays Cleanlab 2.x on NumPy 1.24's sort and sum.
	if v := f.Versions["cleanlab"]; !strings.HasPrefix(v, "2.") {
		t.Fatalf("fixtures made with Cleanlab %s, want 2.x", v)
	}
	if v := f.Versions["numpy"]; !strings.HasPrefix(v, "1.24.") {
		t.Fatalf("fixtures made with NumPy %s, want 1.24.x", v)
	}
	return f
}

// splitmixUniform returns the i-th (from 1) uniform of the stream seeded
// with seed: the splitmix64 output for state seed + i·golden, top 53 bits,
// times 2^-53.
func splitmixUniform(seed, i uint64) float64 {
	z := seed + i*0x9E3779B97F4A7C15
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	z ^= z >> 31
	return float64(z>>11) * 0x1p-53
}

// genCase replays gen(spec) of gen_fixtures.py: the same IEEE operations
// in the same order. Defaults: noise 0.2, peak 1.
func genCase(s genSpec) ([]int, Probs) {
	n, k := s.N, s.K
	labels := make([]int, n)
	p := Probs{N: n, K: k, Data: make([]float64, n*k)}
	u := make([]float64, k+3)
	q := make([]float64, k)
	for i := range n {
		for c := range u {
			u[c] = splitmixUniform(s.Seed, uint64(i*(k+3)+c+1))
		}
		var t int
		if s.Skew {
			t = int(math.Floor(float64(u[0]*u[0]) * float64(k)))
		} else {
			t = int(math.Floor(u[0] * float64(k)))
		}
		o := int(math.Floor(u[2] * float64(k-1)))
		if o >= t {
			o++
		}
		l := t
		if u[1] < s.Noise {
			l = o
		}
		for _, m := range s.Missing {
			if l == m {
				l = (m + 1) % k
			}
		}
		labels[i] = l
		row := p.Data[i*k : (i+1)*k]
		copy(row, u[3:])
		row[t] += s.Peak
		sum := row[0]
		for j := 1; j < k; j++ {
			sum += row[j]
		}
		for j := range row {
			row[j] /= sum
		}
		if g := s.Grid; g > 0 {
			qs := 0.0
			am := 0
			for j, v := range row {
				q[j] = math.Floor(float64(v * g))
				if j == 0 {
					qs = q[j]
				} else {
					qs += q[j]
				}
				if q[j] > q[am] {
					am = j
				}
			}
			q[am] += g - qs
			for j := range row {
				row[j] = q[j] / g
			}
		}
	}
	return labels, p
}

func (s *genSpec) UnmarshalJSON(b []byte) error {
	type plain genSpec
	v := plain{Noise: 0.2, Peak: 1}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*s = genSpec(v)
	return nil
}

func shaF64(x []float64) string {
	h := sha256.New()
	var b [8]byte
	for _, v := range x {
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
		h.Write(b[:])
	}
	return hex.EncodeToString(h.Sum(nil))
}

func shaInts(x []int) string {
	h := sha256.New()
	var b [8]byte
	for _, v := range x {
		binary.LittleEndian.PutUint64(b[:], uint64(int64(v)))
		h.Write(b[:])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// input returns the case's labels and probabilities.
func (c *caseFixture) input(t *testing.T) ([]int, Probs) {
	t.Helper()
	if c.Gen == nil {
		p := Probs{N: c.N, K: c.K}
		for _, r := range c.Probs {
			p.Data = append(p.Data, r...)
		}
		return c.Labels, p
	}
	labels, p := genCase(*c.Gen)
	if got := shaInts(labels); got != c.LabelsHash {
		t.Fatalf("replayed labels: sha256 %s, want %s", got, c.LabelsHash)
	}
	if got := shaF64(p.Data); got != c.ProbsHash {
		t.Fatalf("replayed probabilities: sha256 %s, want %s", got, c.ProbsHash)
	}
	return labels, p
}

func flat(m [][]int64) []int64 {
	var out []int64
	for _, r := range m {
		out = append(out, r...)
	}
	return out
}

func sameBits(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

// cweTol is how far confidence_weighted_entropy may drift from
// Cleanlab's: Go's math.Log against NumPy's and SciPy's log.
const cweTol = 1e-13

func closeRel(a, b, tol float64) bool {
	return math.Abs(a-b) <= tol*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

func TestArgsortMatchesNumPy(t *testing.T) {
	f := readFixtures(t)
	for _, c := range f.Argsort {
		keys := make([]float64, c.Gen.N)
		for i := range keys {
			keys[i] = math.Floor(splitmixUniform(c.Gen.Seed, uint64(i+1))*float64(c.Gen.Levels))/float64(c.Gen.Levels) - 0.5
		}
		if got := shaF64(keys); got != c.SHA256 {
			t.Fatalf("argsort keys %+v: sha256 %s, want %s", c.Gen, got, c.SHA256)
		}
		idx := make([]int, len(keys))
		npArgsort(keys, idx)
		check(t, "quicksort", c.Gen, idx, c.Quicksort, c.QuicksortHash)
		for i := range idx {
			idx[i] = i
		}
		npArgHeapsort(keys, idx)
		check(t, "heapsort", c.Gen, idx, c.Heapsort, c.HeapsortHash)
	}
}

func check(t *testing.T, kind string, spec argsortSpec, got, want []int, wantHash string) {
	t.Helper()
	if want != nil {
		if !slices.Equal(got, want) {
			t.Errorf("np.argsort(kind=%s) %+v: got %v, want %v", kind, spec, got, want)
		}
		return
	}
	if h := shaInts(got); h != wantHash {
		t.Errorf("np.argsort(kind=%s) %+v: sha256 %s, want %s", kind, spec, h, wantHash)
	}
}

func TestFixtures(t *testing.T) {
	f := readFixtures(t)
	for i := range f.Cases {
		c := &f.Cases[i]
		t.Run(c.Name, func(t *testing.T) {
			labels, p := c.input(t)
			checkJoint(t, c, labels, p)
			checkScores(t, c, labels, p)
			for _, run := range c.Runs {
				checkRun(t, c, labels, p, run)
			}
		})
	}
}

// TestFixturesBig checks the benchmark's 1M × 10 input against Cleanlab.
func TestFixturesBig(t *testing.T) {
	if testing.Short() {
		t.Skip("1M rows")
	}
	f := readFixtures(t)
	for _, b := range f.Big {
		c := &caseFixture{Gen: &b.Gen, LabelsHash: b.LabelsHash, ProbsHash: b.ProbsHash}
		labels, p := c.input(t)
		for filter, want := range b.Filters {
			res, err := FindIssues(labels, p, Options{Filter: filter})
			if err != nil {
				t.Fatal(err)
			}
			if !sameBits(res.Thresholds, b.Thresholds) {
				t.Errorf("thresholds: got %v, want %v", res.Thresholds, b.Thresholds)
			}
			if !slices.Equal(flat(res.ConfidentJoint), flat(b.ConfidentJoint)) || !slices.Equal(flat(res.CalibratedJoint), flat(b.CalibratedJoint)) {
				t.Errorf("joints: got %v and %v, want %v and %v", res.ConfidentJoint, res.CalibratedJoint, b.ConfidentJoint, b.CalibratedJoint)
			}
			var rows []int
			for i, v := range res.Issue {
				if v {
					rows = append(rows, i)
				}
			}
			if len(rows) != want.Count || shaInts(rows) != want.SHA256 {
				t.Errorf("%s: %d rows flagged (sha256 %s), want %d (%s)", filter, len(rows), shaInts(rows), want.Count, want.SHA256)
			}
		}
	}
}

func checkJoint(t *testing.T, c *caseFixture, labels []int, p Probs) {
	t.Helper()
	res, err := FindIssues(labels, p, Options{SumTol: -1, Filter: FilterConfidentLearning})
	if err != nil {
		t.Fatal(err)
	}
	if !sameBits(res.Thresholds, c.Thresholds) {
		t.Errorf("thresholds: got %v, want %v", res.Thresholds, c.Thresholds)
	}
	if got, want := flat(res.ConfidentJoint), flat(c.ConfidentJoint); !slices.Equal(got, want) {
		t.Errorf("confident joint: got %v, want %v", res.ConfidentJoint, c.ConfidentJoint)
	}
	if got, want := flat(res.CalibratedJoint), flat(c.CalibratedJoint); !slices.Equal(got, want) {
		t.Errorf("calibrated joint: got %v, want %v", res.CalibratedJoint, c.CalibratedJoint)
	}
	_, floats := calibrate(flat(res.ConfidentJoint), res.LabelCounts, p.K)
	var want []float64
	for _, r := range c.CalibrationFloats {
		want = append(want, r...)
	}
	if !sameBits(floats, want) {
		t.Errorf("calibration floats: got %v, want %v", floats, want)
	}
	if c.NumIssues != nil && res.NumIssues != *c.NumIssues {
		t.Errorf("num_label_issues: got %d, want %d", res.NumIssues, *c.NumIssues)
	}
	if c.NumIssuesCalibrated != nil && res.NumIssuesCalibrated != *c.NumIssuesCalibrated {
		t.Errorf("num_label_issues(off_diagonal_calibrated): got %d, want %d", res.NumIssuesCalibrated, *c.NumIssuesCalibrated)
	}
	if c.NumIssues == nil {
		// Cleanlab refuses a single class here (all labels 0); FindIssues
		// counts as it does otherwise: the confident_learning rows.
		n := 0
		for _, b := range res.Issue {
			if b {
				n++
			}
		}
		if res.NumIssues != n {
			t.Errorf("num issues %d, confident_learning flags %d", res.NumIssues, n)
		}
	}
}

func checkScores(t *testing.T, c *caseFixture, labels []int, p Probs) {
	t.Helper()
	for _, m := range []string{RankSelfConfidence, RankNormalizedMargin, RankConfidenceWeightedEntropy} {
		want, ok := c.Scores[m]
		if !ok {
			t.Fatalf("fixture has no %s scores", m)
		}
		got, err := Scores(labels, p, m)
		if err != nil {
			t.Errorf("Scores(%s): %v", m, err)
			continue
		}
		if want.Error != "" {
			continue // Cleanlab refuses a single class; see doc.go
		}
		exact := m != RankConfidenceWeightedEntropy
		switch {
		case want.Values != nil:
			if exact && !sameBits(got, want.Values) {
				t.Errorf("%s scores: got %v, want %v", m, got, want.Values)
			}
			if !exact {
				for i := range got {
					if !closeRel(got[i], want.Values[i], cweTol) {
						t.Errorf("%s score of row %d: got %v, want %v", m, i, got[i], want.Values[i])
					}
				}
			}
		default:
			if exact && shaF64(got) != want.SHA256 {
				t.Errorf("%s scores: sha256 %s, want %s", m, shaF64(got), want.SHA256)
			}
			for j, v := range want.Sample {
				i := j * want.SampleStep
				if exact && math.Float64bits(got[i]) != math.Float64bits(v) || !closeRel(got[i], v, cweTol) {
					t.Errorf("%s score of row %d: got %v, want %v", m, i, got[i], v)
				}
			}
		}
	}
}

func checkRun(t *testing.T, c *caseFixture, labels []int, p Probs, run runFixture) {
	t.Helper()
	opts := Options{SumTol: -1, FracNoise: run.FracNoise, MinExamplesPerClass: run.MinExamples}
	if got := pruneCounts(flat(c.CalibratedJoint), p.K, run.MinExamples, run.FracNoise); !slices.Equal(got, flat(run.PruneCounts)) {
		t.Errorf("frac_noise %v, min_examples_per_class %d: prune counts: got %v, want %v",
			run.FracNoise, run.MinExamples, square(got, p.K), run.PruneCounts)
	}
	for filter, want := range run.Filters {
		if want.Error != "" {
			continue // Cleanlab refuses a single class in num_label_issues; see doc.go
		}
		o := opts
		o.Filter = filter
		res, err := FindIssues(labels, p, o)
		if err != nil {
			t.Errorf("%s: %v", filter, err)
			continue
		}
		var rows []int
		for i, b := range res.Issue {
			if b {
				rows = append(rows, i)
			}
		}
		switch {
		case want.Rows != nil || want.SHA256 == "":
			if !slices.Equal(rows, want.Rows) && !(len(rows) == 0 && len(want.Rows) == 0) {
				t.Errorf("%s (frac_noise %v, min_examples_per_class %d): flagged rows\n got %v\nwant %v\n%s",
					filter, run.FracNoise, run.MinExamples, rows, want.Rows, diffRows(rows, want.Rows))
			}
		default:
			if len(rows) != want.Count || shaInts(rows) != want.SHA256 {
				t.Errorf("%s (frac_noise %v, min_examples_per_class %d): %d flagged rows (sha256 %s), want %d (%s)",
					filter, run.FracNoise, run.MinExamples, len(rows), shaInts(rows), want.Count, want.SHA256)
			}
		}
	}
	for rank, want := range run.Ranked {
		if want.Error != "" {
			continue
		}
		res, err := FindIssues(labels, p, Options{SumTol: -1, Rank: rank})
		if err != nil {
			t.Errorf("rank %s: %v", rank, err)
			continue
		}
		checkOrder(t, rank, res, want)
	}
}

// checkOrder compares Result.Order with Cleanlab's ranked rows: the same
// rows with the same score sequence (Cleanlab orders equal scores by
// NumPy's unstable argsort, FindIssues by row), and the ties in row order.
func checkOrder(t *testing.T, rank string, res *Result, want rankedOut) {
	t.Helper()
	got := res.Order
	for i := 1; i < len(got); i++ {
		a, b := res.Scores[got[i-1]], res.Scores[got[i]]
		if a > b || a == b && got[i-1] > got[i] {
			t.Fatalf("rank %s: order not by (score, row) at %d: rows %d (%v), %d (%v)", rank, i, got[i-1], a, got[i], b)
		}
	}
	if want.Rows == nil {
		sc := make([]float64, len(got))
		for i, r := range got {
			sc[i] = res.Scores[r]
		}
		if len(got) != want.Count || shaF64(sc) != want.ScoresHash {
			t.Errorf("rank %s: %d rows, scores sha256 %s; want %d, %s", rank, len(got), shaF64(sc), want.Count, want.ScoresHash)
		}
		return
	}
	if len(got) != len(want.Rows) {
		t.Fatalf("rank %s: %d rows, want %d", rank, len(got), len(want.Rows))
	}
	exact := rank != RankConfidenceWeightedEntropy
	for i := range got {
		a, b := res.Scores[got[i]], res.Scores[want.Rows[i]]
		if exact && a != b || !exact && !closeRel(a, b, cweTol) {
			t.Errorf("rank %s: position %d: row %d (score %v), Cleanlab row %d (score %v)", rank, i, got[i], a, want.Rows[i], b)
			break
		}
	}
	if !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want.Rows))) {
		t.Errorf("rank %s: rows %v, want %v", rank, got, want.Rows)
	}
}

func diffRows(got, want []int) string {
	var extra, missing []int
	for _, r := range got {
		if !slices.Contains(want, r) {
			extra = append(extra, r)
		}
	}
	for _, r := range want {
		if !slices.Contains(got, r) {
			missing = append(missing, r)
		}
	}
	return fmt.Sprintf("extra %v, missing %v", extra, missing)
}
