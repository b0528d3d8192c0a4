package dataset

// Refs: the strings users write to name data on the command line and in
// rule, drift and pipeline files.

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// RefKind tells what a Ref selects.
type RefKind int

const (
	// RefHead selects the newest version of a dataset: "churn".
	RefHead RefKind = iota
	// RefVersion selects a version by number: "churn@v3" or "churn@3".
	RefVersion
	// RefTag selects the version a tag points to: "churn@prod".
	RefTag
	// RefBack selects the version N before the head: "churn@~1".
	RefBack
	// RefTime selects the newest version committed at or before an
	// instant: "churn@2026-11-01T00:00:00Z" or "churn@2026-11-01".
	RefTime
	// RefPath selects Parquet or CSV files by path or glob, outside any
	// repository: "data/churn.parquet", "./exports/*.csv".
	RefPath
)

var refKindNames = [...]string{
	RefHead:    "head",
	RefVersion: "version",
	RefTag:     "tag",
	RefBack:    "back",
	RefTime:    "time",
	RefPath:    "path",
}

// String returns the kind's lower-case name, such as "version".
func (k RefKind) String() string {
	if k >= 0 && int(k) < len(refKindNames) {
		return refKindNames[k]
	}
	return "RefKind(" + strconv.Itoa(int(k)) + ")"
}

// Ref names data: a version of a dataset in a repository, or files on disk.
// ParseRef makes one from what a user wrote; String writes it back.
type Ref struct {
	Name    string    // dataset name (empty for RefPath)
	Kind    RefKind   // what the ref selects; the fields below depend on it
	Version int       // RefVersion: >= 1
	Tag     string    // RefTag
	Back    int       // RefBack: >= 1
	Time    time.Time // RefTime (UTC)
	Path    string    // RefPath: the path or glob as given
}

// MaxNameLen is the longest dataset or tag name, in characters.
const MaxNameLen = 128

// refForms lists the forms a dataset ref can take, for error messages.
const refForms = "(use name, name@v3, name@TAG, name@~1 or name@2026-11-01T00:00:00Z)"

// RefError is the error ParseRef returns for a string it cannot parse. It
// wraps ErrInvalid.
type RefError struct {
	Ref    string // the string as given
	Reason string // what is wrong with it
}

func (e *RefError) Error() string {
	return fmt.Sprintf("bad ref %q: %s", e.Ref, e.Reason)
}

// Unwrap returns ErrInvalid: a bad ref is bad user input.
func (e *RefError) Unwrap() error { return ErrInvalid }

// ParseRef parses a ref. A string is a path (RefPath) when it contains a
// path separator ("/" or `\`), starts with ".", ends in ".parquet", ".pq" or
// ".csv" (in any case), or contains glob metacharacters (see IsGlob); write
// "./churn" to read a file named churn. Otherwise it names a dataset, with
// an optional selector after the first "@":
//
//	churn                       the head (newest) version
//	churn@v3, churn@3           version 3
//	churn@prod                  the version tag prod points to
//	churn@~1                    one version before the head; ~N for N before
//	churn@2026-11-01T00:00:00Z  the newest version committed at or before
//	                            that RFC 3339 instant (any zone; kept as UTC)
//	churn@2026-11-01            the same, at 00:00:00 UTC that day
//
// Dataset and tag names follow ValidateName. Errors are *RefError values,
// which wrap ErrInvalid.
func ParseRef(s string) (Ref, error) {
	bad := func(format string, args ...any) (Ref, error) {
		return Ref{}, &RefError{Ref: s, Reason: fmt.Sprintf(format, args...)}
	}
	if s == "" {
		return bad("empty ref %s", refForms)
	}
	if isPath(s) {
		if strings.IndexByte(s, 0) >= 0 {
			return bad("path contains a NUL byte")
		}
		if IsGlob(s) {
			if _, err := filepath.Match(s, ""); err != nil {
				return bad("bad glob pattern: %v", err)
			}
		}
		return Ref{Kind: RefPath, Path: s}, nil
	}

	name, sel, hasSel := strings.Cut(s, "@")
	if name == "" {
		return bad("missing dataset name before \"@\" %s", refForms)
	}
	if err := ValidateName("dataset", name); err != nil {
		return bad("%v", err)
	}
	r := Ref{Name: name, Kind: RefHead}
	if !hasSel {
		return r, nil
	}
	if sel == "" {
		return bad("empty selector after \"@\" %s", refForms)
	}
	if strings.Contains(sel, "@") {
		return bad("more than one \"@\" %s", refForms)
	}

	r.Kind = selectorKind(sel)
	switch r.Kind {
	case RefBack:
		digits := sel[1:]
		if digits == "" {
			return bad("missing number after \"~\": write %s@~1 for the version before the head", name)
		}
		if !allDigits(digits) {
			return bad("%q is not \"~\" and a number, like ~1", sel)
		}
		n, err := strconv.Atoi(digits)
		if err != nil {
			return bad("%q is out of range", sel)
		}
		if n == 0 {
			return bad("~0 is the head version: write just %s", name)
		}
		r.Back = n
	case RefVersion:
		digits := strings.TrimLeft(sel, "vV")
		switch digits[0] {
		case '-':
			return bad("version numbers start at 1")
		case '+':
			return bad("write the version number without a sign, like %s@v3", name)
		}
		n, err := strconv.Atoi(digits)
		if err != nil {
			return bad("version number %s is out of range", digits)
		}
		if n == 0 {
			return bad("version numbers start at 1")
		}
		r.Version = n
	case RefTime:
		t, err := ParseTime(sel)
		if err != nil {
			return bad("%v", err)
		}
		r.Time = t
	case RefTag:
		if err := ValidateName("tag", sel); err != nil {
			return bad("%v", err)
		}
		r.Tag = sel
	}
	return r, nil
}

