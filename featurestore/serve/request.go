package serve

import (
	"slices"
	"strconv"
	"strings"

	"github.com/assayhq/assay/featurestore/online"
)

// Request is a parsed request for online features.
type Request struct {
	// Features are feature references: "view:feature" or "view". Either
	// Features or FeatureService is set, not both.
	Features []string
	// FeatureService names a feature service.
	FeatureService string
	// Entities maps each join key to its values, one per entity row.
	// Values are int64 or string.
	Entities map[string][]online.Value
	// FullFeatureNames names features view__feature instead of feature.
	FullFeatureNames bool
}

// The request's fields, as the error for an unknown one lists them.
const requestFields = "features, feature_service, entities or full_feature_names"

// ParseRequest parses a request body (see the package documentation).
// kinds gives the type of join keys (online.KindInt64 or
// online.KindString); a join key not in it takes the JSON type of its
// values. Errors wrap ErrInvalid; a body that is not JSON is reported
// with the line, column and byte offset of the problem.
//
// ParseRequest checks the body's shape and types, not the registry:
// whether the features exist and the join keys fit them is Get's to say.
func ParseRequest(body []byte, kinds map[string]online.Kind) (*Request, error) {
	req := &Request{}
	if err := parseRequest(body, kinds, req); err != nil {
		return nil, err
	}
	return req, nil
}

// parseRequest is ParseRequest into req, whose Features slice and
// Entities map it reuses.
func parseRequest(body []byte, kinds map[string]online.Kind, req *Request) error {
	feats, ents := req.Features[:0], req.Entities
	clear(ents)
	*req = Request{}
	err := readRequest(body, kinds, req, feats, ents)
	if err == nil {
		return nil
	}
	// A body that is not JSON is reported as such, even where the reader
	// stopped at something else first.
	if err := checkSyntax(body); err != nil {
		return err
	}
	if err == errSyntax { // the reader and encoding/json disagree
		return invalidf("invalid JSON")
	}
	return err
}

// readRequest reads the request body into req, reusing feats and ents.
func readRequest(body []byte, kinds map[string]online.Kind, req *Request, feats []string, ents map[string][]online.Value) error {
	// One conversion for the whole body: strings without escapes are
	// substrings of it.
	p := &parser{s: string(body)}
	if c := p.next(); c != '{' {
		return invalidf("the request is a JSON %s, want an object", jsonType(c))
	}
	var seen [4]string // the known fields: an unknown one ends the parse
	nseen := 0
	err := p.object(func(field string) error {
		if slices.Contains(seen[:nseen], field) {
			return invalidf("field %q given twice", field)
		}
		if nseen < len(seen) {
			seen[nseen] = field
			nseen++
		}
		switch field {
		case "features":
			return p.features(req, feats)
		case "feature_service":
			if c := p.next(); c != '"' {
				return invalidf("feature_service: got %s, want a string", jsonType(c))
			}
			name, err := p.str()
			if err != nil {
				return err
			}
			if name == "" {
				return invalidf("feature_service: empty name")
			}
			req.FeatureService = name
			return nil
		case "entities":
			return p.entities(req, kinds, ents)
		case "full_feature_names":
			b, ok := p.boolean()
			if !ok {
				return invalidf("full_feature_names: got %s, want true or false", jsonType(p.next()))
			}
			req.FullFeatureNames = b
			return nil
		}
		return invalidf("unknown field %q; want %s", field, requestFields)
	})
	if err != nil {
		return err
	}
	if p.next(); p.i != len(p.s) {
		return errSyntax // more after the object
	}
	if req.Entities == nil {
		return invalidf(`no "entities": want the join keys, each with one value per entity row, as in {"customer_id": [1001, 1002]}`)
	}
	return req.checkFeatures()
}

// checkFeatures checks that exactly one of Features and FeatureService is
// given.
func (r *Request) checkFeatures() error {
	switch {
	case len(r.Features) > 0 && r.FeatureService != "":
		return invalidf(`both "features" and "feature_service" given; want one`)
	case len(r.Features) == 0 && r.FeatureService == "":
		return invalidf(`no "features" or "feature_service": want feature references or a feature service name`)
	}
	return nil
}

// features reads the value of the field "features" into req.Features,
// reusing buf.
func (p *parser) features(req *Request, buf []string) error {
	if c := p.next(); c != '[' {
		return invalidf("features: got %s, want a list of feature references", jsonType(c))
	}
	if buf == nil {
		buf = make([]string, 0, 16)
	}
	req.Features = buf
	err := p.array(func(i int) error {
		if c := p.next(); c != '"' {
			return invalidf("features[%d]: got %s, want a feature reference (view:feature or view)", i, jsonType(c))
		}
		f, err := p.str()
		if err != nil {
			return err
		}
		if f == "" {
			return invalidf("features[%d]: empty feature reference", i)
		}
		req.Features = append(req.Features, f)
		return nil
	})
	if err == nil && len(req.Features) == 0 {
		err = invalidf("features: empty list")
	}
	return err
}

