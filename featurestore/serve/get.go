package serve

import (
	"context"
	"fmt"
	"hash/maphash"
	"slices"
	"strings"
	"sync"

	"github.com/assayhq/assay/featurestore/defs"
	"github.com/assayhq/assay/featurestore/online"
)

// Get looks up the features of a request. Errors in the request wrap
// ErrInvalid (and, for unknown features, defs.ErrUnknownRef); other
// errors are the store's.
//
// An expired value is returned as null with status Expired and its event
// time; see the package documentation.
func (s *Server) Get(ctx context.Context, req *Request) (*Response, error) {
	resp := &Response{}
	if err := s.get(ctx, req, resp); err != nil {
		return nil, err
	}
	return resp, nil
}

// get is Get into resp, whose slices it reuses.
func (s *Server) get(ctx context.Context, req *Request, resp *Response) error {
	if err := req.checkFeatures(); err != nil {
		return err
	}
	p, err := s.plan(req)
	if err != nil {
		return err
	}
	names, err := p.short, p.shortErr
	if req.FullFeatureNames {
		names, err = p.full, nil
	}
	if err != nil {
		return err
	}
	n, err := s.checkEntities(p, req.Entities)
	if err != nil {
		return err
	}
	resp.reset(names, n)
	for i, k := range p.keys {
		c := &resp.Columns[i]
		copy(c.Values, req.Entities[k])
		for j := range c.Statuses {
			c.Statuses[j] = online.Present
		}
	}
	if n == 0 {
		return nil
	}
	opts := online.ReadOptions{Now: s.opts.Now().UnixMicro(), TTL: s.ttl}
	feats := resp.Columns[len(p.keys):]
	for gi := range p.groups {
		g := &p.groups[gi]
		keys, err := g.entityKeys(req.Entities, n)
		if err != nil {
			return err
		}
		res, err := s.store.Read(ctx, keys, g.refs, opts)
		if err != nil {
			return fmt.Errorf("read %s: %w", g.views, err)
		}
		if len(res) != n {
			return fmt.Errorf("read %s: the store returned %d rows for %d keys", g.views, len(res), n)
		}
		for row, rs := range res {
			if len(rs) != len(g.refs) {
				return fmt.Errorf("read %s: the store returned %d results for %d features", g.views, len(rs), len(g.refs))
			}
			for j, r := range rs {
				c := &feats[g.cols[j]]
				if r.Status == online.Present {
					c.Values[row] = r.Value
				}
				c.Statuses[row] = r.Status
				c.EventTimes[row] = r.EventTime
			}
		}
	}
	return nil
}

// checkEntities checks that the request gives exactly the join keys of
// plan p, each of the right type and all with the same number of rows,
// and returns that number.
func (s *Server) checkEntities(p *plan, ents map[string][]online.Value) (int, error) {
	if len(ents) != len(p.keys) || !p.hasKeys(ents) {
		var unknown, missing []string
		for k := range ents {
			if _, ok := slices.BinarySearch(p.keys, k); !ok {
				unknown = append(unknown, k)
			}
		}
		for _, k := range p.keys {
			if _, ok := ents[k]; !ok {
				missing = append(missing, k)
			}
		}
		slices.Sort(unknown)
		want := strings.Join(p.keys, ", ")
		if len(unknown) > 0 {
			return 0, invalidf("entities: unknown join key %s; the requested views join on %s", quoteList(unknown), want)
		}
		return 0, invalidf("entities: missing join key %s (view %s joins on it); want %s", quoteList(missing), p.keyViews[missing[0]], want)
	}
	n := len(ents[p.keys[0]])
	for _, k := range p.keys[1:] {
		if m := len(ents[k]); m != n {
			return 0, invalidf("entities: %s has %d values but %s has %d; want one value per entity row for every join key", p.keys[0], n, k, m)
		}
	}
	if n > s.opts.MaxEntities {
		return 0, invalidf("entities: %d rows, over the limit of %d", n, s.opts.MaxEntities)
	}
	for _, k := range p.keys {
		if err := checkKeyValues(k, ents[k], s.opts.KeyKinds[k]); err != nil {
			return 0, err
		}
	}
	return n, nil
}

// quoteList quotes each name and joins them with ", ".
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

// plan is the resolved form of one feature list or service.
type plan struct {
	service  string            // the request's service, or ""
	features []string          // or its features
	keys     []string          // the join keys of all views, sorted
	keyViews map[string]string // join key → the first view that uses it
	short    []string          // the column names: keys, then feature names
	shortErr error             // when two of short are equal
	full     []string          // keys, then view__feature names
	groups   []group
}

// group is the features of views that share one set of join keys, read
// in one store call.
type group struct {
	keys  []string // the join keys, sorted
	views string   // the views, for messages
	refs  []online.FeatureRef
	cols  []int // per ref, its feature column
}

// hasKeys reports whether ents holds every join key of p.
func (p *plan) hasKeys(ents map[string][]online.Value) bool {
	for _, k := range p.keys {
		if _, ok := ents[k]; !ok {
			return false
		}
	}
	return true
}

