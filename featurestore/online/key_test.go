package online

import (
	"errors"
	"testing"
)

func TestEncodeKey(t *testing.T) {
	tests := []struct {
		name string
		keys []JoinKey
		err  error
	}{
		{"int", []JoinKey{{"id", Int(7)}}, nil},
		{"composite", []JoinKey{{"b", String("x")}, {"a", Int(-1)}}, nil},
		{"none", nil, ErrInvalid},
		{"empty name", []JoinKey{{"", Int(1)}}, ErrInvalid},
		{"duplicate", []JoinKey{{"a", Int(1)}, {"a", Int(2)}}, ErrInvalid},
		{"float", []JoinKey{{"a", Float(1)}}, ErrInvalid},
		{"null", []JoinKey{{"a", Null()}}, ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := EncodeKey(tt.keys...)
			if !errors.Is(err, tt.err) {
				t.Fatalf("got error %v, want %v", err, tt.err)
			}
			if err != nil {
				return
			}
			got, err := k.JoinKeys()
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.keys) {
				t.Fatalf("got %d join keys, want %d", len(got), len(tt.keys))
			}
			for i := 1; i < len(got); i++ {
				if got[i-1].Name >= got[i].Name {
					t.Errorf("join keys not sorted: %v", got)
				}
			}
			p, err := ParseKey(k.Bytes())
			if err != nil || p != k {
				t.Errorf("ParseKey(Bytes()) = %v, %v, want %v", p, err, k)
			}
		})
	}
}

func TestKeyStable(t *testing.T) {
	// The encoding is part of the stored format: it must not change.
	k, err := EncodeKey(JoinKey{"region", String("eu")}, JoinKey{"id", Int(1)})
	if err != nil {
		t.Fatal(err)
	}
	want := "\x02\x02id\x02\x80\x00\x00\x00\x00\x00\x00\x01\x06region\x03\x02eu"
	if got := string(k.Bytes()); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := k.String(), `id=1,region="eu"`; got != want {
		t.Errorf("String: got %s, want %s", got, want)
	}
}

func TestParseKeyRejects(t *testing.T) {
	for _, b := range []string{
		"",
		"\x00",
		"\x01\x02id\x02\x80",             // short int
		"\x01\x02id\x05",                 // bad kind
		"\x01\x02id\x03\x01a\x00",        // trailing byte
		"\x02\x01b\x03\x00\x01a\x03\x00", // unsorted
		"\x02\x01a\x03\x00\x01a\x03\x00", // duplicate
		"\x01\x00\x02\x80\x00\x00\x00\x00\x00\x00\x01", // empty name
	} {
		if _, err := ParseKey([]byte(b)); !errors.Is(err, ErrCorrupt) {
			t.Errorf("ParseKey(%q): got %v, want ErrCorrupt", b, err)
		}
	}
}

func FuzzParseKey(f *testing.F) {
	k, _ := EncodeKey(JoinKey{"region", String("eu")}, JoinKey{"id", Int(1)})
	f.Add(k.Bytes())
	f.Add([]byte("\x01\x02id\x03\x01a"))
	f.Fuzz(func(t *testing.T, b []byte) {
		k, err := ParseKey(b)
		if err != nil {
			return
		}
		if string(k.Bytes()) != string(b) {
			t.Fatalf("ParseKey(%q) changed the bytes to %q", b, k.Bytes())
		}
	})
}

func FuzzRecord(f *testing.F) {
	s, _ := newSchema("v", []string{"a", "b", "c", "d"}, nil)
	f.Add(s.appendRecord(nil, &Row{EventTime: 5, Values: []Value{Int(1), String("x"), Bool(true), Null()}}))
	f.Add([]byte{recordVersion})
	p, _ := newPlan([]FeatureRef{{"v", "a"}, {"v", "b"}, {"v", "c"}, {"v", "d"}, {"v", "e"}}, ReadOptions{Now: 10})
	f.Fuzz(func(t *testing.T, rec []byte) {
		out := p.results(1)
		// Must not panic; a record that decodes must pass newer.
		if err := p.fill(out[0], 0, rec); err == nil {
			newer(rec, rec)
		}
	})
}
