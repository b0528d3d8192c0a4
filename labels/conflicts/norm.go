package conflicts

import (
	"encoding/binary"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/zeebo/xxh3"
)

// Normalisation: what two values must share to be equal. Hashing and
// verification use the same functions, so rows whose normalised features
// are equal always hash alike, and rows that merely hash alike are told
// apart.

// nullHash stands for a null value in row hashes.
const nullHash = 0x6e756c6c2d2d6e75

// canonNaN is the one NaN every NaN is hashed and compared as.
const canonNaN = 0x7ff8000000000001

// floatKey is a number as it is compared: 0 and -0 alike, one NaN.
func floatKey(f float64) uint64 {
	switch {
	case f == 0:
		return 0
	case f != f:
		return canonNaN
	}
	return math.Float64bits(f)
}

// foldRune maps a rune to the smallest rune of its simple-folding orbit,
// so that two runes strings.EqualFold takes as equal map alike.
func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'a' <= r && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}
	m := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		m = min(m, f)
	}
	return m
}

// appendFold appends s case-folded to buf. Bytes that are not UTF-8 are
// kept as they are.
func appendFold(buf []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			buf = append(buf, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			buf = append(buf, s[i])
		} else {
			buf = utf8.AppendRune(buf, foldRune(r))
		}
		i += size
	}
	return buf
}

// appendFoldASCII appends s case-folded to buf when s is ASCII, eight
// bytes at a time; ok is false (and buf unchanged) when it is not.
func appendFoldASCII(buf []byte, s string) (_ []byte, ok bool) {
	n := len(buf)
	buf = append(buf, s...)
	b := buf[n:]
	i := 0
	for ; i+8 <= len(b); i += 8 {
		w := binary.LittleEndian.Uint64(b[i:])
		if w&0x8080808080808080 != 0 {
			return buf[:n], false
		}
		// The high bit of each byte from 'a' (0x61) to 'z' (0x7a); no byte
		// carries into the next, all being below 0x80.
		lower := (w + 0x1f1f1f1f1f1f1f1f) &^ (w + 0x0505050505050505) & 0x8080808080808080
		binary.LittleEndian.PutUint64(b[i:], w-lower>>2)
	}
	for ; i < len(b); i++ {
		c := b[i]
		if c >= utf8.RuneSelf {
			return buf[:n], false
		}
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return buf, true
}

// foldInto returns s case-folded, in buf's memory.
func (z *normalizer) foldInto(buf []byte, s string) []byte {
	out, ok := appendFoldASCII(buf[:0], s)
	if !ok {
		out = appendFold(buf[:0], s)
	}
	return out
}

// needsFold reports whether folding could change s: it is not all ASCII
// without lower-case letters.
func needsFold(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || 'a' <= c && c <= 'z' {
			return true
		}
	}
	return false
}

// trim trims surrounding white space (as strings.TrimSpace), quickly
// when the ends are visible ASCII.
func trim(s string) string {
	if len(s) == 0 {
		return s
	}
	if a, b := s[0], s[len(s)-1]; a > ' ' && a < utf8.RuneSelf && b > ' ' && b < utf8.RuneSelf {
		return s
	}
	return strings.TrimSpace(s)
}

// normalizer normalises text values; it holds reusable buffers, so each
// goroutine needs its own.
type normalizer struct {
	fold bool
	a, b []byte
}

// hash returns the hash of a text value's normal form.
func (z *normalizer) hash(s string) uint64 {
	s = trim(s)
	if !z.fold {
		return xxh3.HashString(s)
	}
	z.a = z.foldInto(z.a, s)
	return xxh3.Hash(z.a)
}

// equal reports whether two text values are equal once normalised.
func (z *normalizer) equal(s, t string) bool {
	s, t = trim(s), trim(t)
	if s == t {
		return true
	}
	if !z.fold {
		return false
	}
	if !needsFold(s) && !needsFold(t) {
		return false
	}
	z.a = z.foldInto(z.a, s)
	z.b = z.foldInto(z.b, t)
	return string(z.a) == string(z.b)
}

// key returns a text value's normal form (a new string).
func (z *normalizer) key(s string) string {
	s = trim(s)
	if !z.fold || !needsFold(s) {
		return s
	}
	z.a = z.foldInto(z.a, s)
	return string(z.a)
}

// mix64 is a 64-bit finaliser (from MurmurHash3) with good avalanche.
func mix64(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}

// combine adds value hash v of column j to row hash h; the column's place
// matters.
func combine(h, v uint64, j int) uint64 {
	return (h^mix64(v+uint64(j+1)*0x9e3779b97f4a7c15))*0x100000001b3 + uint64(j)
}
