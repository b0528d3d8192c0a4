package store

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxKeyLen is the longest key, in bytes, that a store accepts. It is the
// limit S3 puts on object keys, so that a repository can move between
// backends unchanged.
const MaxKeyLen = 1024

// ValidateKey reports whether key is a valid blob key: non-empty, at most
// MaxKeyLen bytes of valid UTF-8, slash-separated elements that are neither
// empty nor "." nor "..", and no backslash or control character (NUL
// included). The error wraps ErrInvalidKey and quotes the key.
//
// Implementations call it first thing in every method, so that all stores
// accept exactly the same keys.
func ValidateKey(key string) error {
	if key == "" {
		return fmt.Errorf("%w: empty key", ErrInvalidKey)
	}
	if err := checkChars(key); err != nil {
		return err
	}
	for elem := range strings.SplitSeq(key, "/") {
		if err := checkElem(key, elem); err != nil {
			return err
		}
	}
	return nil
}

// ValidatePrefix reports whether prefix is a valid List prefix: empty (all
// keys), or a string that a valid key can start with. Every element before
// the last slash must be a valid key element; the text after it may be any
// start of an element, including "" (a prefix ending in "/"). The error wraps
// ErrInvalidKey and quotes the prefix.
func ValidatePrefix(prefix string) error {
	if prefix == "" {
		return nil
	}
	if err := checkChars(prefix); err != nil {
		return err
	}
	i := strings.LastIndexByte(prefix, '/')
	if i < 0 {
		return nil
	}
	for elem := range strings.SplitSeq(prefix[:i], "/") {
		if err := checkElem(prefix, elem); err != nil {
			return err
		}
	}
	return nil
}

// checkChars checks the length and characters of a key or prefix.
func checkChars(key string) error {
	if len(key) > MaxKeyLen {
		return fmt.Errorf("%w %.40q…: longer than %d bytes", ErrInvalidKey, key, MaxKeyLen)
	}
	if !utf8.ValidString(key) {
		return fmt.Errorf("%w %q: not valid UTF-8", ErrInvalidKey, key)
	}
	if strings.HasPrefix(key, "/") {
		return fmt.Errorf("%w %q: absolute (starts with \"/\")", ErrInvalidKey, key)
	}
	for _, r := range key {
		switch {
		case r == '\\':
			return fmt.Errorf("%w %q: contains a backslash", ErrInvalidKey, key)
		case r < 0x20 || r == 0x7f:
			return fmt.Errorf("%w %q: contains control character %U", ErrInvalidKey, key, r)
		}
	}
	return nil
}

// checkElem checks one slash-separated element of key.
func checkElem(key, elem string) error {
	switch elem {
	case "":
		return fmt.Errorf("%w %q: empty path element", ErrInvalidKey, key)
	case ".", "..":
		return fmt.Errorf("%w %q: has a %q element", ErrInvalidKey, key, elem)
	}
	return nil
}
