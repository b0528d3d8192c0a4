package serve

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// errSyntax is what the parser returns for a body that is not JSON. The
// caller replaces it by checkSyntax's error, which says where and why.
var errSyntax = errors.New("invalid JSON")

// parser reads JSON from one string, checking its syntax as it goes, so
// that a valid body is scanned once. It reads only the values that a
// request holds: objects, arrays, strings, numbers and booleans; its
// methods are called with p.i at the start of what they read, and leave
// it after.
type parser struct {
	s string
	i int
}

// next skips white space and returns the next byte, or 0 at the end.
func (p *parser) next() byte {
	for p.i < len(p.s) {
		switch c := p.s[p.i]; c {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return c
		}
	}
	return 0
}

// object reads an object (p.i is at its '{'), calling field for each
// member with p.i at its value; field must read the value.
func (p *parser) object(field func(name string) error) error {
	p.i++
	if p.next() == '}' {
		p.i++
		return nil
	}
	for {
		if p.next() != '"' {
			return errSyntax
		}
		name, err := p.str()
		if err != nil {
			return err
		}
		if p.next() != ':' {
			return errSyntax
		}
		p.i++
		p.next()
		if err := field(name); err != nil {
			return err
		}
		switch p.next() {
		case ',':
			p.i++
		case '}':
			p.i++
			return nil
		default:
			return errSyntax
		}
	}
}

// array reads an array (p.i is at its '['), calling elem for each element
// with p.i at it; elem must read the element.
func (p *parser) array(elem func(i int) error) error {
	p.i++
	if p.next() == ']' {
		p.i++
		return nil
	}
	for i := 0; ; i++ {
		p.next()
		if err := elem(i); err != nil {
			return err
		}
		switch p.next() {
		case ',':
			p.i++
		case ']':
			p.i++
			return nil
		default:
			return errSyntax
		}
	}
}

// str reads a string (p.i is at its '"').
func (p *parser) str() (string, error) {
	start := p.i + 1
	plain := true // no escapes, ASCII only
	for i := start; i < len(p.s); i++ {
		switch c := p.s[i]; {
		case c == '"':
			p.i = i + 1
			raw := p.s[start:i]
			if plain || !strings.Contains(raw, `\`) && utf8.ValidString(raw) {
				return raw, nil
			}
			// Escapes, or invalid UTF-8 (which becomes U+FFFD): let
			// encoding/json check and decode them.
			var s string
			if json.Unmarshal([]byte(p.s[start-1:i+1]), &s) != nil {
				return "", errSyntax
			}
			return s, nil
		case c < 0x20:
			return "", errSyntax
		case c == '\\':
			plain = false
			i++ // the escaped byte, checked by json.Unmarshal
		case c >= utf8.RuneSelf:
			plain = false
		}
	}
	return "", errSyntax
}

// number reads a number and returns its literal.
func (p *parser) number() (string, error) {
	start := p.i
	digits := func() bool {
		from := p.i
		for p.i < len(p.s) && '0' <= p.s[p.i] && p.s[p.i] <= '9' {
			p.i++
		}
		return p.i > from
	}
	p.skip('-')
	if !p.skip('0') && !digits() {
		return "", errSyntax
	}
	if p.skip('.') && !digits() {
		return "", errSyntax
	}
	if p.skip('e') || p.skip('E') {
		if !p.skip('+') {
			p.skip('-')
		}
		if !digits() {
			return "", errSyntax
		}
	}
	return p.s[start:p.i], nil
}

// skip reads c if it is the next byte (without skipping white space),
// and reports whether it did.
func (p *parser) skip(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

// boolean reads true or false; ok is false, and nothing read, when
// neither is next.
func (p *parser) boolean() (b, ok bool) {
	switch rest := p.s[p.i:]; {
	case strings.HasPrefix(rest, "true"):
		p.i += len("true")
		return true, true
	case strings.HasPrefix(rest, "false"):
		p.i += len("false")
		return false, true
	}
	return false, false
}

// jsonType names the type of the JSON value starting with c.
func jsonType(c byte) string {
	switch c {
	case '{':
		return "an object"
	case '[':
		return "a list"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// checkSyntax returns nil when body is one JSON value, else an error with
// the position of the first problem.
func checkSyntax(body []byte) error {
	if json.Valid(body) {
		return nil
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return invalidf("empty request body: want a JSON object")
	}
	var v json.RawMessage
	err := json.Unmarshal(body, &v)
	se, ok := errors.AsType[*json.SyntaxError](err)
	if !ok {
		return invalidf("invalid JSON: %v", err)
	}
	// se.Offset counts the bytes read up to and including the bad one.
	off := int(min(max(se.Offset, 1), int64(len(body)))) - 1
	line, col := position(body, off)
	return fmt.Errorf("%w: invalid JSON at line %d, column %d (offset %d): %s", ErrInvalid, line, col, off, se.Error())
}

// position returns the line and column, both counting from 1, of byte
// offset off in b. Columns count characters.
func position(b []byte, off int) (line, col int) {
	before := b[:off]
	start := strings.LastIndexByte(string(before), '\n') + 1
	return 1 + strings.Count(string(before), "\n"), 1 + utf8.RuneCount(before[start:])
}

// invalidf returns an error wrapping ErrInvalid.
func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}
