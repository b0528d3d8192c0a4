package checks

import (
	"context"
	"fmt"
)

// compileCheck turns one check into its checker; problems come back as
// Problems.
func (p *Plan) compileCheck(ctx context.Context, c *Check) (checker, error) {
	var probs Problems
	if c.Severity == "" {
		c.Severity = SeverityError
	}
	if c.Pos.File == "" {
		c.Pos.File = p.file.Path
	}
	var ck checker
	switch c.Kind {
	case KindNullFraction:
		if c.Where == "" && len(c.GroupBy) == 0 {
			if a := p.compileNullFraction(c, &probs); a != nil {
				ck = a
			}
			break
		}
		if r := p.compileRow(c, &probs); r != nil {
			ck = r
		}
	case KindNotNull, KindBetween, KindInSet, KindNotInSet, KindRegex, KindNotRegex,
		KindLength, KindFormat, KindRow, KindPair, KindReference:
		if c.Kind == KindReference {
			if err := p.checkReference(ctx, c, &probs); err != nil {
				return nil, err
			}
			if len(probs) > 0 {
				return nil, probs
			}
		}
		if r := p.compileRow(c, &probs); r != nil {
			ck = r
		}
	case KindUnique:
		if u := p.compileUnique(c, &probs); u != nil {
			ck = u
		}
	case KindLabelConflicts:
		if lc := p.compileLabelConflicts(c, &probs); lc != nil {
			ck = lc
		}
	case KindIncreasing, KindDecreasing:
		if o := p.compileOrder(c, &probs); o != nil {
			ck = o
		}
	case KindRowCount:
		if a := p.compileRowCount(c, &probs); a != nil {
			ck = a
		}
	case KindFreshness:
		if a := p.compileFreshness(c, &probs); a != nil {
			ck = a
		}
	case KindSchema:
		if a := p.compileSchema(c, &probs); a != nil {
			ck = a
		}
	case KindMetric:
		if a := p.compileMetric(c, &probs); a != nil {
			ck = a
		}
	case KindChange, KindAnomaly:
		if a := p.compileHistory(c, &probs); a != nil {
			ck = a
		}
	default:
		probs.add(c.Pos, "unknown check kind %q", c.Kind)
	}
	if len(probs) > 0 {
		return nil, probs
	}
	if ck == nil {
		return nil, fmt.Errorf("compile %s check at line %d: no checker", c.Kind, c.Pos.Line)
	}
	return ck, nil
}
