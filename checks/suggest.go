package checks

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/profile"
)

// Suggest proposes a rule file from a profile, as Deequ's constraint
// suggestion does: the schema's types; not_null for complete columns;
// unique where every value is distinct (exact counts only); in_set for
// columns of at most ten values; between with a 10% margin around the
// observed range (from 0 for non-negative columns); lengths for strings;
// null fraction bounds with room for partially null columns; a row count
// of at least half the rows. Every rule passes on the data it came from.
func Suggest(label string, schema dataset.Schema, s profile.Summary) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Rules suggested by `assay check suggest %s` from its profile\n", label)
	fmt.Fprintf(&b, "# (%d rows, %d columns). Review them: they describe this data, not your intent.\n", s.Rows, len(s.Columns))
	b.WriteString("checks:\n")
	b.WriteString("  - schema:\n      types:\n")
	for _, c := range schema.Supported() {
		fmt.Fprintf(&b, "        %s: %s\n", yamlKey(c.Name), yamlString(typeName(c)))
	}
	fmt.Fprintf(&b, "  - row_count: {min: %d}\n", s.Rows/2)
	for _, c := range s.Columns {
		nonNull := c.Count - c.Nulls
		col := yamlString(c.Name)
		fmt.Fprintf(&b, "  # %s\n", c.Name)
		switch {
		case c.Count > 0 && c.Nulls == 0:
			fmt.Fprintf(&b, "  - not_null: %s\n", col)
		case c.Count > 0 && nonNull > 0:
			f := float64(c.Nulls) / float64(c.Count)
			fmt.Fprintf(&b, "  - null_fraction: {column: %s, max: %s}\n", col, numText(math.Min(1, roundUp(f*1.5+0.001, 3))))
		}
		if nonNull == 0 {
			continue
		}
		if c.DistinctExact && c.Distinct == nonNull && nonNull > 1 && c.Type != "bool" && !strings.HasPrefix(c.Type, "float") {
			fmt.Fprintf(&b, "  - unique: %s\n", col)
		}
		if c.TopExact && c.Distinct <= profile.TopK && c.Distinct < nonNull && c.Type != "bool" && !strings.HasPrefix(c.Type, "float") && !strings.HasPrefix(c.Type, "timestamp") && c.Type != "date" {
			vals := make([]string, len(c.Top))
			for i, t := range c.Top {
				if c.Type == "string" {
					vals[i] = strconv.Quote(t.Value) // always quoted: 0x1F, .inf, yes are text
				} else {
					vals[i] = t.Value
				}
			}
			fmt.Fprintf(&b, "  - in_set: {column: %s, values: [%s]}\n", col, strings.Join(vals, ", "))
		}
		if lo, err1 := strconv.ParseInt(c.MinValue, 10, 64); strings.HasPrefix(c.Type, "int") && err1 == nil {
			// Integers exactly (floats would round beyond 2^53).
			if hi, err2 := strconv.ParseInt(c.MaxValue, 10, 64); err2 == nil {
				margin := int64(math.Ceil(0.1 * (float64(hi) - float64(lo))))
				min, max := satSub(lo, margin), satAdd(hi, margin)
				if lo >= 0 && min < 0 {
					min = 0
				}
				fmt.Fprintf(&b, "  - between: {column: %s, min: %d, max: %d}\n", col, min, max)
			}
		} else if c.Min != nil && c.Max != nil && c.NaN == 0 && strings.HasPrefix(c.Type, "float") {
			lo, hi := float64(*c.Min), float64(*c.Max)
			margin := (hi - lo) * 0.1
			min := lo - margin
			if lo >= 0 {
				min = math.Max(0, min)
			}
			max := hi + margin
			if !math.IsInf(min, 0) && !math.IsInf(max, 0) && !math.IsNaN(min) && !math.IsNaN(max) {
				fmt.Fprintf(&b, "  - between: {column: %s, min: %s, max: %s}\n", col, numText(math.Floor(min)), numText(math.Ceil(max)))
			}
		}
		if l := c.Length; l != nil && c.Type == "string" {
			fmt.Fprintf(&b, "  - length: {column: %s, min: %d, max: %d}\n", col, l.Min, l.Max)
		}
	}
	return b.String()
}

func satAdd(a, b int64) int64 {
	if s := a + b; (b > 0) == (s > a) || b == 0 {
		return s
	}
	if b > 0 {
		return math.MaxInt64
	}
	return math.MinInt64
}

func satSub(a, b int64) int64 {
	if b == math.MinInt64 {
		return satAdd(satAdd(a, math.MaxInt64), 1)
	}
	return satAdd(a, -b)
}

func roundUp(f float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Ceil(f*p) / p
}

func numText(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// yamlString quotes a string for YAML unless it is a plain word that YAML
// reads as that same string: it starts with a letter or _, and holds only
// letters, digits, _ - and . (not true, no, null and their kin).
func yamlString(s string) string {
	safe := s != "" && (s[0] == '_' || s[0] >= 'a' && s[0] <= 'z' || s[0] >= 'A' && s[0] <= 'Z')
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.') {
			safe = false
			break
		}
	}
	switch strings.ToLower(s) {
	case "true", "false", "yes", "no", "on", "off", "null", "~", "y", "n":
		safe = false
	}
	if safe {
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			safe = false
		}
	}
	if safe {
		return s
	}
	return strconv.Quote(s)
}

func yamlKey(s string) string { return yamlString(s) }
