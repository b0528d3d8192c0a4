package defs

import (
	"fmt"
	"strings"
)

// Resolve turns feature references into features, in order and without
// repeats. A reference is "view:feature" (one feature), "view" (every
// feature of the view, in order) or the name of a feature service (its
// references, resolved). Every reference that names nothing is reported,
// each with a did-you-mean where one is near, in an error wrapping
// ErrUnknownRef.
func (r *Registry) Resolve(refs []string) ([]FeatureRef, error) {
	var out []FeatureRef
	seen := map[*Feature]bool{}
	add := func(v *FeatureView, f *Feature) {
		if !seen[f] {
			seen[f] = true
			out = append(out, FeatureRef{View: v, Feature: f})
		}
	}
	var errs []string
	for _, ref := range refs {
		viewName, feat, hasFeat := strings.Cut(ref, ":")
		if v := r.View(viewName); v != nil && (hasFeat || r.Service(viewName) == nil) {
			if !hasFeat {
				for _, f := range v.Features {
					add(v, f)
				}
				continue
			}
			f := v.Feature(feat)
			if f == nil {
				errs = append(errs, fmt.Sprintf("%q: view %s has no feature %s%s", ref, v.Name, feat, didYouMean(feat, names(v.Features, func(f *Feature) string { return f.Name }))))
				continue
			}
			add(v, f)
			continue
		}
		if hasFeat {
			errs = append(errs, fmt.Sprintf("%q: %s", ref, unknownName("feature view", viewName, names(r.Views, func(v *FeatureView) string { return v.Name }))))
			continue
		}
		s := r.Service(ref)
		if s == nil {
			known := append(names(r.Views, func(v *FeatureView) string { return v.Name }), names(r.Services, func(s *FeatureService) string { return s.Name })...)
			errs = append(errs, fmt.Sprintf("%q: no feature view or service is named %s%s", ref, ref, didYouMean(ref, known)))
			continue
		}
		if r.View(ref) != nil {
			errs = append(errs, fmt.Sprintf("%q: both a feature view and a feature service have this name; write %s:FEATURE for the view's features", ref, ref))
			continue
		}
		for _, sref := range s.Features {
			viewName, feat, hasFeat := strings.Cut(sref, ":")
			v := r.View(viewName)
			var f *Feature
			if v != nil && hasFeat {
				f = v.Feature(feat)
			}
			switch {
			case v == nil || hasFeat && f == nil:
				errs = append(errs, fmt.Sprintf("%q: service %s lists %s: %s", ref, s.Name, sref, r.checkServiceRef(sref)))
			case hasFeat:
				add(v, f)
			default:
				for _, f := range v.Features {
					add(v, f)
				}
			}
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%w: %s", ErrUnknownRef, strings.Join(errs, "; "))
	}
	return out, nil
}
