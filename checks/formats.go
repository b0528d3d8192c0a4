package checks

import (
	"net/url"
	"time"
)

// Named formats of the format check. Each is a plain function over the
// value's bytes: no regular expression per row.
var formatNames = []string{"email", "uuid", "url", "date", "datetime"}

// formatFunc returns the validator of a named format.
func formatFunc(name string) func([]byte) bool {
	switch name {
	case "email":
		return isEmail
	case "uuid":
		return isUUID
	case "url":
		return isURL
	case "date":
		return isISODate
	case "datetime":
		return isISODateTime
	}
	return nil
}

// isEmail accepts local@domain where the local part has no spaces or '@'
// and the domain has at least one dot, labels of letters, digits and
// hyphens not starting or ending with a hyphen, and a final label of two
// or more letters. (The practical subset of RFC 5322 that form
// validators and Great Expectations' email regex accept.)
func isEmail(b []byte) bool {
	at := -1
	for i, c := range b {
		if c == '@' {
			if at >= 0 {
				return false
			}
			at = i
		}
	}
	if at <= 0 || at == len(b)-1 || at > 64 {
		return false
	}
	for _, c := range b[:at] {
		if c <= ' ' || c == '"' || c == '(' || c == ')' || c == ',' || c == ':' || c == ';' || c == '<' || c == '>' || c == '[' || c == '\\' || c == ']' || c >= 0x7f {
			return false
		}
	}
	local := b[:at]
	if local[0] == '.' || local[len(local)-1] == '.' {
		return false
	}
	domain := b[at+1:]
	labels, start := 0, 0
	lastAlpha := true
	for i := 0; i <= len(domain); i++ {
		if i < len(domain) && domain[i] != '.' {
			c := domain[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
			continue
		}
		label := domain[start:i]
		if len(label) == 0 || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		lastAlpha = len(label) >= 2
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
				lastAlpha = false
				break
			}
		}
		labels++
		start = i + 1
	}
	return labels >= 2 && lastAlpha
}

// isUUID accepts the canonical 8-4-4-4-12 hexadecimal form, any case.
func isUUID(b []byte) bool {
	if len(b) != 36 {
		return false
	}
	for i, c := range b {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// isURL accepts absolute http, https and ftp URLs with a host.
func isURL(b []byte) bool {
	for _, c := range b {
		if c <= ' ' || c >= 0x7f {
			return false
		}
	}
	u, err := url.Parse(string(b))
	if err != nil || u.Host == "" {
		return false
	}
	switch u.Scheme {
	case "http", "https", "ftp":
		return true
	}
	return false
}

// isISODate accepts an ISO 8601 calendar date, YYYY-MM-DD, that exists.
func isISODate(b []byte) bool {
	if len(b) != 10 {
		return false
	}
	_, err := time.Parse("2006-01-02", string(b))
	return err == nil
}

// isISODateTime accepts an RFC 3339 timestamp (ISO 8601 with a time zone
// or Z), or a date and time without a zone.
func isISODateTime(b []byte) bool {
	s := string(b)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999"} {
		if _, err := time.Parse(layout, s); err == nil {
			return true
		}
	}
	return false
}