// entities reads the value of the field "entities" into req.Entities,
// reusing m.
func (p *parser) entities(req *Request, kinds map[string]online.Kind, m map[string][]online.Value) error {
	if c := p.next(); c != '{' {
		return invalidf("entities: got %s, want an object mapping each join key to its values", jsonType(c))
	}
	if m == nil {
		m = map[string][]online.Value{}
	}
	req.Entities = m
	return p.object(func(key string) error {
		if _, dup := m[key]; dup {
			return invalidf("entities: join key %q given twice", key)
		}
		if c := p.next(); c != '[' {
			return invalidf("entities.%s: got %s, want a list of values, one per entity row", key, jsonType(c))
		}
		want := kinds[key]
		vals := []online.Value{}
		err := p.array(func(i int) error {
			switch c := p.next(); {
			case c == '"':
				s, err := p.str()
				if err != nil {
					return err
				}
				vals = append(vals, online.String(s))
			case c == '-' || '0' <= c && c <= '9':
				lit, err := p.number()
				if err != nil {
					return err
				}
				if want == online.KindString {
					return invalidf("entities.%s[%d]: got number %s, want a string (join key %s is a string)", key, i, lit, key)
				}
				n, ok := parseInt(lit)
				if !ok {
					return invalidf("entities.%s[%d]: %s is not an integer in the int64 range; join keys are int64 or string", key, i, lit)
				}
				vals = append(vals, online.Int(n))
			default:
				return invalidf("entities.%s[%d]: got %s, want an integer or a string", key, i, jsonType(c))
			}
			return nil
		})
		if err != nil {
			return err
		}
		if err := checkKeyValues(key, vals, want); err != nil {
			return err
		}
		m[key] = vals
		return nil
	})
}

// checkKeyValues checks that the values of join key name are all int64
// or all string, and of kind want unless it is KindNull.
func checkKeyValues(name string, vals []online.Value, want online.Kind) error {
	for i, v := range vals {
		k := v.Kind()
		if k != online.KindInt64 && k != online.KindString {
			return invalidf("entities.%s[%d]: got %s %v, want an int64 or a string", name, i, k, v)
		}
		switch {
		case want != online.KindNull && k != want:
			return invalidf("entities.%s[%d]: got %s %v, want %s (the type of join key %s)", name, i, k, v, want, name)
		case i > 0 && k != vals[0].Kind():
			return invalidf("entities.%s[%d]: got %s %v, but entities.%s[0] is %s; a join key has one type", name, i, k, v, name, vals[0].Kind())
		}
	}
	return nil
}

// parseInt returns the value of a JSON number literal that is an integer
// in the int64 range, written as 12, -7, 1.0, 1e3 or 1.5e1. It works on
// the digits, so no precision is lost on the way.
func parseInt(lit string) (int64, bool) {
	if n, err := strconv.ParseInt(lit, 10, 64); err == nil {
		return n, true
	}
	sign := ""
	if strings.HasPrefix(lit, "-") {
		sign, lit = "-", lit[1:]
	}
	mant, exp := lit, 0
	if i := strings.IndexAny(lit, "eE"); i >= 0 {
		mant = lit[:i]
		e, err := strconv.Atoi(lit[i+1:])
		if err != nil { // an exponent beyond int: only 0 survives it
			e = 1 << 30
			if lit[i+1] == '-' {
				e = -e
			}
		}
		exp = e
	}
	whole, frac, _ := strings.Cut(mant, ".")
	digits := strings.TrimLeft(whole+frac, "0")
	point := len(digits) - len(frac) + exp // how many digits stand before the point
	if digits == "" {
		return 0, true
	}
	switch {
	case point <= 0:
		return 0, false // 0 < |value| < 1
	case point < len(digits):
		if strings.TrimRight(digits[point:], "0") != "" {
			return 0, false
		}
		digits = digits[:point]
	case point > 19: // at least 10^19 > MaxInt64
		return 0, false
	default:
		digits += strings.Repeat("0", point-len(digits))
	}
	n, err := strconv.ParseInt(sign+digits, 10, 64)
	if err != nil {
		return 0, false
	}
	return n, true
}

// AppendJSON appends the request as JSON, in the format ParseRequest
// reads, with join keys in sorted order.
func (r *Request) AppendJSON(dst []byte) []byte {
	dst = append(dst, '{')
	if len(r.Features) > 0 {
		dst = append(dst, `"features":[`...)
		for i, f := range r.Features {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendString(dst, f)
		}
		dst = append(dst, "],"...)
	}
	if r.FeatureService != "" {
		dst = append(dst, `"feature_service":`...)
		dst = appendString(dst, r.FeatureService)
		dst = append(dst, ',')
	}
	dst = append(dst, `"entities":{`...)
	keys := make([]string, 0, len(r.Entities))
	for k := range r.Entities {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for i, k := range keys {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendString(dst, k)
		dst = append(dst, ":["...)
		for j, v := range r.Entities[k] {
			if j > 0 {
				dst = append(dst, ',')
			}
			dst = appendValue(dst, v)
		}
		dst = append(dst, ']')
	}
	dst = append(dst, `},"full_feature_names":`...)
	dst = strconv.AppendBool(dst, r.FullFeatureNames)
	return append(dst, '}')
}
