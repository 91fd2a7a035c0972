package providers

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// fetch gets a token in mode m, given the token held when it started. With
// a store, it runs under the store's lock and first re-reads the store:
// another process may have refreshed meanwhile, and refreshing again with
// the refresh token it rotated away would fail, or worse, revoke the grant.
func (s *Session) fetch(ctx context.Context, m mode, held *Token) (*Token, error) {
	if err := s.loadSecret(ctx); err != nil {
		return nil, err
	}
	if s.store != nil {
		unlock, err := s.store.Lock(ctx, s.key)
		if err != nil {
			return nil, fmt.Errorf("%s: token cache lock: %w", s.p.Name, err)
		}
		defer unlock()
		if m == modeAuto {
			if stored, err := s.store.Load(s.key); err == nil && stored != nil {
				if !sameToken(stored, held) && StateOf(AsSent(s.p, stored), Idle, nil, s.now(), s.window) == StateValid {
					stored.Source = SourceCache
					return stored, nil
				}
				if held == nil || !stored.Refresh.IsZero() {
					held = stored
				}
			}
		}
	}
	tok, err := s.get(ctx, m, held)
	if err != nil {
		return nil, err
	}
	s.useToken(tok)
	s.keep(tok, held)
	return tok, nil
}

// keep saves a token just issued. A store that fails does not cost the
// token: it is used all the same, with CacheErr saying why the next run
// will not find it. When the failed save leaves behind a refresh token the
// server has just rotated away, that record is removed: the next run would
// present a spent refresh token, which servers with reuse detection punish
// by revoking the grant. Call it under the store's lock.
func (s *Session) keep(tok, held *Token) {
	if s.store == nil {
		return
	}
	err := s.store.Save(s.key, tok)
	if err == nil {
		return
	}
	tok.CacheErr = fmt.Errorf("%s: the token cache could not keep the new token, so it is used for this run only: %w", s.p.Name, err)
	if held != nil && !held.Refresh.IsZero() && !held.Refresh.Equal(tok.Refresh) {
		_ = s.store.Delete(s.key)
	}
}

// get asks the network for a token.
func (s *Session) get(ctx context.Context, m mode, held *Token) (*Token, error) {
	ep, err := s.endpoints(ctx)
	if err != nil {
		return nil, err
	}
	var refused *TokenError
	if m == modeAuto && held != nil && !held.Refresh.IsZero() {
		tok, err := s.refreshWith(ctx, ep, held.Refresh)
		if err == nil {
			return tok, nil
		}
		if !errors.As(err, &refused) || !refusedRefresh(refused) {
			return nil, err // the network failed: the refresh token may still be good
		}
		s.forgetRefresh(held)
	}
	switch {
	case refused != nil && (s.p.Interactive() || s.p.Grant == config.GrantRefreshToken):
		// Falling back to the configured refresh token after a rotated
		// one was refused would present a used token: servers with reuse
		// detection revoke the whole grant for that.
		return nil, &RefreshRefusedError{Provider: s.p.Name, Cause: refused}
	case s.p.Interactive():
		return nil, ErrNeedsLogin
	case m == modeAuto && s.p.Grant == config.GrantRefreshToken && held != nil && held.Refresh.IsZero():
		// A token held with no refresh token: forgetRefresh took it away
		// when the server refused it, in this run or an earlier one. The
		// configured refresh token began that chain and is spent too. A
		// new one in the config changes the cache key, and starts afresh.
		return nil, &RefreshRefusedError{Provider: s.p.Name, Cause: &TokenError{Provider: s.p.Name, Code: "invalid_grant",
			Description: "the server refused this provider's refresh token earlier; keyhole does not send a refused or spent one again",
			Hint:        "put a new refresh_token in the config"}}
	}
	// The refresh token was refused (or there was none): run the grant.
	return s.obtain(ctx, ep)
}

// forgetRefresh removes a refresh token the server refused from the store,
// so that no later run sends it again: servers with reuse detection revoke
// the whole grant when a refused or rotated-away token comes back. The
// access token stays, for display. It runs under the store's lock (get is
// called by fetch while it holds it).
func (s *Session) forgetRefresh(held *Token) {
	if s.store == nil {
		return
	}
	spent := copyToken(held)
	spent.Refresh, spent.CacheErr = secret.String{}, nil
	if err := s.store.Save(s.key, spent); err != nil {
		_ = s.store.Delete(s.key) // the refresh token must go, if the record goes with it
	}
}

// refusedRefresh reports whether a failed refresh means the refresh token
// was refused, not that the server failed. A vendor that answers errors
// inside an HTTP 200 body (maptable: {"code": 401, "message": "Token is
// invalid or expired"}) refuses that way too: a 2xx answer with a vendor
// code counts, or a dead refresh token would block a login that needs no
// person forever. A 2xx with no code (an HTML page from a proxy) does not.
func refusedRefresh(te *TokenError) bool {
	return te.Code == "invalid_grant" || te.Status == http.StatusUnauthorized || te.Status == http.StatusBadRequest ||
		(te.Status >= 200 && te.Status < 300 && te.Code != "")
}

// RefreshRefusedError means the server refused the refresh token and only
// the person can get a new one. It is an ErrNeedsLogin.
type RefreshRefusedError struct {
	Provider string
	Cause    *TokenError
}

func (e *RefreshRefusedError) Error() string {
	return fmt.Sprintf("%s: needs login: the refresh token was refused (%s)", e.Provider, e.Cause.Error())
}

// Is makes errors.Is(err, ErrNeedsLogin) true.
func (e *RefreshRefusedError) Is(target error) bool { return target == ErrNeedsLogin }

// Unwrap gives the server's refusal: errors.As finds the TokenError (the
// token endpoint answered, and no token came: exit 2) and its hint.
func (e *RefreshRefusedError) Unwrap() error { return e.Cause }

func sameToken(a, b *Token) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Access.Equal(b.Access)
}
