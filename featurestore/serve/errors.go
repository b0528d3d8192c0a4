package serve

import "errors"

// ErrInvalid means a request is malformed: it is not JSON, has an unknown
// field or a value of the wrong type, names unknown features (then the
// error also wraps defs.ErrUnknownRef), or its entities do not fit the
// requested views. The error says which. The server answers 400.
var ErrInvalid = errors.New("invalid request")