// String returns the canonical form of r: "churn", "churn@v3",
// "churn@prod", "churn@~2", "churn@2026-11-01T00:00:00Z" (RFC 3339 in UTC,
// with fractional seconds only when there are some), or the path as given.
// ParseRef(r.String()) returns r for any r that ParseRef returned.
func (r Ref) String() string {
	switch r.Kind {
	case RefHead:
		return r.Name
	case RefVersion:
		return r.Name + "@v" + strconv.Itoa(r.Version)
	case RefTag:
		return r.Name + "@" + r.Tag
	case RefBack:
		return r.Name + "@~" + strconv.Itoa(r.Back)
	case RefTime:
		return r.Name + "@" + r.Time.UTC().Format(time.RFC3339Nano)
	case RefPath:
		return r.Path
	}
	return r.Name + "@<" + r.Kind.String() + ">"
}

// IsGlob reports whether s contains any of the glob metacharacters "*", "?"
// and "[" that path/filepath.Match interprets.
func IsGlob(s string) bool {
	return strings.ContainsAny(s, "*?[")
}

// pathExts are the file name endings that make a ref a path.
var pathExts = [...]string{".parquet", ".pq", ".csv"}

// isPath reports whether a ref string names files rather than a dataset.
func isPath(s string) bool {
	return strings.ContainsAny(s, `/\`) || strings.HasPrefix(s, ".") || fileExt(s) != "" || IsGlob(s)
}

// fileExt returns the data file ending of s (".parquet", ".pq", ".csv"),
// compared in any case, or "".
func fileExt(s string) string {
	for _, ext := range pathExts {
		if len(s) >= len(ext) && strings.EqualFold(s[len(s)-len(ext):], ext) {
			return ext
		}
	}
	return ""
}

// selectorKind tells which kind of selector sel (non-empty, after the "@")
// is, by its shape alone: "~…" goes back; "v3", "V3" and "3" are versions,
// and so are "-3" and "v-3", so that ParseRef can reject them as such; text
// starting with a date ("2026-11-01…") is a time; anything else is a tag.
// Tag names may not take the shapes of the other kinds.
func selectorKind(sel string) RefKind {
	switch {
	case strings.HasPrefix(sel, "~"):
		return RefBack
	case looksLikeVersion(sel):
		return RefVersion
	case looksLikeDate(sel):
		return RefTime
	}
	return RefTag
}

// looksLikeVersion reports whether s is a version number: ASCII digits,
// optionally after "v" or "V" and a sign.
func looksLikeVersion(s string) bool {
	if s != "" && (s[0] == 'v' || s[0] == 'V') {
		s = s[1:]
	}
	if s != "" && (s[0] == '-' || s[0] == '+') {
		s = s[1:]
	}
	return allDigits(s)
}

// allDigits reports whether s is one or more ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// looksLikeDate reports whether s starts with the shape of a date,
// "dddd-dd-dd".
func looksLikeDate(s string) bool {
	if len(s) < len("2006-01-02") {
		return false
	}
	for i := range len("2006-01-02") {
		c := s[i]
		if i == 4 || i == 7 {
			if c != '-' {
				return false
			}
		} else if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// ParseTime parses a time as refs and commands take it: an RFC 3339 instant with a
// zone, or a date meaning 00:00:00 UTC that day. The result is in UTC, in
// the years 1 to 9999 that RFC 3339 can write.
func ParseTime(s string) (time.Time, error) {
	var t time.Time
	var err error
	if len(s) == len(time.DateOnly) {
		t, err = time.Parse(time.DateOnly, s)
	} else {
		t, err = time.Parse(time.RFC3339, s)
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("bad time %q: want an RFC 3339 time with a zone, like 2026-11-01T00:00:00Z, or a date, like 2026-11-01", s)
	}
	t = t.UTC()
	if y := t.Year(); y < 1 || y > 9999 {
		return time.Time{}, fmt.Errorf("time %q is out of range (years 1 to 9999 in UTC)", s)
	}
	return t, nil
}

// ValidateName reports whether name is a good dataset or tag name; kind is
// "dataset" or "tag", and names the thing in the error. A name has 1 to
// MaxNameLen characters from A-Z, a-z, 0-9, ".", "_" and "-"; starts with a
// letter or digit; does not contain ".." or end in "."; does not end in a
// data file extension (".parquet", ".pq", ".csv"), which would make a ref a
// path; and is not a device name Windows reserves (CON, NUL, COM1, …), as
// names become directory names in a repository. A tag name also may not look
// like another selector: a version ("v3", "3") or a date ("2026-11-01…").
// The error wraps ErrInvalid.
func ValidateName(kind, name string) error {
	if kind != "dataset" && kind != "tag" {
		return fmt.Errorf("validate name %q: unknown kind %q (want \"dataset\" or \"tag\")", name, kind)
	}
	bad := func(format string, args ...any) error {
		return &nameError{msg: kind + " " + fmt.Sprintf(format, args...)}
	}
	switch {
	case name == "":
		return &nameError{msg: "empty " + kind + " name"}
	case len(name) > MaxNameLen:
		return bad("name %.20q… is longer than %d characters", name, MaxNameLen)
	}
	for i, c := range name {
		if !isNameChar(c) {
			_, size := utf8.DecodeRuneInString(name[i:])
			return bad("name %q contains %q; use letters, digits, '.', '_' and '-'", name, name[i:i+size])
		}
	}
	switch {
	case !isAlnum(name[0]):
		return bad("name %q must start with a letter or digit", name)
	case strings.Contains(name, ".."):
		return bad("name %q contains \"..\"", name)
	case strings.HasSuffix(name, "."):
		return bad("name %q must not end in \".\"", name)
	case fileExt(name) != "":
		return bad("name %q ends in %q, which marks a file path", name, fileExt(name))
	case isReservedOnWindows(name):
		return bad("name %q is a device name reserved on Windows", name)
	}
	if kind == "tag" {
		switch selectorKind(name) {
		case RefVersion:
			return bad("name %q looks like a version number", name)
		case RefTime:
			return bad("name %q looks like a date", name)
		}
	}
	return nil
}

// nameError is the error ValidateName returns for a bad name.
type nameError struct{ msg string }

func (e *nameError) Error() string { return e.msg }
func (e *nameError) Unwrap() error { return ErrInvalid }

func isNameChar(c rune) bool {
	return c < 0x80 && (isAlnum(byte(c)) || c == '.' || c == '_' || c == '-')
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// isReservedOnWindows reports whether name, up to its first ".", is a
// device name that Windows will not use as a file or directory name.
func isReservedOnWindows(name string) bool {
	base, _, _ := strings.Cut(name, ".")
	switch strings.ToUpper(base) {
	case "CON", "PRN", "AUX", "NUL":
		return true
	}
	if len(base) == 4 && base[3] >= '1' && base[3] <= '9' {
		switch strings.ToUpper(base[:3]) {
		case "COM", "LPT":
			return true
		}
	}
	return false
}
