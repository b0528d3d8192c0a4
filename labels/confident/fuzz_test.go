package confident

import (
	"encoding/binary"
	"errors"
	"math"
	"slices"
	"testing"
)

// fuzzInput turns fuzz bytes into labels and probabilities. k picks K
// (0 to 8, so shape errors occur). In raw mode each 8 bytes are the bits of
// a float64 (NaN, ±Inf, −0, huge values); otherwise each byte is a weight
// 0..4 and rows are normalised, so most inputs are valid and full of ties.
// Label bytes are taken as int8 modulo K+1, so some are out of range.
func fuzzInput(data []byte, k uint8, raw bool) ([]int, Probs) {
	kk := int(k % 9)
	var vals []float64
	var lab []byte
	if raw {
		for len(data) >= 8 && len(vals) < 400 {
			vals = append(vals, math.Float64frombits(binary.LittleEndian.Uint64(data)))
			data = data[8:]
		}
		lab = data
	} else {
		half := len(data) / 2
		for _, b := range data[:half] {
			vals = append(vals, float64(b%5))
		}
		lab = data[half:]
	}
	n := 0
	if kk > 0 {
		n = len(vals) / kk
	}
	p := Probs{N: n, K: kk, Data: vals[:n*kk]}
	if !raw {
		for i := range n {
			row := p.Data[i*kk : (i+1)*kk]
			s := 0.0
			for _, v := range row {
				s += v
			}
			for j := range row {
				if s == 0 {
					row[j] = 1 / float64(kk)
				} else {
					row[j] /= s
				}
			}
		}
	}
	labels := make([]int, min(n, len(lab)))
	for i := range labels {
		labels[i] = int(int8(lab[i])) % (kk + 1)
	}
	return labels, p
}

func FuzzFindIssues(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 0, 0, 1, 1, 0, 1, 2, 0}, uint8(2), uint8(0), false)
	f.Add([]byte{4, 0, 0, 4, 2, 2, 1, 3, 0, 0, 4, 4, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1}, uint8(3), uint8(1), false)
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1}, uint8(3), uint8(6), false)
	f.Add(make([]byte, 64), uint8(4), uint8(9), false)
	raw := make([]byte, 0, 80)
	for _, v := range []float64{0.5, 0.5, math.NaN(), 1, 1, 0, math.Inf(1), 0, math.Copysign(0, -1), 1} {
		raw = binary.LittleEndian.AppendUint64(raw, math.Float64bits(v))
	}
	f.Add(append(raw, 0, 1, 1, 0, 1), uint8(2), uint8(3), true)
	big := make([]byte, 600)
	for i := range big {
		big[i] = byte(i * 37 % 251)
	}
	f.Add(big, uint8(5), uint8(13), false)
	f.Fuzz(func(t *testing.T, data []byte, k uint8, mode uint8, raw bool) {
		labels, p := fuzzInput(data, k, raw)
		o := Options{
			Filter:  allFilters[int(mode)%len(allFilters)],
			Rank:    allRanks[int(mode/8)%len(allRanks)],
			Workers: 1 + int(mode%3),
		}
		if mode&0x40 != 0 {
			o.FracNoise = 0.5
			o.MinExamplesPerClass = 3
		}
		res, err := FindIssues(labels, p, o)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		if Validate(labels, p, DefaultSumTol) != nil {
			t.Fatal("FindIssues accepted what Validate rejects")
		}
		wantIssue, wantNum, wantOrder := refFindIssues(labels, p, o)
		if !slices.Equal(res.Issue, wantIssue) || res.NumIssues != wantNum || !slices.Equal(res.Order, wantOrder) {
			t.Fatalf("%+v: got %v (%d issues), order %v; reference %v (%d), %v", o, res.Issue, res.NumIssues, res.Order, wantIssue, wantNum, wantOrder)
		}
		// The sampled path of the noise-rate filter, on classes of any size.
		sampled, err := findIssues(labels, p, o, 2)
		if err != nil || !slices.Equal(sampled.Issue, wantIssue) {
			t.Fatalf("%+v, sampling every class: got %v (%v), reference %v", o, sampled.Issue, err, wantIssue)
		}
		sc, err := Scores(labels, p, o.Rank)
		if err != nil {
			t.Fatalf("Scores: %v", err)
		}
		if !slices.Equal(sc, res.Scores) {
			t.Fatalf("Scores %v, FindIssues scores %v", sc, res.Scores)
		}
	})
}
