package expr

import "regexp"

// Matcher compiles a regular expression (Go's RE2 syntax) into a function
// that reports whether it matches anywhere in its input, as regexp.Match
// does: a deterministic automaton over the input's bytes when the pattern
// allows one (most patterns over ASCII classes do), regexp otherwise.
// Check rules' regex and not_regex use it.
func Matcher(pattern string) (func([]byte) bool, error) {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, err
	}
	if d := compileDFA(pattern); d != nil {
		return d.match, nil
	}
	return re.Match, nil
}
