// Package serve serves online features over HTTP, in the JSON format of
// Feast's feature server where the two overlap.
//
// Glossary:
//
//   - Request: the features asked for (feature references, or the name of
//     a feature service) and the entity rows to look them up for, given
//     column-wise: each join key with one value per row.
//   - Join key: a column that identifies an entity (customer_id). A view
//     is keyed by the join keys of all its entities; a request gives every
//     join key that a requested view uses, and no other.
//   - Plan: the resolved form of one feature list or service: the views'
//     join keys, and the features grouped by the set of join keys their
//     views use. Each group is one store read. A Server caches plans.
//   - Status: what the lookup found for one row × feature: PRESENT,
//     MISSING or EXPIRED. Feast calls them PRESENT, NOT_FOUND or
//     NULL_VALUE (both MISSING here), and OUTSIDE_MAX_AGE.
//
// # Routes
//
//	POST /get-online-features   the lookup below
//	GET  /health                200 "ok"
//
// # Request
//
//	{"features": ["customer_stats:tenure", "customer_stats:charges"],
//	 "entities": {"customer_id": [1001, 1002]},
//	 "full_feature_names": false}
//
// or {"feature_service": "churn_model", "entities": {...}}. Exactly one
// of features and feature_service is given; entities is required;
// full_feature_names is optional. Unknown fields, fields given twice and
// values of the wrong JSON type are errors. A feature reference is
// "view:feature" or "view" (all its features), as in package defs.
//
// Join key values are JSON strings or integral numbers: an integral
// number (12, 1.0, 1e3) is an int64, a string a string. null, booleans,
// fractions and numbers outside int64 are errors. Options.KeyKinds may
// fix a join key's type; a value of the other type is then an error.
// Every row of a join key has the same type, and every join key has the
// same number of rows.
//
// # Response
//
//	{"metadata":{"feature_names":["customer_id","tenure","charges"]},
//	 "results":[
//	  {"values":[1001,1002],"statuses":["PRESENT","PRESENT"],
//	   "event_timestamps":["1970-01-01T00:00:00Z","1970-01-01T00:00:00Z"]},
//	  {"values":[12,null],"statuses":["PRESENT","MISSING"],
//	   "event_timestamps":["2026-11-01T00:00:00Z","1970-01-01T00:00:00Z"]},
//	  ...]}
//
// feature_names lists the join keys, sorted by name, then the features
// in the order the references resolve to (see defs.Registry.Resolve).
// results holds one column per name, each with one value, status and
// event timestamp per entity row. Join key columns echo the request,
// with status PRESENT and the epoch as timestamp, as Feast does. A
// feature is named by its name, or view__feature when
// full_feature_names is true; two features of one name in different
// views need full_feature_names.
//
// An EXPIRED value is returned as null, as in Feast, so that a model
// never takes a stale value for a fresh one; its event timestamp is kept.
// A MISSING value is null; its timestamp is the record's event time when
// the view has a record for the entity, else the epoch. Freshness is the
// online store's rule: a record is fresh when its event time is at least
// now − TTL of its view.
//
// Timestamps are RFC 3339 in UTC, with a fraction of a second (to the
// microsecond) when it is not zero. Floats are JSON numbers, except NaN,
// +Inf and −Inf, which are the strings "NaN", "Infinity" and "-Infinity".
// Strings are valid JSON: invalid UTF-8 becomes U+FFFD.
//
// Errors are {"error": "..."}: 400 for a request that does not parse or
// names unknown features, 404 for an unknown path, 405 for a wrong
// method, 413 for a body over Options.MaxBody, 500 when the store fails.
//
// # Speed
//
// The request parser is hand-written and checks the syntax as it reads;
// encoding/json is asked only to explain a body that is not JSON. The
// response encoder appends into pooled buffers with strconv, so the hot
// path uses no reflection. Plans are cached per feature list or service
// (at most 256), so references are resolved once.
package serve
