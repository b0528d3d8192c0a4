package expr

import (
	"regexp/syntax"
	"slices"
	"unicode"
	"unicode/utf8"
)

// dfa is a deterministic automaton answering "does the pattern match
// anywhere in the input" (regexp.Match) for patterns whose every
// character class either holds no non-ASCII character or holds all of
// them (as . and [^…] of ASCII characters do). Its input symbols are the
// 128 ASCII bytes and one symbol for any other character (a valid UTF-8
// sequence or an invalid byte, which regexp reads as U+FFFD), so it
// consumes exactly the characters regexp would. Only the assertions ^ and
// $ (text start and end, \A and \z) are allowed; patterns with others, or
// whose automaton would exceed maxDFAStates, run on regexp.
type dfa struct {
	// trans[s+b] is the state after byte b < 0x80 in state s (states are
	// offsets: id*256); slow (-1) for bytes from 0x80, whose character
	// is decoded and looked up in na[s>>8].
	trans  []int32
	na     []int32
	endAcc []bool // by state id: a match ends at the end of the input
	start  int32
}

const (
	dfaSymbols   = 129 // 0..127: ASCII bytes; 128: any other character
	dfaNonASCII  = 128
	dfaDead      = 0 // no match is possible any more
	dfaMatched   = 1 // a match has been found
	dfaStride    = 256
	dfaSlow      = -1
	maxDFAStates = 1024
	maxDFAInsts  = 2000
)

func (d *dfa) match(b []byte) bool { return d.run(b, 0, d.start) }

// run continues the automaton in state s from b[i].
func (d *dfa) run(b []byte, i int, s int32) bool {
	const matched = dfaMatched * dfaStride
	if s <= matched {
		return s == matched
	}
	t := d.trans
	for ; i < len(b); i++ {
		next := t[s+int32(b[i])]
		if next <= matched {
			if next >= 0 {
				return next == matched
			}
			_, w := utf8.DecodeRune(b[i:])
			i += w - 1
			next = d.na[s>>8]
			if next <= matched {
				return next == matched
			}
		}
		s = next
	}
	return d.endAcc[s>>8]
}

// matchAll matches each row, two rows at a time: the automaton's steps
// on a row depend on each other, those on two rows do not.
func (d *dfa) matchAll(offs []int32, data []byte, o []bool) {
	const matched = dfaMatched * dfaStride
	offs = offs[:len(o)+1]
	t := d.trans
	i := 0
	for ; i+1 < len(o); i += 2 {
		a, b := data[offs[i]:offs[i+1]], data[offs[i+1]:offs[i+2]]
		sa, sb := d.start, d.start
		j := 0
		if sa > matched {
			for n := min(len(a), len(b)); j < n; j++ {
				na, nb := t[sa+int32(a[j])], t[sb+int32(b[j])]
				if na <= matched || nb <= matched {
					break // a row ends or meets a non-ASCII byte: finish each alone
				}
				sa, sb = na, nb
			}
		}
		o[i], o[i+1] = d.run(a, j, sa), d.run(b, j, sb)
	}
	if i < len(o) {
		o[i] = d.match(data[offs[i]:offs[i+1]])
	}
}

// compileDFA builds the automaton of pattern, or returns nil when the
// pattern is outside what the automaton handles.
func compileDFA(pattern string) *dfa {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil || len(prog.Inst) > maxDFAInsts {
		return nil
	}
	b := &dfaBuilder{prog: prog, classes: make([]runeClass, len(prog.Inst))}
	for pc := range prog.Inst {
		if !b.classify(pc) {
			return nil
		}
	}
	return b.build()
}

// runeClass is the set of characters one instruction consumes: ASCII
// bytes by bitmap, and either all or none of the others.
type runeClass struct {
	ascii    [2]uint64
	nonASCII bool
	consumes bool
}

func (c *runeClass) has(sym int) bool {
	if sym == dfaNonASCII {
		return c.nonASCII
	}
	return c.ascii[sym>>6]>>(sym&63)&1 == 1
}

type dfaBuilder struct {
	prog    *syntax.Prog
	classes []runeClass
	states  [][]uint32 // kernel of each state: consuming, Match and pending $ instructions
	initial []bool     // whether the state is the start state (at the beginning of the text)
	index   map[string]int32
	trans   []int32
	mark    []uint32 // closure visit marks, by generation
	gen     uint32
	stack   []uint32
}

