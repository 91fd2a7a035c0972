package cli

// maskedError is an error whose text goes through a session's redactor:
// an error about a request quotes its URL, where the person may have typed
// one of the provider's own secrets. errors.As still finds what it wraps,
// so the exit code and the hint are the error's.
type maskedError struct {
	err    error
	redact func(string) string
}

func (e maskedError) Error() string { return e.redact(e.err.Error()) }
func (e maskedError) Unwrap() error { return e.err }

// maskErr masks err's text with redact; nil stays nil.
func maskErr(err error, redact func(string) string) error {
	if err == nil {
		return nil
	}
	return maskedError{err: err, redact: redact}
}
