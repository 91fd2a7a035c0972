package model

import (
	"context"
	"net/http"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/spec"
)

// specState is a provider's OpenAPI description as the picker knows it:
// loading, loaded, or unavailable and why. It is loaded when the picker
// first opens on that provider, and kept for the session once loaded; one
// that failed is tried again at the next opening (the server may be back).
type specState struct {
	loading bool
	s       *spec.Spec
	err     error
	// notes say what the load had to say (a cached copy used in place
	// of an unreachable URL).
	notes []string
}

// specMsg is a provider's spec, loaded off the UI loop.
type specMsg struct {
	name string
	s    *spec.Spec
	err  error
}

// wantSpec starts loading e's spec if it has one that was never asked
// for, or that failed when it was: each opening of the picker (or of the
// doctor after a refusal, or each D or V) tries a failed spec once more. The picker shows
// a "loading" row meanwhile. A spec loading or loaded is left alone.
func (m *Model) wantSpec(e *entry) tea.Cmd {
	if e == nil || e.Config == nil || e.Config.OpenAPI == "" {
		return nil
	}
	if e.spec != nil && (e.spec.loading || e.spec.err == nil) {
		return nil
	}
	e.spec = &specState{loading: true}
	var tok *providers.Token
	if providers.StateOf(e.sentTok(), e.act, nil, m.now, m.opts.RefreshBefore) == providers.StateValid {
		tok = e.tok
	}
	client := e.Client
	if client == nil && m.backend != nil {
		client = m.backend.Client
	}
	cacheDir := ""
	if m.backend != nil {
		cacheDir = m.backend.SpecCache
	}
	return loadSpecCmd(e.name, e.Config, client, tok, cacheDir)
}

// specTimeout bounds a spec's download: GitHub's 13 MB on a slow line,
// not a server that never answers.
const specTimeout = 2 * time.Minute

// loadSpecCmd loads p's spec. A spec URL on the base_url origin gets the
// token in hand, if any, for a private spec; none is fetched for it: a
// listing never costs a sign-in, and a public spec needs none.
func loadSpecCmd(name string, p *config.Provider, client *http.Client, tok *providers.Token, cacheDir string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), specTimeout)
		defer cancel()
		s, err := spec.Load(ctx, p.OpenAPI, spec.Options{
			Client:      client,
			TokenOrigin: p.BaseURL,
			Authorize: func(req *http.Request) error {
				if tok == nil {
					return nil
				}
				_, err := providers.Apply(p, req, tok, false)
				return err
			},
			Resolve:  p.FilePath,
			CacheDir: cacheDir,
		})
		return specMsg{name: name, s: s, err: err}
	}
}

// onSpec keeps a provider's spec, and puts its operations in the picker
// if it is open.
func (m Model) onSpec(msg specMsg) (tea.Model, tea.Cmd) {
	e := m.entries.named(msg.name)
	if e == nil || e.spec == nil {
		return m, nil
	}
	e.spec = &specState{s: msg.s, err: msg.err}
	if msg.s != nil {
		e.spec.notes = msg.s.Notes
		// What the load had to say (a cached copy used, a file of a
		// split spec not read) goes to the status line, as ops puts
		// it on stderr.
		if len(msg.s.Notes) > 0 {
			m.notice = termtext.Line(maskFor(e, strings.Join(msg.s.Notes, "; "), m.redact))
		}
	}
	if p := m.popups.find(popRequests); p != nil && p.follow != nil {
		p.follow(m.redact)
	}
	m.followWhy()
	return m.onContractSpec(msg.name)
}
