package providers

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/keyhole-sh/keyhole/providers/config"
)

// callbackPath is where the loopback listener takes the redirect.
const callbackPath = "/callback"

// startAuthCode runs authorization_code with PKCE S256 (RFC 7636) and a
// loopback redirect (RFC 8252 §7.3): listen on 127.0.0.1 — never
// "localhost", which may resolve elsewhere — answer one redirect, check
// state and, where sent, iss (RFC 9207), then exchange the code. Authorize
// has checked that ep has both endpoints.
func (s *Session) startAuthCode(ctx context.Context, ep endpoints, opts AuthorizeOptions) (*Pending, error) {
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(s.p.RedirectPort)))
	if err != nil {
		return nil, fmt.Errorf("%s: loopback listener on 127.0.0.1:%d: %w", s.p.Name, s.p.RedirectPort, err)
	}
	redirect := "http://" + ln.Addr().String() + callbackPath
	state, verifier := randomString(24), oauth2.GenerateVerifier()
	cfg := s.oauth2Config(ep)
	cfg.RedirectURL = redirect
	var authOpts []oauth2.AuthCodeOption
	for k, v := range s.p.AuthParams {
		// The config refuses these (Parse); a provider built another way
		// must not replace them either.
		if !config.ReservedAuthParam(k) {
			authOpts = append(authOpts, oauth2.SetAuthURLParam(k, v))
		}
	}
	authOpts = append(authOpts, s.richOpts()...)
	authOpts = append(authOpts, s.dpopJKTOpts()...)
	authOpts = append(authOpts, oauth2.S256ChallengeOption(verifier))
	authURL := cfg.AuthCodeURL(state, authOpts...)
	if s.p.PAR {
		if authURL, err = s.pushAuthorization(ctx, ep, authURL); err != nil {
			ln.Close()
			return nil, err
		}
	}
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), opts.Timeout)
	p := &Pending{
		Grant: s.p.Grant, URL: authURL, ClientID: s.p.ClientID, Scopes: s.p.Scopes,
		Redirect: redirect, Expires: s.now().Add(opts.Timeout),
		paste: make(chan string, 1), done: make(chan struct{}), cancel: cancel,
	}
	callbacks := make(chan url.Values, 1)
	srv := &http.Server{Handler: callbackHandler(callbacks, state), ReadHeaderTimeout: 10 * time.Second}
	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = srv.Serve(ln)
	}()
	go func() {
		defer cancel()
		tok, err := s.awaitCode(wctx, cfg, ep, state, verifier, callbacks, p.paste)
		// The listener's one answer is in: stop it before the outcome is
		// known, so nothing answers there once Wait returns. Shutdown, not
		// Close: the browser may still wait for its page when the redirect
		// was refused at once (a wrong state, no iss), and Close would
		// cut it off.
		ctx, stop := context.WithTimeout(context.WithoutCancel(wctx), time.Second)
		if srv.Shutdown(ctx) != nil {
			_ = srv.Close()
		}
		stop()
		<-served
		if err == nil {
			tok, err = s.adopt(wctx, tok)
		}
		p.finish(tok, err)
	}()
	if opts.Open != nil && !opts.NoBrowser {
		p.OpenErr = openChecked(opts.Open, p.URL)
		p.Opened = p.OpenErr == nil
	}
	return p, nil
}

// callbackHandler passes on the first redirect that carries this login's
// state and refuses every other request: the listener exists for one
// answer, and a stray request (another local process, an old tab) must
// neither use it up nor break the login.
func callbackHandler(out chan<- url.Values, state string) http.Handler {
	answered := make(chan struct{}, 1)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != callbackPath {
			http.NotFound(w, r)
			return
		}
		q := r.URL.Query()
		if q.Get("state") != state {
			http.Error(w, "This is not the answer to keyhole's current sign-in (the state does not match).", http.StatusBadRequest)
			return
		}
		select {
		case answered <- struct{}{}:
		default:
			http.Error(w, "keyhole already received an answer for this sign-in.", http.StatusGone)
			return
		}
		out <- q
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		// Nothing is checked yet (the code still has to be exchanged):
		// keyhole, not this page, says whether it worked.
		fmt.Fprint(w, "<!doctype html><title>keyhole</title><p style=\"font:16px sans-serif\">keyhole received the answer. You can close this tab: keyhole shows whether the sign-in worked.</p>")
	})
}

