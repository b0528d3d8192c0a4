package defs

import (
	"time"
)

// Registry is a parsed definitions file.
type Registry struct {
	// File names the file in positions.
	File     string
	Entities []*Entity
	Sources  []*Source
	Views    []*FeatureView
	Services []*FeatureService
	// Online is the online store materialization writes to and serving
	// reads; nil means the default, a bolt file inside the repository.
	Online *OnlineStore
}

// The online store types.
const (
	OnlineBolt  = "bolt"
	OnlineRedis = "redis"
)

// OnlineStore says where the online store is.
type OnlineStore struct {
	// Type is OnlineBolt or OnlineRedis.
	Type string
	// Path is the bolt file, relative to the repository's directory when
	// not absolute; "" means the default.
	Path string
	// URL is the Redis server, redis://[user@]host:port/db or rediss://
	// for TLS. A password is taken from the environment, never from the
	// file (see RedisURL).
	URL string
	// Prefix starts the Redis hash keys; "" means the store's default.
	Prefix string
	// Pos is the position of the online_store mapping; ArgPos that of
	// each key given.
	Pos    Pos
	ArgPos map[string]Pos
}

// Entity is what features describe, identified by its join keys.
type Entity struct {
	Name        string
	JoinKeys    []string
	Description string
	// Pos is the position of the entity's name. ArgPos holds the
	// position of each key given ("join_keys", "description") and of each
	// element of a list ("join_keys[0]").
	Pos    Pos
	ArgPos map[string]Pos
}

// Source is a table of events that views read.
type Source struct {
	Name string
	// Path is a dataset ref (churn@prod) or a Parquet or CSV path.
	Path string
	// Timestamp is the event-timestamp column; Created, if set, the
	// created-timestamp column.
	Timestamp   string
	Created     string
	Description string
	// Pos is the position of the source's name; ArgPos that of each key
	// given ("path", "timestamp", "created", …).
	Pos    Pos
	ArgPos map[string]Pos
}

// FeatureView is a set of features of entities computed from one source.
type FeatureView struct {
	Name     string
	Entities []string
	Source   string
	// TTL is how long a row stays valid after its event time; 0 means
	// forever.
	TTL time.Duration
	// Filter is an expr-lang boolean expression over the source's
	// columns; rows where it is not true are left out. "" keeps all rows.
	Filter      string
	Features    []*Feature
	Description string
	// Pos is the position of the view's name; ArgPos that of each key
	// given ("entities", "entities[0]", "source", "ttl", "filter", …).
	// The position of a string value is that of its first character.
	Pos    Pos
	ArgPos map[string]Pos
}

// Feature is a named value of a view.
type Feature struct {
	Name string
	// Expr is the expression computing the feature; "" means the source
	// column Name.
	Expr string
	// Type is the declared type (a dataset.Type name), or "".
	Type        string
	Description string
	// Pos is the position of the feature's name; ArgPos that of each key
	// given ("expr", "type", …).
	Pos    Pos
	ArgPos map[string]Pos
}

// Column reports whether the feature is a source column.
func (f *Feature) Column() bool { return f.Expr == "" }

// FeatureService is the features a model uses.
type FeatureService struct {
	Name string
	// Features are feature references: "view:feature" or "view".
	Features    []string
	Description string
	// Pos is the position of the service's name; ArgPos that of each key
	// given and of each reference ("features[1]").
	Pos    Pos
	ArgPos map[string]Pos
}

// FeatureRef is a resolved reference to one feature.
type FeatureRef struct {
	View    *FeatureView
	Feature *Feature
}

// String returns the reference as "view:feature".
func (r FeatureRef) String() string { return r.View.Name + ":" + r.Feature.Name }

// Entity returns the named entity, or nil.
func (r *Registry) Entity(name string) *Entity {
	for _, e := range r.Entities {
		if e.Name == name {
			return e
		}
	}
	return nil
}

// Source returns the named source, or nil.
func (r *Registry) Source(name string) *Source {
	for _, s := range r.Sources {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// View returns the named feature view, or nil.
func (r *Registry) View(name string) *FeatureView {
	for _, v := range r.Views {
		if v.Name == name {
			return v
		}
	}
	return nil
}

// Service returns the named feature service, or nil.
func (r *Registry) Service(name string) *FeatureService {
	for _, s := range r.Services {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// Feature returns the named feature of the view, or nil.
func (v *FeatureView) Feature(name string) *Feature {
	for _, f := range v.Features {
		if f.Name == name {
			return f
		}
	}
	return nil
}
