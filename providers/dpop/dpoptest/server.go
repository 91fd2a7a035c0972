package dpoptest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// Server is an authorization server and an API in one httptest server, as
// strict as RFC 9449 asks: POST /token issues DPoP-bound tokens (a JWT
// whose cnf.jkt is the proof's key) to a request with a valid proof, and
// every other path answers 200 only to a DPoP-bound token with a valid
// proof for it. With RequireNonce, each side hands out a nonce of its own
// and refuses a proof without it (§8, §9).
type Server struct {
	*httptest.Server
	// Now is the server's clock; nil means time.Now.
	Now func() time.Time
	// RequireNonce makes both sides demand their nonce.
	RequireNonce bool
	// TokenType is the token_type issued; "" means DPoP.
	TokenType string
	// APISkew moves the API's clock: proofs dated by a client's clock fall
	// outside its window, as with a server whose clock is wrong.
	APISkew time.Duration
	// NonceForever makes the API answer use_dpop_nonce to every proof, its
	// own nonce included: a server that rotates nonces too fast.
	NonceForever bool
	// Refresh issues refresh tokens, bound to the proof's key.
	Refresh bool

	mu     sync.Mutex
	seen   map[string]bool   // jti already used: a replay is refused
	bound  map[string]string // access token → jkt
	proofs []Record
	issued int
}

// Record is one request that came with a proof, or should have.
type Record struct {
	Path  string
	Proof Proof
	Raw   string // the DPoP header as it came
	Err   error  // why it was refused, nil when it was accepted
}

// The nonces each side hands out.
const (
	TokenNonce = "as-nonce-1"
	APINonce   = "rs-nonce-1"
)

// NewServer starts a Server; Close it when done.
func NewServer() *Server {
	s := &Server{seen: map[string]bool{}, bound: map[string]string{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Records are the requests seen so far.
func (s *Server) Records() []Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Record(nil), s.proofs...)
}

// Issued counts the tokens issued.
func (s *Server) Issued() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issued
}

func (s *Server) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/token" && r.Method == http.MethodPost {
		s.token(w, r)
		return
	}
	s.api(w, r)
}

// check verifies r's proof and records it. want is the nonce the side
// demands ("" for none).
func (s *Server) check(r *http.Request, e Expect, want string) (Proof, error) {
	e.Method, e.URL = r.Method, "http://"+r.Host+r.URL.RequestURI()
	if e.Now.IsZero() {
		e.Now = s.now()
	}
	raw := r.Header.Values("DPoP")
	p, err := Verify(raw, e)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err == nil && s.seen[p.JTI()] {
		err = fmt.Errorf("jti %s was used before: a replayed proof", p.JTI())
	}
	if err == nil {
		s.seen[p.JTI()] = true
	}
	if err == nil && want != "" && p.str("nonce") != want {
		err = errNonce
	}
	s.proofs = append(s.proofs, Record{Path: r.URL.Path, Proof: p, Raw: strings.Join(raw, ","), Err: err})
	return p, err
}

var errNonce = fmt.Errorf("no nonce, or not the server's")

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	nonce := ""
	if s.RequireNonce {
		nonce = TokenNonce
		w.Header().Set("DPoP-Nonce", TokenNonce)
	}
	p, err := s.check(r, Expect{}, nonce)
	if err == nil && r.PostForm.Get("grant_type") == "refresh_token" {
		s.mu.Lock()
		jkt, ok := s.bound[r.PostForm.Get("refresh_token")]
		s.mu.Unlock()
		if !ok || jkt != p.JKT {
			writeJSON(w, http.StatusBadRequest, map[string]any{"error": "invalid_grant", "error_description": "refresh token unknown or bound to another key"})
			return
		}
	}
	switch {
	case err == errNonce:
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "use_dpop_nonce", "error_description": "Authorization server requires nonce in DPoP proof"})
		return
	case err != nil:
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "invalid_dpop_proof", "error_description": err.Error()})
		return
	}
	now := s.now()
	claims, _ := json.Marshal(map[string]any{"sub": "svc", "iss": "http://" + r.Host, "iat": now.Unix(), "exp": now.Add(time.Hour).Unix(), "cnf": map[string]string{"jkt": p.JKT}})
	s.mu.Lock()
	s.issued++
	access := b64(`{"alg":"ES256","typ":"at+jwt"}`) + "." + base64.RawURLEncoding.EncodeToString(claims) + "." + b64(fmt.Sprintf("sig-%d", s.issued))
	s.bound[access] = p.JKT
	s.mu.Unlock()
	typ := s.TokenType
	if typ == "" {
		typ = "DPoP"
	}
	answer := map[string]any{"access_token": access, "token_type": typ, "expires_in": 3600}
	if s.Refresh {
		// A refresh token, bound to the proof's key as RFC 9449 §5 binds
		// a public client's: a refresh proven by another key is refused.
		rt := fmt.Sprintf("rt-%d", s.issued)
		s.mu.Lock()
		s.bound[rt] = p.JKT
		s.mu.Unlock()
		answer["refresh_token"] = rt
	}
	writeJSON(w, http.StatusOK, answer)
}

func (s *Server) api(w http.ResponseWriter, r *http.Request) {
	if s.RequireNonce {
		w.Header().Set("DPoP-Nonce", APINonce)
	}
	scheme, access, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	s.mu.Lock()
	jkt, known := s.bound[access]
	s.mu.Unlock()
	challenge := func(code, desc string) {
		v := `DPoP algs="ES256 PS256"`
		if code != "" {
			v = fmt.Sprintf(`DPoP error=%q, error_description=%q, algs="ES256 PS256"`, code, desc)
		}
		w.Header().Set("WWW-Authenticate", v)
		writeJSON(w, http.StatusUnauthorized, map[string]any{"error": code, "error_description": desc})
	}
	switch {
	case access == "":
		challenge("", "")
		return
	case !known:
		challenge("invalid_token", "unknown token")
		return
	case !strings.EqualFold(scheme, "DPoP"):
		// RFC 9449 §7.2: a DPoP-bound token presented as a bearer token
		// is refused.
		challenge("invalid_token", "a DPoP-bound token sent with the "+scheme+" scheme")
		return
	}
	nonce := ""
	if s.RequireNonce {
		nonce = APINonce
	}
	if s.NonceForever {
		nonce = "never-" + APINonce
		w.Header().Set("DPoP-Nonce", APINonce)
	}
	if _, err := s.check(r, Expect{Access: access, JKT: jkt, Now: s.now().Add(s.APISkew)}, nonce); err != nil {
		if err == errNonce {
			challenge("use_dpop_nonce", "Resource server requires nonce in DPoP proof")
			return
		}
		challenge("invalid_dpop_proof", err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "path": r.URL.Path})
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
