package stream

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// These cases are river's own published outputs: the doctests of river's
// detector files and river's ADWIN regression test, which river's CI runs
// against its implementation. The input streams are rebuilt with Python's
// random module by testdata/river/gen.py (river itself is not needed; it
// cannot be installed here: no python3-river in Debian, and PyPI is out of
// reach). Files, in github.com/online-ml/river:
//
//	river/drift/binary/ddm.py        DDM docstring
//	river/drift/binary/eddm.py       EDDM docstring
//	river/drift/adwin.py             ADWIN docstring
//	river/drift/page_hinkley.py      PageHinkley docstring (mode="both" version)
//	river/drift/test_adwin_regression.py  test_multiple_drifts
func TestRiverPublishedOutputs(t *testing.T) {
	tests := []struct {
		name   string
		file   string
		spec   string
		script string // "drifts" or "doc" (river's docstring print loop)
		want   []string
	}{
		{
			// >>> ddm = drift.binary.DDM()
			name: "ddm docstring", file: "binary_42.txt", spec: "ddm", script: "doc",
			want: []string{"Warning detected at index 1084", "Change detected at index 1334", "Warning detected at index 1492"},
		},
		{
			// >>> eddm = drift.binary.EDDM(alpha=0.8, beta=0.75)
			name: "eddm docstring", file: "binary_42.txt", spec: "eddm:alpha=0.8,beta=0.75", script: "doc",
			want: []string{"Warning detected at index 1059", "Change detected at index 1278"},
		},
		{
			// >>> adwin = drift.ADWIN()
			name: "adwin docstring", file: "two_dist_12345.txt", spec: "adwin", script: "drifts",
			want: []string{"1023"},
		},
		{
			// >>> ph = drift.PageHinkley()
			name: "page_hinkley docstring", file: "two_dist_12345.txt", spec: "page_hinkley", script: "drifts",
			want: []string{"1006"},
		},
		{
			// test_multiple_drifts: assert detected == [1023, 2015, 3007]
			name: "adwin regression multiple drifts", file: "four_segments_42.txt", spec: "adwin", script: "drifts",
			want: []string{"1023", "2015", "3007"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			xs := readStream(t, filepath.Join("testdata", "river", tt.file))
			d, err := Parse(tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			switch tt.script {
			case "drifts":
				for i, x := range xs {
					if _, drift := d.Update(x); drift {
						got = append(got, fmt.Sprint(i))
					}
				}
			case "doc":
				// river's docstring loop: print the first warning, then
				// every change, re-arming the warning print after a change.
				printWarning := true
				for i, x := range xs {
					warning, drift := d.Update(x)
					if warning && printWarning {
						got = append(got, fmt.Sprintf("Warning detected at index %d", i))
						printWarning = false
					}
					if drift {
						got = append(got, fmt.Sprintf("Change detected at index %d", i))
						printWarning = true
					}
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("%s on %s: got %q, want %q (river)", tt.spec, tt.file, got, tt.want)
			}
		})
	}
}

// readStream reads a testdata stream: '#' comments, then one digit per
// value.
func readStream(t testing.TB, path string) []float64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var xs []float64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		for _, c := range line {
			if c < '0' || c > '9' {
				t.Fatalf("%s: bad value %q", path, c)
			}
			xs = append(xs, float64(c-'0'))
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return xs
}
