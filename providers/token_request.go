package providers

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/oauth2"

	"github.com/keyhole-sh/keyhole/providers/config"
)

// maxTokenBody caps what is read from a token endpoint: a token answer is a
// few kilobytes, and anything huge is an error page or a mistake.
const maxTokenBody = 1 << 20

// usesOAuth2 reports whether x/oauth2 can run this provider's token
// requests. It cannot put credentials in the URL query (client_auth =
// "query"), cannot send Basic credentials without URL-escaping them
// ("basic_raw"), and only reads the standard answer, so a provider with a
// token_response mapping goes through postToken instead.
func usesOAuth2(p *config.Provider) bool {
	switch clientAuth(p) {
	case "", "basic", "post", "none":
		return p.TokenResponse == nil
	}
	return false
}

// clientAuth is client_auth, defaulting to basic for a confidential
// client and to none for a public one (no secret, no secret command): a
// public client sending "Basic base64(id:)" confuses some servers.
func clientAuth(p *config.Provider) string {
	if p.ClientAuth != "" {
		return p.ClientAuth
	}
	if p.ClientSecret.IsZero() && p.ClientSecretCmd == "" {
		return "none"
	}
	return "basic"
}

// authStyle pins x/oauth2's client authentication. Never auto-detect: on a
// failure, detection retries with the secret in the other place, sending it
// twice.
func authStyle(p *config.Provider) oauth2.AuthStyle {
	if a := clientAuth(p); a == "post" || a == "none" {
		return oauth2.AuthStyleInParams
	}
	return oauth2.AuthStyleInHeader
}

// oauth2Config is the provider as x/oauth2 sees it.
func (s *Session) oauth2Config(ep endpoints) *oauth2.Config {
	secret := s.clientSecret().Reveal()
	if clientAuth(s.p) == "none" {
		secret = ""
	}
	return &oauth2.Config{
		ClientID:     s.p.ClientID,
		ClientSecret: secret,
		Scopes:       s.p.Scopes,
		Endpoint: oauth2.Endpoint{
			AuthURL:       ep.auth,
			TokenURL:      ep.token,
			DeviceAuthURL: ep.device,
			AuthStyle:     authStyle(s.p),
		},
	}
}

// postToken sends a token request by hand, with every client_auth style:
// basic (RFC 6749 §2.3.1: form-encoded, then base64), basic_raw (base64 of
// the bytes as they are, which some servers expect), post (in the form),
// query (everything in the URL query and an empty body, as one vendor
// requires) and none (client_id only). The answer is read with the
// provider's token_response mapping.
func (s *Session) postToken(ctx context.Context, tokenURL string, form url.Values) (*Token, error) {
	if err := s.paceToken(ctx); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(s.tokenRequest(ctx), s.timeout())
	defer cancel()
	u, err := url.Parse(tokenURL)
	if err != nil {
		return nil, fmt.Errorf("%s: token_url: %w", s.p.Name, err)
	}
	form = cloneValues(form)
	if clientAuth(s.p) == "query" {
		// The vendor that wants credentials in the query wants the whole
		// request there, and an empty body.
		q := u.Query()
		for k, vs := range form {
			q[k] = vs
		}
		u.RawQuery = q.Encode()
		form = nil
	}
	req, err := s.postForm(ctx, u, form)
	if err != nil {
		return nil, err
	}
	return s.doToken(req)
}

// postForm makes a POST of form (no body when it is empty) to the
// authorization server, with the client's credentials as client_auth
// says, asking for JSON.
func (s *Session) postForm(ctx context.Context, u *url.URL, form url.Values) (*http.Request, error) {
	header := http.Header{"Accept": {"application/json"}}
	if form == nil {
		form = url.Values{}
	}
	signed, err := s.authenticateSigned(ctx, form)
	if err != nil {
		return nil, err
	}
	if !signed {
		s.authenticate(u, form, header)
	}
	var body io.Reader = http.NoBody
	if len(form) > 0 {
		body = strings.NewReader(form.Encode())
		header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), body)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.p.Name, err)
	}
	req.Header = header
	return req, nil
}

