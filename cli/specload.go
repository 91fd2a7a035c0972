package cli

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/spec"
)

// loadSpec loads the spec of provider name, and only that one, for ops
// and for call and curl with an @OPERATION_ID. A spec URL on the base_url
// origin gets the token that token gives (a private spec); sess or token
// nil (curl when the provider's secrets do not resolve here) fetches it
// without. The cache's notes go to stderr.
func loadSpec(ctx context.Context, e env, b *backend, name string, sess *providers.Session, token func(context.Context) (*providers.Token, error)) (*spec.Spec, error) {
	raw, builtin, err := b.provider(name)
	if err != nil {
		return nil, err
	}
	if raw.OpenAPI == "" {
		return nil, &exitError{code: ExitUsage, err: fmt.Errorf("provider %s has no openapi key: add openapi = \"FILE or URL\" to its table", name)}
	}
	r := raw
	redact := func(s string) string { return s }
	if sess != nil {
		r, redact = sess.Provider(), sess.Redact
	} else if r, err = (&config.Provider{Name: raw.Name, BaseURL: raw.BaseURL, OpenAPI: raw.OpenAPI}).Resolve(b.e.lookupEnv); err != nil {
		return nil, &exitError{code: ExitUsage, err: err}
	}
	// The built-in demo's spec is not cached: its port, and so its URL,
	// changes every run.
	var cacheDir string
	if !builtin {
		if cacheDir, err = spec.CacheDir(e.getenv); err != nil {
			return nil, &exitError{code: ExitUsage, err: err}
		}
	}
	opts := spec.Options{
		Client:      b.app.Client(name),
		TokenOrigin: r.BaseURL,
		Resolve:     raw.FilePath,
		CacheDir:    cacheDir,
	}
	// The provider's timeout bounds the download when it sets one, as it
	// bounds its every call; else the spec's own default, long enough for
	// a big spec on a slow line, not the 30 s of one API call.
	if r.Timeout > 0 {
		opts.Timeout = r.Timeout.Std()
	}
	if sess != nil {
		opts.Resolve = r.FilePath
	}
	if sess != nil && token != nil {
		// Only asked for a spec URL on base_url's origin.
		opts.Authorize = func(req *http.Request) error {
			tok, err := token(ctx)
			if err != nil {
				return err
			}
			_, err = providers.Apply(r, req, tok, false)
			return err
		}
	}
	s, err := spec.Load(ctx, r.OpenAPI, opts)
	if err != nil {
		// A private spec's token may fail to come: that keeps the token
		// command's codes (2, or 3 for the network).
		var te *providers.TokenError
		var ne *providers.NetworkError
		code := ExitUsage
		switch {
		case errors.Is(err, spec.ErrUnreachable), errors.As(err, &ne):
			code = ExitNetwork
		case errors.As(err, &te):
			code = ExitToken
		}
		if sess != nil {
			err = maskErr(err, sess.Redact)
		}
		return nil, &exitError{code: code, err: err}
	}
	for _, n := range s.Notes {
		fmt.Fprintln(e.stderr, "keyhole: "+termtext.Line(redact(n)))
	}
	return s, nil
}
