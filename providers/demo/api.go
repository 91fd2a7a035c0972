package demo

import (
	"bufio"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// realm names the demo in WWW-Authenticate challenges.
const realm = "keyhole-demo"

// tokenInfo describes the access token a sample-API request carries.
type tokenInfo struct {
	Subject   string
	Username  string
	ClientID  string
	Scopes    []string
	Audience  []string
	ExpiresAt time.Time
}

// apiHandler serves a sample-API request that carried a valid token.
type apiHandler func(w http.ResponseWriter, r *http.Request, tok tokenInfo)

// api checks the request's bearer token, and scope if it is not empty,
// before calling h: the JWT's signature, aud and exp, and that the storage
// still holds it (it was not revoked or rotated away). A refresh token is
// no JWT and fails the first check. Failures follow RFC 6750 §3: 401 with
// no error code when there is no token, 401 invalid_token when it is
// refused, 403 insufficient_scope when it lacks scope.
func (s *Server) api(scope string, h apiHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		raw, missing, err := bearerToken(r)
		if err != nil {
			challenge(w, http.StatusBadRequest, "invalid_request", err.Error(), "")
			return
		}
		if raw == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="`+realm+`"`)
			writeError(w, http.StatusUnauthorized, "unauthorized", missing)
			return
		}

		now := time.Now()
		claims, err := s.keys.verifyAccessToken(raw, now)
		if err != nil {
			challenge(w, http.StatusUnauthorized, "invalid_token", describeTokenError(err), "")
			return
		}
		at, ok := s.store.accessByID(claims.JWTID)
		if !ok {
			challenge(w, http.StatusUnauthorized, "invalid_token", describeTokenError(nil), "")
			return
		}
		if scope != "" && !slices.Contains(at.grant.scopes, scope) {
			challenge(w, http.StatusForbidden, "insufficient_scope", "This request needs scope "+scope+".", scope)
			return
		}

		tok := tokenInfo{
			Subject:   at.grant.subject,
			Username:  at.grant.username(),
			ClientID:  at.grant.clientID,
			Scopes:    at.grant.scopes,
			Audience:  at.grant.GetAudience(),
			ExpiresAt: at.expires,
		}
		h(w, r, tok)
	}
}

// bearerToken finds the access token in the Authorization header (scheme
// Bearer) or the access_token query parameter. With no token it returns
// why, for the error description; a header with another scheme counts as
// no token. Sending the token both ways is an error (RFC 6750 §2).
func bearerToken(r *http.Request) (token, missing string, err error) {
	fromQuery := r.URL.Query()["access_token"]
	if len(fromQuery) > 1 {
		return "", "", errors.New("access_token appears more than once in the query")
	}
	headers := r.Header.Values("Authorization")
	if len(headers) > 1 {
		return "", "", errors.New("more than one Authorization header")
	}
	if len(headers) == 1 {
		scheme, value, _ := strings.Cut(strings.TrimSpace(headers[0]), " ")
		value = strings.TrimSpace(value)
		switch {
		case !strings.EqualFold(scheme, "Bearer"):
			missing = "The Authorization header uses scheme " + strconv.Quote(scheme) + "; this API expects \"Bearer <token>\"."
		case value == "":
			missing = "The Authorization header says Bearer but carries no token."
		case len(fromQuery) == 1 && fromQuery[0] != "":
			return "", "", errors.New("the token was sent both in the Authorization header and as access_token; use one")
		default:
			return value, "", nil
		}
	}
	if len(fromQuery) == 1 && fromQuery[0] != "" {
		return fromQuery[0], "", nil
	}
	if missing == "" {
		missing = "No access token: send \"Authorization: Bearer <token>\"."
	}
	return "", missing, nil
}

// describeTokenError says, without detail an attacker could use, why a
// token was refused.
func describeTokenError(err error) string {
	switch {
	case errors.Is(err, errTokenExpired):
		return "The access token expired."
	case errors.Is(err, errTokenSignature):
		return "The access token's signature does not match its content."
	case errors.Is(err, errTokenMalformed):
		return "The access token is malformed."
	case errors.Is(err, errTokenAudience):
		return "The access token was issued for another audience."
	default:
		return "The access token is unknown to this server or was revoked."
	}
}

// challenge writes an RFC 6750 error: the WWW-Authenticate header and the
// same error as a JSON body. The descriptions are our own constant text,
// free of quotes and backslashes, so they need no escaping.
func challenge(w http.ResponseWriter, status int, code, description, scope string) {
	h := `Bearer realm="` + realm + `", error="` + code + `", error_description="` + description + `"`
	if scope != "" {
		h += `, scope="` + scope + `"`
	}
	w.Header().Set("WWW-Authenticate", h)
	writeError(w, status, code, description)
}

// handleMe answers who the token belongs to.
func (s *Server) handleMe(w http.ResponseWriter, _ *http.Request, tok tokenInfo) {
	me := map[string]any{
		"sub":        tok.Subject,
		"client_id":  tok.ClientID,
		"scopes":     nonNil(tok.Scopes),
		"audience":   nonNil(tok.Audience),
		"expires_at": tok.ExpiresAt.UTC().Format(time.RFC3339),
		"expires_in": max(0, int(time.Until(tok.ExpiresAt).Seconds())),
	}
	if tok.Username != "" {
		me["username"] = tok.Username
	}
	writeJSON(w, http.StatusOK, me)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// handleBig streams about mb MiB of JSON: an array of fixed-size records,
// so the length is known up front and memory stays flat whatever the size.
func (s *Server) handleBig(w http.ResponseWriter, r *http.Request, _ tokenInfo) {
	mb := 1
	if v := r.URL.Query().Get("mb"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 200 {
			writeError(w, http.StatusBadRequest, "invalid_request", "mb must be a whole number from 1 to 200.")
			return
		}
		mb = n
	}
	records := mb << 20 / bigRecordSize
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.FormatInt(bigBodyLen(records), 10))
	if r.Method == http.MethodHead {
		return
	}

	ctx := r.Context()
	bw := bufio.NewWriterSize(w, 64<<10)
	buf := make([]byte, 0, bigRecordSize)
	_, _ = bw.WriteString("[\n")
	for i := range records {
		if i%1024 == 0 && ctx.Err() != nil {
			return // the client went away
		}
		if i > 0 {
			_, _ = bw.WriteString(",\n")
		}
		if _, err := bw.Write(appendBigRecord(buf[:0], i)); err != nil {
			return
		}
	}
	_, _ = bw.WriteString("\n]\n")
	_ = bw.Flush()
}

// maxSlow caps /api/slow, so a typo cannot hold a connection for hours.
const maxSlow = 60 * time.Second

// handleSlow answers after ms milliseconds, or gives up as soon as the
// request's context ends.
func (s *Server) handleSlow(w http.ResponseWriter, r *http.Request, _ tokenInfo) {
	wait := time.Second
	if v := r.URL.Query().Get("ms"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || time.Duration(n)*time.Millisecond > maxSlow {
			writeError(w, http.StatusBadRequest, "invalid_request", "ms must be a whole number from 0 to 60000.")
			return
		}
		wait = time.Duration(n) * time.Millisecond
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-r.Context().Done():
		// Either the client gave up (and this goes nowhere) or the server
		// is closing; in both cases no 200 must suggest the wait ended.
		writeError(w, http.StatusServiceUnavailable, "cancelled", "The request was cancelled before the wait ended.")
		return
	case <-t.C:
	}
	writeJSON(w, http.StatusOK, map[string]any{"waited_ms": wait.Milliseconds(), "message": "Thanks for waiting."})
}

// handleStatus answers with the status code in the path, for trying how a
// client shows each one.
func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request, _ tokenInfo) {
	code, err := strconv.Atoi(r.PathValue("code"))
	if err != nil || code < 100 || code > 599 {
		writeError(w, http.StatusBadRequest, "invalid_request", "The status must be a number from 200 to 599.")
		return
	}
	if code < 200 {
		writeError(w, http.StatusBadRequest, "invalid_request", "1xx codes are interim responses and cannot end a request; pick 200 to 599.")
		return
	}
	switch code {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		w.Header().Set("Retry-After", "1")
	case http.StatusNoContent, http.StatusNotModified:
		w.WriteHeader(code) // these may carry no body
		return
	}
	text := http.StatusText(code)
	if text == "" {
		text = "Unassigned status code"
	}
	writeJSON(w, code, map[string]any{
		"status":      code,
		"text":        text,
		"description": "The demo answered " + strconv.Itoa(code) + " because /api/status/" + strconv.Itoa(code) + " asked it to.",
	})
}
