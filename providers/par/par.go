// Package par is the client side of OAuth 2.0 Pushed Authorization
// Requests (RFC 9126) and the authorization_details parameter of Rich
// Authorization Requests (RFC 9396): what is pushed, how the answer is
// read, and the short authorization URL that is all the browser sees.
// It sends nothing itself; the session posts the form with the client's
// authentication.
package par

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Response is the PAR endpoint's answer (RFC 9126 §2.2).
type Response struct {
	RequestURI string
	ExpiresIn  int
}

// ParseResponse reads a successful PAR answer: a JSON object with a
// request_uri string and a positive expires_in. RFC 9126 §2.2 answers 201;
// 200 is taken too, as some servers send it.
func ParseResponse(status int, body []byte) (Response, error) {
	if status != 201 && status != 200 {
		return Response{}, fmt.Errorf("answered %d, not 201 Created", status)
	}
	var raw struct {
		RequestURI *string          `json:"request_uri"`
		ExpiresIn  *json.RawMessage `json:"expires_in"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return Response{}, errors.New("the answer is not a JSON object")
	}
	if raw.RequestURI == nil || strings.TrimSpace(*raw.RequestURI) == "" {
		return Response{}, errors.New("the answer has no request_uri")
	}
	var r Response
	r.RequestURI = *raw.RequestURI
	if raw.ExpiresIn != nil {
		var n float64
		if err := json.Unmarshal(*raw.ExpiresIn, &n); err != nil || n <= 0 || n > 1<<31 {
			return Response{}, fmt.Errorf("expires_in %s is not a positive number of seconds", *raw.ExpiresIn)
		}
		r.ExpiresIn = int(n)
	}
	return r, nil
}

// PushForm is what is pushed for an authorization URL built in full (by
// x/oauth2): its query, every parameter of the authorization request.
func PushForm(authCodeURL string) (url.Values, error) {
	u, err := url.Parse(authCodeURL)
	if err != nil {
		return nil, fmt.Errorf("authorization URL: %w", err)
	}
	return u.Query(), nil
}

// AuthorizationURL is the front-channel URL after a push (RFC 9126 §4):
// the authorization endpoint with client_id and request_uri only, beside
// whatever query the endpoint's own URL carries.
func AuthorizationURL(authURL, clientID, requestURI string) (string, error) {
	u, err := url.Parse(authURL)
	if err != nil {
		return "", fmt.Errorf("auth_url: %w", err)
	}
	q := u.Query()
	q.Set("client_id", clientID)
	q.Set("request_uri", requestURI)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// CheckDetails checks authorization_details as RFC 9396 §2 has it: an
// array of objects, each with a non-empty string type. It returns the
// index of the first bad entry with the reason.
func CheckDetails(details []map[string]any) (int, error) {
	for i, d := range details {
		t, ok := d["type"].(string)
		if !ok || strings.TrimSpace(t) == "" {
			return i, errors.New(`has no type (each entry needs type = "...")`)
		}
	}
	return -1, nil
}

// EncodeDetails is authorization_details as the parameter carries it:
// the array as compact JSON. Nil gives "".
func EncodeDetails(details []map[string]any) (string, error) {
	if len(details) == 0 {
		return "", nil
	}
	b, err := json.Marshal(details)
	if err != nil {
		return "", fmt.Errorf("authorization_details: %w", err)
	}
	return string(b), nil
}
