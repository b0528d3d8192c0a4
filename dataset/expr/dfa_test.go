package expr

import (
	"regexp"
	"testing"
)

var dfaPatterns = []struct {
	pattern string
	dfa     bool // whether the pattern should run on the DFA
}{
	{`^C[0-9]{7}$`, true},
	{`[0-9]`, true},
	{`^$`, true},
	{``, true},
	{`a|b|c`, true},
	{`^(ab|cd)+e?$`, true},
	{`(?i)^abc`, true},
	{`^[^@\s]+@[^@\s]+\.[^@\s]+$`, true},
	{`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`, true},
	{`^https?://[^\s/$.?#].[^\s]*$`, true},
	{`^\d{4}-\d{2}-\d{2}$`, true},
	{`.`, true},
	{`^.{3}$`, true},
	{`(?s)a.b`, true},
	{`x*`, true},
	{`\Aab\z`, true},
	{`a$`, true},
	{`^a|b$`, true},
	{`[^a]`, true},
	{`(?i)k`, false},    // also matches U+212A KELVIN SIGN
	{`é`, false},        // non-ASCII literal
	{`\pL+`, false},     // a Unicode class
	{`\bword\b`, false}, // word boundaries
	{`(?m)^a$`, false},  // line anchors
	{`[\x{100}-\x{200}]`, false},
}

var dfaInputs = []string{
	"", "a", "b", "ab", "abc", "ABC", "aBc", "cd", "abcde", "abe", "e", "x", "xx",
	"C1234567", "C12345678", "c1234567", "C123456", "C123456a",
	"user@example.com", "user@@example.com", "us er@example.com", "ü@é.ç", "a@b.c",
	"123e4567-e89b-12d3-a456-426614174000", "123E4567-E89B-12D3-A456-42661417400",
	"http://example.com/x", "https://e.x", "ftp://x", "http:// x",
	"2024-01-02", "2024-1-02", "word", "a word here", "\n", "a\nb", "a\n", "\na",
	"é", "éé", "ééé", "aéb", "a\xffb", "\xff", "\xff\xfe\xfd", "\xe2\x82", "K", "k", "\u212a",
	"ĀȀ", "\x00", "b\x00",
}

func TestDFA(t *testing.T) {
	for _, tt := range dfaPatterns {
		re := regexp.MustCompile(tt.pattern)
		d := compileDFA(tt.pattern)
		if (d != nil) != tt.dfa {
			t.Errorf("%q: DFA built: %v, want %v", tt.pattern, d != nil, tt.dfa)
		}
		if d == nil {
			continue
		}
		for _, in := range dfaInputs {
			if got, want := d.match([]byte(in)), re.MatchString(in); got != want {
				t.Errorf("%q matches %q: got %v, regexp says %v", tt.pattern, in, got, want)
			}
		}
		// matchAll runs rows in pairs: pair every input with every other.
		offs, data := []int32{0}, []byte(nil)
		var ins []string
		for _, a := range dfaInputs {
			for _, b := range dfaInputs {
				for _, in := range []string{a, b} {
					data = append(data, in...)
					offs = append(offs, int32(len(data)))
					ins = append(ins, in)
				}
			}
		}
		ins = append(ins, "tail")
		data = append(data, "tail"...)
		offs = append(offs, int32(len(data)))
		got := make([]bool, len(ins))
		d.matchAll(offs, data, got)
		for i, in := range ins {
			if want := re.MatchString(in); got[i] != want {
				t.Errorf("%q matches %q (row %d of matchAll): got %v, regexp says %v", tt.pattern, in, i, got[i], want)
				break
			}
		}
	}
}

func FuzzDFA(f *testing.F) {
	for _, p := range dfaPatterns {
		for _, in := range dfaInputs[:12] {
			f.Add(p.pattern, in)
		}
	}
	f.Fuzz(func(t *testing.T, pattern, in string) {
		re, err := regexp.Compile(pattern)
		if err != nil {
			return
		}
		d := compileDFA(pattern)
		if d == nil {
			return
		}
		if got, want := d.match([]byte(in)), re.MatchString(in); got != want {
			t.Errorf("%q matches %q: got %v, regexp says %v", pattern, in, got, want)
		}
	})
}
