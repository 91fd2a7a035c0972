// Package providers is where tokens come from: the grants, the token and
// its state, the session that caches and refreshes it, the token store, and
// the way a token is attached to a request. The configuration it works
// from is package providers/config's. It knows nothing about the terminal:
// everything takes a context.Context and an *http.Client and returns typed
// errors.
package providers
