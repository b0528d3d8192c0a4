package pit

import (
	"context"
	"slices"
	"testing"
)

// FuzzJoin decodes small inputs from bytes and checks that Join neither
// panics nor disagrees with the reference.
func FuzzJoin(f *testing.F) {
	f.Add([]byte{3, 4, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
	f.Add([]byte{0xff, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0x7f, 0x7f, 0x80, 0x80, 1, 1, 2, 2, 3})
	f.Add([]byte{5, 5, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		next := func() byte {
			if len(data) == 0 {
				return 0
			}
			b := data[0]
			data = data[1:]
			return b
		}
		// Times are small offsets around a base that can sit at either
		// end of int64, so TTL arithmetic meets overflow.
		bases := []int64{0, -1 << 63, 1<<63 - 1 - 300}
		base := bases[int(next())%len(bases)]
		tm := func() int64 { return base + int64(next()) }
		n, m := int(next()%12), int(next()%16)
		flags := next()
		ents := Entities{Time: make([]int64, n), TimeValid: make([]bool, n)}
		a := KeyColumn{Name: "a", Int: make([]int64, n), Valid: make([]bool, n)}
		s := KeyColumn{Name: "s", Str: make([]string, n)}
		for i := 0; i < n; i++ {
			k := next()
			a.Int[i], a.Valid[i] = int64(k%4), k&0x80 == 0
			s.Str[i] = string(rune('x' + k>>5&1))
			ents.Time[i], ents.TimeValid[i] = tm(), next()&0x80 == 0
		}
		ents.Keys = []KeyColumn{a, s}
		v := View{Name: "v", Time: make([]int64, m), TimeValid: make([]bool, m)}
		va := KeyColumn{Name: "a", Int: make([]int64, m), Valid: make([]bool, m)}
		vs := KeyColumn{Name: "s", Str: make([]string, m)}
		if flags&1 != 0 {
			v.Created = make([]int64, m)
		}
		for i := 0; i < m; i++ {
			k := next()
			va.Int[i], va.Valid[i] = int64(k%4), k&0x80 == 0
			vs.Str[i] = string(rune('x' + k>>5&1))
			v.Time[i], v.TimeValid[i] = tm(), next()&0x80 == 0
			if v.Created != nil {
				v.Created[i] = int64(next() % 3)
			}
		}
		switch flags >> 1 & 3 {
		case 0:
			v.Keys = []KeyColumn{va}
		case 1:
			v.Keys = []KeyColumn{vs}
		case 2:
			v.Keys = []KeyColumn{vs, va}
		}
		if flags&8 != 0 {
			v.TTL = int64(next())
		}
		if flags&16 != 0 {
			v.TTL = 1<<63 - 1
		}
		res, err := Join(context.Background(), ents, []View{v}, Options{Workers: 1 + int(flags>>5&1)})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := res.Views[0].Match, refJoin(ents, []View{v})[0]; !slices.Equal(got, want) {
			t.Fatalf("got %v, want %v", got, want)
		}
	})
}
