package model

import (
	"context"
	"net/http"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/app"
	"github.com/keyhole-sh/keyhole/collection/vars"
	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/exchange/document"
	"github.com/keyhole-sh/keyhole/exchange/history"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// tickMsg is the one-second clock that drives the countdowns.
type tickMsg time.Time

func tick() tea.Cmd {
	return tea.Every(time.Second, func(t time.Time) tea.Msg { return tickMsg(t) })
}

// backendMsg reports the backend started after the first frame.
type backendMsg struct {
	backend *app.Backend
	err     error
}

func startCmd(start func(context.Context) (*app.Backend, error)) tea.Cmd {
	return func() tea.Msg {
		b, err := start(context.Background())
		return backendMsg{backend: b, err: err}
	}
}

// autoSelectMsg selects the first provider and fetches its token.
type autoSelectMsg struct{}

// tokenMsg is the outcome of a token request.
type tokenMsg struct {
	name string
	seq  int
	tok  *providers.Token
	err  error
}

func fetchCmd(ctx context.Context, sess *providers.Session, name string, seq int, force bool) tea.Cmd {
	return func() tea.Msg {
		var tok *providers.Token
		var err error
		if force {
			// r: a refresh token if one is held, else the grant when it
			// needs no person, else needs_login — never a browser.
			tok, err = sess.Refresh(ctx)
		} else {
			tok, err = sess.Token(ctx)
		}
		return tokenMsg{name: name, seq: seq, tok: tok, err: err}
	}
}

// sentMsg is the outcome of sending a request. tok is the token it went
// with, which may have been fetched on the way.
type sentMsg struct {
	seq    int
	name   string
	ex     *exchange.Exchange
	docs   docPair          // the body made readable, masked and not, built here, off the UI loop
	red    *secret.Redactor // the exchange's secrets, for what else the screen shows of it
	tok    *providers.Token
	tokErr error
	// from is the collection request sent, if the composer came from
	// one: the exchange is kept for references, and its # @capture lines
	// run, on seen: the request and its answer with the request's tokens
	// masked wherever they stand or the server echoed them, made with
	// the message, off the UI loop (a search of the whole body). tokens
	// are the values $auth.token put in the request.
	from   *collOrigin
	seen   vars.Exchange
	tokens []secret.String
}

// With x, the request's {{…}} are expanded first (see expansion); a
// request that names its token's place with $auth.token gets none added.
func sendCmd(ctx context.Context, client *http.Client, hist *history.History, e *entry, r exchange.Request, seq int, opts exchange.Options, x *expansion) tea.Cmd {
	sess, p, name := e.Session, e.Config, e.name
	return func() tea.Msg {
		var xred *secret.Redactor
		var origin string
		var tokens []secret.String
		if x != nil {
			out, err := x.expand(ctx, r)
			if out.tokErr != nil {
				return sentMsg{seq: seq, name: name, tokErr: out.tokErr}
			}
			if err != nil {
				return sentMsg{seq: seq, name: name, ex: &exchange.Exchange{Err: err}}
			}
			r, xred, origin, tokens = out.req, out.red, out.origin, out.tokens
			// Every {{…}} is expanded: a value that holds braces (a
			// capture from a server) goes as it stands, never filled
			// from the provider's vars.
			bare := *p
			bare.Vars = nil
			p = &bare
		}
		var tok *providers.Token
		if x == nil || !x.viaAuth {
			var err error
			if tok, err = sess.Token(ctx); err != nil {
				return sentMsg{seq: seq, name: name, tokErr: err}
			}
		}
		opts.Renew = sess.Refresh
		opts.Pace = func(ctx context.Context) error {
			_, err := sess.Pace(ctx)
			return err
		}
		if opts.Sleep == nil {
			opts.Sleep = providers.Sleep
		}
		if x != nil && x.viaAuth {
			// The token stands in the header the request named: no
			// second one is added, and no renewal would reach it there.
			opts.Renew = nil
		}
		ex := exchange.Send(ctx, client, p, tok, r, opts)
		if origin != "" {
			ex.Notes = append(ex.Notes, "the token of "+name+" went where {{$auth.token}} stands, to "+origin)
		}
		red := ex.Redactor().Merge(sess.Redactor(), xred)
		var docs docPair
		if ex.Response != nil {
			docs = buildDocs(ex.Response.Body, ex.Response.Header.Get("Content-Type"), document.ModePretty, red)
		}
		if hist != nil && ex.Sent.URL != nil {
			// Redacted before it is written: the history file never holds
			// a secret, the values of secret variables included.
			redact := sess.Redact
			if xred != nil {
				redact = func(s string) string { return xred.Redact(sess.Redact(s)) }
			}
			if err := hist.Add(history.NewEntry(name, ex, redact)); err != nil {
				ex.Notes = append(ex.Notes, "history: "+err.Error())
			}
		}
		return sentMsg{seq: seq, name: name, ex: ex, docs: docs, red: red, tok: ex.Token, tokens: tokens}
	}
}

// peekedMsg carries a token found in the store at start.
type peekedMsg struct {
	name string
	sess *providers.Session
	tok  *providers.Token
	err  error
}

// peekedAllMsg is every session's peekedMsg, in the providers' order.
type peekedAllMsg []peekedMsg

// peekAll reads every session's stored token, off the UI loop: it is file
// (or keyring) I/O. The reads run side by side and come back as one
// message: one Update and one frame for them all, where a message each
// made a frame each while the first frame was being drawn.
func (m *Model) peekAll() tea.Cmd {
	var peeks []peekedMsg
	for _, e := range m.entries {
		if e.Session != nil {
			peeks = append(peeks, peekedMsg{name: e.name, sess: e.Session})
		}
	}
	if len(peeks) == 0 {
		return nil
	}
	return func() tea.Msg {
		var wg sync.WaitGroup
		panicked := make([]any, len(peeks))
		for i := range peeks {
			wg.Go(func() {
				// A panic here would end the process with the terminal
				// left raw: Bubble Tea recovers its commands' goroutines,
				// not those they start. It is raised again below, on the
				// command's.
				defer func() { panicked[i] = recoverWithStack(recover()) }()
				peeks[i].tok, peeks[i].err = peeks[i].sess.Peek()
			})
		}
		wg.Wait()
		for _, p := range panicked {
			if p != nil {
				panic(p)
			}
		}
		return peekedAllMsg(peeks)
	}
}
