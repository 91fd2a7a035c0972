package providers

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"github.com/tidwall/gjson"

	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/jwt"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// standardResponse is RFC 6749 §5.1's shape, as a token_response mapping.
var standardResponse = config.TokenResponse{
	AccessToken:  "access_token",
	RefreshToken: "refresh_token",
	ExpiresIn:    "expires_in",
	TokenType:    "token_type",
	Scope:        "scope",
}

// mapping is the provider's token_response laid over the standard field
// names: a vendor that renames one field need not restate the others.
func mapping(p *config.Provider) config.TokenResponse {
	m := standardResponse
	r := p.TokenResponse
	if r == nil {
		return m
	}
	for _, f := range []struct {
		dst *string
		src string
	}{
		{&m.AccessToken, r.AccessToken}, {&m.RefreshToken, r.RefreshToken},
		{&m.ExpiresIn, r.ExpiresIn}, {&m.ExpiresAt, r.ExpiresAt},
		{&m.TokenType, r.TokenType}, {&m.Scope, r.Scope},
		{&m.OK, r.OK}, {&m.Error, r.Error},
	} {
		if f.src != "" {
			*f.dst = f.src
		}
	}
	return m
}

// mapResponse reads a token out of a token endpoint's JSON answer with the
// provider's mapping. A vendor error inside an HTTP 200 body (an ok test
// that fails, an error message where a token should be) is a TokenError.
func mapResponse(p *config.Provider, status int, body []byte, obtained time.Time, redact func(string) string) (*Token, error) {
	m := mapping(p)
	if !gjson.ValidBytes(body) {
		return nil, &TokenError{Provider: p.Name, Status: status, Description: "the answer is not JSON: " + snippet(body, redact),
			Hint: "the token endpoint did not answer JSON: check token_url (an HTML page is often a login page or a proxy)"}
	}
	doc := gjson.ParseBytes(body)
	vendorMsg := ""
	if m.Error != "" {
		vendorMsg = doc.Get(m.Error).String()
	}
	if m.OK != "" {
		ok, err := evalOK(doc, m.OK)
		if err != nil {
			return nil, &TokenError{Provider: p.Name, Status: status, Description: err.Error(), Hint: "fix token_response.ok"}
		}
		if !ok {
			te := &TokenError{Provider: p.Name, Status: status, Code: okCode(doc, m.OK), Description: cmp.Or(vendorMsg, "the answer failed token_response.ok ("+m.OK+")"),
				Body: snippet(body, redact), Hint: "the provider refused the login: its own message is above"}
			return nil, te.redacted(redact)
		}
	}
	access := doc.Get(m.AccessToken)
	if !access.Exists() || access.String() == "" {
		te := &TokenError{Provider: p.Name, Status: status, Body: snippet(body, redact)}
		te.Code = doc.Get("error").String()
		te.Description = cmp.Or(vendorMsg, doc.Get("error_description").String())
		if te.Code == "" && te.Description == "" {
			te.Description = "no " + m.AccessToken + " in the answer"
			te.Hint = "map the answer's fields with token_response (access_token = \"path.to.token\")"
		}
		return nil, te.redacted(redact)
	}
	tok := &Token{
		Access:  secret.New(access.String()),
		Refresh: secret.New(doc.Get(m.RefreshToken).String()),
		ID:      idToken(doc.Get("id_token").Value()),
		// RFC 9396 §7: what was granted, kept as sent, for display.
		AuthorizationDetails: doc.Get("authorization_details").Raw,
		Type:                 doc.Get(m.TokenType).String(),
		Obtained:             obtained,
	}
	tok.Claims, _ = jwt.Parse(tok.Access.Reveal())
	var at, in any
	if m.ExpiresAt != "" {
		at = doc.Get(m.ExpiresAt).Value()
	}
	in = doc.Get(m.ExpiresIn).Value()
	tok.Expiry, tok.ExpirySource = expiry(obtained, at, in, tok.Claims, p.TokenLifetime.Std())
	if scope := doc.Get(m.Scope).String(); scope != "" {
		tok.Scopes, tok.ScopesFromServer = strings.Fields(scope), true
	} else {
		tok.Scopes = append([]string(nil), p.Scopes...)
	}
	return tok, nil
}

// evalOK tests "PATH == VALUE" or "PATH != VALUE" against the answer. The
// value compares with the field's JSON text, quotes optional for strings:
// code == 0, status == "ok" and status == ok all work.
func evalOK(doc gjson.Result, expr string) (bool, error) {
	op := "=="
	path, want, found := strings.Cut(expr, "==")
	if !found {
		op = "!="
		path, want, found = strings.Cut(expr, "!=")
	}
	if !found {
		return false, fmt.Errorf("token_response.ok %q: want PATH == VALUE or PATH != VALUE", expr)
	}
	path, want = strings.TrimSpace(path), strings.Trim(strings.TrimSpace(want), `"'`)
	got := doc.Get(path)
	equal := got.Exists() && got.String() == want
	if op == "==" {
		return equal, nil
	}
	return !equal, nil
}

// okCode is the value the ok test looked at, as the vendor's error code.
func okCode(doc gjson.Result, expr string) string {
	path, _, _ := strings.Cut(strings.ReplaceAll(expr, "!=", "=="), "==")
	return doc.Get(strings.TrimSpace(path)).String()
}

// parseJSON parses body when it is JSON.
func parseJSON(body []byte) (gjson.Result, bool) {
	if !gjson.ValidBytes(body) {
		return gjson.Result{}, false
	}
	return gjson.ParseBytes(body), true
}
