package demo

import (
	"html/template"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/ory/fosite"
	"github.com/ory/fosite/handler/oauth2"
)

// maxFormBytes bounds the body of the OAuth endpoints; real requests are a
// few hundred bytes.
const maxFormBytes = 64 << 10

// handleToken is the token endpoint. fosite authenticates the client and
// runs the grant; this adds what fosite leaves to the server: which scopes
// and audience a client_credentials token gets, and whose token it is.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err == nil {
		s.stats.grant(r.PostForm.Get("grant_type"))
	}

	session := s.newSession(s.baseURL(r), "", "")
	ar, err := s.oauth.NewAccessRequest(ctx, r, session)
	if err != nil {
		s.oauth.WriteAccessError(ctx, w, ar, err)
		return
	}

	switch {
	case ar.GetGrantTypes().ExactOne("client_credentials"):
		// fosite has checked the requested scopes against the client but
		// grants nothing itself. No scope at all gets the client's full set,
		// a default RFC 6749 §3.3 allows.
		client := ar.GetClient()
		scopes := ar.GetRequestedScopes()
		if len(scopes) == 0 {
			scopes = client.GetScopes()
		}
		for _, sc := range scopes {
			ar.GrantScope(sc)
		}
		ar.GrantAudience(apiAudience)
		setSubject(session, client.GetID(), client.GetID())

	case ar.GetGrantTypes().ExactOne("refresh_token"):
		// fosite reuses a clone of the first token's session, whose iat is
		// already set, and only fills iat in when it is zero; without this
		// every refreshed token would claim the original issue time.
		if sess, ok := ar.GetSession().(*oauth2.JWTSession); ok && sess.JWTClaims != nil {
			sess.JWTClaims.IssuedAt = time.Time{}
		}
	}

	resp, err := s.oauth.NewAccessResponse(ctx, ar)
	if err != nil {
		s.oauth.WriteAccessError(ctx, w, ar, err)
		return
	}
	s.oauth.WriteAccessResponse(ctx, w, ar, resp)
}

// handleAuthorize is the authorization endpoint. There are no users: it
// approves for demoUser at once, or, with prompt=consent, after the person
// presses Approve on a small page. fosite checks the client, the
// redirect_uri (loopback, any port), response_type, scopes, state and PKCE.
func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	ar, err := s.oauth.NewAuthorizeRequest(ctx, r)
	if err != nil {
		s.oauth.WriteAuthorizeError(ctx, w, ar, err)
		return
	}

	prompt := fosite.Arguments(strings.Fields(ar.GetRequestForm().Get("prompt")))
	if r.Method == http.MethodGet && prompt.Has("consent") {
		s.writeConsent(w, r, ar)
		return
	}
	if r.Method == http.MethodPost && r.PostForm.Get("decision") == "deny" {
		s.oauth.WriteAuthorizeError(ctx, w, ar, fosite.ErrAccessDenied.WithHint("The demo user declined the request."))
		return
	}

	// fosite has refused any scope the client may not ask for.
	for _, sc := range ar.GetRequestedScopes() {
		ar.GrantScope(sc)
	}
	ar.GrantAudience(apiAudience)
	session := s.newSession(s.baseURL(r), demoUser, ar.GetClient().GetID())
	session.Username = demoUser

	resp, err := s.oauth.NewAuthorizeResponse(ctx, ar, session)
	if err != nil {
		s.oauth.WriteAuthorizeError(ctx, w, ar, err)
		return
	}
	s.oauth.WriteAuthorizeResponse(ctx, w, ar, resp)
}

// handleRevoke is the RFC 7009 revocation endpoint.
func (s *Server) handleRevoke(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	err := s.oauth.NewRevocationRequest(r.Context(), r)
	s.oauth.WriteRevocationResponse(r.Context(), w, err)
}

// handleIntrospect is the RFC 7662 introspection endpoint. fosite accepts
// client_secret_basic or, as the RFC allows, a bearer access token.
func (s *Server) handleIntrospect(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	ir, err := s.oauth.NewIntrospectionRequest(ctx, r, s.newSession("", "", ""))
	if err != nil {
		s.oauth.WriteIntrospectionError(ctx, w, err)
		return
	}
	s.oauth.WriteIntrospectionResponse(ctx, w, ir)
}

// consentHTML posts the original parameters back to the authorization
// endpoint with the person's decision. There is no CSRF token: the demo
// approves without asking unless asked to ask, so a forged approval gains
// nothing. It is parsed when shown, not at package init, to keep keyhole's
// start-up free of work it may never need.
const consentHTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>keyhole demo · authorize</title>
<style>body{font:16px system-ui,sans-serif;max-width:32em;margin:4em auto;padding:0 1em}
code{background:#eee;padding:0 .2em}button{font:inherit;padding:.4em 1.2em;margin-right:.5em}</style></head>
<body><h1>Authorize {{.Client}}?</h1>
<p>The keyhole demo server has no real users. Approving signs you in as <code>{{.User}}</code>
and grants {{if .Scopes}}{{range $i, $s := .Scopes}}{{if $i}}, {{end}}<code>{{$s}}</code>{{end}}{{else}}no scopes{{end}}.</p>
<form method="post" action="/oauth2/auth">
{{range .Fields}}<input type="hidden" name="{{.Name}}" value="{{.Value}}">
{{end}}<button name="decision" value="approve" autofocus>Approve</button><button name="decision" value="deny">Deny</button>
</form></body></html>
`

type consentField struct{ Name, Value string }

func (s *Server) writeConsent(w http.ResponseWriter, r *http.Request, ar fosite.AuthorizeRequester) {
	page, err := template.New("consent").Parse(consentHTML)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "server_error", "consent page: "+err.Error())
		return
	}
	query := r.URL.Query()
	var fields []consentField
	for _, name := range slices.Sorted(maps.Keys(query)) {
		if name == "prompt" || name == "decision" {
			continue // the POST must not ask again
		}
		for _, v := range query[name] {
			fields = append(fields, consentField{name, v})
		}
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
	_ = page.Execute(w, map[string]any{
		"Client": ar.GetClient().GetID(),
		"User":   demoUser,
		"Scopes": []string(ar.GetRequestedScopes()),
		"Fields": fields,
	})
}
