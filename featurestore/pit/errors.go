package pit

import "errors"

var (
	// ErrInvalid means the input is malformed: column lengths differ, a
	// column has no or several typed slices, a TTL is negative, a view is
	// too long for an int32 Match, or Options are bad.
	ErrInvalid = errors.New("invalid point-in-time join input")
	// ErrKey means a view's join key is missing from the entity rows, has a
	// different type there, or is named twice.
	ErrKey = errors.New("join key mismatch")
)