// roundTrip sends req and reads the answer, up to maxTokenBody. No
// answer, or one cut off, is a NetworkError doing op.
func (s *Session) roundTrip(req *http.Request, op string) (int, []byte, error) {
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, nil, NewNetworkError(s.p.Name, op, err, s.Redact)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxTokenBody+1))
	if err != nil {
		return 0, nil, NewNetworkError(s.p.Name, op, fmt.Errorf("answer cut off: %w", err), s.Redact)
	}
	if len(data) > maxTokenBody {
		if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
			// Cut at the cap, a good answer would be read as broken JSON
			// and blamed on its form.
			te := tooBigAnswer(s.p.Name, resp.StatusCode)
			if op != "token request" {
				te.Source = op
			}
			return 0, nil, te
		}
		data = data[:maxTokenBody] // an error page: its start says enough
	}
	return resp.StatusCode, data, nil
}

// tooBigAnswer is the error for a successful answer larger than
// maxTokenBody.
func tooBigAnswer(provider string, status int) *TokenError {
	return &TokenError{Provider: provider, Status: status,
		Description: fmt.Sprintf("the answer is larger than %d MiB, the most keyhole reads from an authorization server", maxTokenBody>>20),
		Hint:        "check token_url (or issuer): a token answer is a few kilobytes, so this is likely a page that is not the token endpoint"}
}

// authenticate adds the client's credentials to a request to the
// authorization server, the way client_auth says.
func (s *Session) authenticate(u *url.URL, form url.Values, header http.Header) {
	id, sec := s.p.ClientID, s.clientSecret().Reveal()
	switch clientAuth(s.p) {
	case "", "basic":
		header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id)+":"+url.QueryEscape(sec))))
	case "basic_raw":
		header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(id+":"+sec)))
	case "post":
		form.Set("client_id", id)
		form.Set("client_secret", sec)
	case "none":
		form.Set("client_id", id)
	case "query":
		q := u.Query()
		q.Set("client_id", id)
		q.Set("client_secret", sec)
		u.RawQuery = q.Encode()
	}
}

// doToken sends a prepared token request and maps its answer.
func (s *Session) doToken(req *http.Request) (*Token, error) {
	obtained := s.now()
	status, data, err := s.roundTrip(req, "token request")
	if err != nil {
		return nil, err
	}
	if status < 200 || status > 299 {
		return nil, s.errorAnswer(status, data)
	}
	tok, err := mapResponse(s.p, status, data, obtained, s.Redact)
	if err != nil {
		return nil, err
	}
	// Mapped answers (postToken, custom login) came back with no Source,
	// which `keyhole token --json` prints as "source": "" — set it as
	// viaOAuth2 does; the refresh paths overwrite it with SourceRefreshed.
	tok.Source = SourceFetched
	return tok, nil
}

// errorAnswer reads a non-2xx token answer: RFC 6749 §5.2's error and
// error_description, or the vendor's message at token_response.error.
func (s *Session) errorAnswer(status int, body []byte) error {
	te := &TokenError{Provider: s.p.Name, Status: status, Body: snippet(body, s.Redact)}
	if status >= 300 && status < 400 {
		te.Description = "the endpoint redirected; keyhole does not follow redirects from the authorization server"
		te.Hint = "set the endpoint's final URL in the config (a redirect often means http:// where https:// is wanted)"
		return te
	}
	if doc, ok := parseJSON(body); ok {
		te.Code = doc.Get("error").String()
		te.Description = doc.Get("error_description").String()
		if m := mapping(s.p); m.Error != "" {
			if msg := doc.Get(m.Error).String(); msg != "" {
				te.Description = msg
			}
		}
	}
	te.Hint = tokenHint(te, s.p)
	return te.redacted(s.Redact)
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
