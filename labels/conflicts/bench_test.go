package conflicts_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/assayhq/assay/labels/conflicts"
)

// benchData generates n rows of 8 mixed features, as a customer table
// might have: four numeric (an age, an income, a score with two
// decimals, a count; 1% nulls) and four text (a city of 50, a segment of
// 5, a product code of 1,000, a free-text id-like note). About dupShare
// of the rows copy an earlier row (a third of those with white space or
// case changed), keeping its label 70% of the time: duplicates, most
// agreeing, some conflicting.
func benchData(n int, dupShare float64) ([]conflicts.Column, conflicts.Labels) {
	rng := rand.New(rand.NewPCG(uint64(n), 42))
	nums := make([]conflicts.Column, 4)
	for j := range nums {
		nums[j] = conflicts.Numeric(fmt.Sprint("n", j), make([]float64, n), make([]bool, n))
	}
	texts := make([]conflicts.Column, 4)
	for j := range texts {
		texts[j] = conflicts.Text(fmt.Sprint("t", j), make([]string, n), make([]bool, n))
	}
	cities := make([]string, 50)
	for i := range cities {
		cities[i] = fmt.Sprintf("City %02d", i)
	}
	segments := []string{"consumer", "small business", "enterprise", "public", "education"}
	labels := conflicts.Labels{Codes: make([]int, n), Classes: []string{"no", "yes", "maybe"}}
	for i := range n {
		if i > 0 && rng.Float64() < dupShare {
			j := rng.IntN(i)
			for _, c := range nums {
				c.Num[i], c.Valid[i] = c.Num[j], c.Valid[j]
			}
			for k, c := range texts {
				c.Str[i], c.Valid[i] = c.Str[j], c.Valid[j]
				if k == 0 && rng.IntN(3) == 0 {
					c.Str[i] = " " + strings.ToUpper(c.Str[i])
				}
			}
			labels.Codes[i] = labels.Codes[j]
			if rng.Float64() < 0.3 {
				labels.Codes[i] = rng.IntN(3)
			}
			continue
		}
		vals := [4]float64{float64(18 + rng.IntN(70)), math.Round(rng.ExpFloat64()*40000*100) / 100,
			math.Round(rng.Float64()*10000) / 100, float64(rng.IntN(20))}
		for k, c := range nums {
			c.Num[i], c.Valid[i] = vals[k], rng.IntN(100) != 0
		}
		strs := [4]string{cities[rng.IntN(len(cities))], segments[rng.IntN(len(segments))],
			fmt.Sprintf("P-%04d", rng.IntN(1000)), fmt.Sprintf("note %x", rng.Uint64())}
		for k, c := range texts {
			c.Str[i], c.Valid[i] = strs[k], rng.IntN(100) != 0
		}
		labels.Codes[i] = rng.IntN(3)
		if rng.IntN(50) == 0 {
			labels.Codes[i] = -1
		}
	}
	return append(nums, texts...), labels
}

// BenchmarkExact: 1M rows of 8 mixed features, 10% duplicates. Run with
// -cpu 2 for the figure of a two-core machine.
func BenchmarkExact(b *testing.B) {
	const n = 1_000_000
	cols, labels := benchData(n, 0.1)
	for _, bc := range []struct {
		name string
		opts conflicts.Options
	}{
		{"plain", conflicts.Options{}},
		{"casefold", conflicts.Options{CaseFold: true}},
		{"tolerance", conflicts.Options{CaseFold: true, FloatTolerance: 0.01}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var res *conflicts.Result
			cpu := cpuTime()
			for b.Loop() {
				var err error
				if res, err = conflicts.Exact(cols, labels, bc.opts); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric((cpuTime()-cpu).Seconds()*1e3/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mrows/s")
			b.ReportMetric(float64(len(res.Groups)), "groups")
		})
	}
}

// cpuTime is the CPU time (user and system) the process has used: on a
// busy machine a steadier measure of work than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkNear: the exact search at its default limit and LSH beyond, on
// the numeric features, the city and the segment of benchData (id-like
// text features make every pair about equally far: see TestLSHRecall).
func BenchmarkNear(b *testing.B) {
	for _, bc := range []struct {
		name   string
		n      int
		search conflicts.Search
	}{
		{"exact/rows=20k", 20_000, conflicts.SearchExact},
		{"lsh/rows=20k", 20_000, conflicts.SearchLSH},
		{"lsh/rows=200k", 200_000, conflicts.SearchLSH},
	} {
		cols, labels := benchData(bc.n, 0.1)
		cols = cols[:6]
		b.Run(bc.name, func(b *testing.B) {
			var res *conflicts.Result
			cpu := cpuTime()
			for b.Loop() {
				var err error
				res, err = conflicts.Near(context.Background(), cols, labels, conflicts.NearOptions{K: 5, CaseFold: true, Search: bc.search})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric((cpuTime()-cpu).Seconds()*1e3/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(len(res.Groups)), "groups")
			b.ReportMetric(res.Recall, "recall")
		})
	}
}