// awaitCode waits for the redirect (or a pasted one), checks it and
// exchanges the code.
func (s *Session) awaitCode(ctx context.Context, cfg *oauth2.Config, ep endpoints, state, verifier string, callbacks <-chan url.Values, paste <-chan string) (*Token, error) {
	var q url.Values
	for q == nil {
		select {
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return nil, &TokenError{Provider: s.p.Name, Description: "no answer from the browser in time", Hint: "press a to start again; paste the redirect URL if the browser cannot reach this machine"}
			}
			return nil, ctx.Err()
		case q = <-callbacks:
		case raw := <-paste:
			parsed, err := parseRedirect(raw)
			if err != nil {
				return nil, &TokenError{Provider: s.p.Name, Description: err.Error(), Hint: "paste the whole address the browser ended on, starting " + cfg.RedirectURL}
			}
			q = parsed
		}
	}
	if e := q.Get("error"); e != "" {
		te := &TokenError{Provider: s.p.Name, Code: e, Description: q.Get("error_description"), Hint: "the authorization server refused: check client_id, scopes and auth_params"}
		return nil, te.redacted(s.Redact)
	}
	if q.Get("state") != state {
		return nil, &TokenError{Provider: s.p.Name, Code: "state_mismatch", Description: "the redirect carried the wrong state: it is not the answer to this login (CSRF protection)", Hint: "start again with a"}
	}
	if iss := q.Get("iss"); iss != "" && ep.issuer != "" && strings.TrimSuffix(iss, "/") != strings.TrimSuffix(ep.issuer, "/") {
		te := &TokenError{Provider: s.p.Name, Code: "issuer_mismatch", Description: fmt.Sprintf("the redirect came from issuer %s, not %s (RFC 9207 mix-up protection)", iss, ep.issuer)}
		return nil, te.redacted(s.Redact)
	}
	if q.Get("iss") == "" && ep.issRequired {
		// The server's metadata promises iss in every answer: a redirect
		// without it was made by someone else (RFC 9207 §2.4).
		return nil, &TokenError{Provider: s.p.Name, Code: "issuer_missing", Description: fmt.Sprintf("the redirect carried no iss, though %s says it always sends one (RFC 9207 mix-up protection): it is not that server's answer", ep.issuer), Hint: "start again with a; if it happens again, something other than the provider is answering the sign-in"}
	}
	code := q.Get("code")
	if code == "" {
		return nil, &TokenError{Provider: s.p.Name, Description: "the redirect carried no code"}
	}
	if s.p.AssertsOrPresentsCert() {
		// x/oauth2 cannot send a client assertion or client_id beside a
		// certificate: the exchange is ours.
		return s.postToken(ctx, ep.token, url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {cfg.RedirectURL}, "code_verifier": {verifier}})
	}
	tok, err := s.viaOAuth2(ctx, func(ctx context.Context) (*oauth2.Token, error) {
		return cfg.Exchange(ctx, code, append(s.richOpts(), oauth2.VerifierOption(verifier))...)
	})
	if err != nil {
		return nil, err
	}
	return tok, nil
}

// parseRedirect takes a pasted redirect: a full URL, or just its query.
func parseRedirect(raw string) (url.Values, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, errors.New("nothing was pasted")
	}
	if i := strings.IndexByte(raw, '?'); i >= 0 {
		raw = raw[i+1:]
	}
	if i := strings.IndexByte(raw, '#'); i >= 0 {
		raw = raw[:i]
	}
	q, err := url.ParseQuery(raw)
	if err != nil || (q.Get("code") == "" && q.Get("error") == "") {
		return nil, errors.New("the pasted text is not a redirect with a code or an error")
	}
	return q, nil
}

func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}
