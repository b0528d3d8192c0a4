// Package defs reads feature-store definitions: a YAML file declaring
// entities, the sources their data comes from, feature views over those
// sources and feature services that group features for a model. The
// concepts are Feast's; the file is assay's own.
//
// # Glossary
//
//   - Entity: what features describe (a customer, a product), identified
//     by its join keys, columns that every source of a view over the
//     entity must hold.
//   - Source: a table of events, a dataset ref (churn@prod) or a Parquet
//     or CSV path, with its event-timestamp column (when a row became
//     true) and optionally a created-timestamp column (when it was
//     written; it breaks ties between rows of one event time).
//   - Feature view: features of one or more entities computed from one
//     source: source columns and expr-lang expressions over them (see
//     package dataset/expr), an optional row filter and a TTL, how long a
//     row stays valid after its event time (0 or absent: forever).
//   - Feature: a named value of a view: a source column, or an expression
//     with an optional declared type.
//   - Feature service: the features a model uses, as feature references.
//   - Feature reference: "view:feature" (one feature), "view" (every
//     feature of the view) or, in Resolve, the name of a feature service.
//   - Registry: a parsed definitions file. The repository stores
//     registries as numbered, immutable versions (see Save).
//
// # File format
//
//	entities:
//	  - name: customer
//	    join_keys: [customer_id]
//	    description: a paying account      # optional, on every object
//	sources:
//	  - name: transactions
//	    path: churn@prod          # a dataset ref or a Parquet/CSV path
//	    timestamp: event_ts       # event-timestamp column (date or timestamp)
//	    created: created_ts       # optional created-timestamp column
//	feature_views:
//	  - name: customer_stats
//	    entities: [customer]
//	    source: transactions
//	    ttl: 30d                  # optional; 0 or absent = forever
//	    filter: 'amount > 0'      # optional boolean expression
//	    features:
//	      - tenure                          # a source column
//	      - name: charges_per_month         # an expression over source columns
//	        expr: 'TotalCharges / max(tenure, 1)'
//	        type: float64                   # optional declared type
//	feature_services:
//	  - name: churn_model
//	    features: [customer_stats:tenure, customer_stats:charges_per_month]
//
// Every top-level list is optional (an empty file is an error). Entity, source, view and service names are words of letters,
// digits, _, - and . (no colon: references use it). A feature listed as
// a mapping without expr is the source column of its name (name: tenure,
// type: int64).
//
// TTLs are durations as Go writes them (90m, 1.5h, 1h30m, 500ms) with two
// more units, d (24h) and w (7d): 30d, 2w, 1d12h. A bare 0 means forever;
// negative TTLs are refused. See ParseTTL.
//
// Declared types are assay's column types: bool, int32, int64, float32,
// float64, string, binary, date, timestamp[ms], timestamp[us],
// timestamp[ns]. The value of a column or expression must fit the type:
// an int fits any integer or float type, a float a float type, a string
// string or binary, a time date or a timestamp, a duration int64
// (nanoseconds).
//
// # Checking
//
// Parse checks the file on its own: YAML syntax, keys (unknown ones with
// a did-you-mean), duplicate keys, value types, names, TTLs, declared
// types. Validate checks it against the schemas of its sources: columns,
// join keys, expressions, filter types, and names (duplicates, what views
// and services refer to). Both report every problem at once, as
// Problems, each positioned file:line:col; a problem inside an
// expression is positioned at its character in the file.
//
// # Storage
//
// Save stores a definitions file in an assay repository as
//
//	featurestore/registry/NNNNNN.yaml   the file as given, byte for byte
//	featurestore/registry/NNNNNN.json   its Manifest (format, version,
//	                                    time, author, source, sha256, size)
//
// with NNNNNN the version, from 000001. The YAML object claims the
// number with put-if-absent (a writer that loses the race takes the next
// number); the manifest, written second, publishes the version. A YAML
// object without a manifest is a write that did not finish and is not a
// version. Load verifies the size and hash of what it reads.
package defs
