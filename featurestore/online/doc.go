// Package online is the online feature store: materialization writes the
// latest feature values of each entity into it, and serving reads them back
// by entity key with low latency.
//
// Glossary:
//
//   - Entity key: the values of an entity's join keys (customer_id=7,
//     region="eu"), encoded by [EncodeKey] into stable, unambiguous bytes:
//     join key names sorted, each name and typed value length-prefixed.
//   - View: a feature view, a named group of features materialized together
//     with one event time per entity.
//   - Row: one entity's values for one view, with the view's event time and
//     created time (both int64 microseconds since the Unix epoch).
//   - Record: the stored form of a row. A store keeps one record per
//     (entity, view): the one with the latest event time, ties going to the
//     latest created time, so materialization is idempotent and never moves
//     a value back in time. A write whose (event, created) equals the stored
//     pair replaces it.
//   - Feature reference: view and feature name, as a reader asks for it.
//   - Status: what a read found for one entity × feature: [Present],
//     [Missing] (no record for the entity and view, the feature is not in the
//     record, or its value is null) or [Expired] (the record is older than the
//     view's TTL).
//
// # Freshness
//
// Freshness follows the training-set rule of point-in-time joins: a record
// with event time e is fresh at time now when e ≥ now − TTL (the bound is
// inclusive); a TTL of zero, or a view without a TTL, means forever. Reads
// pass now and the TTLs in [ReadOptions]. A record whose event time lies
// after now is fresh: the online store keeps only the latest record, and now
// bounds only its age.
//
// # Layouts
//
// Every implementation stores the same record bytes (see record.go):
//
//	version        1 byte (1)
//	event time     8 bytes big-endian, sign bit flipped
//	created time   8 bytes big-endian, sign bit flipped
//	feature count  uvarint
//	per feature, sorted by name:
//	  name         uvarint length, bytes
//	  kind         1 byte (0 null, 1 float64, 2 int64, 3 string, 4 bool)
//	  payload      float64: 8 bytes LE IEEE bits; int64: 8 bytes LE;
//	               string: uvarint length, bytes; bool: 1 byte; null: none
//
// Flipping the sign bit makes bytes 1..16 compare as (event, created), so the
// latest-wins check is a byte comparison, also inside Redis's Lua.
//
// [Bolt] keeps one bbolt file with a bucket "records" whose keys are the
// encoded entity key followed by the view name. Entity keys are prefix-free,
// so all views of an entity are adjacent: a read of one entity is one cursor
// seek (one B-tree descent) and a short scan over that entity's views.
//
// [Redis] keeps, like Feast, one hash per entity (key: prefix + encoded entity
// key) with one field per view holding its record. A read is one HMGET per
// entity, all entities in one pipeline round trip; a write is a pipelined
// Lua script per row that replaces the field only when the new record is not
// older, which holds under concurrent writers.
//
// [Memory] keeps records in a map; it is for tests and small tools.
package online