// entityKeys returns the entity key of each of n rows for the group's
// join keys.
func (g *group) entityKeys(ents map[string][]online.Value, n int) ([]online.EntityKey, error) {
	cols := make([][]online.Value, len(g.keys))
	for i, k := range g.keys {
		cols[i] = ents[k]
	}
	jks := make([]online.JoinKey, len(g.keys))
	for i, k := range g.keys {
		jks[i].Name = k
	}
	keys := make([]online.EntityKey, n)
	for row := range keys {
		for i := range jks {
			jks[i].Value = cols[i][row]
		}
		k, err := online.EncodeKey(jks...)
		if err != nil {
			return nil, fmt.Errorf("%w: entities row %d: %v", ErrInvalid, row, err)
		}
		keys[row] = k
	}
	return keys, nil
}

// plan returns the plan of the request's features, from the cache or
// resolved now.
func (s *Server) plan(req *Request) (*plan, error) {
	h := s.plans.hash(req)
	if p := s.plans.get(h, req); p != nil {
		return p, nil
	}
	p, err := s.newPlan(req)
	if err != nil {
		return nil, err
	}
	s.plans.put(h, p)
	return p, nil
}

// newPlan resolves the request's features into a plan.
func (s *Server) newPlan(req *Request) (*plan, error) {
	refs, err := s.resolve(req)
	if err != nil {
		return nil, err
	}
	p := &plan{service: req.FeatureService, features: slices.Clone(req.Features), keyViews: map[string]string{}}
	byKeys := map[string]int{} // join keys joined by "\x00" → group
	var names, full []string
	for i, r := range refs {
		view := r.View.Name
		vkeys := s.keys[view]
		for _, k := range vkeys {
			if _, ok := p.keyViews[k]; !ok {
				p.keyViews[k] = view
				p.keys = append(p.keys, k)
			}
		}
		set := strings.Join(vkeys, "\x00")
		gi, ok := byKeys[set]
		if !ok {
			gi = len(p.groups)
			byKeys[set] = gi
			p.groups = append(p.groups, group{keys: vkeys})
		}
		g := &p.groups[gi]
		if !strings.Contains(","+g.views+",", ","+view+",") {
			if g.views != "" {
				g.views += ","
			}
			g.views += view
		}
		g.refs = append(g.refs, online.FeatureRef{View: view, Name: r.Feature.Name})
		g.cols = append(g.cols, i)
		names = append(names, r.Feature.Name)
		full = append(full, view+"__"+r.Feature.Name)
	}
	slices.Sort(p.keys)
	p.short = append(slices.Clone(p.keys), names...)
	p.full = append(slices.Clone(p.keys), full...)
	if dup := duplicate(p.short); dup != "" {
		var in []string
		for _, r := range refs {
			if r.Feature.Name == dup {
				in = append(in, r.View.Name)
			}
		}
		what := "feature of views " + strings.Join(in, " and ")
		if len(in) < 2 {
			what = "join key and a feature of view " + in[0]
		}
		p.shortErr = invalidf("%q is a %s; set \"full_feature_names\": true to name features view__feature", dup, what)
	}
	if dup := duplicate(p.full); dup != "" {
		return nil, invalidf("two columns are named %q (a join key, or view__feature of two views); rename one", dup)
	}
	return p, nil
}

// duplicate returns a name that is in names twice, or "".
func duplicate(names []string) string {
	seen := make(map[string]bool, len(names))
	for _, n := range names {
		if seen[n] {
			return n
		}
		seen[n] = true
	}
	return ""
}

// resolve resolves the request's features or service.
func (s *Server) resolve(req *Request) ([]defs.FeatureRef, error) {
	if req.FeatureService == "" {
		refs, err := s.reg.Resolve(req.Features)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
		}
		return refs, nil
	}
	name := req.FeatureService
	svc := s.reg.Service(name)
	if svc == nil {
		if _, err := s.reg.Resolve([]string{name}); err != nil {
			return nil, fmt.Errorf("%w: feature_service: %w", ErrInvalid, err)
		}
		return nil, invalidf("feature_service: %s is a feature view, not a service; list it in \"features\"", name)
	}
	refs, err := s.reg.Resolve(svc.Features)
	if err != nil {
		return nil, fmt.Errorf("%w: feature service %s: %w", ErrInvalid, name, err)
	}
	return refs, nil
}

// maxPlans bounds the plan cache.
const maxPlans = 256

// planCache holds plans by a hash of their service or features, safe for
// concurrent use. Of plans with equal hashes it keeps the last. When full,
// it drops an arbitrary plan for each new one.
type planCache struct {
	seed maphash.Seed
	mu   sync.RWMutex
	m    map[uint64]*plan
}

// hash returns the hash of the request's service or features.
func (c *planCache) hash(req *Request) uint64 {
	var h maphash.Hash
	h.SetSeed(c.seed)
	if req.FeatureService != "" {
		h.WriteByte('s')
		h.WriteString(req.FeatureService)
		return h.Sum64()
	}
	for _, f := range req.Features {
		h.WriteByte('f')
		h.WriteString(f)
	}
	return h.Sum64()
}

// get returns the plan of the request, whose hash is h, or nil.
func (c *planCache) get(h uint64, req *Request) *plan {
	c.mu.RLock()
	p := c.m[h]
	c.mu.RUnlock()
	if p == nil || p.service != req.FeatureService || !slices.Equal(p.features, req.Features) {
		return nil
	}
	return p
}

// put adds plan p of hash h.
func (c *planCache) put(h uint64, p *plan) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[uint64]*plan)
	}
	if _, ok := c.m[h]; !ok && len(c.m) >= maxPlans {
		for k := range c.m {
			delete(c.m, k)
			break
		}
	}
	c.m[h] = p
}
