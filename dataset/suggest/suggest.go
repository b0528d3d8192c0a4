// Package suggest finds the name a user probably meant: the "did you
// mean" of error messages about unknown keys, columns and names.
package suggest

import (
	"math"
	"strings"
	"unicode/utf8"
)

// Nearest returns the name of known nearest to name, if near enough to be
// a likely typo, or "". Names compare case-insensitively and without
// "_", "-" and spaces; the edit distance allowed grows with the name's
// length (1 up to 4 characters, 2 up to 10, 3 beyond). Ties go to a name
// that starts with the one given ("=" → "=="). A name equal to the one
// given is no suggestion.
func Nearest(name string, known []string) string {
	norm := func(s string) string {
		return strings.NewReplacer("_", "", "-", "", " ", "").Replace(strings.ToLower(s))
	}
	n := norm(name)
	best, bestD := "", math.MaxInt
	for _, k := range known {
		d := Distance(n, norm(k))
		if d < bestD || d == bestD && strings.HasPrefix(k, name) && !strings.HasPrefix(best, name) {
			best, bestD = k, d
		}
	}
	limit := 1
	switch l := utf8.RuneCountInString(n); {
	case l > 10:
		limit = 3
	case l > 4:
		limit = 2
	}
	if best == "" || bestD > limit || best == name {
		return ""
	}
	return best
}

// Within returns the first of candidates nearest to name by
// case-insensitive edit distance, if that distance is below limit, or "".
func Within(name string, candidates []string, limit int) string {
	best, bestD := "", limit
	for _, c := range candidates {
		if d := Distance(strings.ToLower(name), strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// Distance is the Levenshtein distance of a and b, in runes.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
