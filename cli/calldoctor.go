package cli

import (
	"context"
	"fmt"
	"net/http"

	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/doctor"
	"github.com/keyhole-sh/keyhole/spec"
)

// refusalOperation is what the provider's spec says of a refused call, for
// the 401/403 doctor: the operation @id named, or, for call METHOD PATH,
// the one the request matches in the spec, loaded now (from the cache when
// it is there). Only a 401 or 403 on a provider with an openapi key loads
// a spec here: any other answer, or no spec, gives nil. A spec that does
// not load is said on stderr, and the doctor answers without it.
func refusalOperation(ctx context.Context, e env, b *backend, sess *providers.Session, tok *providers.Token, found *spec.Operation, ex *exchange.Exchange) *doctor.Operation {
	resp := ex.Response
	if resp == nil || (resp.Status != http.StatusUnauthorized && resp.Status != http.StatusForbidden) {
		return nil
	}
	op := found
	if op == nil {
		p := sess.Provider()
		if p.OpenAPI == "" || ex.Sent.URL == nil {
			return nil
		}
		// A private spec gets the token the call had, never a new one:
		// the doctor costs no sign-in.
		var token func(context.Context) (*providers.Token, error)
		if tok != nil {
			token = func(context.Context) (*providers.Token, error) { return tok, nil }
		}
		s, err := loadSpec(ctx, e, b, p.Name, sess, token)
		if err != nil {
			fmt.Fprintln(e.stderr, "keyhole: the spec did not load, so the scopes this operation needs were not checked: "+termtext.Line(err.Error()))
			return nil
		}
		if op, _ = s.Index.Route(ex.Sent.Method, ex.Sent.URL.String()); op == nil {
			return nil
		}
	}
	return exchange.DoctorOperation(op)
}
