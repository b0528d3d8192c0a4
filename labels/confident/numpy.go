package confident

import "math/bits"

// This file replays np.argsort's default introsort, whose tie order
// decides which rows Cleanlab flags: the generic C loops of
// numpy/core/src/npysort/{quicksort,heapsort}.cpp, step for step. Sums in
// NumPy's order are package dataset/npsum.

// npSmallQuicksort is NumPy's SMALL_QUICKSORT: partitions of at most 16
// elements are finished by insertion sort.
const npSmallQuicksort = 15

// npArgsort sets idx to np.argsort(v) (kind "quicksort", NumPy's generic
// introsort aquicksort_ for float64, as used by NumPy 1.24 on every CPU and
// by later NumPy where no SIMD sort is dispatched). idx must have len(v)
// elements; its contents are overwritten. v holds no NaN.
//
// The order of equal values is not stable and depends on the whole array;
// reproducing it is the only way to flag the same rows as Cleanlab when
// equal scores straddle a cut.
func npArgsort(v []float64, idx []int) {
	n := len(v)
	for i := range idx {
		idx[i] = i
	}
	if n < 2 {
		return
	}
	type frame struct{ pl, pr, depth int }
	var stack [128]frame
	sp := 0
	pl, pr := 0, n-1
	cdepth := 2 * (bits.Len(uint(n)) - 1) // npy_get_msb(n) * 2
	for {
		if cdepth < 0 {
			npArgHeapsort(v, idx[pl:pr+1])
		} else {
			for pr-pl > npSmallQuicksort {
				pm := pl + (pr-pl)>>1
				if v[idx[pm]] < v[idx[pl]] {
					idx[pm], idx[pl] = idx[pl], idx[pm]
				}
				if v[idx[pr]] < v[idx[pm]] {
					idx[pr], idx[pm] = idx[pm], idx[pr]
				}
				if v[idx[pm]] < v[idx[pl]] {
					idx[pm], idx[pl] = idx[pl], idx[pm]
				}
				vp := v[idx[pm]]
				pi, pj := pl, pr-1
				idx[pm], idx[pj] = idx[pj], idx[pm]
				for {
					pi++
					for v[idx[pi]] < vp {
						pi++
					}
					pj--
					for vp < v[idx[pj]] {
						pj--
					}
					if pi >= pj {
						break
					}
					idx[pi], idx[pj] = idx[pj], idx[pi]
				}
				pk := pr - 1
				idx[pi], idx[pk] = idx[pk], idx[pi]
				// push the larger partition, continue with the smaller
				cdepth--
				if pi-pl < pr-pi {
					stack[sp] = frame{pi + 1, pr, cdepth}
					pr = pi - 1
				} else {
					stack[sp] = frame{pl, pi - 1, cdepth}
					pl = pi + 1
				}
				sp++
			}
			// insertion sort
			for pi := pl + 1; pi <= pr; pi++ {
				vi := idx[pi]
				vp := v[vi]
				pj := pi
				for pj > pl && vp < v[idx[pj-1]] {
					idx[pj] = idx[pj-1]
					pj--
				}
				idx[pj] = vi
			}
		}
		if sp == 0 {
			return
		}
		sp--
		pl, pr, cdepth = stack[sp].pl, stack[sp].pr, stack[sp].depth
	}
}

// npArgHeapsort is NumPy's aheapsort_ (np.argsort kind "heapsort", and
// introsort's fallback when its depth budget runs out) on the index
// slice a, keys v.
func npArgHeapsort(v []float64, a []int) {
	n := len(a)
	// 1-based heap over a: element k is a[k-1].
	for l := n >> 1; l > 0; l-- {
		tmp := a[l-1]
		i, j := l, l<<1
		for j <= n {
			if j < n && v[a[j-1]] < v[a[j]] {
				j++
			}
			if v[tmp] < v[a[j-1]] {
				a[i-1] = a[j-1]
				i = j
				j += j
			} else {
				break
			}
		}
		a[i-1] = tmp
	}
	for n > 1 {
		tmp := a[n-1]
		a[n-1] = a[0]
		n--
		i, j := 1, 2
		for j <= n {
			if j < n && v[a[j-1]] < v[a[j]] {
				j++
			}
			if v[tmp] < v[a[j-1]] {
				a[i-1] = a[j-1]
				i = j
				j += j
			} else {
				break
			}
		}
		a[i-1] = tmp
	}
}