// classify records the characters instruction pc consumes; false means
// the DFA cannot represent it.
func (b *dfaBuilder) classify(pc int) bool {
	in := &b.prog.Inst[pc]
	c := &b.classes[pc]
	setASCII := func(match func(r rune) bool) {
		for r := range rune(utf8.RuneSelf) {
			if match(r) {
				c.ascii[r>>6] |= 1 << (r & 63)
			}
		}
	}
	switch in.Op {
	case syntax.InstRuneAny:
		c.consumes, c.nonASCII = true, true
		setASCII(func(rune) bool { return true })
	case syntax.InstRuneAnyNotNL:
		c.consumes, c.nonASCII = true, true
		setASCII(func(r rune) bool { return r != '\n' })
	case syntax.InstRune1:
		if in.Rune[0] >= utf8.RuneSelf {
			return false
		}
		c.consumes = true
		setASCII(func(r rune) bool { return r == in.Rune[0] })
	case syntax.InstRune:
		c.consumes = true
		if len(in.Rune) == 1 {
			r0 := in.Rune[0]
			if r0 >= utf8.RuneSelf {
				return false
			}
			if syntax.Flags(in.Arg)&syntax.FoldCase != 0 {
				for r := unicode.SimpleFold(r0); r != r0; r = unicode.SimpleFold(r) {
					if r >= utf8.RuneSelf {
						return false // (?i)k also matches the Kelvin sign
					}
				}
			}
			setASCII(func(r rune) bool { return in.MatchRune(r) })
			return true
		}
		all, some := coversNonASCII(in.Rune)
		if some && !all {
			return false
		}
		c.nonASCII = all
		setASCII(func(r rune) bool { return in.MatchRune(r) })
	case syntax.InstEmptyWidth:
		if syntax.EmptyOp(in.Arg)&^(syntax.EmptyBeginText|syntax.EmptyEndText) != 0 {
			return false
		}
	case syntax.InstAlt, syntax.InstAltMatch, syntax.InstCapture, syntax.InstNop, syntax.InstMatch, syntax.InstFail:
	default:
		return false
	}
	return true
}

// coversNonASCII reports whether sorted rune ranges (lo, hi pairs) hold
// all characters from U+0080 up, and whether they hold any.
func coversNonASCII(ranges []rune) (all, some bool) {
	next := rune(utf8.RuneSelf)
	gap := false
	for i := 0; i+1 < len(ranges); i += 2 {
		lo, hi := ranges[i], ranges[i+1]
		if hi < utf8.RuneSelf {
			continue
		}
		some = true
		lo = max(lo, utf8.RuneSelf)
		if lo > next {
			gap = true
		}
		next = max(next, hi+1)
	}
	return some && !gap && next > unicode.MaxRune, some
}

// closure adds to kernel the instructions reachable from pc without
// consuming input, given the assertions that hold; it returns the kernel
// and whether Match was reached.
func (b *dfaBuilder) closure(kernel []uint32, pc uint32, flags syntax.EmptyOp) ([]uint32, bool) {
	matched := false
	b.stack = append(b.stack[:0], pc)
	for len(b.stack) > 0 {
		pc := b.stack[len(b.stack)-1]
		b.stack = b.stack[:len(b.stack)-1]
		if b.mark[pc] == b.gen {
			continue
		}
		b.mark[pc] = b.gen
		in := &b.prog.Inst[pc]
		switch in.Op {
		case syntax.InstAlt, syntax.InstAltMatch:
			b.stack = append(b.stack, in.Arg, in.Out)
		case syntax.InstCapture, syntax.InstNop:
			b.stack = append(b.stack, in.Out)
		case syntax.InstEmptyWidth:
			need := syntax.EmptyOp(in.Arg)
			switch {
			case need&^flags == 0:
				b.stack = append(b.stack, in.Out)
			case need&^(flags|syntax.EmptyEndText) == 0:
				kernel = append(kernel, pc) // may hold at the end of the input
			}
		case syntax.InstMatch:
			matched = true
		case syntax.InstFail:
		default:
			kernel = append(kernel, pc)
		}
	}
	return kernel, matched
}

func (b *dfaBuilder) newGen() {
	b.gen++
	if b.mark == nil {
		b.mark = make([]uint32, len(b.prog.Inst))
	}
}

