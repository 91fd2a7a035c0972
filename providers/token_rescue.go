package providers

import (
	"errors"
	"io"
	"net/http"
	"time"

	"golang.org/x/oauth2"
)

// answerCapture keeps a copy of the token endpoint's answer as x/oauth2
// reads it. x/oauth2 refuses an answer it cannot parse whole — a
// fractional expires_in ("3600.0", 3600.0), one beyond 64 bits — and says
// only "cannot parse json": the token the server just issued would be lost,
// and with it a rotated refresh token. With the copy, keyhole reads the
// answer itself (rescue).
type answerCapture struct {
	base   http.RoundTripper
	status int
	body   []byte
}

func (c *answerCapture) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := c.base.RoundTrip(r)
	if err != nil {
		return resp, err
	}
	c.status, c.body = resp.StatusCode, nil
	resp.Body = &teeBody{ReadCloser: resp.Body, c: c}
	return resp, nil
}

// teeBody copies what is read into the capture, up to maxTokenBody (what
// x/oauth2 itself reads).
type teeBody struct {
	io.ReadCloser
	c *answerCapture
}

func (t *teeBody) Read(p []byte) (int, error) {
	n, err := t.ReadCloser.Read(p)
	if room := maxTokenBody - len(t.c.body); room > 0 {
		t.c.body = append(t.c.body, p[:min(n, room)]...)
	}
	return n, err
}

// tooBig reports whether x/oauth2 failed on a successful answer it read
// only the first maxTokenBody bytes of (all it reads): an answer cut
// there, blamed on its form otherwise ("cannot parse json").
func (c *answerCapture) tooBig() bool {
	return c.status >= 200 && c.status <= 299 && len(c.body) >= maxTokenBody
}

// capturing returns a client that sends through s.client and records the
// answer in c.
func (s *Session) capturing(c *answerCapture) *http.Client {
	client := *s.client
	c.base = client.Transport
	if c.base == nil {
		c.base = http.DefaultTransport
	}
	client.Transport = c
	return &client
}

// rescue reads a successful token answer that x/oauth2 failed to parse.
// It only ever turns x/oauth2's failure into a token: an answer that is
// an error, or that holds no token, keeps x/oauth2's verdict.
func (s *Session) rescue(err error, c *answerCapture, obtained time.Time) (*Token, bool) {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) || c.status < 200 || c.status > 299 || len(c.body) == 0 {
		return nil, false
	}
	tok, merr := mapResponse(s.p, c.status, c.body, obtained, s.Redact)
	if merr != nil {
		return nil, false
	}
	return tok, true
}
