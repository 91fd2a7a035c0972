package providers_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/internal/faults"
	"github.com/keyhole-sh/keyhole/providers"
)

// faultTimeout is every fault provider's timeout: short, so a hang costs
// a fraction of a second, and far from the 30 s default, so a timeout that
// is not applied shows.
const faultTimeout = 200 * time.Millisecond

// faultSession is a session for the fault provider called name, on a
// client whose name lookups never leave the process.
func faultSession(t *testing.T, s *faults.Server, name string) *providers.Session {
	t.Helper()
	r := resolvedProvider(t, s.Config(faultTimeout), name)
	sess, err := providers.NewSession(r, providers.SessionOptions{Client: faults.Client(t)})
	if err != nil {
		t.Fatal(err)
	}
	return sess
}

// tokenFault is what Session.Token must give for one fault.
type tokenFault struct {
	provider string
	network  bool   // a NetworkError, else a TokenError
	status   int    // the TokenError's status
	text     string // in Error()
	hint     string // in the hint
	deadline bool   // errors.Is(err, context.DeadlineExceeded)
}

func tokenFaults() []tokenFault {
	onTheirSide := "failed on its side"
	noToken := "without an access_token"
	return []tokenFault{
		{provider: faults.TokenProvider(faults.Status500JSON), status: 500, text: faults.ErrorCode + ": " + faults.ErrorDescription, hint: onTheirSide},
		{provider: faults.TokenProvider(faults.Status503JSON), status: 503, text: faults.ErrorCode + ": " + faults.ErrorDescription, hint: onTheirSide},
		{provider: faults.TokenProvider(faults.Status500HTML), status: 500, text: faults.HTMLTitle, hint: onTheirSide},
		{provider: faults.TokenProvider(faults.Status503HTML), status: 503, text: faults.HTMLTitle, hint: onTheirSide},
		{provider: faults.TokenProvider(faults.TooManyRequests), status: 429, text: "answered 429: rate_limited", hint: "rate limiting"},
		{provider: faults.TokenProvider(faults.NotJSON), text: "cannot parse", hint: noToken},
		{provider: faults.TokenProvider(faults.Empty), text: "cannot parse", hint: noToken},
		{provider: faults.TokenProvider(faults.Hang), network: true, text: "deadline exceeded", hint: "raise the provider's timeout", deadline: true},
		{provider: faults.TokenProvider(faults.Slow), network: true, text: "deadline exceeded", hint: "raise the provider's timeout", deadline: true},
		{provider: faults.TokenProvider(faults.CutOff), network: true, text: "unexpected EOF", hint: "connection broke"},
		{provider: faults.TokenNetProvider(faults.Refused), network: true, text: "connection refused", hint: "nothing listens"},
		{provider: faults.TokenNetProvider(faults.DNS), network: true, text: "no such host", hint: "does not resolve"},
		{provider: faults.TokenNetProvider(faults.TLS), network: true, text: "certificate", hint: "TLS verification failed"},
	}
}

// TestTokenFaults: every way a token endpoint can fail gives a typed
// error (TokenError when it answered, NetworkError when it did not) with
// the cause and a hint, within the provider's timeout, and leaves no
// token and no goroutine behind (TestMain's goleak).
func TestTokenFaults(t *testing.T) {
	s := faults.Start(t)
	for _, tt := range tokenFaults() {
		t.Run(tt.provider, func(t *testing.T) {
			sess := faultSession(t, s, tt.provider)
			begin := time.Now()
			tok, err := sess.Token(context.Background())
			took := time.Since(begin)
			t.Logf("%v (%T) · hint: %s · %v", err, err, providers.Hint(err), took.Round(time.Millisecond))
			if err == nil {
				t.Fatalf("Token = %v, want an error", tok)
			}
			if took > 2*time.Second {
				t.Errorf("took %v: the %v timeout was not applied", took, faultTimeout)
			}
			var te *providers.TokenError
			var ne *providers.NetworkError
			switch {
			case tt.network && !errors.As(err, &ne):
				t.Errorf("got %T, want a *NetworkError: no answer came", err)
			case !tt.network && !errors.As(err, &te):
				t.Errorf("got %T, want a *TokenError: the endpoint answered", err)
			case !tt.network && te.Status != tt.status:
				t.Errorf("Status = %d, want %d", te.Status, tt.status)
			case tt.network && (ne.Provider != tt.provider || ne.Op != "token request"):
				t.Errorf("NetworkError = %+v", ne)
			}
			if !strings.Contains(err.Error(), tt.provider) || !strings.Contains(err.Error(), tt.text) {
				t.Errorf("Error() = %q, want the provider and %q", err, tt.text)
			}
			if h := providers.Hint(err); !strings.Contains(h, tt.hint) {
				t.Errorf("Hint = %q, want %q", h, tt.hint)
			}
			if errors.Is(err, context.DeadlineExceeded) != tt.deadline {
				t.Errorf("errors.Is(err, DeadlineExceeded) = %v, want %v", !tt.deadline, tt.deadline)
			}
			if strings.Contains(err.Error(), faults.ClientSecret) {
				t.Error("the client secret is in the error")
			}
			if sess.Cached() != nil {
				t.Error("a failed request left a token")
			}
		})
	}
}

// TestTokenFaultRecovers: after a failure the session is not stuck — the
// next call asks again, and a caller that gives up on a hanging endpoint
// is released at once with "cancelled".
func TestTokenFaultRecovers(t *testing.T) {
	s := faults.Start(t)
	sess := faultSession(t, s, faults.TokenProvider(faults.Status503JSON))
	for range 2 {
		if _, err := sess.Token(context.Background()); err == nil {
			t.Fatal("a 503 gave a token")
		}
	}
	if n := s.Hits(faults.Status503JSON); n != 2 {
		t.Errorf("the endpoint saw %d requests, want 2: a failure must not be cached", n)
	}

	hang := faultSession(t, s, faults.TokenProvider(faults.Hang))
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	before := s.Hits(faults.Hang)
	go func() { _, err := hang.Token(ctx); errc <- err }()
	for s.Hits(faults.Hang) == before {
		time.Sleep(time.Millisecond)
	}
	begin := time.Now()
	cancel()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) || providers.Hint(err) != "cancelled" {
			t.Errorf("cancelled Token = %v, hint %q", err, providers.Hint(err))
		}
		if d := time.Since(begin); d > 500*time.Millisecond {
			t.Errorf("returned %v after the cancel", d)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Token did not return after its context was cancelled")
	}
}
