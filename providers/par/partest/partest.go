// Package partest is an authorization server written from RFC 9126
// (pushed authorization requests) and RFC 9396 (authorization_details),
// for tests: no Go server library serves either. It checks what those
// RFCs ask of a client and refuses the rest, so a test against it can
// fail independently of keyhole's own code; its own tests first feed it
// the RFCs' published examples.
//
// Endpoints: POST /par (client_secret_basic), GET /authorize (only
// client_id and request_uri, once), POST /token (authorization_code with
// PKCE S256, and client_credentials). A granted token answer carries
// authorization_details as pushed or asked for.
package partest

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// RequestURIPrefix starts every request_uri the server issues (RFC 9126 §2.2).
const RequestURIPrefix = "urn:ietf:params:oauth:request_uri:"

// Server is the verifier. Clients maps client_id to secret.
type Server struct {
	*httptest.Server
	Clients map[string]string
	// RequirePAR refuses an authorization request that was not pushed.
	RequirePAR bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	mu      sync.Mutex
	pushed  map[string]pushed // by request_uri
	codes   map[string]pushed // by code
	Pushes  []url.Values      // every pushed form that was accepted
	Refused []string          // why each refused request was refused
	Tokens  []url.Values      // every token request form that was answered
}

type pushed struct {
	clientID string
	form     url.Values
	expires  time.Time
}

// New starts a verifier on 127.0.0.1 with clients.
func New(clients map[string]string) *Server {
	s := &Server{Clients: clients, pushed: map[string]pushed{}, codes: map[string]pushed{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/par", s.handlePAR)
	mux.HandleFunc("/authorize", s.handleAuthorize)
	mux.HandleFunc("/token", s.handleToken)
	mux.HandleFunc("/.well-known/oauth-authorization-server", s.handleMetadata)
	s.Server = httptest.NewServer(mux)
	return s
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// refuse writes an RFC 6749 §5.2 error and records why.
func (s *Server) refuse(w http.ResponseWriter, status int, code, desc string) {
	s.mu.Lock()
	s.Refused = append(s.Refused, code+": "+desc)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
}

// client authenticates client_secret_basic (RFC 6749 §2.3.1: the id and
// secret form-encoded inside Basic) and returns the parsed form with the
// client's id. A client that does not authenticate is refused here, and
// ok is false.
func (s *Server) client(w http.ResponseWriter, r *http.Request) (form url.Values, id string, ok bool) {
	id, sec, ok := r.BasicAuth()
	if ok {
		var err1, err2 error
		id, err1 = url.QueryUnescape(id)
		sec, err2 = url.QueryUnescape(sec)
		want, known := s.Clients[id]
		ok = err1 == nil && err2 == nil && known && want == sec
	}
	if !ok {
		s.refuse(w, http.StatusUnauthorized, "invalid_client", "client authentication failed")
		return nil, "", false
	}
	return r.PostForm, id, true
}

func (s *Server) handleMetadata(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"issuer":                                s.URL,
		"authorization_endpoint":                s.URL + "/authorize",
		"token_endpoint":                        s.URL + "/token",
		"pushed_authorization_request_endpoint": s.URL + "/par",
		"require_pushed_authorization_requests": s.RequirePAR,
		"authorization_details_types_supported": []string{"account_information", "payment_initiation"},
	})
}

// handlePAR is RFC 9126 §2: a POST of the authorization request's
// parameters, form-encoded, with the client's authentication; request_uri
// must not be among them (§2.1); the answer is 201 with a request_uri and
// expires_in (§2.2).
func (s *Server) handlePAR(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		s.refuse(w, http.StatusMethodNotAllowed, "invalid_request", "the PAR endpoint takes POST only")
		return
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		s.refuse(w, http.StatusBadRequest, "invalid_request", "the body must be application/x-www-form-urlencoded, not "+ct)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.refuse(w, http.StatusBadRequest, "invalid_request", "the form does not parse")
		return
	}
	form, id, ok := s.client(w, r)
	if !ok {
		return
	}
	if len(r.URL.Query()) > 0 {
		s.refuse(w, http.StatusBadRequest, "invalid_request", "the parameters belong in the body, not the query")
		return
	}
	switch {
	case form.Has("request_uri"):
		s.refuse(w, http.StatusBadRequest, "invalid_request", "request_uri must not be pushed (RFC 9126 §2.1)")
		return
	case form.Get("client_id") != id:
		s.refuse(w, http.StatusBadRequest, "invalid_request", "client_id must be the authenticated client")
		return
	case form.Get("response_type") != "code":
		s.refuse(w, http.StatusBadRequest, "unsupported_response_type", "response_type must be code")
		return
	case form.Get("redirect_uri") == "":
		s.refuse(w, http.StatusBadRequest, "invalid_request", "redirect_uri is missing")
		return
	case form.Get("code_challenge") != "" && form.Get("code_challenge_method") != "S256":
		s.refuse(w, http.StatusBadRequest, "invalid_request", "code_challenge_method must be S256")
		return
	}
	for _, k := range []string{"client_secret", "client_assertion"} {
		if form.Has(k) {
			s.refuse(w, http.StatusBadRequest, "invalid_request", k+" travels with Basic here, not in the form")
			return
		}
	}
	if err := checkDetails(form); err != nil {
		s.refuse(w, http.StatusBadRequest, "invalid_authorization_details", err.Error())
		return
	}
	uri := RequestURIPrefix + random()
	s.mu.Lock()
	s.pushed[uri] = pushed{clientID: id, form: form, expires: s.now().Add(60 * time.Second)}
	s.Pushes = append(s.Pushes, form)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-cache, no-store")
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(map[string]any{"request_uri": uri, "expires_in": 60})
}

