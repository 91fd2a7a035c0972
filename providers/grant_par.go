package providers

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"

	"golang.org/x/oauth2"

	"github.com/keyhole-sh/keyhole/providers/par"
)

// pushAuthorization pushes the authorization request built in full
// (authURL, every parameter in its query) to the PAR endpoint with the
// client's authentication (RFC 9126 §2), and returns the URL the browser
// gets instead: the authorization endpoint with client_id and request_uri
// only (§4), so that no parameter can be read or changed on the way.
func (s *Session) pushAuthorization(ctx context.Context, ep endpoints, authURL string) (string, error) {
	if ep.par == "" {
		te := &TokenError{Provider: s.p.Name, Source: "authorization request", Description: "par = true, but there is no par_url and the issuer's metadata names no pushed_authorization_request_endpoint",
			Hint: "set par_url to the server's PAR endpoint, or remove par"}
		return "", te.redacted(s.Redact)
	}
	form, err := par.PushForm(authURL)
	if err != nil {
		return "", err
	}
	u, err := url.Parse(ep.par)
	if err != nil {
		return "", &TokenError{Provider: s.p.Name, Source: "PAR endpoint", Description: "par_url: " + err.Error()}
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout())
	defer cancel()
	req, err := s.postForm(ctx, u, form)
	if err != nil {
		return "", err
	}
	status, body, err := s.roundTrip(req, "PAR request")
	if err != nil {
		return "", err
	}
	if status < 200 || status > 299 {
		err := s.errorAnswer(status, body)
		var te *TokenError
		if errors.As(err, &te) {
			te.Source = "PAR endpoint"
			if te.Code == "invalid_authorization_details" {
				te.Hint = "the server refused authorization_details: check its types against what the server supports"
			}
		}
		return "", err
	}
	resp, err := par.ParseResponse(status, body)
	if err != nil {
		te := &TokenError{Provider: s.p.Name, Source: "PAR endpoint", Status: status, Description: err.Error(), Body: snippet(body, s.Redact)}
		return "", te.redacted(s.Redact)
	}
	return par.AuthorizationURL(ep.auth, s.p.ClientID, resp.RequestURI)
}

// richOpts carry authorization_details (RFC 9396) on the authorization
// request and the code's token request.
func (s *Session) richOpts() []oauth2.AuthCodeOption {
	details, _ := par.EncodeDetails(s.p.AuthorizationDetails)
	if details == "" {
		return nil
	}
	return []oauth2.AuthCodeOption{oauth2.SetAuthURLParam("authorization_details", details)}
}

// grantedDetails is an answer's authorization_details as JSON text, for
// display; "" when there are none.
func grantedDetails(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}
