package vars

import "errors"

// Error is a reference that cannot be expanded. Its message names the
// reference and, for one inside a variable's value, the chain down to the
// one that failed ("{{url}}: {{host}}: not set"); the caller adds the file
// and line. It never holds a secret value, only names.
type Error struct {
	Ref string // what stands between the braces
	Err error
}

func (e *Error) Error() string { return "{{" + e.Ref + "}}: " + e.Err.Error() }

func (e *Error) Unwrap() error { return e.Err }

var (
	// ErrNotSet is a variable no layer defines.
	ErrNotSet = errors.New("not set")
	// ErrCycle is a variable whose value refers back to itself.
	ErrCycle = errors.New("refers to itself")
	// ErrUnsupported is a dynamic variable keyhole does not generate
	// ($aadToken: use a provider).
	ErrUnsupported = errors.New("not supported")

	errEmpty   = errors.New("an empty {{}} names no variable")
	errNotName = errors.New("not a variable name (letters, digits, _ - . and no spaces)")
)

// problem is an error with a fixed text.
func problem(text string) error { return errors.New(text) }