// checkDetails is RFC 9396 §2: authorization_details, when present, is a
// JSON array of objects, each with a string type.
func checkDetails(form url.Values) error {
	if !form.Has("authorization_details") {
		return nil
	}
	var details []map[string]any
	if err := json.Unmarshal([]byte(form.Get("authorization_details")), &details); err != nil {
		return fmt.Errorf("authorization_details is not a JSON array of objects: %v", err)
	}
	for i, d := range details {
		if t, ok := d["type"].(string); !ok || t == "" {
			return fmt.Errorf("authorization_details[%d] has no type", i)
		}
	}
	return nil
}

// handleAuthorize is RFC 9126 §4: with a pushed request, the browser
// brings client_id and request_uri and nothing else; the request_uri is
// used once, before it expires, by the client it was issued to. The
// person approves at once: the answer redirects with a code and state.
func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	uri := q.Get("request_uri")
	if uri == "" {
		if s.RequirePAR {
			s.refuse(w, http.StatusBadRequest, "invalid_request", "this server takes pushed authorization requests only")
			return
		}
		s.refuse(w, http.StatusBadRequest, "invalid_request", "no request_uri")
		return
	}
	for k := range q {
		if k != "client_id" && k != "request_uri" {
			s.refuse(w, http.StatusBadRequest, "invalid_request", "the browser carried "+k+" beside request_uri: it belongs in the pushed request")
			return
		}
	}
	s.mu.Lock()
	p, ok := s.pushed[uri]
	delete(s.pushed, uri)
	s.mu.Unlock()
	switch {
	case !ok:
		s.refuse(w, http.StatusBadRequest, "invalid_request_uri", "unknown or used request_uri")
		return
	case s.now().After(p.expires):
		s.refuse(w, http.StatusBadRequest, "invalid_request_uri", "the request_uri expired")
		return
	case q.Get("client_id") != p.clientID:
		s.refuse(w, http.StatusBadRequest, "invalid_request", "client_id is not the one that pushed the request")
		return
	}
	code := random()
	s.mu.Lock()
	s.codes[code] = p
	s.mu.Unlock()
	back, err := url.Parse(p.form.Get("redirect_uri"))
	if err != nil {
		s.refuse(w, http.StatusBadRequest, "invalid_request", "redirect_uri does not parse")
		return
	}
	bq := back.Query()
	bq.Set("code", code)
	bq.Set("state", p.form.Get("state"))
	back.RawQuery = bq.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

// handleToken answers authorization_code (the code of a pushed request,
// its PKCE verifier and redirect_uri checked) and client_credentials. The
// token answer's authorization_details are those of the token request
// when it has them, else the pushed ones (RFC 9396 §7).
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || r.Method != http.MethodPost {
		s.refuse(w, http.StatusBadRequest, "invalid_request", "POST a form")
		return
	}
	form, id, ok := s.client(w, r)
	if !ok {
		return
	}
	if err := checkDetails(form); err != nil {
		s.refuse(w, http.StatusBadRequest, "invalid_authorization_details", err.Error())
		return
	}
	details := form.Get("authorization_details")
	switch form.Get("grant_type") {
	case "authorization_code":
		s.mu.Lock()
		p, ok := s.codes[form.Get("code")]
		delete(s.codes, form.Get("code"))
		s.mu.Unlock()
		sum := sha256.Sum256([]byte(form.Get("code_verifier")))
		switch {
		case !ok || p.clientID != id:
			s.refuse(w, http.StatusBadRequest, "invalid_grant", "unknown or used code")
			return
		case form.Get("redirect_uri") != p.form.Get("redirect_uri"):
			s.refuse(w, http.StatusBadRequest, "invalid_grant", "redirect_uri differs from the pushed one")
			return
		case p.form.Get("code_challenge") != base64.RawURLEncoding.EncodeToString(sum[:]):
			s.refuse(w, http.StatusBadRequest, "invalid_grant", "the PKCE verifier does not match the pushed challenge")
			return
		}
		if details == "" {
			details = p.form.Get("authorization_details")
		}
	case "client_credentials":
	default:
		s.refuse(w, http.StatusBadRequest, "unsupported_grant_type", form.Get("grant_type"))
		return
	}
	s.mu.Lock()
	s.Tokens = append(s.Tokens, form)
	s.mu.Unlock()
	answer := map[string]any{"access_token": "par-access-" + random(), "token_type": "Bearer", "expires_in": 600}
	if details != "" {
		answer["authorization_details"] = json.RawMessage(details)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(answer)
}

// PushedForms returns a copy of the accepted pushes.
func (s *Server) PushedForms() []url.Values {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.Pushes)
}

// TokenForms returns a copy of the answered token requests.
func (s *Server) TokenForms() []url.Values {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.Tokens)
}

// Refusals returns why each refused request was refused.
func (s *Server) Refusals() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.Refused)
}

func random() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
