package expr

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestSets checks the set kernels against Go maps, with near misses
// (one byte changed, one byte more or less) for every member.
func TestSets(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = "ab\x00é"[r.IntN(4)]
		}
		return string(b)
	}
	for _, size := range []int{0, 1, 3, 4, 5, 8, 40, 300, 5000} {
		for _, maxLen := range []int{3, 8, 12, 20, 70} {
			t.Run(fmt.Sprintf("%d members up to %d bytes", size, maxLen), func(t *testing.T) {
				var members []string
				want := map[string]bool{}
				for range size {
					m := word(r.IntN(maxLen + 1))
					members = append(members, m)
					want[m] = true
				}
				var queries []string
				for _, m := range members {
					queries = append(queries, m, m+"a", "a"+m)
					if len(m) > 0 {
						b := []byte(m)
						b[r.IntN(len(b))] ^= 1
						queries = append(queries, string(b), m[1:], m[:len(m)-1])
					}
				}
				for range 200 {
					queries = append(queries, word(r.IntN(maxLen+2)))
				}
				offs, data := []int32{0}, []byte(nil)
				for _, q := range queries {
					data = append(data, q...)
					offs = append(offs, int32(len(data)))
				}
				got := make([]bool, len(queries))
				newStrSet(members).hasAll(offs, data, got)
				for i, q := range queries {
					if got[i] != want[q] {
						t.Fatalf("%q: got %v, want %v", q, got[i], want[q])
					}
				}
				// The same data without spare capacity (the last rows take
				// the careful path).
				exact := append([]byte(nil), data...)
				newStrSet(members).hasAll(offs, exact[:len(exact):len(exact)], got)
				for i, q := range queries {
					if got[i] != want[q] {
						t.Fatalf("%q (no spare capacity): got %v, want %v", q, got[i], want[q])
					}
				}
				// Equality with each of a few members.
				for _, m := range members[:min(len(members), 5)] {
					cmpStrVS(opEq, offs, exact[:len(exact):len(exact)], []byte(m), got)
					for i, q := range queries {
						if got[i] != (q == m) {
							t.Fatalf("%q == %q: got %v", q, m, got[i])
						}
					}
				}
			})
		}
	}
	// Every one-bit change of two 12-byte members (which share a length,
	// so that they go to the collision-free table): a changed row may land
	// in its original's slot, and must still not match.
	members := []string{"aaaaaaaaaaaa", "abcdefghijkl"}
	set := newStrSet(members)
	if set.exact == nil {
		t.Fatal("no collision-free table for two members")
	}
	for _, m := range members {
		for bit := range 8 * len(m) {
			b := []byte(m)
			b[bit/8] ^= 1 << (bit % 8)
			got := make([]bool, 1)
			set.hasAll([]int32{0, int32(len(b))}, b, got)
			if got[0] {
				t.Errorf("%q (one bit from %q) is found", b, m)
			}
		}
	}
	ints := newIntSet([]int64{1, -5, 1 << 40, 7, 7, 9, 11})
	for _, x := range []int64{1, -5, 1 << 40, 7, 9, 11, 0, 2, -1, 1<<40 + 1} {
		want := x == 1 || x == -5 || x == 1<<40 || x == 7 || x == 9 || x == 11
		if ints.has(x) != want {
			t.Errorf("intSet has %d: got %v", x, !want)
		}
	}
}