// state returns the id of the state with kernel k, adding it.
func (b *dfaBuilder) state(k []uint32, initial bool) int32 {
	slices.Sort(k)
	k = slices.Compact(k)
	if len(k) == 0 {
		return dfaDead
	}
	key := make([]byte, 0, 1+4*len(k))
	key = append(key, b2u(initial))
	for _, pc := range k {
		key = append(key, byte(pc), byte(pc>>8), byte(pc>>16), byte(pc>>24))
	}
	if id, ok := b.index[string(key)]; ok {
		return id
	}
	id := int32(len(b.states))
	b.states = append(b.states, append([]uint32(nil), k...))
	b.initial = append(b.initial, initial)
	b.index[string(key)] = id
	return id
}

func (b *dfaBuilder) build() *dfa {
	b.index = map[string]int32{}
	// States 0 and 1 are dead and matched; they have no kernel.
	b.states = [][]uint32{nil, nil}
	b.initial = []bool{false, false}
	start := uint32(b.prog.Start)

	b.newGen()
	k0, m0 := b.closure(nil, start, syntax.EmptyBeginText|syntax.EmptyBeginLine)
	d := &dfa{start: dfaMatched}
	if !m0 {
		d.start = b.state(k0, true)
	}
	// The search may start at any later position.
	b.newGen()
	restart, mr := b.closure(nil, start, 0)

	// Symbols that every instruction treats alike share their
	// transitions: compute them once per class.
	classOf, reps := b.symbolClasses()
	next := make([]int32, len(reps))
	for id := int32(2); int(id) < len(b.states); id++ {
		if len(b.states) > maxDFAStates {
			return nil
		}
		kernel := b.states[id]
		for ci, sym := range reps {
			next[ci] = dfaMatched
			if mr {
				continue
			}
			b.newGen()
			var k []uint32
			matched := false
			for _, pc := range kernel {
				if c := &b.classes[pc]; c.consumes && c.has(sym) {
					var m bool
					k, m = b.closure(k, b.prog.Inst[pc].Out, 0)
					matched = matched || m
				}
			}
			if !matched {
				k = append(k, restart...)
				next[ci] = b.state(k, false)
			}
		}
		for sym := range dfaSymbols {
			b.trans = append(b.trans, next[classOf[sym]])
		}
	}
	// The tables hold rows for the dead and matched states too (never
	// read: the loop stops there).
	nstates := len(b.states)
	d.trans = make([]int32, nstates*dfaStride)
	d.na = make([]int32, nstates)
	for id := 2; id < nstates; id++ {
		row := b.trans[(id-2)*dfaSymbols : (id-1)*dfaSymbols]
		for sym := range dfaNonASCII {
			d.trans[id*dfaStride+sym] = row[sym] * dfaStride
		}
		for sym := dfaNonASCII; sym < dfaStride; sym++ {
			d.trans[id*dfaStride+sym] = dfaSlow
		}
		d.na[id] = row[dfaNonASCII] * dfaStride
	}
	d.start *= dfaStride
	d.endAcc = make([]bool, len(b.states))
	for id := 2; id < len(b.states); id++ {
		flags := syntax.EmptyEndText | syntax.EmptyEndLine
		if b.initial[id] {
			flags |= syntax.EmptyBeginText | syntax.EmptyBeginLine
		}
		for _, pc := range b.states[id] {
			if b.prog.Inst[pc].Op == syntax.InstEmptyWidth {
				b.newGen()
				if _, m := b.closure(nil, pc, flags); m {
					d.endAcc[id] = true
					break
				}
			}
		}
	}
	return d
}

// symbolClasses groups the input symbols that no instruction tells apart;
// it returns each symbol's class and one symbol per class.
func (b *dfaBuilder) symbolClasses() (classOf [dfaSymbols]int, reps []int) {
	index := map[string]int{}
	sig := make([]byte, len(b.classes))
	for sym := range dfaSymbols {
		for pc := range b.classes {
			sig[pc] = b2u(b.classes[pc].consumes && b.classes[pc].has(sym))
		}
		id, ok := index[string(sig)]
		if !ok {
			id = len(reps)
			index[string(sig)] = id
			reps = append(reps, sym)
		}
		classOf[sym] = id
	}
	return classOf, reps
}
