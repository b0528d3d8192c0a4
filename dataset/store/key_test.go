package store_test

import (
	"errors"
	"path"
	"strings"
	"testing"

	"github.com/assayhq/assay/dataset/store"
)

func TestValidateKey(t *testing.T) {
	tests := []struct {
		key     string
		wantErr string // whole message; "" for a valid key
	}{
		{"a", ""},
		{"objects/sha256/ab/cdef", ""},
		{".hidden/..x/...", ""},
		{"ünïcode", ""},
		{strings.Repeat("k", store.MaxKeyLen), ""},
		{"", "invalid key: empty key"},
		{"/a", `invalid key "/a": absolute (starts with "/")`},
		{"a/", `invalid key "a/": empty path element`},
		{"a//b", `invalid key "a//b": empty path element`},
		{"./a", `invalid key "./a": has a "." element`},
		{"a/../b", `invalid key "a/../b": has a ".." element`},
		{"a\\b", `invalid key "a\\b": contains a backslash`},
		{"a\x00b", `invalid key "a\x00b": contains control character U+0000`},
		{"a\x7f", `invalid key "a\x7f": contains control character U+007F`},
		{"a\xff", `invalid key "a\xff": not valid UTF-8`},
		{strings.Repeat("k", store.MaxKeyLen+1), `invalid key "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"…: longer than 1024 bytes`},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			err := store.ValidateKey(tt.key)
			if tt.wantErr == "" {
				if err != nil {
					t.Errorf("ValidateKey(%q): got %v, want nil", tt.key, err)
				}
				return
			}
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("ValidateKey(%q):\ngot  %v\nwant %s", tt.key, err, tt.wantErr)
			}
			if !errors.Is(err, store.ErrInvalidKey) {
				t.Errorf("ValidateKey(%q): error does not wrap ErrInvalidKey", tt.key)
			}
		})
	}
}

func TestValidatePrefix(t *testing.T) {
	tests := []struct {
		prefix string
		valid  bool
	}{
		{"", true},
		{"a", true},
		{"a/", true},
		{"datasets/ch", true},
		{".", true},
		{"a/..", true},
		{"/", false},
		{"/a", false},
		{"a//", false},
		{"../a", false},
		{"./", false},
		{"a\\", false},
		{"a\x00", false},
	}
	for _, tt := range tests {
		err := store.ValidatePrefix(tt.prefix)
		if tt.valid && err != nil {
			t.Errorf("ValidatePrefix(%q): got %v, want nil", tt.prefix, err)
		}
		if !tt.valid && !errors.Is(err, store.ErrInvalidKey) {
			t.Errorf("ValidatePrefix(%q): got %v, want ErrInvalidKey", tt.prefix, err)
		}
	}
}

func FuzzValidateKey(f *testing.F) {
	for _, s := range []string{"a", "a/b", "", "/", "a//b", "./a", "a/..", "a\\b", "a\x00", "\xff", ".x/..y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, key string) {
		if err := store.ValidateKey(key); err != nil {
			if !errors.Is(err, store.ErrInvalidKey) {
				t.Fatalf("ValidateKey(%q): error %v does not wrap ErrInvalidKey", key, err)
			}
			return
		}
		// A valid key is a clean, relative, slash-separated path that
		// stays inside any directory it is joined to.
		if path.Clean(key) != key || path.IsAbs(key) || strings.HasPrefix(key, "../") || key == ".." || key == "." {
			t.Fatalf("ValidateKey(%q) = nil for an unclean or escaping path", key)
		}
		if strings.ContainsAny(key, "\\\x00") {
			t.Fatalf("ValidateKey(%q) = nil for a key with a backslash or NUL", key)
		}
		// Every valid key, and every start of one, is a valid prefix.
		for i := 0; i <= len(key); i++ {
			if err := store.ValidatePrefix(key[:i]); err != nil && !errors.Is(err, store.ErrInvalidKey) {
				t.Fatalf("ValidatePrefix(%q): error %v does not wrap ErrInvalidKey", key[:i], err)
			} else if err != nil && i > 0 && (i == len(key) || key[i-1] == '/') {
				t.Fatalf("ValidatePrefix(%q) of valid key %q: %v", key[:i], key, err)
			}
		}
	})
}
