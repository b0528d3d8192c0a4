package expr

import "encoding/binary"

// Word-at-a-time kernels over bools viewed as bytes (0 or 1): eight rows
// per 64-bit operation, then a byte loop for the tail.

const ones = 0x0101010101010101

func load(b []byte, i int) uint64     { return binary.LittleEndian.Uint64(b[i : i+8]) }
func store(b []byte, i int, v uint64) { binary.LittleEndian.PutUint64(b[i:i+8], v) }

// and2 sets o = x & y; or2 sets o = x | y; xor1 sets o = x ^ k (k 0 or 1).
func and2(o, x, y []byte) {
	i := 0
	for ; i+8 <= len(o); i += 8 {
		store(o, i, load(x, i)&load(y, i))
	}
	for ; i < len(o); i++ {
		o[i] = x[i] & y[i]
	}
}

func or2(o, x, y []byte) {
	i := 0
	for ; i+8 <= len(o); i += 8 {
		store(o, i, load(x, i)|load(y, i))
	}
	for ; i < len(o); i++ {
		o[i] = x[i] | y[i]
	}
}

func xor1(o, x []byte, k byte) {
	kw := uint64(k) * ones
	i := 0
	for ; i+8 <= len(o); i += 8 {
		store(o, i, load(x, i)^kw)
	}
	for ; i < len(o); i++ {
		o[i] = x[i] ^ k
	}
}

// kleeneAnd sets o, on to x && y under three-valued logic: false wins,
// then null.
func kleeneAnd(o, on, x, xn, y, yn []byte) {
	i := 0
	for ; i+8 <= len(o); i += 8 {
		a, an, b, bn := load(x, i), load(xn, i), load(y, i), load(yn, i)
		f := (a^ones)&(an^ones) | (b^ones)&(bn^ones)
		nl := (f ^ ones) & (an | bn)
		store(on, i, nl)
		store(o, i, (f^ones)&(nl^ones))
	}
	for ; i < len(o); i++ {
		f := (x[i]^1)&(xn[i]^1) | (y[i]^1)&(yn[i]^1)
		nl := (f ^ 1) & (xn[i] | yn[i])
		on[i] = nl
		o[i] = (f ^ 1) & (nl ^ 1)
	}
}

// kleeneOr sets o, on to x || y under three-valued logic: true wins, then
// null.
func kleeneOr(o, on, x, xn, y, yn []byte) {
	i := 0
	for ; i+8 <= len(o); i += 8 {
		a, an, b, bn := load(x, i), load(xn, i), load(y, i), load(yn, i)
		t := a&(an^ones) | b&(bn^ones)
		store(on, i, (t^ones)&(an|bn))
		store(o, i, t)
	}
	for ; i < len(o); i++ {
		t := x[i]&(xn[i]^1) | y[i]&(yn[i]^1)
		on[i] = (t ^ 1) & (xn[i] | yn[i])
		o[i] = t
	}
}

// verdictBytes sets o to 0 (false), 1 (true) or 2 (null).
func verdictBytes(o, x, xn []byte) {
	i := 0
	for ; i+8 <= len(o); i += 8 {
		a, an := load(x, i), load(xn, i)
		store(o, i, a&(an^ones)|an<<1)
	}
	for ; i < len(o); i++ {
		o[i] = x[i]&(xn[i]^1) | xn[i]<<1
	}
}
