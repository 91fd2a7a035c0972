package model

import (
	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/exchange/document"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// A response body is laid out twice, off the UI loop: as received, and
// with its secrets masked (the token an API echoes back, an X-Api-Key, an
// access_token= in a URL, a "password" field). ctrl+r then only picks the
// other document: no work on the UI loop, and the big-body keypress costs
// what it did. A body with nothing to mask — nearly every one — is laid
// out once and both views share it; one that holds a secret costs a
// second document.

// docPair is a body laid out for both states of the redaction toggle.
// masked is plain itself when the body holds nothing to mask; both are nil
// when there is no body.
type docPair struct {
	plain, masked *document.Document
}

// pick is the document to draw: masked when redacting.
func (p docPair) pick(redact bool) *document.Document {
	if redact {
		return p.masked
	}
	return p.plain
}

// buildDocs lays body out for reading, and again with red's secrets
// masked when it holds any. It reads the whole body: call it from a
// tea.Cmd. red nil masks nothing (a history entry, masked when written).
func buildDocs(body []byte, contentType string, mode document.Mode, red *secret.Redactor) docPair {
	if red == nil {
		plain := document.Build(body, contentType, mode)
		return docPair{plain: plain, masked: plain}
	}
	// The search for secrets runs beside the layout: on two cores a 50 MB
	// body is on screen no later for it.
	type maskResult struct {
		body    []byte
		changed bool
	}
	done := make(chan maskResult, 1)
	go func() {
		b, changed := red.RedactBytes(body)
		done <- maskResult{b, changed}
	}()
	plain := document.Build(body, contentType, mode)
	p := docPair{plain: plain, masked: plain}
	if r := <-done; r.changed {
		p.masked = document.Build(r.body, contentType, mode)
	}
	return p
}

// filterDocs is the path filter's result for both states of the toggle:
// the masked one filters the masked body, so a filter cannot dig out what
// the screen hides.
func filterDocs(body []byte, path string, red *secret.Redactor) (docPair, error) {
	plain, err := document.Filter(body, path)
	if err != nil {
		return docPair{}, err
	}
	p := docPair{plain: plain, masked: plain}
	if red != nil {
		if masked, changed := red.RedactBytes(body); changed {
			if p.masked, err = document.Filter(masked, path); err != nil {
				return docPair{}, err
			}
		}
	}
	return p, nil
}

// toggleRedact flips ctrl+r: every pane draws from the redact flag, and
// the response body switches to its other document, keeping its place.
func (m Model) toggleRedact() (tea.Model, tea.Cmd) {
	m.redact = !m.redact
	m.followRedact()
	return m, m.insp.setRedact(m.redact)
}
