package online

import "errors"

var (
	// ErrInvalid means the caller passed something malformed: an entity key
	// without join keys, a duplicate name, a row whose values do not match
	// its feature names. The error says which.
	ErrInvalid = errors.New("invalid input")
	// ErrCorrupt means a stored record or key could not be decoded.
	ErrCorrupt = errors.New("corrupt")
	// ErrClosed means the store was used after Close.
	ErrClosed = errors.New("store closed")
	// ErrBusy means another process holds the store's file.
	ErrBusy = errors.New("online store busy")
)
