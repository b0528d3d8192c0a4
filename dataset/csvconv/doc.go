// Package csvconv converts CSV files to Parquet, inferring a column type for
// every column. `assay dataset commit NAME data.csv` uses it to store CSV
// input as Parquet.
//
// Glossary:
//
//   - Header: the first record of a file. It is required and names the
//     columns; names must be non-empty, distinct and valid UTF-8.
//   - Cell: one field of a data record, as encoding/csv returns it (quotes
//     removed, CRLF folded). A leading UTF-8 byte order mark is dropped, and
//     gzip input (detected by its magic bytes) is decompressed.
//   - Null: a cell that is empty or only whitespace. The Telco churn data, for
//     example, has TotalCharges " " in 11 rows; those cells become null and
//     the column stays float64. Every output column is nullable.
//   - Type: one of int64, float64, bool, timestamp and string. A non-null
//     cell is trimmed of surrounding whitespace before it is parsed as a
//     non-string type; a string cell is kept exactly as written.
//   - Sample: the first Options.SampleRows data records of each file, which
//     inference reads. Cells after the sample must fit the inferred type, or
//     conversion stops with a *ParseError that says how to override it.
//   - Hint: a type given for a column by the user (Options.Types, parsed from
//     flags by ParseTypeHints). A hint replaces inference for its column.
//
// Inference gives each cell the narrowest type that parses it:
//
//   - bool: true or false in any letter case (True, TRUE, fAlSe). Not 0/1,
//     not yes/no.
//   - int64: an optional sign and decimal digits. A value outside the int64
//     range is a float64 cell.
//   - float64: what strconv.ParseFloat accepts in decimal notation (digits,
//     sign, point, exponent; no hex, no underscores), plus NaN, Inf, +Inf and
//     -Inf in any letter case. A value that overflows float64 is a string.
//   - timestamp: RFC 3339 (2006-01-02T15:04:05Z07:00, optional fractional
//     seconds, a space may replace the T), the same without a zone
//     (2006-01-02T15:04:05[.fff] or 2006-01-02 15:04:05[.fff], read as UTC),
//     or a date 2006-01-02 (midnight UTC).
//   - string: everything else.
//
// A column's type joins the types of its non-null cells: a single type is
// kept, int64 with float64 is float64, and any other mix is string. A column
// with no non-null cell is string. With several files each is sampled and the
// cell types are joined across files, so all outputs share one schema; their
// headers must be identical.
//
// The Parquet output has the columns in header order, all OPTIONAL: int64 as
// INT64, float64 as DOUBLE, bool as BOOLEAN, timestamp as INT64
// TIMESTAMP(isAdjustedToUTC=true, MICROS), string as BYTE_ARRAY STRING with
// RLE_DICTIONARY encoding (a column whose dictionary outgrows
// DictionaryMaxBytes within a row group falls back to PLAIN for the rest of
// that row group). Pages are Snappy-compressed and carry statistics (min, max,
// null count), as do the column chunks. The writer holds at most one row group
// (Options.RowGroupRows rows) in memory; the CSV is streamed.
package csvconv
