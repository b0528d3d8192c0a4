package stat_test

import (
	"fmt"
	"slices"

	"github.com/assayhq/assay/drift/stat"
)

func ExampleKS() {
	ref := []float64{0.61, 0.29, 0.06, 0.59, -1.73, -0.74, 0.51, -0.56, 0.39, 1.64, 0.05, -0.06, 0.64, -0.82, 0.37, 1.77, 1.09, -1.28, 2.36, 1.31}
	cur := []float64{1.05, 0.86, 2.87, 1.06, 0.12, 1.36, 3.21, 1.59, 1.33, 0.88, 0.38, 1.52, 2.45, 1.25, 1.06}
	r := stat.KS(ref, cur)
	fmt.Printf("D = %.4f, p = %.4g\n", r.Statistic, r.PValue)
	// Output: D = 0.6167, p = 0.001522
}

func ExampleKSSorted() {
	// Fully separated samples of 3000: SciPy's p-value underflows to 0,
	// LogPValue is the exact ln(2/C(6000, 3000)).
	a, b := make([]float64, 3000), make([]float64, 3000)
	for i := range a {
		a[i], b[i] = float64(i), float64(i+3000)
	}
	r := stat.KSSorted(a, b)
	fmt.Printf("D = %v, p = %v, ln p = %.2f\n", r.Statistic, r.PValue, r.LogPValue)
	// Output: D = 1, p = 0, ln p = -4153.61
}

func ExampleWassersteinSorted() {
	a := []float64{0, 1, 3}
	b := []float64{5, 6, 8}
	slices.Sort(a)
	slices.Sort(b)
	fmt.Println(stat.WassersteinSorted(a, b))
	// Output: 5
}

func ExampleMannWhitneyU() {
	males := []float64{19, 22, 16, 29, 24}
	females := []float64{20, 11, 17, 12}
	r := stat.MannWhitneyU(males, females, "two-sided")
	fmt.Printf("U = %v, p = %.4f\n", r.Statistic, r.PValue)
	// Output: U = 17, p = 0.1111
}

func ExampleAndersonKSamp() {
	a := []float64{0.1, 0.4, 0.7, 1.2, 1.5, 2.2, 2.4, 3.0}
	b := []float64{1.9, 2.6, 3.1, 3.3, 3.8, 4.4, 4.9, 5.2}
	r := stat.AndersonKSamp(a, b)
	fmt.Printf("A2 = %.3f, p = %.4f\n", r.Statistic, r.PValue)
	// Output: A2 = 5.548, p = 0.0022
}

func ExampleCramerVonMises2() {
	a := []float64{0.1, 0.4, 0.7, 1.2, 1.5, 2.2, 2.4, 3.0}
	b := []float64{1.9, 2.6, 3.1, 3.3, 3.8, 4.4, 4.9, 5.2}
	r := stat.CramerVonMises2(a, b) // exact: both samples have at most 20 values
	fmt.Printf("T = %.4f, p = %.4f\n", r.Statistic, r.PValue)
	// Output: T = 0.9688, p = 0.0019
}

func ExampleChiSquareGOF() {
	// Current counts against reference counts: the reference is rescaled
	// to the current total, as Evidently's chi-square drift test does.
	ref := []float64{120, 300, 80, 500}
	cur := []float64{130, 280, 95, 495}
	r := stat.ChiSquareGOF(cur, ref)
	fmt.Printf("chi2 = %.3f, p = %.4f\n", r.Statistic, r.PValue)
	// Output: chi2 = 5.029, p = 0.1697
}

func ExampleChiSquareContingency() {
	r := stat.ChiSquareContingency([][]float64{{10, 20}, {30, 25}}) // 2×2: Yates' correction
	fmt.Printf("chi2 = %.4f, p = %.4f\n", r.Statistic, r.PValue)
	// Output: chi2 = 2.7062, p = 0.1000
}

func ExampleZTestProportions() {
	// Missing values: 30 of 100 rows before, 45 of 120 now.
	r := stat.ZTestProportions(30, 100, 45, 120)
	fmt.Printf("z = %.4f, p = %.4f\n", r.Statistic, r.PValue)
	// Output: z = -1.1686, p = 0.2426
}

func ExamplePSI() {
	ref := []float64{50, 50, 0}
	cur := []float64{40, 40, 20}
	fmt.Printf("%.4f\n", stat.PSI(ref, cur))
	// Output: 1.5640
}

func ExampleJensenShannon() {
	fmt.Printf("%.4f\n", stat.JensenShannon([]float64{10, 20, 30, 40}, []float64{15, 25, 25, 35}))
	// Output: 0.0767
}

func ExampleKL() {
	fmt.Printf("%.4f\n", stat.KL([]float64{10, 20, 30, 40}, []float64{15, 25, 25, 35}))
	// Output: 0.0229
}

func ExampleHellinger() {
	fmt.Printf("%.4f\n", stat.Hellinger([]float64{10, 20, 30, 40}, []float64{15, 25, 25, 35}))
	// Output: 0.0768
}

func ExampleTVD() {
	fmt.Printf("%.4f\n", stat.TVD([]float64{10, 20, 30, 40}, []float64{15, 25, 25, 35}))
	// Output: 0.1000
}

func ExampleFillEmptyBins() {
	fmt.Println(stat.FillEmptyBins([]float64{0.5, 0, 0.5}))
	// Output: [0.5 0.0001 0.5]
}
