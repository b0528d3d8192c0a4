package stat

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
)

// The fixtures in testdata/fixtures.json are written by
// testdata/gen_fixtures.py with SciPy (see testdata/README.md). Small
// inputs are stored inline; large ones as a generator spec that genSample
// replays bit for bit, checked against the SHA-256 the generator recorded.

// jfloat is a float64 in the fixtures: a JSON number, or "nan", "inf",
// "-inf".
type jfloat float64

func (f *jfloat) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		switch s {
		case "nan":
			*f = jfloat(math.NaN())
		case "inf":
			*f = jfloat(math.Inf(1))
		case "-inf":
			*f = jfloat(math.Inf(-1))
		default:
			return fmt.Errorf("bad float %q", s)
		}
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*f = jfloat(v)
	return nil
}

func floats(x []jfloat) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}

// genSpec describes a generated sample; see gen() in gen_fixtures.py.
type genSpec struct {
	Kind  string   `json:"kind"` // "normal" or "uniform"
	N     int      `json:"n"`
	Seed  uint64   `json:"seed"`
	Loc   float64  `json:"loc"`
	Scale *float64 `json:"scale"` // default 1
	Grid  float64  `json:"grid"`  // if > 0, floor(x·grid)/grid
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

// genSample replays gen(spec) of gen_fixtures.py. Every operation is a
// single IEEE operation in the same order as NumPy's; the explicit
// float64 conversions keep the compiler from fusing a multiply and an add.
func genSample(spec genSpec) []float64 {
	const sqrt3 = 1.7320508075688772
	scale := 1.0
	if spec.Scale != nil {
		scale = *spec.Scale
	}
	x := make([]float64, spec.N)
	for r := range x {
		var v float64
		switch spec.Kind {
		case "normal": // Irwin-Hall(4), standardised
			base := uint64(4 * r)
			s := float64(float64(float64(splitmixUniform(spec.Seed, base+1)+splitmixUniform(spec.Seed, base+2))+
				splitmixUniform(spec.Seed, base+3)) + splitmixUniform(spec.Seed, base+4))
			v = float64(s-2) * sqrt3
		case "uniform":
			v = splitmixUniform(spec.Seed, uint64(r+1))
		default:
			panic("unknown generator kind " + spec.Kind)
		}
		v = float64(v*scale) + spec.Loc
		if spec.Grid > 0 {
			v = math.Floor(float64(v*spec.Grid)) / spec.Grid
		}
		x[r] = v
	}
	return x
}

// sampleJSON is a fixture sample: inline values or a generator spec.
type sampleJSON struct {
	Values []jfloat `json:"values"`
	Gen    *genSpec `json:"gen"`
	SHA256 string   `json:"sha256"`
}

func (s sampleJSON) get(t testing.TB) []float64 {
	t.Helper()
	if s.Gen == nil {
		return floats(s.Values)
	}
	x := genSample(*s.Gen)
	h := sha256.New()
	var buf [8]byte
	for _, v := range x {
		binary.LittleEndian.PutUint64(buf[:], math.Float64bits(v))
		h.Write(buf[:])
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != s.SHA256 {
		t.Fatalf("genSample(%+v) does not replay the generator: sha256 %s, want %s", *s.Gen, got, s.SHA256)
	}
	return x
}

type twoSampleCase struct {
	Name        string     `json:"name"`
	A           sampleJSON `json:"a"`
	B           sampleJSON `json:"b"`
	Alternative string     `json:"alternative"`
	Statistic   jfloat     `json:"statistic"`
	PValue      jfloat     `json:"pvalue"`
	LogP        *jfloat    `json:"logp_independent"`
}

type wassersteinCase struct {
	Name  string     `json:"name"`
	A     sampleJSON `json:"a"`
	B     sampleJSON `json:"b"`
	Value jfloat     `json:"value"`
}

type andersonCase struct {
	Name      string       `json:"name"`
	Samples   []sampleJSON `json:"samples"`
	Statistic jfloat       `json:"statistic"`
	PValue    jfloat       `json:"pvalue"`
}

type chiSquareCase struct {
	Name      string   `json:"name"`
	Observed  []jfloat `json:"observed"`
	Expected  []jfloat `json:"expected"`
	Statistic jfloat   `json:"statistic"`
	PValue    jfloat   `json:"pvalue"`
	LogP      *jfloat  `json:"logp_independent"`
}

type contingencyCase struct {
	Name      string     `json:"name"`
	Table     [][]jfloat `json:"table"`
	Statistic jfloat     `json:"statistic"`
	PValue    jfloat     `json:"pvalue"`
	LogP      *jfloat    `json:"logp_independent"`
}

type zTestCase struct {
	Name            string  `json:"name"`
	SuccessA        float64 `json:"successA"`
	NA              float64 `json:"nA"`
	SuccessB        float64 `json:"successB"`
	NB              float64 `json:"nB"`
	Statistic       jfloat  `json:"statistic"`
	PValue          jfloat  `json:"pvalue"`
	PValueEvidently jfloat  `json:"pvalue_evidently"`
	LogP            jfloat  `json:"logp_independent"`
}

type distanceCase struct {
	Name               string   `json:"name"`
	P                  []jfloat `json:"p"`
	Q                  []jfloat `json:"q"`
	KL                 jfloat   `json:"kl"`
	KLFilled           jfloat   `json:"kl_filled"`
	JS                 jfloat   `json:"js"`
	PSI                jfloat   `json:"psi"`
	Hellinger          jfloat   `json:"hellinger"`
	HellingerEvidently jfloat   `json:"hellinger_evidently"`
	TVD                jfloat   `json:"tvd"`
}

type fixtureFile struct {
	SciPy          string            `json:"scipy"`
	NumPy          string            `json:"numpy"`
	KS             []twoSampleCase   `json:"ks"`
	Wasserstein    []wassersteinCase `json:"wasserstein"`
	MannWhitneyU   []twoSampleCase   `json:"mannwhitneyu"`
	CramerVonMises []twoSampleCase   `json:"cramervonmises"`
	Anderson       []andersonCase    `json:"anderson"`
	AndersonPValue [][3]jfloat       `json:"anderson_pvalue"`
	ChiSquare      []chiSquareCase   `json:"chisquare"`
	Contingency    []contingencyCase `json:"contingency"`
	ZTest          []zTestCase       `json:"ztest"`
	Distances      []distanceCase    `json:"distances"`
	Special        struct {
		KSTwo   [][3]jfloat `json:"kstwo"`
		Smirnov [][3]jfloat `json:"smirnov"`
		Chi2    [][5]jfloat `json:"chi2"` // df, x, SciPy, 40 digits, its log
		Norm    [][3]jfloat `json:"norm"` // z, SciPy, 40 digits
		KV      [][2]jfloat `json:"kv"`
	} `json:"special"`
}

func loadFixtures(t testing.TB) *fixtureFile {
	t.Helper()
	b, err := os.ReadFile("testdata/fixtures.json")
	if err != nil {
		t.Fatal(err)
	}
	var f fixtureFile
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatalf("testdata/fixtures.json: %v", err)
	}
	if !strings.HasPrefix(f.SciPy, "1.10.") {
		t.Fatalf("fixtures made with SciPy %s; this package matches SciPy 1.10", f.SciPy)
	}
	return &f
}

// near reports whether got is within rel·|want| + abs of want; NaN
// matches NaN and an infinity only the same infinity.
func near(got, want, rel, abs float64) bool {
	switch {
	case math.IsNaN(want) || math.IsNaN(got):
		return math.IsNaN(want) && math.IsNaN(got)
	case math.IsInf(want, 0) || math.IsInf(got, 0):
		return got == want
	}
	return math.Abs(got-want) <= rel*math.Abs(want)+abs
}

func expectClose(t *testing.T, what string, got, want, rel, abs float64) {
	t.Helper()
	if !near(got, want, rel, abs) {
		d := math.Abs(got-want) / math.Abs(want)
		t.Errorf("%s = %.17g, want %.17g (relative difference %.3g, tolerance %.3g + %.3g)", what, got, want, d, rel, abs)
	}
}

// checkLogP checks res.LogPValue against the independent log p of the
// fixture if there is one, and otherwise against log(res.PValue) where
// that is representable.
func checkLogP(t *testing.T, res Result, logp *jfloat) {
	t.Helper()
	if math.IsNaN(res.PValue) {
		if !math.IsNaN(res.LogPValue) {
			t.Errorf("LogPValue = %g for a NaN p-value", res.LogPValue)
		}
		return
	}
	if !(res.LogPValue <= 0) {
		t.Errorf("LogPValue = %g, want <= 0", res.LogPValue)
	}
	if logp != nil {
		if math.IsInf(res.LogPValue, 0) {
			t.Errorf("LogPValue = %g, want finite %g", res.LogPValue, float64(*logp))
		}
		expectClose(t, "LogPValue (vs independent high-precision value)", res.LogPValue, float64(*logp), 1e-9, 1e-12)
		return
	}
	if res.PValue > 1e-280 {
		expectClose(t, "LogPValue (vs log PValue)", res.LogPValue, math.Log(res.PValue), 1e-12, 1e-13)
	}
}

func TestGenSampleReplay(t *testing.T) {
	// The generator's stream starts at state seed + golden (splitmix64).
	if got, want := splitmixUniform(0, 1), float64(0xE220A8397B1DCDAF>>11)*0x1p-53; got != want {
		t.Errorf("splitmixUniform(0, 1) = %v, want %v (first splitmix64 output for seed 0)", got, want)
	}
	// Every generated fixture sample is checked against its SHA-256 when
	// it is used; check them all here too, once each.
	f := loadFixtures(t)
	seen := map[string]bool{}
	check := func(s sampleJSON) {
		if s.Gen == nil {
			return
		}
		key := fmt.Sprintf("%+v/%v", *s.Gen, s.Gen.Scale)
		if s.Gen.Scale != nil {
			key += fmt.Sprint(*s.Gen.Scale)
		}
		if seen[key] {
			return
		}
		seen[key] = true
		s.get(t)
	}
	for _, c := range f.KS {
		check(c.A)
		check(c.B)
	}
	for _, c := range f.Wasserstein {
		check(c.A)
		check(c.B)
	}
	if len(seen) < 10 {
		t.Errorf("only %d generated samples in the fixtures", len(seen))
	}
}

// TestKSFixtures checks KS against scipy.stats.ks_2samp.
//
// Tolerances: the statistic is computed the same way as SciPy's (ECDF
// heights i/n1 − j/n2, rounded to h/lcm in the exact branch), so it
// agrees to 1e-12. The exact p-values run the same recursions in the same
// order (they agree to the last bit); the asymptotic ones go through the
// kstwo/smirnov distributions, whose re-implementations agree with
// SciPy's code to about 1e-13 (TestSpecialFixtures). Where SciPy's p
// underflows, LogPValue is checked against a 40-digit evaluation of the
// same formula or the exact log p from integer path counts.
func TestKSFixtures(t *testing.T) {
	f := loadFixtures(t)
	for _, c := range f.KS {
		t.Run(c.Name, func(t *testing.T) {
			a, b := c.A.get(t), c.B.get(t)
			res := KS(a, b)
			expectClose(t, "Statistic", res.Statistic, float64(c.Statistic), 1e-12, 0)
			expectClose(t, "PValue", res.PValue, float64(c.PValue), 1e-12, 1e-300)
			checkLogP(t, res, c.LogP)
			// The sorted variant and the swapped arguments give the same.
			if got := KSSorted(sortedCopy(a), sortedCopy(b)); got != res {
				t.Errorf("KSSorted = %+v, KS = %+v", got, res)
			}
			if got := KS(b, a); got != res {
				t.Errorf("KS(b, a) = %+v, KS(a, b) = %+v", got, res)
			}
		})
	}
}

// TestWassersteinFixtures checks Wasserstein against
// scipy.stats.wasserstein_distance. The sum is compensated here and
// pairwise in NumPy, so the two agree to a few ulps.
func TestWassersteinFixtures(t *testing.T) {
	f := loadFixtures(t)
	for _, c := range f.Wasserstein {
		t.Run(c.Name, func(t *testing.T) {
			a, b := c.A.get(t), c.B.get(t)
			got := Wasserstein(a, b)
			expectClose(t, "Wasserstein", got, float64(c.Value), 1e-12, 1e-15)
			if s := WassersteinSorted(sortedCopy(a), sortedCopy(b)); s != got {
				t.Errorf("WassersteinSorted = %v, Wasserstein = %v", s, got)
			}
			if s := Wasserstein(b, a); s != got {
				t.Errorf("Wasserstein(b, a) = %v, Wasserstein(a, b) = %v", s, got)
			}
		})
	}
}

// TestMannWhitneyUFixtures checks MannWhitneyU against
// scipy.stats.mannwhitneyu. U1 is an exact half-integer sum in both. The
// exact p-values are ratios of exact integer counts (1e-12). The normal
// approximation's p is Φ(−z) with z computed as SciPy computes it; Go's
// math.Erfc and Cephes' ndtr differ by a few ulps (1e-12 leaves room).
func TestMannWhitneyUFixtures(t *testing.T) {
	f := loadFixtures(t)
	for _, c := range f.MannWhitneyU {
		t.Run(c.Name, func(t *testing.T) {
			a, b := c.A.get(t), c.B.get(t)
			res := MannWhitneyU(a, b, c.Alternative)
			expectClose(t, "Statistic", res.Statistic, float64(c.Statistic), 1e-15, 0)
			expectClose(t, "PValue", res.PValue, float64(c.PValue), 1e-12, 1e-300)
			checkLogP(t, res, c.LogP)
			if got := MannWhitneyUSorted(sortedCopy(a), sortedCopy(b), c.Alternative); got != res {
				t.Errorf("MannWhitneyUSorted = %+v, MannWhitneyU = %+v", got, res)
			}
		})
	}
}

// TestCramerVonMises2Fixtures checks CramerVonMises2 against
// scipy.stats.cramervonmises_2samp.
//
// Tolerances: the statistic is 1e-12 (U is summed exactly here, pairwise
// in NumPy). Exact p-values are ratios of exact counts (1e-12). The
// asymptotic p is 1 − F∞(Tn): both sides sum the same truncated series
// with Bessel functions that agree to about 1e-15, so p agrees to 1e-15
// absolute, which is what the 1e-14 absolute tolerance allows for.
// Below p = 1e-3 LogPValue is the log of the limiting distribution's
// tail, not of SciPy's p; the fixture has a 30-digit evaluation of it for
// every such case.
func TestCramerVonMises2Fixtures(t *testing.T) {
	f := loadFixtures(t)
	for _, c := range f.CramerVonMises {
		t.Run(c.Name, func(t *testing.T) {
			a, b := c.A.get(t), c.B.get(t)
			res := CramerVonMises2(a, b)
			expectClose(t, "Statistic", res.Statistic, float64(c.Statistic), 1e-12, 1e-15)
			expectClose(t, "PValue", res.PValue, float64(c.PValue), 1e-12, 1e-14)
			if res.PValue < 1e-3 && c.LogP == nil && max(len(a), len(b)) > cvmMaxExactN {
				t.Fatal("fixture lacks the independent log p")
			}
			checkLogP(t, res, c.LogP)
			if got := CramerVonMises2Sorted(sortedCopy(a), sortedCopy(b)); got != res {
				t.Errorf("CramerVonMises2Sorted = %+v, CramerVonMises2 = %+v", got, res)
			}
		})
	}
}

// TestAndersonKSampFixtures checks AndersonKSamp against
// scipy.stats.anderson_ksamp(midrank=True). The statistic's sums are
// compensated here and pairwise in NumPy (1e-12); the p-value is a
// least-squares quadratic fit, by Householder QR here and by LAPACK's
// SVD in NumPy, which agree to about 1e-14.
func TestAndersonKSampFixtures(t *testing.T) {
	f := loadFixtures(t)
	for _, c := range f.Anderson {
		t.Run(c.Name, func(t *testing.T) {
			var samples, sorted [][]float64
			for _, s := range c.Samples {
				x := s.get(t)
				samples = append(samples, x)
				sorted = append(sorted, sortedCopy(x))
			}
			res := AndersonKSamp(samples...)
			expectClose(t, "Statistic", res.Statistic, float64(c.Statistic), 1e-12, 1e-14)
			expectClose(t, "PValue", res.PValue, float64(c.PValue), 1e-12, 0)
			checkLogP(t, res, nil)
			if got := AndersonKSampSorted(sorted...); got != res {
				t.Errorf("AndersonKSampSorted = %+v, AndersonKSamp = %+v", got, res)
			}
		})
	}
}

// TestAndersonPValueFixtures checks the interpolation and the caps of
// anderson_ksamp's p-value on a grid that includes the statistics on
// either side of the two caps.
func TestAndersonPValueFixtures(t *testing.T) {
	f := loadFixtures(t)
	for _, r := range f.AndersonPValue {
		m, a2, want := float64(r[0]), float64(r[1]), float64(r[2])
		got := adPValue(a2, m)
		if !near(got, want, 1e-12, 0) {
			t.Errorf("adPValue(%.17g, m=%g) = %.17g, want %.17g", a2, m, got, want)
		}
	}
}

// TestChiSquareGOFFixtures checks ChiSquareGOF against
// scipy.stats.chisquare (with the expected counts rescaled to the
// observed total where they differ). chi2.sf is Cephes igamc in SciPy
// and a series or continued fraction here: they agree to about 1e-14
// except for large df, where igamc is off by up to 1e-11 (see
// TestSpecialFixtures), hence 1e-10.
func TestChiSquareGOFFixtures(t *testing.T) {
	f := loadFixtures(t)
	for _, c := range f.ChiSquare {
		t.Run(c.Name, func(t *testing.T) {
			res := ChiSquareGOF(floats(c.Observed), floats(c.Expected))
			expectClose(t, "Statistic", res.Statistic, float64(c.Statistic), 1e-12, 0)
			expectClose(t, "PValue", res.PValue, float64(c.PValue), 1e-10, 1e-300)
			checkLogP(t, res, c.LogP)
		})
	}
}

// TestChiSquareContingencyFixtures checks ChiSquareContingency against
// scipy.stats.chi2_contingency (Yates' correction for dof 1 only).
func TestChiSquareContingencyFixtures(t *testing.T) {
	f := loadFixtures(t)
	for _, c := range f.Contingency {
		t.Run(c.Name, func(t *testing.T) {
			table := make([][]float64, len(c.Table))
			for i, row := range c.Table {
				table[i] = floats(row)
			}
			res := ChiSquareContingency(table)
			expectClose(t, "Statistic", res.Statistic, float64(c.Statistic), 1e-12, 1e-15)
			expectClose(t, "PValue", res.PValue, float64(c.PValue), 1e-11, 1e-300)
			checkLogP(t, res, c.LogP)
		})
	}
}

// TestZTestProportionsFixtures checks ZTestProportions against
// statsmodels' proportions_ztest (pooled, two-sided) and Evidently's
// 2·(1 − Φ(|z|)), which agrees where it has not rounded to 0.
func TestZTestProportionsFixtures(t *testing.T) {
	f := loadFixtures(t)
	for _, c := range f.ZTest {
		t.Run(c.Name, func(t *testing.T) {
			res := ZTestProportions(c.SuccessA, c.NA, c.SuccessB, c.NB)
			expectClose(t, "Statistic", res.Statistic, float64(c.Statistic), 1e-12, 1e-15)
			expectClose(t, "PValue", res.PValue, float64(c.PValue), 1e-12, 1e-300)
			if pe := float64(c.PValueEvidently); pe > 1e-9 {
				expectClose(t, "PValue (vs Evidently)", res.PValue, pe, 1e-7, 0)
			}
			checkLogP(t, res, &c.LogP)
		})
	}
}

// TestDistanceFixtures checks the distances against SciPy (entropy,
// jensenshannon) and Evidently's formulas, evaluated by NumPy; Hellinger
// against a 40-digit evaluation, and against Evidently's sqrt(1 − BC)
// to the 1e-12 that form's cancellation allows.
func TestDistanceFixtures(t *testing.T) {
	f := loadFixtures(t)
	for _, c := range f.Distances {
		t.Run(c.Name, func(t *testing.T) {
			p, q := floats(c.P), floats(c.Q)
			expectClose(t, "KL", KL(p, q), float64(c.KL), 1e-12, 1e-15)
			ps, qs := shares(p), shares(q)
			expectClose(t, "KL of filled shares", KL(FillEmptyBins(ps), FillEmptyBins(qs)), float64(c.KLFilled), 1e-12, 1e-15)
			expectClose(t, "JensenShannon", JensenShannon(p, q), float64(c.JS), 1e-12, 1e-15)
			expectClose(t, "PSI", PSI(p, q), float64(c.PSI), 1e-12, 1e-15)
			expectClose(t, "Hellinger", Hellinger(p, q), float64(c.Hellinger), 1e-14, 1e-15)
			expectClose(t, "Hellinger (vs Evidently)", Hellinger(p, q), float64(c.HellingerEvidently), 1e-12, 1e-15)
			expectClose(t, "TVD", TVD(p, q), float64(c.TVD), 1e-12, 1e-15)
			expectClose(t, "PSI(q, p)", PSI(q, p), PSI(p, q), 1e-14, 0)
			expectClose(t, "JensenShannon(q, p)", JensenShannon(q, p), JensenShannon(p, q), 1e-14, 0)
		})
	}
}

// TestSpecialFixtures checks the distribution functions behind the tests
// against SciPy's: kstwo.sf, smirnov, chi2.sf, norm.sf and kv(1/4, x).
func TestSpecialFixtures(t *testing.T) {
	f := loadFixtures(t)
	for _, r := range f.Special.KSTwo {
		n, x, want := int(r[0]), float64(r[1]), float64(r[2])
		if got := kstwoSF(n, x); !near(got, want, 1e-11, 1e-300) {
			t.Errorf("kstwoSF(%d, %.17g) = %.17g, want %.17g", n, x, got, want)
		}
	}
	for _, r := range f.Special.Smirnov {
		n, x, want := int(r[0]), float64(r[1]), float64(r[2])
		if got := smirnovSF(n, x); !near(got, want, 1e-11, 1e-300) {
			t.Errorf("smirnovSF(%d, %.17g) = %.17g, want %.17g", n, x, got, want)
		}
	}
	// chi2.sf: Cephes igamc's asymptotic series for large df is off by
	// up to 1.2e-11 (at df = 10000); this is within 1e-12 of 40 digits,
	// and so is its log, also where the value underflows.
	for _, r := range f.Special.Chi2 {
		df, x, scipy, truth, logTruth := float64(r[0]), float64(r[1]), float64(r[2]), float64(r[3]), float64(r[4])
		got, logp := chi2SF(x, df)
		if !near(got, scipy, 1e-10, 1e-300) {
			t.Errorf("chi2SF(%.17g, %g) = %.17g, want SciPy's %.17g", x, df, got, scipy)
		}
		if !near(got, truth, 1e-12, 1e-300) {
			t.Errorf("chi2SF(%.17g, %g) = %.17g, want %.17g", x, df, got, truth)
		}
		if !near(logp, logTruth, 1e-13, 1e-13) {
			t.Errorf("log chi2SF(%.17g, %g) = %.17g, want %.17g", x, df, logp, logTruth)
		}
	}
	// norm.sf: Go's math.Erfc and Cephes' ndtr are both within 6e-14 of
	// the truth in the far tail.
	for _, r := range f.Special.Norm {
		z, scipy, truth := float64(r[0]), float64(r[1]), float64(r[2])
		if got := normSF(z); !near(got, scipy, 1e-13, 1e-300) || !near(got, truth, 1e-13, 1e-300) {
			t.Errorf("normSF(%g) = %.17g, want %.17g (SciPy %.17g)", z, got, truth, scipy)
		}
		if got := logNormSF(z); !near(got, math.Log(truth), 1e-14, 1e-15) {
			t.Errorf("logNormSF(%g) = %.17g, want %.17g", z, got, math.Log(truth))
		}
	}
	for _, r := range f.Special.KV {
		x, want := float64(r[0]), float64(r[1])
		if got := math.Exp(logBesselK(0.25, x)); !near(got, want, 1e-13, 1e-300) {
			t.Errorf("K_1/4(%g) = %.17g, want %.17g", x, got, want)
		}
	}
}
